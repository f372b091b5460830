/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Decoders for every register type: sign, scale, word order, ascii, bits,
 * enumerations, float32 done by hand, and the encoders' round trip. */
#include <stdlib.h>
#include <string.h>

#include "base/decode.h"
#include "tap.h"
#include "testmap.h"

static const char map_text[] =
	"map name=t layout=T\n"
	"reg u   addr=0x0010 type=u16 scale=0.1 unit=V conf=H\n"
	"reg s   addr=0x0011 type=s16 scale=0.01 unit=kW conf=H\n"
	"reg u32 addr=0x0012 type=u32 scale=0.1 unit=kWh conf=H\n"
	"reg s32 addr=0x0014 type=s32 conf=H\n"
	"reg sw  addr=0x0016 type=u32 order=cdab conf=H\n"
	"reg f   addr=0x0018 type=f32 unit=kW conf=H\n"
	"reg fsw addr=0x001A type=f32 order=cdab scale=0.1 unit=W conf=H\n"
	"reg txt addr=0x0020 type=ascii words=4 conf=H\n"
	"reg flt addr=0x0030 type=bits words=2 base=1 enum=flt conf=H\n"
	"reg st  addr=0x0040 type=u16 enum=st conf=H\n"
	"reg many addr=0x0050 type=bits words=2 base=990 conf=H\n"
	"enum flt 1 a \"first fault\" conf=H\n"
	"enum flt 18 b \"eighteenth\" conf=H\n"
	"enum st 2 on_grid \"on-grid\" conf=H\n";

static const struct reg_def *R(const struct regmap *m, const char *n)
{
	return regmap_find(m, n);
}

static void test_integers(const struct regmap *m)
{
	struct reg_value v;
	uint16_t w[2];
	char buf[64];

	decode_value(R(m, "u"), (uint16_t[]){ 2305 }, &v);
	is_num(v.num, 230.5, 1e-9, "u16 with scale 0.1: 2305 -> 230.5 V");
	is_str(value_format(&v, buf, sizeof buf), "230.5 V", "formatted with the scale's decimals");
	decode_value(R(m, "s"), (uint16_t[]){ 0xFF83 }, &v);
	is_num(v.num, -1.25, 1e-9, "s16 0xFF83 is -125 -> -1.25 kW (import)");
	is_int(v.raw_int, -125, "raw integer keeps the sign");
	decode_value(R(m, "u32"), (uint16_t[]){ 0x0001, 0x0002 }, &v);
	is_num(v.num, 6553.8, 1e-6, "u32 high word first: 0x00010002 * 0.1");
	decode_value(R(m, "s32"), (uint16_t[]){ 0xFFFF, 0xFFFE }, &v);
	is_num(v.num, -2, 0, "s32 0xFFFFFFFE is -2");
	decode_value(R(m, "sw"), (uint16_t[]){ 0x0002, 0x0001 }, &v);
	is_num(v.num, 65538, 0, "u32 order=cdab takes the low word first");
	ok(encode_value(R(m, "s"), -1.25, w, NULL) == 0 && w[0] == 0xFF83,
	   "s16 encodes -1.25 kW back to 0xFF83");
	ok(encode_value(R(m, "u"), 230.46, w, NULL) == 0 && w[0] == 2305,
	   "u16 encoding rounds to the scale");
	ok(encode_value(R(m, "u"), -1, w, NULL) < 0, "u16 refuses a negative value");
	ok(encode_value(R(m, "s"), 400, w, NULL) < 0, "s16 refuses 400 kW (out of type range)");
	ok(encode_value(R(m, "s32"), -70000, w, NULL) == 0 && w[0] == 0xFFFE && w[1] == 0xEE90,
	   "s32 encodes -70000 high word first");
}

static void test_floats(const struct regmap *m)
{
	struct reg_value v;
	uint16_t w[2];

	/* 1.5 = 0x3FC00000 */
	decode_value(R(m, "f"), (uint16_t[]){ 0x3FC0, 0x0000 }, &v);
	is_num(v.num, 1.5, 1e-9, "f32 ABCD 0x3FC00000 is 1.5");
	/* -1234.5 = 0xC49A5000; cdab puts 0x5000 first; scale 0.1 */
	decode_value(R(m, "fsw"), (uint16_t[]){ 0x5000, 0xC49A }, &v);
	is_num(v.num, -123.45, 1e-4, "f32 CDAB with scale 0.1: -1234.5 -> -123.45 W");
	encode_f32(-0.8f, w, 0);
	is_num(decode_f32(w, 0), -0.8, 1e-6, "encode_f32 and decode_f32 round trip");
	ok(encode_value(R(m, "f"), 2.25, w, NULL) == 0 && w[0] == 0x4010 && w[1] == 0,
	   "f32 encodes 2.25 as 0x40100000");
}

static void test_text_bits_enum(const struct regmap *m)
{
	struct reg_value v;
	uint16_t w[4];
	char buf[160];

	decode_value(R(m, "txt"), (uint16_t[]){ 0x5A4D, 0x3245, 0x5330, 0x0000 }, &v);
	is_str(v.text, "ZM2ES0", "ascii two characters a word, NULs dropped");
	encode_text(R(m, "txt"), "ZM2ES06", w);
	ok(w[0] == 0x5A4D && w[3] == 0x3600, "encode_text pads the last word with NUL");
	decode_value(R(m, "flt"), (uint16_t[]){ 0x0001, 0x0002 }, &v);
	is_int(v.num, 2, "bits: two items set");
	is_str(v.text, "ID001 first fault, ID018 eighteenth", "bits list the IDs with labels");
	ok(decode_bit(R(m, "flt"), (uint16_t[]){ 0x0000, 0x0002 }, 18),
	   "decode_bit: word 2 bit 1 is item 18 with base 1");
	ok(!decode_bit(R(m, "flt"), (uint16_t[]){ 0x0000, 0x0002 }, 17), "item 17 is clear");
	/* IDs 993..1009 fill the text exactly; ID1010 has no room left. */
	decode_value(R(m, "many"), (uint16_t[]){ 0xFFF8, 0x001F }, &v);
	is_int(v.num, 18, "bits: eighteen items set");
	ok(strlen(v.text) == sizeof v.text - 1 &&
	   strcmp(v.text + sizeof v.text - 4, "...") == 0,
	   "a bit list with no room for the last item ends in '...' (%s)", v.text);
	decode_value(R(m, "st"), (uint16_t[]){ 2 }, &v);
	is_str(value_format(&v, buf, sizeof buf), "on-grid (2)", "enum shows label and value");
	decode_value(R(m, "st"), (uint16_t[]){ 9 }, &v);
	is_str(v.text, "(not listed)", "an unlisted enum value says so");
	is_int(decode_decimals(0.01), 2, "scale 0.01 shows 2 decimals");
	is_int(decode_decimals(1), 0, "scale 1 shows none");
}

/* Words that mean "no value" never decode as a value. */
static void test_sentinels(const struct regmap *m)
{
	struct reg_value v;
	char buf[64];

	decode_value(R(m, "u"), (uint16_t[]){ 0xFFFF }, &v);
	ok(!v.ok && v.sentinel, "u16 0xFFFF (a PV string at 6553.5 V) is not a value");
	is_str(value_format(&v, buf, sizeof buf), "not available (0xFFFF)", "and says so");
	decode_value(R(m, "u"), (uint16_t[]){ 0xFFFE }, &v);
	ok(v.ok && !v.sentinel, "u16 0xFFFE is a value");
	decode_value(R(m, "s"), (uint16_t[]){ 0x7FFF }, &v);
	ok(!v.ok && v.sentinel, "s16 0x7FFF is not a value");
	decode_value(R(m, "s"), (uint16_t[]){ 0x8000 }, &v);
	ok(!v.ok && v.sentinel, "s16 0x8000 is not a value");
	decode_value(R(m, "s"), (uint16_t[]){ 0xFFFF }, &v);
	ok(v.ok && v.num < 0, "s16 0xFFFF is -1, a value");
	decode_value(R(m, "u32"), (uint16_t[]){ 0xFFFF, 0xFFFF }, &v);
	ok(!v.ok && v.sentinel, "u32 0xFFFFFFFF is not a value");
	decode_value(R(m, "s32"), (uint16_t[]){ 0x8000, 0x0000 }, &v);
	ok(!v.ok && v.sentinel, "s32 0x80000000 is not a value");
	decode_value(R(m, "s32"), (uint16_t[]){ 0x7FFF, 0xFFFF }, &v);
	ok(!v.ok && v.sentinel, "s32 0x7FFFFFFF is not a value");
	decode_value(R(m, "f"), (uint16_t[]){ 0x7FC0, 0x0000 }, &v);
	ok(!v.ok && v.sentinel, "f32 NaN is not a value");
	is_str(value_format(&v, buf, sizeof buf), "not available (not a number)", "and says so");
	decode_value(R(m, "f"), (uint16_t[]){ 0x7F80, 0x0000 }, &v);
	ok(!v.ok && v.sentinel, "f32 +infinity is not a value");
	decode_value(R(m, "fsw"), (uint16_t[]){ 0x0000, 0xFF80 }, &v);
	ok(!v.ok && v.sentinel, "f32 -infinity (cdab) is not a value");
	decode_value(R(m, "st"), (uint16_t[]){ 0xFFFF }, &v);
	ok(v.ok, "an enumeration at 0xFFFF is decoded as the enumeration says");
	decode_value(R(m, "txt"), (uint16_t[]){ 0x5A4D, 0xC332, 0x4500, 0x0000 }, &v);
	is_str(v.text, "ZM?2E", "non-ASCII bytes in a text read as '?', never dropped");
}

int main(void)
{
	struct zcs_err err = { 0 };
	struct regmap *m = testmap_load(map_text, &err, NULL);

	if (!ok(m != NULL, "the test map loads (%s)", err.msg))
		return tap_done();
	test_integers(m);
	test_floats(m);
	test_text_bits_enum(m);
	test_sentinels(m);
	regmap_free(m);
	return tap_done();
}
