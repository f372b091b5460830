/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_panel: what the wizard's power-flow panel costs on the wire.
 * The panel's registers (data/snapshots.conf, "panel") ride along with
 * every step's reads: for each step that reads the device, the requests
 * of one poll without the panel and with it merged, and what reading the
 * panel on its own between checks takes, with the wire time at 9600 8N1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/lex.h"
#include "base/link.h"
#include "base/paths.h"
#include "base/poll.h"
#include "base/util.h"
#include "engine/engine.h"

/* The panel's register names, from data/snapshots.conf. */
static size_t panel_names(char names[][48], size_t max)
{
	char *path = paths_data_file("snapshots.conf");
	struct zcs_err err = { 0 };
	struct lex_file lf;
	struct lex_line ln;
	size_t n = 0;

	if (lex_open(&lf, path, &err) < 0) {
		fprintf(stderr, "bench_panel: %s\n", err.msg);
		exit(1);
	}
	free(path);
	while (lex_next(&lf, &ln, &err) > 0)
		for (int i = 1; !strcmp(ln.tok[0].val, "panel") && i < ln.n && n < max; i++)
			if (ln.tok[i].key) {
				zcs_strlcpy(names[n], ln.tok[i].val, sizeof names[n]);
				names[n][strcspn(names[n], ":")] = 0;
				n++;
			}
	lex_close(&lf);
	return n;
}

int main(void)
{
	char names[16][48];
	const char *p[16];
	size_t n = panel_names(names, 16), steps = 0, alone = 0, merged = 0, more = 0;
	struct eng_config cfg = { 0 };
	struct zcs_err err = { 0 };
	struct link_params lp;
	struct poll_plan own;
	struct engine *e;

	link_params_default(&lp);
	for (size_t i = 0; i < n; i++)
		p[i] = names[i];
	if (!(e = engine_new(&cfg, &err))) {
		fprintf(stderr, "bench_panel: %s\n", err.msg);
		return 1;
	}
	engine_watch(e, p, n);
	for (size_t i = 0; i < engine_nsteps(e); i++) {
		size_t a = 0, m = 0;

		if (engine_plan_cost(e, (int)i, &a, &m, &err) < 0) {
			fprintf(stderr, "bench_panel: %s\n", err.msg);
			return 1;
		}
		if (!a)
			continue;
		steps++;
		alone += a;
		merged += m;
		more += m > a;
	}
	{
		struct regmap *m = regmap_open("g3", &err);
		unsigned long long bytes = 0;

		if (!m || poll_plan_build(m, p, n, POLL_DEFAULT_GAP, &own, &err) < 0) {
			fprintf(stderr, "bench_panel: %s\n", err.msg);
			return 1;
		}
		for (size_t i = 0; i < own.nreqs; i++)
			bytes += 13 + 2ull * own.reqs[i].count;
		printf("between checks the panel alone: %zu requests a poll, %.1f ms on the wire "
		       "at %d baud\n", own.nreqs, link_frame_ms(&lp, bytes, 2 * own.nreqs), lp.baud);
		poll_plan_free(&own);
		regmap_free(m);
	}
	printf("power-flow panel: %zu registers (", n);
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? " " : "", names[i]);
	printf(")\n");
	printf("%zu steps read the device: %zu requests a poll in all without the panel, %zu "
	       "with it merged (+%zu; %zu steps need an extra request)\n", steps, alone, merged,
	       merged - alone, more);
	printf("mean per poll: %.2f -> %.2f requests, +%.1f ms on the wire at %d baud "
	       "(a request of 3 registers)\n", steps ? (double)alone / steps : 0,
	       steps ? (double)merged / steps : 0,
	       steps ? link_frame_ms(&lp, 19ull, 2) * (double)(merged - alone) / steps : 0, lp.baud);
	engine_free(e);
	return 0;
}
