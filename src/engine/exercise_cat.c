/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise_cat: the training catalogue, data/scenarios/training.conf
 * (zcs-data(5), TRAINING.CONF): faults, actions, exercises, targets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/lex.h"
#include "base/paths.h"
#include "base/util.h"
#include "engine/exercise.h"

static int copy_opt(const struct lex_line *ln, const char *key, char *dst, size_t n)
{
	const char *v = lex_get(ln, key);

	if (v)
		zcs_strlcpy(dst, v, n);
	return v != NULL;
}

static int load_fault(struct ex_catalogue *c, const struct lex_file *lf,
		      const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "catch", "section", "level", "arg", "describe", NULL };
	struct ex_fault *f;
	const char *bad = lex_unknown_key(ln, keys);
	long level = 0;

	if (bad)
		return lex_fail(lf, ln->lineno, err, "fault: unknown key '%s'", bad);
	if (ln->n < 2 || ln->tok[1].key)
		return lex_fail(lf, ln->lineno, err, "fault needs a name: fault NAME catch=...");
	if (c->nfaults == EX_MAX_FAULTS)
		return lex_fail(lf, ln->lineno, err, "more than %d faults", EX_MAX_FAULTS);
	f = &c->faults[c->nfaults];
	memset(f, 0, sizeof *f);
	zcs_strlcpy(f->name, ln->tok[1].val, sizeof f->name);
	if (!copy_opt(ln, "catch", f->catch_steps, sizeof f->catch_steps) ||
	    !copy_opt(ln, "describe", f->describe, sizeof f->describe) ||
	    !copy_opt(ln, "section", f->section, sizeof f->section))
		return lex_fail(lf, ln->lineno, err, "fault %s needs catch=, section= and describe=",
				f->name);
	if (lex_long(lf, ln, "level", &level, 1, err) < 0 ||
	    lex_double(lf, ln, "arg", &f->arg, 0, err) < 0)
		return -1;
	if (level < 1 || level > 3)
		return lex_fail(lf, ln->lineno, err, "fault %s: level= takes 1, 2 or 3", f->name);
	f->level = (int)level;
	f->has_arg = lex_get(ln, "arg") != NULL;
	c->nfaults++;
	return 0;
}

static int load_action(struct ex_catalogue *c, const struct lex_file *lf,
		       const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "label", "fixes", "else", "wrong", NULL };
	struct ex_action *a;
	const char *bad = lex_unknown_key(ln, keys);

	if (bad)
		return lex_fail(lf, ln->lineno, err, "action: unknown key '%s'", bad);
	if (ln->n < 2 || ln->tok[1].key)
		return lex_fail(lf, ln->lineno, err, "action needs an id: action ID label=...");
	if (c->nactions == EX_MAX_ACTIONS)
		return lex_fail(lf, ln->lineno, err, "more than %d actions", EX_MAX_ACTIONS);
	a = &c->actions[c->nactions];
	memset(a, 0, sizeof *a);
	zcs_strlcpy(a->id, ln->tok[1].val, sizeof a->id);
	if (!copy_opt(ln, "label", a->label, sizeof a->label) ||
	    !copy_opt(ln, "wrong", a->wrong, sizeof a->wrong))
		return lex_fail(lf, ln->lineno, err, "action %s needs label= and wrong=", a->id);
	copy_opt(ln, "fixes", a->fixes, sizeof a->fixes);
	copy_opt(ln, "else", a->else_cmd, sizeof a->else_cmd);
	for (const char *p = a->fixes; *p;) {
		size_t l = strcspn(p, ",");
		char name[48];

		snprintf(name, sizeof name, "%.*s", (int)l, p);
		if (!ex_fault_find(c, name))
			return lex_fail(lf, ln->lineno, err, "action %s fixes '%s', which is no fault "
					"of the catalogue (declare faults first)", a->id, name);
		p += l + (p[l] == ',');
	}
	c->nactions++;
	return 0;
}

static int load_exercise(struct ex_catalogue *c, const struct lex_file *lf,
			 const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "level", "base", "faults", "answers", NULL };
	const char *bad = lex_unknown_key(ln, keys);
	struct ex_def *d;
	long num;
	int nf = 0;

	if (bad)
		return lex_fail(lf, ln->lineno, err, "exercise: unknown key '%s'", bad);
	if (ln->n < 2 || ln->tok[1].key || zcs_parse_long(ln->tok[1].val, &num) < 0 || num < 1)
		return lex_fail(lf, ln->lineno, err, "exercise needs a number from 1: exercise N ...");
	if (c->nex == EX_MAX_EXERCISES)
		return lex_fail(lf, ln->lineno, err, "more than %d exercises", EX_MAX_EXERCISES);
	if (ex_find(c, (int)num))
		return lex_fail(lf, ln->lineno, err, "exercise %ld is declared twice", num);
	d = &c->ex[c->nex];
	memset(d, 0, sizeof *d);
	d->number = (int)num;
	if (!copy_opt(ln, "level", d->level, sizeof d->level) ||
	    !copy_opt(ln, "base", d->base, sizeof d->base) ||
	    !copy_opt(ln, "faults", d->faults, sizeof d->faults))
		return lex_fail(lf, ln->lineno, err, "exercise %d needs level=, base= and faults=",
				d->number);
	copy_opt(ln, "answers", d->answers, sizeof d->answers);
	if (strcmp(d->level, "easy") && strcmp(d->level, "medium") && strcmp(d->level, "hard"))
		return lex_fail(lf, ln->lineno, err, "exercise %d: level= takes easy, medium or hard",
				d->number);
	if (strcmp(d->faults, "-") == 0)
		*d->faults = 0;
	for (const char *p = d->faults; *p; nf++) {
		size_t l = strcspn(p, ",");
		char name[48];

		snprintf(name, sizeof name, "%.*s", (int)l, p);
		if (!ex_fault_find(c, name))
			return lex_fail(lf, ln->lineno, err, "exercise %d: '%s' is no fault of the "
					"catalogue", d->number, name);
		p += l + (p[l] == ',');
	}
	if (nf > 3)
		return lex_fail(lf, ln->lineno, err, "exercise %d holds %d faults: at most 3",
				d->number, nf);
	c->nex++;
	return 0;
}

static int load_target(struct ex_catalogue *c, const struct lex_file *lf,
		       const struct lex_line *ln, struct zcs_err *err)
{
	struct ex_target *t;
	long m = 0, w = 0;

	if (ln->n < 2 || ln->tok[1].key || c->ntargets == EX_MAX_TARGETS)
		return lex_fail(lf, ln->lineno, err, "target LEVEL minutes=M wrong=W");
	if (lex_long(lf, ln, "minutes", &m, 1, err) < 0 || lex_long(lf, ln, "wrong", &w, 1, err) < 0)
		return -1;
	t = &c->targets[c->ntargets++];
	zcs_strlcpy(t->level, ln->tok[1].val, sizeof t->level);
	t->minutes = (int)m;
	t->wrong = (int)w;
	return 0;
}

int ex_catalogue_load(struct ex_catalogue *c, struct zcs_err *err)
{
	char *path = paths_data_file("scenarios/training.conf");
	struct lex_file lf;
	struct lex_line ln;
	int rc;

	memset(c, 0, sizeof *c);
	rc = lex_open(&lf, path, err);
	free(path);
	if (rc < 0)
		return -1;
	while ((rc = lex_next(&lf, &ln, err)) > 0) {
		const char *w = ln.tok[0].val;

		if (ln.tok[0].key)
			rc = lex_fail(&lf, ln.lineno, err, "a line starts with fault, action, exercise "
				      "or target");
		else if (!strcmp(w, "fault"))
			rc = load_fault(c, &lf, &ln, err);
		else if (!strcmp(w, "action"))
			rc = load_action(c, &lf, &ln, err);
		else if (!strcmp(w, "exercise"))
			rc = load_exercise(c, &lf, &ln, err);
		else if (!strcmp(w, "target"))
			rc = load_target(c, &lf, &ln, err);
		else
			rc = lex_fail(&lf, ln.lineno, err, "unknown line '%s': fault, action, exercise "
				      "or target", w);
		if (rc < 0)
			break;
	}
	lex_close(&lf);
	return rc < 0 ? -1 : 0;
}

const struct ex_fault *ex_fault_find(const struct ex_catalogue *c, const char *name)
{
	for (int i = 0; i < c->nfaults; i++)
		if (strcmp(c->faults[i].name, name) == 0)
			return &c->faults[i];
	return NULL;
}

const struct ex_def *ex_find(const struct ex_catalogue *c, int number)
{
	for (int i = 0; i < c->nex; i++)
		if (c->ex[i].number == number)
			return &c->ex[i];
	return NULL;
}

const struct ex_def *ex_draw(const struct ex_catalogue *c, const char *level)
{
	static int seeded;
	int n = 0, pick;

	if (!seeded) {
		srand((unsigned)(zcs_wall_ms() ^ (getpid() << 8)));
		seeded = 1;
	}
	for (int i = 0; i < c->nex; i++)
		n += !level || strcmp(c->ex[i].level, level) == 0;
	if (!n)
		return NULL;
	pick = rand() % n;
	for (int i = 0; i < c->nex; i++)
		if ((!level || strcmp(c->ex[i].level, level) == 0) && pick-- == 0)
			return &c->ex[i];
	return NULL;
}

const struct ex_def *ex_pick(const struct ex_catalogue *c, const char *what, struct zcs_err *err)
{
	const struct ex_def *d = NULL;
	long n;

	if (!strcmp(what, "easy") || !strcmp(what, "medium") || !strcmp(what, "hard"))
		d = ex_draw(c, what);
	else if (!strcmp(what, "random"))
		d = ex_draw(c, NULL);
	else if (zcs_parse_long(what, &n) == 0)
		d = ex_find(c, (int)n);
	if (!d)
		zcs_fail(err, ZCS_USAGE, "no exercise '%s': give a number from 1 to %d, or easy, "
			 "medium, hard or random (a draw)", what, c->nex);
	return d;
}

