#include "base/poll.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static int by_address(const void *a, const void *b)
{
	const struct reg_def *x = *(const struct reg_def *const *)a;
	const struct reg_def *y = *(const struct reg_def *const *)b;

	if (x->fc != y->fc)
		return x->fc - y->fc;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int poll_plan_defs(const struct regmap *m, const struct reg_def *const *defs, size_t n,
		   unsigned max_gap, struct poll_plan *out)
{
	const struct reg_def **sorted = xcalloc(n, sizeof *sorted);
	size_t k = 0;

	memset(out, 0, sizeof *out);
	out->map = m;
	out->defs = xcalloc(n, sizeof *out->defs);
	for (size_t i = 0; i < n; i++) {
		int dup = 0;

		for (size_t j = 0; j < out->ndefs; j++)
			dup |= out->defs[j] == defs[i];
		if (!dup)
			out->defs[out->ndefs++] = sorted[k++] = defs[i];
	}
	qsort(sorted, k, sizeof *sorted, by_address);
	out->reqs = xcalloc(k ? k : 1, sizeof *out->reqs);
	for (size_t i = 0; i < k; i++) {
		const struct reg_def *r = sorted[i];
		struct poll_req *last = out->nreqs ? &out->reqs[out->nreqs - 1] : NULL;
		unsigned end = last ? last->addr + last->count : 0;
		unsigned new_end = r->addr + r->words;

		if (i == 0 || sorted[i - 1]->fc != r->fc ||
		    sorted[i - 1]->addr + sorted[i - 1]->words < r->addr)
			out->nranges++;
		if (last && last->fc == r->fc && r->addr <= end + max_gap &&
		    (new_end > end ? new_end : end) - last->addr <= POLL_MAX_READ &&
		    (r->addr <= end || regmap_readable(m, r->fc, end, r->addr - 1))) {
			if (new_end > end)
				last->count = new_end - last->addr;
			continue;
		}
		out->reqs[out->nreqs++] = (struct poll_req){ r->fc, r->addr, r->words };
	}
	free(sorted);
	return 0;
}

int poll_plan_build(const struct regmap *m, const char *const *names, size_t n,
		    unsigned max_gap, struct poll_plan *out, struct zcs_err *err)
{
	const struct reg_def **defs = xcalloc(n ? n : 1, sizeof *defs);

	for (size_t i = 0; i < n; i++) {
		defs[i] = regmap_find(m, names[i]);
		if (!defs[i]) {
			free(defs);
			memset(out, 0, sizeof *out);
			return zcs_fail(err, ZCS_DATA, "no value named '%s' in the %s register map "
					"(%s)", names[i], m->name, m->path);
		}
	}
	poll_plan_defs(m, defs, n, max_gap, out);
	free(defs);
	return 0;
}

void poll_plan_free(struct poll_plan *p)
{
	free(p->defs);
	free(p->reqs);
	memset(p, 0, sizeof *p);
}

int poll_execute(struct link *l, const struct poll_plan *p, struct reg_value *vals,
		 struct zcs_err *err)
{
	uint16_t buf[POLL_MAX_READ];
	int rc = 0;

	for (size_t i = 0; i < p->ndefs; i++) {
		memset(&vals[i], 0, sizeof vals[i]);
		vals[i].def = p->defs[i];
	}
	for (size_t r = 0; r < p->nreqs; r++) {
		const struct poll_req *q = &p->reqs[r];
		struct zcs_err e1 = { 0 };
		int64_t t, w;

		if (link_read(l, q->fc, q->addr, q->count, buf, &e1) < 0) {
			if (rc == 0 && err)
				*err = e1;
			rc = -1;
			if (!link_connected(l))
				break;
			continue;
		}
		t = zcs_now_ms();
		w = zcs_wall_ms();
		for (size_t i = 0; i < p->ndefs; i++) {
			const struct reg_def *d = p->defs[i];

			if (d->fc != q->fc || d->addr < q->addr || d->addr + d->words > q->addr + q->count)
				continue;
			decode_value(d, buf + (d->addr - q->addr), &vals[i]);
			vals[i].t_ms = t;
			vals[i].wall_ms = w;
		}
	}
	return rc;
}
