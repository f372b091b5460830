/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The G3 facts the vendor's protocol (Modbus-G3 V1.38) corrects, checked
 * with the raw words it specifies: the country word (Italy 001-000 is
 * 0x0100, the applied set at its own place), the 8-word serial read whole
 * with characters 17-20 apart, the rated power, the PCC device codes, the
 * fault IDs that disagree with the community integrations, and the source
 * note every register carries. */
#include <stdio.h>
#include <string.h>

#include "base/decode.h"
#include "base/kb.h"
#include "base/regmap.h"
#include "base/util.h"
#include "engine/fn.h"
#include "tap.h"

static void test_country_word(const struct regmap *m)
{
	const struct reg_def *shown = regmap_find(m, "country_code");
	const struct reg_def *applied = regmap_find(m, "country_applied");
	struct reg_value v;

	is_int(kb_country_word("001-000"), 0x0100, "001-000 (Italy, the guide's 15.1 screen) is the word 0x0100");
	is_int(kb_country_word("000-000"), 0x0000, "000-000 is 0x0000");
	is_int(kb_country_word("012-003"), 0x0C03, "country 12 region 3 is 0x0C03: high byte country, low byte region");
	is_int(kb_country_word("1"), -1, "a bare legacy code (Italy = 1) is no pair");
	is_int(kb_country_word("256-000"), -1, "a country above 255 does not fit the high byte");
	is_int(kb_country_word("001-000x"), -1, "trailing text is refused");
	if (!ok(shown && applied, "g3.map has the shown and the applied country"))
		return;
	ok(shown->addr + 10 == applied->addr, "the applied set sits 10 words after the shown one");
	decode_value(shown, (uint16_t[]){ 0x0100 }, &v);
	is_num(v.num, 256, 0, "the word 0x0100 read at the shown country decodes to 256, not 1");
	decode_value(applied, (uint16_t[]){ 0x0100 }, &v);
	is_num(v.num, 256, 0, "and the same at the applied set");
}

static void test_serial(const struct regmap *m)
{
	const struct reg_def *s = regmap_find(m, "serial");
	const struct reg_def *x = regmap_find(m, "serial_ext");
	/* "ZM2ES060M2G26516", 16 characters, as the unit sends them */
	const uint16_t words[8] = { 0x5A4D, 0x3245, 0x5330, 0x3630, 0x4D32, 0x4732, 0x3635, 0x3136 };
	const uint16_t ext[2] = { 0x3137, 0x3839 };   /* "1789" */
	uint16_t back[8];
	struct reg_value v;

	if (!ok(s && x, "g3.map has both serial parts"))
		return;
	is_int(s->words, 8, "serial: 8 words, characters 1-16");
	is_int(x->words, 2, "serial_ext: 2 words, characters 17-20");
	decode_value(s, words, &v);
	is_str(v.text, "ZM2ES060M2G26516", "a 16-character serial is read whole from its 8 words");
	decode_value(x, (uint16_t[]){ 0, 0 }, &v);
	is_str(v.text, "", "zero words at characters 17-20: nothing to add");
	decode_value(x, ext, &v);
	is_str(v.text, "1789", "characters 17-20 decode on their own");
	encode_text(s, "ZM2ES060M2G26516", back);
	ok(!memcmp(back, words, sizeof back), "and the encoder sends the same 8 words");
}

static void test_other_facts(const struct regmap *m)
{
	const struct reg_def *r;
	const struct reg_enum_item *it;
	struct reg_value v;

	r = regmap_find(m, "rated_power");
	if (ok(r != NULL, "rated power is in the map")) {
		decode_value(r, (uint16_t[]){ 60 }, &v);
		is_num(v.num, 6.0, 1e-9, "rated power: the word 60 is 6.0 kW (U16, 0.1 kW)");
	}
	r = regmap_find(m, "pcc_sample_mode");
	ok(r && r->enm && (it = regmap_enum_item(r->enm, 1)) && !strcmp(it->key, "meter"),
	   "PCC device 1 is the meter");
	ok(r && r->enm && (it = regmap_enum_item(r->enm, 2)) && !strcmp(it->key, "ct"),
	   "PCC device 2 is the CT");
	ok(r && r->enm && !regmap_enum_item(r->enm, 0), "PCC device 0 means nothing in V1.38");
	r = regmap_find(m, "parallel_enable");
	ok(r && r->writable && r->max == 2, "parallel enable takes 0-2 (2: AC + battery parallel)");
	r = regmap_find(m, "fault_words");
	it = r ? regmap_enum_item(r->enm, 105) : NULL;
	ok(it && !strcmp(it->key, "meter_comm") && strstr(it->label, "communication"),
	   "ID105 is the meter communication error");
	it = r ? regmap_enum_item(r->enm, 176) : NULL;
	ok(it && it->conf == 'L' && strstr(it->label, "heating film") && strstr(it->label, "meter"),
	   "ID176 keeps both readings, marked L");
	ok(r && !regmap_enum_item(r->enm, 126), "ID126 (N/A in V1.38) is not given a text");
	{
		const char *ro[] = { "bat_input", "bat_address", "bat_protocol", "bat_overvoltage",
			"bat_charge_voltage", "bat_undervoltage", "bat_discharge_voltage",
			"bat_charge_current", "bat_discharge_current", "bat_capacity",
			"bat_nominal_voltage", "bat_cell_type", "bat_address_2", "bat_address_3",
			"bat_address_4" };
		int n = 0;

		for (size_t i = 0; i < ZCS_ARRAY_LEN(ro); i++) {
			r = regmap_find(m, ro[i]);
			n += r && !r->writable && r->group >= 0;
		}
		is_int(n, (long)ZCS_ARRAY_LEN(ro), "the battery block registers no step writes are read only");
	}
}

static void test_sources(const struct regmap *m)
{
	size_t missing = 0, official = 0;

	for (size_t i = 0; i < m->nregs; i++) {
		const char *src = m->regs[i].src;

		if (!src || !*src) {
			printf("# no src= on %s\n", m->regs[i].name);
			missing++;
		} else if (strstr(src, "G3 ")) {
			official++;
		}
	}
	is_int(missing, 0, "every g3.map register says where it comes from");
	is_int(official, m->nregs, "and every one cites the official protocol's section");
}

static void test_fn(void)
{
	struct expr_val a[2] = { 0 }, out = { 0 };
	char why[256];
	struct zcs_err err = { 0 };

	if (!ok(fn_open(&err) == 0, "the knowledge catalogue loads (%s)", err.msg))
		return;
	a[0].type = a[1].type = EXPR_STR;
	zcs_strlcpy(a[0].str, "it", sizeof a[0].str);
	zcs_strlcpy(a[1].str, "code", sizeof a[1].str);
	ok(fn_call("country", a, 2, &out, why, sizeof why) == EXPR_OK && out.num == 0x0100,
	   "country('it','code') is 0x0100, the word Italy's unit holds");
	zcs_strlcpy(a[0].str, "de", sizeof a[0].str);
	ok(fn_call("country", a, 2, &out, why, sizeof why) == EXPR_UNKNOWN,
	   "Germany's G3 pair is in no source: not known, not guessed (%s)", why);
	a[0].type = EXPR_NUM;
	a[0].num = 0x0100;
	ok(fn_call("country_pair", a, 1, &out, why, sizeof why) == EXPR_OK &&
	   !strcmp(out.str, "001-000"), "country_pair(0x0100) shows 001-000 as the display does");
	a[0].type = EXPR_STR;
	zcs_strlcpy(a[0].str, "HYD3600-ZSS-HP", sizeof a[0].str);
	ok(fn_call("model_power", a, 1, &out, why, sizeof why) == EXPR_OK && out.num == 3600,
	   "model_power('HYD3600-ZSS-HP') is 3600 W");
	zcs_strlcpy(a[0].str, "HYD9000-ZSS-HP", sizeof a[0].str);
	ok(fn_call("model_power", a, 1, &out, why, sizeof why) == EXPR_ERROR &&
	   strstr(why, "not in data/models.conf"), "an unknown model says where models live");
	fn_close();
}

int main(void)
{
	struct zcs_err err = { 0 };
	struct regmap *m = regmap_open("g3", &err);

	if (!ok(m != NULL, "g3.map loads (%s)", err.msg))
		return tap_done();
	test_country_word(m);
	test_serial(m);
	test_other_facts(m);
	test_sources(m);
	regmap_free(m);
	test_fn();
	return tap_done();
}
