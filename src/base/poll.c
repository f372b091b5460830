/* SPDX-License-Identifier: GPL-3.0-or-later */
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

static int by_def_address(const void *a, const void *b)
{
	const struct reg_def *x = **(const struct reg_def *const *const *)a;
	const struct reg_def *y = **(const struct reg_def *const *const *)b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct exec {
	struct link *l;
	const struct poll_plan *p;
	struct reg_value *vals;
	struct zcs_err *err;
	int rc;
	int stop;                     /* the link went down: no more requests */
};

static void decode_span(struct exec *x, int fc, unsigned addr, unsigned count,
			const uint16_t *buf)
{
	int64_t t = zcs_now_ms(), w = zcs_wall_ms();

	for (size_t i = 0; i < x->p->ndefs; i++) {
		const struct reg_def *d = x->p->defs[i];

		if (d->fc != fc || d->addr < addr || d->addr + d->words > addr + count)
			continue;
		decode_value(d, buf + (d->addr - addr), &x->vals[i]);
		x->vals[i].t_ms = t;
		x->vals[i].wall_ms = w;
	}
}

static void mark_unserved(struct exec *x, const struct reg_def *d)
{
	for (size_t i = 0; i < x->p->ndefs; i++)
		if (x->p->defs[i] == d) {
			x->vals[i].ok = 0;
			x->vals[i].unserved = 1;
		}
}

static void failed(struct exec *x, const struct zcs_err *e1)
{
	if (x->rc == 0 && x->err)
		*x->err = *e1;
	x->rc = -1;
	/* a link gone, or a logger busy with its cloud: the rest would only
	 * wait out their timeouts too */
	if (!link_connected(x->l) || link_busy(x->l))
		x->stop = 1;
}

/* One past the last address of run[0..n-1] (a register may lie inside
 * another: a fault word inside the whole list). */
static unsigned run_end(const struct reg_def *const *run, size_t n)
{
	unsigned end = 0;

	for (size_t i = 0; i < n; i++)
		if (run[i]->addr + run[i]->words > end)
			end = run[i]->addr + run[i]->words;
	return end;
}

/* Does run[i] start past the end of everything before it? */
static int gap_before(const struct reg_def *const *run, size_t i)
{
	return run[i]->addr > run_end(run, i);
}

/* Read the registers run[0..n-1] (sorted, same fc) in one request.  On
 * exception 02, find what the unit does not serve: first each stretch of
 * adjacent registers in one request (most often only a gap between them
 * was refused), then, inside a stretch that is refused too, each register
 * alone.  The gaps of a refused block are learned as not served. */
static void read_run(struct exec *x, const struct reg_def *const *run, size_t n)
{
	uint16_t buf[POLL_MAX_READ];
	struct zcs_err e1 = { 0 };
	int fc = run[0]->fc;
	unsigned addr = run[0]->addr, end = run_end(run, n);

	if (link_read(x->l, fc, addr, end - addr, buf, &e1) == 0) {
		decode_span(x, fc, addr, end - addr, buf);
		return;
	}
	if (e1.exception != 2) {
		failed(x, &e1);
		return;
	}
	if (n == 1) {
		link_unserved_add(x->l, fc, addr, end - 1, 1);
		mark_unserved(x, run[0]);
		return;
	}
	size_t stretches = 1, from = 0;

	for (size_t i = 1; i < n; i++)
		stretches += gap_before(run, i);
	for (size_t i = 1; i <= n && !x->stop; i++) {
		if (stretches == 1 || i == n || gap_before(run, i)) {
			read_run(x, run + from, i - from);
			from = i;
		}
	}
	for (size_t i = 0; i + 1 < n; i++) {
		unsigned gap_from = run_end(run, i + 1), gap_to = run[i + 1]->addr;

		if (gap_from < gap_to)
			link_unserved_add(x->l, fc, gap_from, gap_to - 1, 0);
	}
}

/* One planned request: its registers, split where the unit is known not to
 * serve an address. */
static void execute_req(struct exec *x, const struct poll_req *q)
{
	const struct reg_def **run = xcalloc(x->p->ndefs ? x->p->ndefs : 1, sizeof *run);
	const struct reg_def ***order = xcalloc(x->p->ndefs ? x->p->ndefs : 1, sizeof *order);
	size_t k = 0, n = 0;

	for (size_t i = 0; i < x->p->ndefs; i++) {
		const struct reg_def *d = x->p->defs[i];

		if (d->fc == q->fc && d->addr >= q->addr && d->addr + d->words <= q->addr + q->count)
			order[k++] = &x->p->defs[i];
	}
	qsort(order, k, sizeof *order, by_def_address);
	for (size_t i = 0; i < k && !x->stop; i++) {
		const struct reg_def *d = *order[i];

		if (link_unserved_any(x->l, d->fc, d->addr, d->addr + d->words - 1, 1)) {
			mark_unserved(x, d);
			continue;
		}
		if (n && d->addr > run_end(run, n) &&
		    link_unserved_any(x->l, d->fc, run_end(run, n), d->addr - 1, 0)) {
			read_run(x, run, n);
			n = 0;
		}
		run[n++] = d;
	}
	if (n && !x->stop)
		read_run(x, run, n);
	free(run);
	free(order);
}

int poll_execute(struct link *l, const struct poll_plan *p, struct reg_value *vals,
		 struct zcs_err *err)
{
	struct exec x = { l, p, vals, err, 0, 0 };

	for (size_t i = 0; i < p->ndefs; i++) {
		memset(&vals[i], 0, sizeof vals[i]);
		vals[i].def = p->defs[i];
	}
	for (size_t r = 0; r < p->nreqs && !x.stop; r++)
		execute_req(&x, &p->reqs[r]);
	return x.rc;
}
