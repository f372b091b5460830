/* SPDX-License-Identifier: GPL-3.0-or-later */
/* runner: the whole procedure without a screen (zcs-commission run).
 *
 * Walks every step of the checklist with one engine: answers, installer
 * confirmations, writes and skips come from an answers file (format in
 * zcs-checklist(5)); installer actions are performed by an --act command
 * ("CMD breaker off") or taken as done from the answers file.  Each verdict
 * is printed with what was measured against what was expected, the size of
 * its evidence window and, when failed, the manual's remedy.  Nothing is
 * ever written without a "write STEP yes" line; before it is, every register
 * of the request is printed with what was read and what will be sent, and
 * the request's bytes.  With dry_run_writes nothing is sent at all.
 *
 * A "done STEP yes" line covers every action of the step, "done STEP
 * WORDS" one of them; --act performs the others.
 *
 * The result is an exit code: 0 every applicable step passed, ZCS_CHECK one
 * failed or was skipped, ZCS_DATA the answers file is wrong or lacks
 * something a step needs, ZCS_SYS an --act command failed, ZCS_LINK /
 * ZCS_DEVICE the unit could not be identified. */
#ifndef ZCS_RUNNER_H
#define ZCS_RUNNER_H

#include <stdio.h>

#include "base/err.h"
#include "base/link.h"
#include "engine/engine.h"
#include "engine/observer.h"

struct runner_opts {
	const char *answers;            /* path of the answers file */
	struct link_params link;
	const char *act;                /* --act CMD, or NULL */
	const char *checklist_dir;      /* NULL: the default */
	double window_scale;            /* 0 = 1 */
	int units[ENG_MAX_UNITS];       /* --units; nunits 0: from the answers file or the link */
	int nunits;
	int training;
	int quiet;                      /* one line per step, no evidence */
	int evidence;                   /* print every sample of each window */
	double link_wait_s;             /* a lost link may stay lost this long
	                                   before run stops (0: 300 s) */
	int dry_run_writes;             /* show the FC 0x10 frames, send none */
	FILE *out;                      /* NULL: stdout */
	/* Reconnect hook for the engine (NULL: link_reconnect). */
	int (*reconnect)(void *ctx, struct link *l, struct zcs_err *err);
	void *reconnect_ctx;
};

/* Returns the process exit code; err explains anything but 0 and ZCS_CHECK. */
int runner_run(const struct runner_opts *o, const struct eng_observer *obs,
	       const struct eng_resume *resume, struct zcs_err *err);

#endif
