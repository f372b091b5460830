/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_plan: what the poll planner costs and saves.
 * For every register of each shipped map: separate ranges, the reads the
 * planner issues, bytes on the wire and the wire time at 9600 8N1, against
 * reading one value per request; then the planner's own CPU time per plan.
 * Wire times hold the bytes and the two 3.5-character silences of each
 * request.  No step polls a whole map: the procedure's own figures are in
 * bench-run. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/link.h"
#include "base/poll.h"
#include "base/util.h"

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* RTU bytes of one FC 3/4 read of n registers: 8 request, 5 + 2n reply. */
static unsigned long long read_bytes(unsigned n)
{
	return 8 + 5 + 2ull * n;
}

static void report(const char *what, const struct regmap *m, const struct reg_def *const *defs,
		   size_t n, const struct link_params *lp)
{
	unsigned long long one_by_one = 0, planned = 0, nplanned;
	struct poll_plan plan;
	const int reps = 20000;
	double t0, t1;

	for (size_t i = 0; i < n; i++)
		one_by_one += read_bytes(defs[i]->words);
	poll_plan_defs(m, defs, n, POLL_DEFAULT_GAP, &plan);
	for (size_t i = 0; i < plan.nreqs; i++)
		planned += read_bytes(plan.reqs[i].count);
	nplanned = plan.nreqs;
	t0 = cpu_ms();
	for (int i = 0; i < reps; i++) {
		struct poll_plan q;

		poll_plan_defs(m, defs, n, POLL_DEFAULT_GAP, &q);
		poll_plan_free(&q);
	}
	t1 = cpu_ms();
	printf("%-18s %6zu %6zu %5zu %7llu %10.1f %9.1f %8.2f\n", what, n, plan.nranges,
	       plan.nreqs, planned, link_frame_ms(lp, one_by_one, 2 * n), link_frame_ms(lp, planned, 2 * nplanned),
	       (t1 - t0) * 1000 / reps);
	poll_plan_free(&plan);
}

int main(void)
{
	const char *maps[] = { "g3", "hyd-es", "ddsu666", "dtsu666" };
	struct link_params lp;

	link_params_default(&lp);
	printf("poll planner over whole maps (no step reads one: see bench-run), RTU framing at "
	       "%d %d%c%d\n", lp.baud, lp.data_bits, lp.parity, lp.stop_bits);
	printf("%-18s %6s %6s %5s %7s %10s %9s %8s\n", "map", "values", "ranges", "reads", "bytes",
	       "1-by-1 ms", "plan ms", "plan us");
	for (size_t k = 0; k < ZCS_ARRAY_LEN(maps); k++) {
		struct zcs_err err = { 0 };
		struct regmap *m = regmap_open(maps[k], &err);
		const struct reg_def **defs;

		if (!m) {
			fprintf(stderr, "bench_plan: %s\n", err.msg);
			return 1;
		}
		defs = xcalloc(m->nregs, sizeof *defs);
		for (size_t i = 0; i < m->nregs; i++)
			defs[i] = &m->regs[i];
		report(maps[k], m, defs, m->nregs, &lp);
		free(defs);
		regmap_free(m);
	}
	printf("1-by-1 ms: wire time reading one value per request; plan ms: the planned "
	       "reads; plan us: CPU per plan\n");
	return 0;
}
