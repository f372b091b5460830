/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The checklist loader: a good set loads; each kind of mistake is refused
 * with the file and line of the mistake. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/regmap.h"
#include "base/util.h"
#include "engine/checklist.h"
#include "tap.h"

static char dir[] = "/tmp/zcs-chk.XXXXXX";

static int fn_ok(const char *fn, int nargs, char *why, size_t nwhy)
{
	if ((!strcmp(fn, "twice") && nargs == 1) || (!strcmp(fn, "fault") && nargs == 1) ||
	    (!strcmp(fn, "passed") && nargs == 1))
		return 0;
	snprintf(why, nwhy, "unknown function %s()", fn);
	return -1;
}
static int name_ok(const char *n) { return !strcmp(n, "unit.serial"); }
static int choices_ok(const char *p) { return !strcmp(p, "things"); }
static const struct chk_names names = { fn_ok, name_ok, choices_ok };

static void put(const char *file, const char *text)
{
	char *p = xasprintf("%s/%s", dir, file);
	FILE *f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
	free(p);
}

static const char *index_text = "checklist version=9.9 title=\"test\"\n"
				"window samples=3 seconds=2 settle=4\n"
				"const limit_v 50\n"
				"part one\npart two\n";

static const char *one_text =
	"part one\n"
	"step a.first section=12 title=\"First\"\n"
	"    say \"Open the breaker\"\n"
	"    ask a.count type=int min=1 max=\"twice(2)\" prompt=\"How many\"\n"
	"    ask a.kind type=choice choices=\"x y\"\n"
	"    action \"breaker off\" say=\"Open it\"\n"
	"    expect grid_voltage max=limit_v remedy=\"Open it: {a.count}\"\n"
	"step a.second section=13 title=\"Second\" samples=7 each=unit\n"
	"    when \"a.count > 1 and passed('a.first')\"\n"
	"    rule \"a.count < 5\" text=\"{a.count} fine\"\n"
	"    write battery bat_dod=a.count\n"
	"    remedy \"Do it again\"\n";

static const char *two_text = "part two\n"
			      "step b.only section=14 title=\"Only\"\n"
			      "    confirm \"Seen\"\n";

/* Load with part two replaced by `text`; NULL on error (msg in err). */
static struct checklist *load_two(const struct regmap *m, const char *text, struct zcs_err *err)
{
	put("two.chk", text);
	return checklist_load(dir, m, &names, err);
}

static void refused(const struct regmap *m, const char *text, const char *want,
		    const char *what)
{
	struct zcs_err err = { 0 };
	struct checklist *c = load_two(m, text, &err);
	ok(c == NULL, "refused: %s", what);
	has_str(err.msg, want, "  the message says: %s", want);
	checklist_free(c);
}

int main(void)
{
	struct zcs_err err = { 0 };
	struct regmap *m = regmap_open("g3", &err);

	if (!m || !mkdtemp(dir)) {
		printf("1..0 # SKIP no register map (%s)\n", err.msg);
		return 0;
	}
	put("index.chk", index_text);
	put("one.chk", one_text);
	struct checklist *c = load_two(m, two_text, &err);
	ok(c != NULL, "a good checklist loads%s%s", c ? "" : ": ", c ? "" : err.msg);
	if (!c)
		return tap_done();
	is_str(c->version, "9.9", "the version");
	is_int(c->nsteps, 3, "three steps in two parts, in order");
	is_str(c->steps[2].id, "b.only", "part two comes second");
	const struct chk_step *s = &c->steps[0];
	is_str(s->section, "12", "the manual section");
	is_int(s->ninputs, 2, "two questions");
	is_int(s->nactions, 1, "one action");
	is_str(s->actions[0], "breaker off", "the action's words");
	is_int(s->window_n, 3, "window samples from the index");
	is_num(s->window_s, 2, 1e-9, "window seconds from the index");
	is_int(c->steps[1].window_n, 7, "a step may set its own window");
	ok(c->steps[1].each_unit, "each=unit");
	is_int(c->steps[1].nwrites, 1, "one write");
	ok(checklist_input(c, "a.kind", NULL) != NULL, "questions are found by key");
	is_int(checklist_find(c, "a.second"), 1, "steps are found by id");
	ok(checklist_const(c, "limit_v") != NULL, "constants");
	checklist_free(c);

	refused(m, "part two\nstep b.x section=1 title=T\n  expect grid_pwr max=1 remedy=r\n",
		"two.chk:3: unknown name 'grid_pwr'", "an unknown register, with file:line");
	refused(m, "part two\nstep b.x section=1 title=T\n  rule \"nobody.asked > 1\" remedy=r\n",
		"two.chk:3: unknown name 'nobody.asked'", "an answer nobody asks for");
	refused(m, "part two\nstep b.x section=1 title=T\n  rule \"1 + \" remedy=r\n",
		"two.chk:3: rule \"1 + \"", "a bad expression");
	refused(m, "part two\nstep b.x section=1 title=T\n  when \"passed('no.such')\"\n",
		"unknown step 'no.such'", "an unknown step in a condition");
	refused(m, "part two\nstep b.x section=1 title=T\n  rule \"nofn(1)\" remedy=r\n",
		"two.chk:3: unknown function nofn()", "an unknown function");
	refused(m, "part two\nstep b.x section=1 title=T\n  write battery serial=1\n",
		"two.chk:3: write: 'serial' is not a writable register", "a write outside the whitelist");
	refused(m, "part two\nstep b.x section=1 title=T\n  expect grid_power max=1\n",
		"two.chk:3: step b.x can fail here but names no remedy", "a check without a remedy");
	refused(m, "part two\nstep a.first section=1 title=T\n",
		"two.chk:2: step 'a.first' is defined twice", "a duplicate step");
	refused(m, "part two\nstep b.x section=1 title=T\n  frobnicate \"x\"\n",
		"two.chk:3: unknown line 'frobnicate'", "an unknown line");
	refused(m, "part two\nstep b.x section=1 title=T\n  expect grid_power near=1 remedy=r\n",
		"two.chk:3: near= and tol= go together", "near without tol");
	refused(m, "part two\n  say \"x\"\n", "two.chk:2: 'say' before the first 'step'",
		"a line before any step");
	refused(m, "part two\nstep b.x title=T\n", "two.chk:2: step 'b.x' needs section=",
		"a step without its manual section");
	refused(m, "part two\nstep b.x section=1 title=T\n  ask q type=colour\n",
		"two.chk:3: unknown type 'colour'", "an unknown question type");
	refused(m, "part two\nstep b.x section=1 title=T\n  ask q type=choice choices=@nothing\n",
		"two.chk:3: unknown list of choices", "an unknown list of choices");
	refused(m, "part two\nstep b.x section=1 title=T\n  say \"{grid_pwr}\"\n",
		"two.chk:2: unknown name 'grid_pwr'", "a bad name inside {} of a text");
	refused(m, "part two\nstep b.x section=1 title=T\n  expect \"fault(ct_eror)\" remedy=r\n",
		"fault(ct_eror): not a fault", "a fault that is not in the map");

	put("index.chk", "window samples=3 seconds=2\npart one\n");
	c = checklist_load(dir, m, &names, &err);
	ok(c == NULL, "an index without a version is refused");
	has_str(err.msg, "index.chk", "  naming the index");
	checklist_free(c);

	char *cmd = xasprintf("rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	free(cmd);
	regmap_free(m);
	return tap_done();
}
