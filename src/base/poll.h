/* SPDX-License-Identifier: GPL-3.0-or-later */
/* poll: read named values with the fewest block requests.
 *
 * poll_plan_build() sorts the wanted registers by function and address and
 * merges neighbours into one request when the result stays within 125
 * registers, the gap between them is at most `max_gap` words, and no
 * address in the merged span is marked unreadable in the map.  A plan never
 * issues more requests than there are separate contiguous ranges among the
 * wanted registers.  poll_execute() runs the requests and decodes every
 * value with its time and raw words; a failed request marks only its own
 * values not ok and the first error is returned.
 *
 * A unit may not serve every address a map lists, nor the gaps between
 * them (a strict G3 unit answers exception 02 to any read touching one).
 * When a block read gets exception 02, poll_execute() reads each stretch of
 * adjacent registers in one request, and a stretch refused too one register
 * at a time; the link learns what the unit does not serve: the registers
 * that still answer 02 and the gaps that made the block fail.  Later reads
 * on that link never span them again (the plan is split at execution
 * time); the registers themselves are marked `unserved` and not asked for
 * again.  Not being served is not a failure: poll_execute()
 * returns 0 when that is all that went wrong. */
#ifndef ZCS_POLL_H
#define ZCS_POLL_H

#include <stddef.h>

#include "base/decode.h"
#include "base/link.h"
#include "base/regmap.h"

#define POLL_MAX_READ 125
#define POLL_DEFAULT_GAP 16
/* The gap a wire-time floor spans: a request costs 8 + 5 bytes and two
 * 3.5-character silences (20 characters), a gap word 2: spanning up to 9
 * words costs less than another request. */
#define POLL_FLOOR_GAP 9

struct poll_req {
	int fc;
	unsigned addr, count;
};

struct poll_plan {
	const struct regmap *map;
	const struct reg_def **defs;   /* the wanted registers, in the caller's order */
	size_t ndefs;
	struct poll_req *reqs;
	size_t nreqs;
	size_t nranges;                /* separate contiguous ranges among defs */
};

/* Build a plan for `names` (duplicates are read once).  An unknown name is a
 * ZCS_DATA error naming it and the map. */
int poll_plan_build(const struct regmap *m, const char *const *names, size_t n,
		    unsigned max_gap, struct poll_plan *out, struct zcs_err *err);
int poll_plan_defs(const struct regmap *m, const struct reg_def *const *defs, size_t n,
		   unsigned max_gap, struct poll_plan *out);
void poll_plan_free(struct poll_plan *p);

/* vals[i] is the value of plan->defs[i].  Returns 0 when every request
 * succeeded or found registers the unit does not serve (vals[i].unserved),
 * else -1 with the first error (the other values still filled). */
int poll_execute(struct link *l, const struct poll_plan *p, struct reg_value *vals,
		 struct zcs_err *err);

#endif
