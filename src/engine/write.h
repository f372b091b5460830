/* SPDX-License-Identifier: GPL-3.0-or-later */
/* write: settings written to a live inverter, safely.
 *
 * Promises:
 *  - only registers marked access=rw in the map, only inside their min..max
 *    (ZCS_REFUSED otherwise, before anything is sent), never a register of
 *    the code's deny list (base/deny.h);
 *  - a register of a write group is written with its whole group in one
 *    FC 0x10 request: the group is read first, only the targets change, the
 *    commit register is set to its commit value;
 *  - the whole span is validated before it is sent: targets within their
 *    range; every other register sent back exactly as read, and that read
 *    within the register's own range or, without a range, no "no value"
 *    sentinel (0xFFFF, 0x7FFF, 0x8000 ...).  A refusal names the register
 *    and its value, and nothing is sent;
 *  - a prepared plan is sent only when the registers sent back still read
 *    what the installer was shown;
 *  - nothing is sent when every target already holds its value (settings
 *    live in EEPROM with finite write cycles);
 *  - after a `*` commit register is set it is read back: 0 done, 1 in
 *    progress (polled, at most WRITE_COMMIT_POLLS times), 0xFFFB-0xFFFF the
 *    protocol's named failures;
 *  - then the whole span is read back and compared register by register:
 *    any difference is a failed write (ZCS_CHECK), every value reported. */
#ifndef ZCS_WRITE_H
#define ZCS_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/link.h"
#include "base/regmap.h"

#define WRITE_MAX 12
#define WRITE_SPAN_MAX 123            /* registers in one FC 0x10 */
#define WRITE_COMMIT_POLLS 20         /* commit status reads while "in progress" */
#define WRITE_COMMIT_POLL_MS 100
#define WRITE_FRAME_MAX (7 + 2 * WRITE_SPAN_MAX)

struct write_target {
	const struct reg_def *reg;
	double value;                 /* engineering units */
};

/* One FC 0x10 request, read and validated, not yet sent. */
struct write_plan {
	int slave;
	const char *name;             /* the group's name, or the register's */
	const struct reg_group *group;  /* NULL: one register alone */
	const struct reg_def *commit; /* the group's commit register, or NULL */
	unsigned addr, words;
	uint16_t before[WRITE_SPAN_MAX];  /* the span as read */
	uint16_t sent[WRITE_SPAN_MAX];    /* the span as it will be sent */
	struct write_target t[WRITE_MAX];
	size_t n;
	int changes;                  /* 0: every target already holds its value */
};

/* One register of a plan, for people. */
struct write_line {
	const struct reg_def *reg;
	char before[64], sent[64];
	int target;                   /* a value the step sets */
	int commit;                   /* the commit register */
	int changed;                  /* sent differs from what was read */
};

struct write_result {
	const struct reg_def *reg;
	double before, written, readback;
	uint16_t raw_before, raw_written, raw_readback;
	int changed;                  /* 0: already held the value, not written */
	int ok;                       /* read back equals written (commit: status 0) */
};

/* Check every target against the whitelist without touching the device. */
int write_check(const struct regmap *m, const struct write_target *t, size_t n,
		struct zcs_err *err);
/* Read the current value of `reg` on `slave`. */
int write_current(struct link *l, int slave, const struct reg_def *reg, double *value,
		  uint16_t *raw, struct zcs_err *err);

/* Fill p->sent from p->before and the targets, then validate the whole span
 * (p->addr, p->words, p->before, p->t, p->n set by the caller, or by
 * write_prepare).  ZCS_REFUSED naming register and value. */
int write_build(const struct regmap *m, struct write_plan *p, struct zcs_err *err);
/* Read the span of the targets (all of one group, or one ungrouped
 * register) on `slave` and build the plan.  Nothing is sent. */
int write_prepare(struct link *l, int slave, const struct regmap *m,
		  const struct write_target *t, size_t n, struct write_plan *p,
		  struct zcs_err *err);
/* Every register of the span, in address order; returns how many. */
size_t write_lines(const struct regmap *m, const struct write_plan *p, struct write_line *out,
		   size_t max);
/* The request as it goes on the wire, without the transport's framing
 * (RTU CRC, TCP MBAP header): slave, 0x10, address, quantity, byte count,
 * the values.  Returns its length. */
size_t write_frame(const struct write_plan *p, uint8_t *buf, size_t n);
/* The same as hex bytes "01 10 10 44 00 18 30 ...". */
char *write_frame_hex(const struct write_plan *p, char *buf, size_t n);
/* Send a plan: read the span again (ZCS_REFUSED if what is sent back
 * changed meanwhile), one FC 0x10, the commit status, the read-back.
 * res gets the registers that changed or read back differently, and the
 * commit register when its status is not 0; *nres how many.  Returns 0 when everything read back
 * equal; -1 with err (ZCS_REFUSED, ZCS_LINK, ZCS_DEVICE, or ZCS_CHECK
 * when the commit failed or a value read back differs). */
int write_send(struct link *l, const struct regmap *m, const struct write_plan *p,
	       struct write_result *res, size_t *nres, struct zcs_err *err);
/* write_prepare then write_send (res as for write_send, WRITE_SPAN_MAX + 1). */
int write_apply(struct link *l, int slave, const struct regmap *m,
		const struct write_target *t, size_t n, struct write_result *res,
		size_t *nres, struct zcs_err *err);
/* The protocol's words for a commit status (0 ok, 1 in progress,
 * 0xFFFB..0xFFFF failures), NULL for any other value. */
const char *write_commit_status(unsigned status);

#endif
