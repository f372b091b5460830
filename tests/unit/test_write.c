/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The write whitelist, judged without a device: access=rw, min..max on the
 * value as it will be sent (rounded to the register's step), one group. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/decode.h"
#include "engine/write.h"
#include "tap.h"
#include "testmap.h"

static const char map_text[] =
	"map name=t layout=T\n"
	"reg dod  addr=0x0010 type=u16 access=rw min=10 max=90 unit=% conf=H\n"
	"reg volt addr=0x0011 type=u16 scale=0.1 access=rw min=40 max=58.4 unit=V conf=H\n"
	"reg ro   addr=0x0012 type=u16 min=0 max=100 conf=H\n"
	"reg ga   addr=0x0020 type=u16 access=rw min=0 max=9 group=g conf=H\n"
	"reg gb   addr=0x0021 type=u16 access=rw min=1 max=1 group=g conf=H\n"
	"group g addr=0x0020 words=2 commit=gb commit_value=1 conf=H\n"
	"group blk addr=0x0030 words=5 commit=bc commit_value=1 conf=H\n"
	"reg bsel addr=0x0030 type=u16 group=blk conf=L\n"
	"reg bprot addr=0x0031 type=u16 access=rw min=0 max=12 group=blk conf=H\n"
	"reg bvolt addr=0x0032 type=u16 scale=0.1 unit=V access=rw min=40 max=60 group=blk conf=H\n"
	"reg bdod addr=0x0033 type=u16 unit=% access=rw min=1 max=90 group=blk conf=H\n"
	"reg bc addr=0x0034 type=u16 access=rw min=1 max=1 group=blk conf=H\n"
	"reg btemp addr=0x0040 type=s16 conf=H\n";

/* A plan of the block with DoD -> 80 over the words `before`. */
static int plan(const struct regmap *m, const uint16_t *before, struct write_plan *p,
		struct zcs_err *err)
{
	memset(p, 0, sizeof *p);
	p->slave = 1;
	p->name = "blk";
	p->group = regmap_group(m, "blk");
	p->commit = regmap_find(m, "bc");
	p->addr = 0x30;
	p->words = 5;
	memcpy(p->before, before, 5 * sizeof *before);
	p->t[0] = (struct write_target){ regmap_find(m, "bdod"), 80 };
	p->n = 1;
	return write_build(m, p, err);
}

static int check(const struct regmap *m, const char *name, double v, struct zcs_err *err)
{
	struct write_target t = { regmap_find(m, name), v };

	return write_check(m, &t, 1, err);
}

int main(void)
{
	struct zcs_err err = { 0 };
	struct regmap *m = testmap_load(map_text, &err, NULL);

	if (!ok(m != NULL, "the test map loads (%s)", err.msg))
		return tap_done();
	ok(check(m, "dod", 90, &err) == 0, "DoD 90 (the maximum) is allowed");
	ok(check(m, "dod", 90.4, &err) == 0, "DoD 90.4 is sent as 90: allowed");
	ok(check(m, "dod", 90.5, &err) != 0, "DoD 90.5 would be sent as 91: refused");
	is_int(err.code, ZCS_REFUSED, "  as refused");
	ok(check(m, "dod", 9.5, &err) == 0, "DoD 9.5 is sent as 10: allowed");
	ok(check(m, "dod", 9.4, &err) != 0, "DoD 9.4 would be sent as 9: refused");
	ok(check(m, "volt", 58.4, &err) == 0, "58.4 V with a 0.1 V step is allowed");
	ok(check(m, "volt", 58.46, &err) != 0, "58.46 V would be sent as 58.5: refused");
	ok(check(m, "ro", 5, &err) != 0, "a register without access=rw is refused");
	has_str(err.msg, "not writable", "  saying it is not writable");

	struct write_target two[2] = { { regmap_find(m, "ga"), 3 }, { regmap_find(m, "dod"), 50 } };
	ok(write_check(m, two, 2, &err) != 0, "targets of different groups in one write: refused");
	two[1] = (struct write_target){ regmap_find(m, "gb"), 1 };
	ok(write_check(m, two, 2, &err) == 0, "two targets of one group: allowed");
	ok(check(m, "dod", NAN, &err) != 0, "DoD NaN: refused");
	has_str(err.msg, "not a finite number", "  as not a finite number");
	ok(check(m, "dod", INFINITY, &err) != 0, "DoD infinity: refused");

	/* the whole span */
	struct write_plan p;
	const uint16_t good[5] = { 0, 2, 500, 90, 0 };
	ok(plan(m, good, &p, &err) == 0, "a plausible block read: the plan is built (%s)", err.msg);
	ok(p.changes, "  DoD 90 -> 80 is a change");
	is_int(p.sent[3], 80, "  DoD sent as 80");
	is_int(p.sent[4], 1, "  the commit register sent as 1");
	is_int(p.sent[0], 0, "  the unknown word sent back as read");
	char hex[200];
	is_str(write_frame_hex(&p, hex, sizeof hex),
	       "01 10 00 30 00 05 0A 00 00 00 02 01 F4 00 50 00 01",
	       "the frame: slave, 0x10, address, quantity, byte count, the five values");
	struct write_line lines[8];
	size_t nl = write_lines(m, &p, lines, 8);
	is_int(nl, 5, "every register of the span is listed");
	ok(lines[3].changed && lines[3].target && strstr(lines[3].before, "90") &&
	   strstr(lines[3].sent, "80"), "  DoD 90 -> 80 (%s -> %s)", lines[3].before, lines[3].sent);
	ok(lines[4].commit && lines[4].changed, "  the commit register is marked");
	ok(!lines[1].changed && !lines[2].changed, "  the others are sent back unchanged");

	const uint16_t garbage[5] = { 0, 255, 0, 90, 0 };
	ok(plan(m, garbage, &p, &err) != 0 && err.code == ZCS_REFUSED,
	   "battery protocol 255 read back: the write is refused");
	has_str(err.msg, "bprot reads 255", "  naming the register and the value read");
	has_str(err.msg, "nothing is sent", "  saying nothing is sent");
	const uint16_t volts[5] = { 0, 2, 65535, 90, 0 };
	ok(plan(m, volts, &p, &err) != 0, "6553.5 V read back: refused");
	has_str(err.msg, "bvolt reads 6553.5 V", "  naming it (%s)", err.msg);
	const uint16_t sentinel[5] = { 0xFFFF, 2, 500, 90, 0 };
	ok(plan(m, sentinel, &p, &err) != 0, "a sentinel 0xFFFF in a register without a range: refused");
	has_str(err.msg, "bsel reads 65535 [0xFFFF], a \"no value\" sentinel", "  naming it");
	const uint16_t s16[1] = { 0x8000 };
	ok(decode_is_sentinel(regmap_find(m, "btemp"), s16), "0x8000 is a sentinel of an s16");
	const uint16_t minus1[1] = { 0xFFFF };
	ok(!decode_is_sentinel(regmap_find(m, "btemp"), minus1), "0xFFFF (-1) is not, for an s16");

	/* the deny list holds even for a request built by hand */
	memset(&p, 0, sizeof p);
	p.slave = 1;
	p.name = "by hand";
	p.addr = 0x2005;
	p.words = 2;
	p.t[0] = (struct write_target){ regmap_find(m, "dod"), 50 };
	p.n = 1;
	ok(write_build(m, &p, &err) != 0 && err.code == ZCS_REFUSED,
	   "a request spanning the factory reset is refused whatever the map says");
	has_str(err.msg, "never writes", "  saying it is never written (%s)", err.msg);

	is_str(write_commit_status(0xFFFE), "operation failed, parameter storage failed",
	       "commit status 0xFFFE is named as the protocol names it");
	is_str(write_commit_status(0xFFFB), "operation failed, controller refused to respond",
	       "commit status 0xFFFB too");
	ok(write_commit_status(0x1234) == NULL, "a status the protocol does not list has no name");
	regmap_free(m);
	return tap_done();
}
