/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The register-map loader: every shipped map loads, and each class of error
 * names the file and the line. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/regmap.h"
#include "base/util.h"
#include "tap.h"
#include "testmap.h"

#define HEAD "map name=t layout=T\n"

struct bad_case {
	const char *what;
	const char *text;
	int line;
	const char *says;
};

static const struct bad_case cases[] = {
	{ "unknown type", HEAD "reg a addr=1 type=u61 conf=H\n", 2, "unknown type 'u61'" },
	{ "duplicate name", HEAD "reg a addr=1 type=u16 conf=H\nreg a addr=2 type=u16 conf=H\n",
	  3, "duplicate register name 'a'" },
	{ "overlap", HEAD "reg a addr=1 type=u32 conf=H\nreg b addr=2 type=u16 conf=H\n", 3,
	  "overlaps 'a'" },
	{ "bad number", HEAD "reg a addr=0x1G type=u16 conf=H\n", 2, "addr=0x1G is not a whole number" },
	{ "bad scale", HEAD "reg a addr=1 type=u16 scale=zero conf=H\n", 2, "scale=zero is not a finite number" },
	{ "address range", HEAD "reg a addr=0x10000 type=u16 conf=H\n", 2, "outside 0..0xFFFF" },
	{ "missing confidence", HEAD "reg a addr=1 type=u16\n", 2, "conf= is missing" },
	{ "bad confidence", HEAD "reg a addr=1 type=u16 conf=X\n", 2, "confidence must be H, M or L" },
	{ "unknown key", HEAD "reg a addr=1 type=u16 conf=H colour=red\n", 2, "unknown key 'colour'" },
	{ "writable without range", HEAD "reg a addr=1 type=u16 access=rw conf=H\n", 2,
	  "needs min= and max=" },
	{ "incomplete write group",
	  HEAD "group g addr=1 words=3 commit=c commit_value=1 conf=H\n"
	       "reg a addr=1 type=u16 access=rw min=0 max=9 group=g conf=H\n"
	       "reg c addr=3 type=u16 access=rw min=1 max=1 group=g conf=H\n",
	  2, "write group g is incomplete: address 0x0002" },
	{ "commit outside group",
	  HEAD "group g addr=1 words=1 commit=c commit_value=1 conf=H\n"
	       "reg a addr=1 type=u16 access=rw min=0 max=9 group=g conf=H\n"
	       "reg c addr=3 type=u16 access=rw min=1 max=1 conf=H\n",
	  2, "commit register 'c' is not in the group" },
	{ "unknown group", HEAD "reg a addr=1 type=u16 group=nope conf=H\n", 2,
	  "group 'nope' is not defined" },
	{ "unknown enum", HEAD "reg a addr=1 type=u16 enum=nope conf=H\n", 2,
	  "enum 'nope' is not defined" },
	{ "enum value not listed",
	  HEAD "reg a addr=1 type=u16 enum=e access=rw min=0 max=2 conf=H\n"
	       "enum e 0 off \"off\" conf=H\nenum e 1 on \"on\" conf=H\n",
	  2, "max 2 of 'a' is not listed in enum e" },
	{ "enum value twice", HEAD "enum e 0 off \"off\" conf=H\nenum e 0 zero \"zero\" conf=H\n", 3,
	  "lists value 0 twice" },
	{ "unclosed quote", HEAD "reg a addr=1 type=u16 conf=H note=\"oops\n", 2,
	  "quoted string is not closed" },
	{ "unknown line", HEAD "register a addr=1\n", 2, "unknown line 'register'" },
	{ "no map line", "reg a addr=1 type=u16 conf=H\n", 1, "no 'map name=" },
	{ "unreadable over a register", HEAD "reg a addr=5 type=u16 conf=H\nunreadable from=4 to=6\n",
	  3, "unreadable range covers register 'a'" },
	{ "wrong word count", HEAD "reg a addr=1 type=u32 words=3 conf=H\n", 2, "takes two words" },
	{ "factory reset writable",
	  HEAD "reg dod addr=0x104D type=u16 access=rw min=1 max=90 conf=H\n"
	       "reg factory_reset addr=0x2006 type=u16 access=rw min=0 max=7 conf=H\n",
	  3, "is the user-data (factory) reset, which this tool never writes" },
	{ "RS485 address writable", HEAD "reg addr485 addr=0x100B type=u16 access=rw min=1 max=247 conf=H\n",
	  2, "the RS485 block" },
	{ "protocol pairing writable", HEAD "reg pair addr=0x200D type=u16 access=rw min=0 max=5 conf=H\n",
	  2, "protocol pairing" },
	{ "firmware upgrade writable", HEAD "reg up addr=0x203E type=u16 access=rw min=0 max=255 conf=H\n",
	  2, "upgrade" },
	{ "group spanning the country",
	  HEAD "group g addr=0x2003 words=2 conf=H\n"
	       "reg a addr=0x2003 type=u16 access=rw min=0 max=9 group=g conf=H\n"
	       "reg country addr=0x2004 type=u16 group=g conf=H\n",
	  2, "write group g spans the safety country and version" },
	{ "bound nan", HEAD "reg a addr=1 type=u16 access=rw min=nan max=9 conf=H\n", 2,
	  "min=nan is not a finite number" },
	{ "bound inf", HEAD "reg a addr=1 type=u16 access=rw min=0 max=inf conf=H\n", 2,
	  "max=inf is not a finite number" },
};

static void test_bad(const struct bad_case *c)
{
	struct zcs_err err = { 0 };
	char *path, want[512];
	struct regmap *m = testmap_load(c->text, &err, &path);

	snprintf(want, sizeof want, "%s:%d: ", path, c->line);
	ok(m == NULL && err.code == ZCS_DATA, "%s is refused", c->what);
	ok(strncmp(err.msg, want, strlen(want)) == 0, "%s names file and line %d", c->what,
	   c->line);
	has_str(err.msg, c->says, "%s says what is wrong", c->what);
	regmap_free(m);
	unlink(path);
	free(path);
}

static void test_shipped(void)
{
	const char *maps[] = { "g3", "hyd-es", "ddsu666", "dtsu666" };

	for (size_t i = 0; i < ZCS_ARRAY_LEN(maps); i++) {
		struct zcs_err err = { 0 };
		struct regmap *m = regmap_open(maps[i], &err);

		ok(m != NULL, "data/maps/%s.map loads (%s)", maps[i], err.msg);
		regmap_free(m);
	}
}

static void test_g3_facts(void)
{
	struct regmap *m = regmap_open("g3", NULL);
	const struct reg_def *r;
	const struct reg_group *g;

	if (!ok(m != NULL, "g3 loads"))
		return;
	r = regmap_find(m, "grid_power");
	ok(r && r->addr == 0x0488 && r->type == REG_S16 && r->scale == 0.01,
	   "grid_power: 0x0488 s16 0.01 kW");
	r = regmap_find(m, "bat_dod");
	g = r ? regmap_group_of(m, r) : NULL;
	ok(g && g->words == 24 && g->addr == 0x1044,
	   "bat_dod belongs to the 24-word battery block (protocol V1.38)");
	ok(g && g->commit && strcmp(g->commit, "bat_commit") == 0 && g->commit_value == 1,
	   "the battery block commits with bat_commit = 1");
	ok(r && r->writable && r->min == 1 && r->max == 90, "DoD writable 1..90 %%");
	r = regmap_find(m, "factory_reset");
	ok(r && !r->writable, "factory reset is never writable");
	r = regmap_find(m, "fault_words");
	ok(r && r->words == 12 && regmap_enum_item(r->enm, 45), "fault words list ID045 CT error");
	regmap_free(m);
}

int main(void)
{
	for (size_t i = 0; i < ZCS_ARRAY_LEN(cases); i++)
		test_bad(&cases[i]);
	test_shipped();
	test_g3_facts();
	return tap_done();
}
