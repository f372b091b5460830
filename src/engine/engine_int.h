/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The engine's insides, shared by its source files (engine.c: life cycle,
 * movement, session and views; engine_env.c: the expression environment;
 * engine_judge.c: judging a round; engine_live.c: live reads, evidence
 * windows, the panel and link loss; engine_cache.c: the session cache of
 * `static` registers, fault words by the word; engine_offers.c: write offers;
 * engine_answer.c: answers and confirmations).  Nothing outside
 * src/engine/engine*.c includes it. */
#ifndef ZCS_ENGINE_INT_H
#define ZCS_ENGINE_INT_H

#include "engine/engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/decode.h"
#include "base/paths.h"
#include "base/poll.h"
#include "base/util.h"
#include "engine/fn.h"
#include "engine/write.h"

#define WIN_MAX_POLLS 400
#define ENG_AHEAD_MAX 8

struct ev {
	const struct reg_def *def;
	struct reg_value v;
	int slave;
};

struct window {
	struct ev *ev;
	size_t n, cap;
	int polls;
	int pass;                      /* outcome every poll of the window shared */
	int64_t start_ms, last_ms;
};

struct step_rt {
	enum eng_status status;
	char *detail, *remedy, *reason, *override_by;
	char *confirmed_by;            /* who gave the step's confirmation */
	size_t actions_done;           /* how many of the step's actions were done */
	int writes_settled, offers_ready;
	int64_t started_wall, check_start_ms;
	int64_t values_ms;             /* the last poll of this check that read the
	                                  device (the check's start before one) */
	struct window win;
	/* sampled while an earlier step was checked (its polls read this
	 * step's registers too): the window goes on from there when this step
	 * is reached, and a complete one is its evidence */
	int ahead;
	char *ahead_detail;            /* the last such round, judged */
};

struct answer {
	char *key, *value;
};

struct offer {
	int write;                     /* index into the step's writes */
	const struct reg_def *reg;
	int unit;
	double current, proposed;
};

/* One FC 0x10 request of the current step: the offers of one unit that
 * belong to one write group (or one ungrouped register), read and
 * validated when offered; `refused` says why it cannot be sent. */
struct wset {
	int unit;
	struct write_plan plan;
	char *refused;
};

struct engine {
	struct eng_config cfg;
	struct regmap *map;
	struct checklist *chk;
	struct unit_ident id;
	int have_id, started;
	int reidentify;                /* resumed past the identity: check the unit at the
					* first live read (it may have no power now) */
	struct answer *ans;
	size_t nans;
	struct step_rt *rt;
	int cur;
	/* live reads of the current step */
	struct poll_plan plan;
	int plan_step;
	struct reg_value *vals;        /* [unit][def] */
	int plan_all_units;            /* the step sums over every unit (total()) */
	int eval_unit;
	int64_t next_poll_ms;
	char read_error[300];
	size_t plan_nstep;             /* defs [0, plan_nstep) are the step's, the rest the panel's */
	/* the following steps that no installer's hand separates from this
	 * one: judged on the same polls (their registers ride along) */
	int ahead[ENG_AHEAD_MAX];
	size_t *ahead_idx[ENG_AHEAD_MAX];  /* their registers, as plan.defs indices */
	size_t ahead_n[ENG_AHEAD_MAX];
	size_t nahead;
	/* the power-flow panel: names read with every poll, and between checks */
	char **watch;
	size_t nwatch;
	struct reg_value *watch_vals;  /* [nwatch], the primary unit's latest */
	struct poll_plan watch_plan;
	int have_watch_plan;
	int watch_off;                 /* the link fails: checks read without the panel */
	int64_t next_watch_ms;
	/* fault_words one word at a time ("fault_words[3]"): a step that asks
	 * fault(ID) reads the words its IDs live in, not all twelve */
	struct reg_def fault_part[REG_MAX_WORDS];
	char fault_part_name[REG_MAX_WORDS][24];
	unsigned nfault_part;
	/* the session cache of registers marked `static` (identity, settings):
	 * read once, again only after this tool's write to them, a fresh=yes
	 * step, a re-check or a link that came back */
	struct reg_value *cache;       /* [unit][map register] */
	unsigned char *cache_ok;
	int fresh_step;                /* this step's next poll reads them again */
	int64_t poll_due_ms;           /* when the poll now made was due */
	char *unserved;                /* " slave:name " already recorded as not served */
	int unserved_hit;              /* this round judged a value the unit lacks */
	/* link loss */
	int lost, link_failures;
	int link_dead;                 /* a step failed: the link carried no values */
	int busy;                      /* a data logger stalls (link_busy): paused */
	int64_t busy_since_ms;
	int64_t next_retry_ms;
	/* write offers of the current step */
	struct offer *offers;
	size_t noffers;
	struct eng_write_offer *voffers;
	struct wset *sets;             /* the offers as FC 0x10 requests */
	size_t nsets;
	struct eng_write_set *vsets;
	struct eng_write_line *vlines;
	int dry_run_writes;
	/* strings and arrays handed out by views */
	char **pool;
	size_t npool;
	struct eng_input_info *vin;
	struct eng_live_info *vlive;
	struct eng_sample *vsamples;
};
/* One poll judged: the verdict of a round of expectations. */
struct round {
	enum eng_mark mark;            /* of the whole poll */
	char *detail;                  /* one line per expectation and rule */
	char *remedy;                  /* of the first failing one */
};

static inline double scale(const struct engine *e) { return e->cfg.window_scale; }
static inline const struct chk_step *cur_step(const struct engine *e)
{
	if (e->cur < 0 || (size_t)e->cur >= e->chk->nsteps)
		return NULL;
	return &e->chk->steps[e->cur];
}

static inline int unit_slave(const struct engine *e, int u) { return e->cfg.units[u]; }

/* engine.c */
void eng_add_line(char **dst, const char *line);
void eng_drop_plan(struct engine *e);
const char *eng_keep(struct engine *e, char *s);
int eng_obs_answer(struct engine *e, const char *step, const char *key, const char *value, struct zcs_err *err);
void eng_pool_clear(struct engine *e);
void eng_set_str(char **dst, const char *s);
int eng_set_verdict(struct engine *e, int i, enum eng_status st, const char *detail, const char *remedy, struct zcs_err *err);
void eng_sets_clear(struct engine *e);
int eng_store_answer(struct engine *e, const char *key, const char *value);
void eng_window_clear(struct window *w);

/* engine_env.c: the expression environment */
int eng_eval(struct engine *e, const struct expr *x, int unit, struct expr_val *out, char *why, size_t nwhy);
const struct reg_value *eng_reg_val(const struct engine *e, const char *name, int unit);
char *eng_render(struct engine *e, const char *text, int unit);
extern const struct chk_names eng_names;   /* the load-time name check */

/* engine_judge.c: judging */
const struct reg_def *eng_bare_reg(const struct engine *e, const struct expr *x);
int eng_bound(struct engine *e, const struct expr *x, int unit, double *out, char *why, size_t nwhy);
char *eng_expect_label(struct engine *e, const struct chk_expect *x, int unit);
void eng_expected_text(struct engine *e, const struct chk_expect *x, int unit, char *buf, size_t n);
enum eng_mark eng_judge_expect(struct engine *e, const struct chk_expect *x, int unit, char *val, size_t nval, char *why, size_t nwhy);
void eng_judge_round(struct engine *e, const struct chk_step *s, struct round *rd);
int eng_judge_static(struct engine *e, int i, struct zcs_err *err);
int eng_step_units(const struct engine *e, const struct chk_step *s);

/* engine_cache.c: the session cache, fault words by the word */
/* The fault word holding fault `key` as read by the current plan (one
 * word, or the whole fault_words), NULL when not read; *def its def. */
const struct reg_value *eng_fault_val(const struct engine *e, const char *key, int unit,
				      const struct reg_def **def, long *id);
/* The word of fault_words that holds fault `key` (*id its ID), -1 when unknown. */
long eng_fault_word(const struct regmap *m, const char *key, long *id);
/* engine_live.c: live reads and evidence windows */
int eng_build_plan(struct engine *e, int i, struct zcs_err *err);
int eng_go_lost(struct engine *e, const struct zcs_err *why, int64_t now, struct zcs_err *err);
int eng_live_tick(struct engine *e, int i, int64_t now, struct zcs_err *err);
/* The time between the polls of step s's checks: window / (samples - 1). */
int64_t eng_poll_every_ms(const struct engine *e, const struct chk_step *s);
/* A step reached with a window sampled ahead: 1 when that window goes on
 * (or was judged: a verdict set), 0 when it is dropped; -1 observer error. */
int eng_take_ahead(struct engine *e, int i, int64_t now, struct zcs_err *err);
void eng_ahead_clear(struct engine *e);
int eng_no_data_check(struct engine *e, int64_t now, struct zcs_err *err);
/* A data logger's stall (link_busy): 1 when the failed read `why` was one
 * (the step's clocks stop, "busy" reported once), else 0; -1: the observer
 * refused.  eng_busy_over(): a read answered (why NULL) or the stall
 * outlasted the link's busy time (why: the last failure), the clocks go on. */
int eng_busy(struct engine *e, const struct zcs_err *why, int64_t now, struct zcs_err *err);
int eng_busy_over(struct engine *e, int64_t now, const char *why, struct zcs_err *err);
void eng_session_info(struct engine *e, struct eng_session_info *info, char *linkbuf, size_t nlink);
int eng_try_restore(struct engine *e, int64_t now, struct zcs_err *err);
int eng_watch_tick(struct engine *e, int64_t now);
/* One unit's values of the current plan into e->vals: `static` registers
 * from the session cache (reg_value.cached) unless a fresh read is due,
 * the rest in as few requests as poll_execute makes.  0, or -1 with the
 * first error (as poll_execute). */
int eng_poll_unit(struct engine *e, int u, int fresh, struct zcs_err *perr);
/* Forget cached values of unit u in addr..addr+words-1 (all: words 0). */
void eng_cache_forget(struct engine *e, int u, unsigned addr, unsigned words);

/* engine_offers.c: write offers */
int eng_prepare_offers(struct engine *e, struct zcs_err *err);

/* engine_answer.c: answers and confirmations */
const char *eng_choices_of(const struct chk_input *in);
int eng_limit(struct engine *e, const struct expr *x, double *out);

#endif
