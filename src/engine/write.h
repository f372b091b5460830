/* write: settings written to a live inverter, safely.
 *
 * Promises:
 *  - only registers marked access=rw in the map, only inside their min..max
 *    (ZCS_REFUSED otherwise, before anything is sent);
 *  - a register of a write group is written with its whole group in one
 *    FC 0x10 request: the group is read first, only the targets change, the
 *    commit register is set to its commit value;
 *  - nothing is sent when every target already holds its value (settings
 *    live in EEPROM with finite write cycles);
 *  - everything written is read back and compared, target by target. */
#ifndef ZCS_WRITE_H
#define ZCS_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/link.h"
#include "base/regmap.h"

#define WRITE_MAX 12

struct write_target {
	const struct reg_def *reg;
	double value;                 /* engineering units */
};

struct write_result {
	const struct reg_def *reg;
	double before, written, readback;
	uint16_t raw_before, raw_written, raw_readback;
	int changed;                  /* 0: already held the value, not written */
	int ok;                       /* read back equals written */
};

/* Check every target against the whitelist without touching the device. */
int write_check(const struct regmap *m, const struct write_target *t, size_t n,
		struct zcs_err *err);
/* Read the current value of `reg` on `slave`. */
int write_current(struct link *l, int slave, const struct reg_def *reg, double *value,
		  uint16_t *raw, struct zcs_err *err);
/* Write targets that all belong to one group (or one ungrouped register).
 * res[i] describes t[i].  Returns 0 when everything read back equal,
 * -1 with err (ZCS_REFUSED, ZCS_LINK, ZCS_DEVICE, or ZCS_CHECK when a value
 * read back differs). */
int write_apply(struct link *l, int slave, const struct regmap *m,
		const struct write_target *t, size_t n, struct write_result *res,
		struct zcs_err *err);

#endif
