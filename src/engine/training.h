/* SPDX-License-Identifier: GPL-3.0-or-later */
/* training: the built-in simulator as a child process, for training mode.
 *
 * training_start() runs the zcs-sim installed beside this program ($ZCS_SIM
 * when set) with
 * `--tcp 0 --scenario NAME --control SOCK`, waits (bounded) for its "ready"
 * line and returns the TCP port it took and the control socket path.  The
 * child gets its own process group and is killed and reaped by
 * training_stop(), which is safe to call twice and from atexit.
 * training_ctl() sends one command line to the simulator's control socket
 * (e.g. "breaker off", "clear ct_reversed") and returns its one-line reply.
 * No curses here: the wizard and the tests share this code. */
#ifndef ZCS_ENGINE_TRAINING_H
#define ZCS_ENGINE_TRAINING_H

#include <stddef.h>
#include <sys/types.h>

#include "base/err.h"

struct training {
	pid_t pid;
	int port;
	char host[64];
	char control[256];
	char scenario[64];
	char dir[128];          /* private temporary directory for the socket */
};

/* Scenario names and one-line descriptions from `zcs-sim --list-scenarios`
 * ("NAME  description" per line).  Returns how many were filled, -1 with
 * an error when the simulator cannot be run. */
int training_scenarios(char names[][64], char descr[][160], int max, struct zcs_err *err);

int training_start(struct training *t, const char *scenario, struct zcs_err *err);
/* Send `cmd` (one line); the reply's first line goes to `reply` ("ok" when
 * the command printed nothing).  "error: ..." is ZCS_REFUSED with its text. */
int training_ctl(const struct training *t, const char *cmd, char *reply, size_t n,
		 struct zcs_err *err);
/* The same, with every line of the reply ("state": the plant, one
 * "key value" a line) in `reply`. */
int training_ctl_all(const struct training *t, const char *cmd, char *reply, size_t n,
		     struct zcs_err *err);
/* 1 while the child runs. */
int training_alive(struct training *t);
void training_stop(struct training *t);

#endif
