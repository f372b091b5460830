/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The poll planner: fewest block reads, the 125-register limit, holes the
 * map marks unreadable, and never more requests than separate ranges. */
#include <stdlib.h>

#include "base/paths.h"
#include "base/poll.h"
#include "base/util.h"
#include "tap.h"
#include "testmap.h"

static const char map_text[] =
	"map name=t layout=T\n"
	"reg a addr=0x0100 type=u16 conf=H\n"
	"reg b addr=0x0101 type=u16 conf=H\n"
	"reg c addr=0x0105 type=u32 conf=H\n"         /* gap of 3 after b */
	"reg d addr=0x0140 type=u16 conf=H\n"         /* 58 words after c */
	"reg e addr=0x0179 type=u16 conf=H\n"         /* 0x100..0x179 = 122 words */
	"reg f addr=0x017E type=u16 conf=H\n"         /* would make 127 words */
	"reg g addr=0x0200 type=u16 conf=H\n"
	"reg h addr=0x0204 type=u16 conf=H\n"         /* hole between g and h */
	"reg i fc=4 addr=0x0201 type=u16 conf=H\n"    /* other function code */
	"unreadable from=0x0202 to=0x0202 note=\"answers exception 02\"\n";

static struct poll_plan plan_of(const struct regmap *m, const char *const *names, size_t n,
				unsigned gap)
{
	struct poll_plan p;

	poll_plan_build(m, names, n, gap, &p, NULL);
	return p;
}

static void test_merging(const struct regmap *m)
{
	const char *ab[] = { "a", "b" }, *abc[] = { "a", "b", "c" };
	const char *dup[] = { "a", "a", "b" }, *ad[] = { "a", "d" };
	struct poll_plan p;

	p = plan_of(m, ab, 2, 0);
	ok(p.nreqs == 1 && p.reqs[0].addr == 0x100 && p.reqs[0].count == 2,
	   "two adjacent registers: one read of 2");
	is_int(p.nranges, 1, "adjacent registers form one range");
	poll_plan_free(&p);
	p = plan_of(m, abc, 3, 0);
	is_int(p.nreqs, 2, "gap of 3 with max_gap 0: two reads");
	is_int(p.nranges, 2, "two separate ranges");
	poll_plan_free(&p);
	p = plan_of(m, abc, 3, 16);
	ok(p.nreqs == 1 && p.reqs[0].count == 7, "gap of 3 with max_gap 16: one read 0x100+7");
	poll_plan_free(&p);
	p = plan_of(m, dup, 3, 0);
	ok(p.ndefs == 2 && p.nreqs == 1, "a name asked twice is read once");
	poll_plan_free(&p);
	p = plan_of(m, ad, 2, 16);
	is_int(p.nreqs, 2, "a gap of 63 words is not merged with max_gap 16");
	poll_plan_free(&p);
}

static void test_limits(const struct regmap *m)
{
	const char *ae[] = { "a", "e" }, *af[] = { "a", "e", "f" }, *gh[] = { "g", "h" };
	const char *gi[] = { "g", "i" };
	struct poll_plan p;

	p = plan_of(m, ae, 2, 200);
	ok(p.nreqs == 1 && p.reqs[0].count == 122, "0x100..0x179 fits one read of 122");
	poll_plan_free(&p);
	p = plan_of(m, af, 3, 200);
	ok(p.nreqs == 2 && p.reqs[0].count <= POLL_MAX_READ && p.reqs[1].addr == 0x17E,
	   "one more register past 125 words starts a second read");
	poll_plan_free(&p);
	p = plan_of(m, gh, 2, 16);
	is_int(p.nreqs, 2, "never reads across an unreadable address");
	poll_plan_free(&p);
	p = plan_of(m, gi, 2, 16);
	ok(p.nreqs == 2 && p.reqs[0].fc != p.reqs[1].fc, "FC 3 and FC 4 are never merged");
	poll_plan_free(&p);
}

static void test_errors(const struct regmap *m)
{
	const char *bad[] = { "a", "nonesuch" };
	struct zcs_err err = { 0 };
	struct poll_plan p;

	ok(poll_plan_build(m, bad, 2, 0, &p, &err) < 0, "an unknown name is refused");
	has_str(err.msg, "nonesuch", "the message names the unknown value");
	is_int(err.code, ZCS_DATA, "as a data error");
}

/* For the snapshot probe shows, requests never exceed separate ranges. */
static void test_g3_snapshot(void)
{
	struct zcs_err err = { 0 };
	struct regmap *g3 = regmap_open("g3", &err);
	const char *names[] = { "system_state", "fault_words", "grid_frequency", "grid_voltage",
		"grid_power", "inverter_power", "load_power", "pv1_voltage", "pv1_power",
		"pv2_power", "pv_power", "bat_voltage", "bat_power", "bat_soc", "insulation" };
	struct poll_plan p;

	if (!ok(g3 != NULL, "the shipped g3 map loads (%s)", err.msg))
		return;
	poll_plan_build(g3, names, ZCS_ARRAY_LEN(names), POLL_DEFAULT_GAP, &p, &err);
	ok(p.nreqs <= p.nranges, "g3 snapshot: %zu reads for %zu separate ranges", p.nreqs,
	   p.nranges);
	for (size_t i = 0; i < p.nreqs; i++)
		ok(p.reqs[i].count >= 1 && p.reqs[i].count <= POLL_MAX_READ,
		   "read %zu at 0x%04X takes %u registers", i, p.reqs[i].addr, p.reqs[i].count);
	poll_plan_free(&p);
	regmap_free(g3);
}

int main(void)
{
	struct zcs_err err = { 0 };
	struct regmap *m = testmap_load(map_text, &err, NULL);

	if (!ok(m != NULL, "the test map loads (%s)", err.msg))
		return tap_done();
	test_merging(m);
	test_limits(m);
	test_errors(m);
	regmap_free(m);
	test_g3_snapshot();
	return tap_done();
}
