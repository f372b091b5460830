/* SPDX-License-Identifier: GPL-3.0-or-later */
/* linkduo HOST:PORT NAME
 * Two links to the same TCP server, as two programs on one HUB port:
 * A reads NAME (g3 map), B connects and reads, then A reads again.  Prints
 * one line per read ("A ok 12.3", "B ok ...", "A ok|fail: message") and
 * A's transaction count, which shows whether A had to reconnect. */
#include <stdio.h>
#include <string.h>

#include "base/decode.h"
#include "base/link.h"
#include "base/regmap.h"

static void one(const char *who, struct link *l, const struct reg_def *d)
{
	uint16_t w[REG_MAX_WORDS];
	struct zcs_err err = { 0 };
	struct reg_value v;

	if (link_read(l, d->fc, d->addr, d->words, w, &err) < 0) {
		printf("%s fail: %s\n", who, err.msg);
		return;
	}
	decode_value(d, w, &v);
	printf("%s ok %g\n", who, v.num);
}

int main(int argc, char **argv)
{
	struct zcs_err err = { 0 };
	struct link_params p;
	struct link *a, *b;
	struct regmap *m;
	const struct reg_def *d;

	if (argc != 3) {
		fprintf(stderr, "usage: linkduo HOST:PORT NAME\n");
		return 2;
	}
	link_params_default(&p);
	if (link_params_option(&p, "--tcp", argv[1], &err) < 0 || !(m = regmap_open("g3", &err)) ||
	    !(d = regmap_find(m, argv[2]))) {
		fprintf(stderr, "linkduo: %s\n", *err.msg ? err.msg : "unknown register");
		return 2;
	}
	if (link_open(&p, &a, &err) < 0) {
		fprintf(stderr, "linkduo: %s\n", err.msg);
		return 3;
	}
	one("A", a, d);
	if (link_open(&p, &b, &err) < 0) {
		fprintf(stderr, "linkduo: %s\n", err.msg);
		return 3;
	}
	one("B", b, d);
	one("A", a, d);
	printf("A transactions %lu\n", link_stats_of(a)->transactions);
	link_close(a);
	link_close(b);
	regmap_free(m);
	return 0;
}
