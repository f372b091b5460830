/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine: the commissioning procedure as a state machine, without a screen.
 *
 * One engine walks one session over one link.  Each step of the checklist
 * (checklist.h) moves
 *
 *   pending -> active -> checking -> passed | failed
 *                     \-> skipped (installer's reason) | not applicable
 *
 * A step becomes active when it is the current step.  It moves to checking
 * once its questions are answered, its installer action is done and its
 * confirmation (if any) given; rules are judged at once, live expectations
 * over an evidence window (at least N polls spanning at least S seconds,
 * every sample inside the expected range).  A live step that keeps failing
 * for `settle` seconds fails with the samples of its last window.  A failed
 * step shows the manual's remedy and can be re-checked after the fix.
 * Answers decide later steps' conditions; back/forward/goto move freely.
 *
 * The engine never blocks: engine_tick() performs at most one poll when one
 * is due and returns.  The caller owns the loop (the ncurses wizard between
 * keystrokes, the headless runner with short sleeps).
 *
 * Writes happen only through engine_write_apply() after the caller's
 * explicit confirmation, only to whitelisted registers (regmap access=rw,
 * min..max), never when the value is already there, always read back; each
 * is reported to the observer.
 *
 * Link loss: when reads fail for lack of a link, the engine pauses (no step
 * fails for it), reports link_event("lost"), tries the reconnect hook about
 * every second and reports "restored" before carrying on. */
#ifndef ZCS_ENGINE_H
#define ZCS_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "base/decode.h"
#include "base/err.h"
#include "base/ident.h"
#include "base/link.h"
#include "engine/checklist.h"
#include "engine/observer.h"

#define ENG_MAX_UNITS 11

struct eng_config {
	const char *checklist_dir;      /* NULL: paths_checklist_dir() */
	struct link *link;              /* owned by the caller */
	int units[ENG_MAX_UNITS];       /* slave ids: [0] the primary; nunits 0 = link's slave */
	int nunits;
	const struct eng_observer *obs; /* may be NULL */
	double window_scale;            /* multiplies window and settle seconds; 0 = 1 */
	int poll_ms;                    /* time between polls; 0 = 1000 * window_scale, >= 100 */
	int training;
	int dry_run_writes;             /* 1: writes are shown, never sent */
	/* Called about every second while the link is lost; default link_reconnect. */
	int (*reconnect)(void *ctx, struct link *l, struct zcs_err *err);
	void *reconnect_ctx;
};

enum eng_mark { ENG_WAIT, ENG_PASS, ENG_FAIL };

struct eng_input_info {
	const char *key, *prompt, *unit, *type;  /* type: text int number choice yesno list */
	const char *value;              /* the current answer, NULL when none */
	const char *proposed;           /* the checklist's proposal, NULL when none */
	int has_min, has_max;
	double min, max;
	const char *choices;            /* space-separated, NULL when free */
	int optional;
};

struct eng_live_info {
	const char *label;              /* "Grid-point power" */
	const char *unit;
	const char *value;              /* formatted, "" when not read yet */
	const char *expected;           /* "near -1.50 (± 0.30)", "0..50" */
	enum eng_mark mark;
	int slave;
};

struct eng_step_info {
	int index;
	const char *id, *part, *section, *title;
	const char *say;                /* instructions, {expr} filled in */
	enum eng_status status;
	const char *detail;             /* measured vs expected of the last verdict */
	const char *remedy;             /* when failed */
	const char *reason;             /* when skipped */
	const struct eng_input_info *inputs;
	size_t ninputs;
	const struct eng_live_info *live;
	size_t nlive;
	int live_check;                 /* 1 when judged by live reads */
	int window_have, window_need;   /* samples in the current window / needed */
	double window_secs, window_need_secs;
	int window_cached;              /* samples of the window from the session cache */
	/* the wire floor of the window's evidence: its polls' registers that
	 * were read (not cached), in the fewest bytes and silences on an RTU line */
	unsigned long floor_requests;
	unsigned long long floor_bytes; /* RTU: 8 a request, 5 + 2 per register a reply */
	const char *action;             /* pending installer action words, NULL when none */
	const char *action_say;
	const char *confirm;            /* confirmation asked and not yet given, or NULL */
	size_t nwrite_offers;
	const char *waiting_for;        /* in words: what the step waits for, or NULL */
};

struct eng_write_offer {
	const char *step_id;
	const char *reg, *label, *unit;
	unsigned addr;
	int slave;
	double current, proposed;
	const char *current_text, *proposed_text;
};

/* One FC 0x10 request the current step would send: a whole write group
 * (or one ungrouped register) on one unit, read and validated. */
struct eng_write_line {
	const char *reg, *label;
	unsigned addr;
	const char *before, *sent;      /* "90 % [0x005A]" */
	int target, commit, changed;
};

struct eng_write_set {
	int slave;
	const char *name;               /* write group or register */
	unsigned addr, words;
	const char *refused;            /* why it cannot be sent (nothing is), or NULL */
	int sends;                      /* 0: refused, or every target already holds its value */
	const char *frame;              /* the request in hex: slave 10 addr qty bytes values */
	const struct eng_write_line *lines;  /* every register of the span */
	size_t nlines;
};

struct engine;

struct engine *engine_new(const struct eng_config *cfg, struct zcs_err *err);
void engine_free(struct engine *e);
const struct checklist *engine_checklist(const struct engine *e);
/* The unit as identified, NULL before it answered. */
const struct unit_ident *engine_ident(const struct engine *e);

/* Record the session and enter the first step.  The unit is not read
 * here: the session begins before it has power (section 12) and the
 * checklist's identify=yes step identifies it (observer unit_identified);
 * a resumed session past that step identifies it again at its first live
 * read; a checklist without one identifies it here.  installer/site/
 * customer may be NULL (then the session step asks). */
int engine_start(struct engine *e, const char *installer, const char *site,
		 const char *customer, struct zcs_err *err);
/* Restore answers and verdicts from a stored session (call before start). */
int engine_resume(struct engine *e, const struct eng_resume *r, struct zcs_err *err);
/* Finish: session_end(complete = every applicable step passed). */
int engine_finish(struct engine *e, struct zcs_err *err);

size_t engine_nsteps(const struct engine *e);
int engine_current(const struct engine *e);
/* The view of step `index`; strings stay valid until the next engine call. */
int engine_step(struct engine *e, int index, struct eng_step_info *out);
enum eng_status engine_status(const struct engine *e, int index);

/* The evidence of step `index`: the samples of its current (or last)
 * window, oldest first; valid until the next engine call. */
size_t engine_evidence(struct engine *e, int index, const struct eng_sample **out);

/* Answer a question of the current step ("battery.count", "2").  Bad input
 * is refused with a sentence saying what is expected; nothing is lost. */
int engine_answer(struct engine *e, const char *key, const char *value, struct zcs_err *err);
const char *engine_answer_of(const struct engine *e, const char *key);
/* The installer did the step's pending action (steps may have several, done
 * in order: eng_step_info.action is the next one) / gives the confirmation,
 * under a name (required, kept in the step's record; a changed answer that
 * makes the step stale asks for it again). */
int engine_action_done(struct engine *e, struct zcs_err *err);
int engine_confirm(struct engine *e, const char *who, struct zcs_err *err);
int engine_skip(struct engine *e, const char *reason, struct zcs_err *err);
/* Pass a failed step on a named person's responsibility, with the reason. */
int engine_override(struct engine *e, const char *who, const char *reason, struct zcs_err *err);
/* Judge the current step again from scratch (after a fix). */
int engine_recheck(struct engine *e, struct zcs_err *err);

/* Movement.  next/goto judge skipped-over steps' conditions (n/a) on the
 * way; next returns 1 when there is no further step. */
int engine_next(struct engine *e, struct zcs_err *err);
int engine_back(struct engine *e, struct zcs_err *err);
int engine_goto(struct engine *e, const char *step_id, struct zcs_err *err);

/* Writes the current step offers: values it would set that differ from the
 * device.  *out stays valid until the next engine call. */
size_t engine_write_offers(struct engine *e, const struct eng_write_offer **out);
/* Apply every offer of the current step after explicit confirmation: only
 * offers engine_write_offers (or engine_tick) prepared, ZCS_REFUSED before
 * that, and ZCS_REFUSED for a request whose span did not validate (nothing
 * is sent).  Each request is one FC 0x10 (write.h).  When
 * the link fails meanwhile the engine goes "link lost" and, once it is
 * back, offers again whatever still differs. */
int engine_write_apply(struct engine *e, const char *confirmed_by, struct zcs_err *err);
/* The offers as the requests that would carry them, every register of
 * each span with what was read and what would be sent.  Calls
 * engine_write_offers (whose strings it replaces); valid until the next
 * engine call. */
size_t engine_write_sets(struct engine *e, const struct eng_write_set **out);
/* Dry run: engine_write_apply then sends nothing (the offers are settled
 * as if written; nothing is recorded as written). */
void engine_set_dry_run_writes(struct engine *e, int on);
int engine_dry_run_writes(const struct engine *e);
/* Leave the device as it is; the step is then judged on what it holds. */
int engine_write_decline(struct engine *e, struct zcs_err *err);

/* At most one poll when one is due.  Returns 1 when something visible
 * changed, 0 when not, -1 when the observer refused (err filled). */
int engine_tick(struct engine *e, int64_t now_ms, struct zcs_err *err);
/* Milliseconds until the next tick has work, for the caller's sleep. */
int engine_next_due_ms(const struct engine *e, int64_t now_ms);
int engine_link_lost(const struct engine *e);
/* 1 while a data logger stalls (its cloud upload): checks are paused, the
 * link is not lost and no step fails for it (link_busy). */
int engine_logger_busy(const struct engine *e);
/* 1 after a step failed because the link, though it connects, carried no
 * live values (every read failed); 0 again once a read works. */
int engine_link_dead(const struct engine *e);
/* 1 when every applicable step passed: n/a steps do not count against,
 * a step skipped with a reason does (it was not verified). */
int engine_all_passed(const struct engine *e);

/* The power-flow panel: register-map names (those the map lacks are left
 * out) read with every poll of a check, merged into the step's plan so that
 * they cost few extra requests, and between checks on their own at the poll
 * pace from the primary unit.  They are never evidence.  Returns how many
 * are watched. */
int engine_watch(struct engine *e, const char *const *names, size_t n);
/* The latest reading of a watched name, NULL before the first. */
const struct reg_value *engine_watched(const struct engine *e, const char *name);

/* For make bench: the requests one poll of step i takes without the panel
 * and with it merged. */
int engine_plan_cost(struct engine *e, int i, size_t *alone, size_t *merged,
		     struct zcs_err *err);

const char *engine_status_name(enum eng_status s);

#endif
