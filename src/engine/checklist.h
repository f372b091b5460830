/* SPDX-License-Identifier: GPL-3.0-or-later */
/* checklist: the commissioning procedure as data (checklists/, zcs-checklist(5)).
 *
 * checklists/index.chk names the version, the evidence-window defaults and
 * the parts in order; each part is one file of steps.  The loader parses
 * every expression, checks every register name against the register map,
 * every answer name against the questions asked, every function against
 * the engine's table and every step named in a condition, and reports the
 * first problem as "checklists/grid.chk:42: what is wrong".  A loaded
 * checklist is immutable; the engine keeps the progress. */
#ifndef ZCS_CHECKLIST_H
#define ZCS_CHECKLIST_H

#include <stddef.h>

#include "base/err.h"
#include "base/regmap.h"
#include "engine/expr.h"

enum chk_input_type { CHK_TEXT, CHK_INT, CHK_NUM, CHK_CHOICE, CHK_YESNO, CHK_LIST };

struct chk_input {
	char *key;                     /* answer name, e.g. battery.count */
	enum chk_input_type type;
	char *prompt, *unit;
	struct expr *min, *max;        /* limits (numbers; for list: each item) */
	struct expr *count;            /* list: how many items */
	struct expr *deflt;            /* proposed value */
	char *choices;                 /* space-separated words, or @provider */
	int optional;
	int line;
};

struct chk_expect {
	struct expr *value;            /* what is read and judged */
	struct expr *min, *max;        /* value within min..max */
	struct expr *near, *tol;       /* |value - near| <= tol */
	struct expr *is;               /* value == is (text or number) */
	char *label;                   /* defaults to the register's label */
	char *remedy;                  /* overrides the step's remedy when it fails */
	int line;
};

struct chk_rule {
	struct expr *cond;             /* must be true */
	char *text;                    /* what it checks, with {expr} */
	char *remedy;
	int line;
};

#define CHK_MAX_SETS 12

struct chk_write {
	char *target;                  /* register or group name */
	char *regs[CHK_MAX_SETS];
	struct expr *vals[CHK_MAX_SETS];
	int n;
	char *say;
	struct expr *cond;              /* offered only when true (if=) */
	int line;
};

struct chk_step {
	char *id, *part, *section, *title;
	char *say;                     /* the installer's instructions, lines joined */
	struct expr *when;             /* applies only when true */
	char **actions;                /* installer action words ("breaker off"), in order */
	char **action_says;            /* the same for people */
	size_t nactions;
	char *confirm;                 /* explicit confirmation asked */
	char *remedy;
	struct chk_input *inputs;
	size_t ninputs;
	struct chk_expect *expects;
	size_t nexpects;
	struct chk_rule *rules;
	size_t nrules;
	struct chk_write *writes;
	size_t nwrites;
	double window_s, settle_s;     /* live evidence window (scaled in tests) */
	double timeout_s;              /* the device's own delay: never scaled */
	struct expr *timeout;          /* the same read from the device (timeout=EXPR) */
	int window_n;
	int each_unit;                 /* judged on every inverter of a parallel system */
	int identify;                  /* identify=yes: the unit is identified here, once it
	                                * has power (the session began without it) */
	int fresh;                     /* fresh=yes: the installer may have changed a
	                                * setting on the display: the first poll of each
	                                * check reads `static` registers again */
	char *file;
	int line;
};

struct chk_const {
	char *name;
	struct expr_val val;
};

struct checklist {
	char *dir, *version, *title;
	struct chk_step *steps;
	size_t nsteps;
	struct chk_const *consts;
	size_t nconsts;
	int window_n;
	double window_s, settle_s;
	char hash[65];                 /* SHA-256 hex of the files, "" when unknown */
};

/* What the loader may accept besides registers and questions: functions
 * (with their argument counts) and extra names (unit.serial ...). */
struct chk_names {
	int (*fn_ok)(const char *fn, int nargs, char *why, size_t nwhy);
	int (*name_ok)(const char *name);
	int (*choices_ok)(const char *provider);
};

struct checklist *checklist_load(const char *dir, const struct regmap *map,
				 const struct chk_names *names, struct zcs_err *err);
void checklist_free(struct checklist *c);
/* Index of step `id`, or -1. */
int checklist_find(const struct checklist *c, const char *id);
const struct chk_input *checklist_input(const struct checklist *c, const char *key,
					int *step);
const struct chk_const *checklist_const(const struct checklist *c, const char *name);
const char *checklist_type_name(enum chk_input_type t);

#endif
