/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise: blind training exercises on the built-in simulator, and their
 * score.  No curses: the wizard, the instructor's console and the tests
 * share it.
 *
 * The catalogue (data/scenarios/training.conf, zcs-data(5)) lists the
 * faults with what the instructor reads about them and the steps of the
 * guide that catch them, the physical actions a trainee can take (each
 * clears some faults; on a plant without them it is a wrong fix with its
 * own consequence), the exercises (a healthy base scenario and 0 to 3
 * faults) and the target per difficulty.
 *
 * ex_start() starts the simulator on the exercise's base and injects its
 * faults; the trainee sees "Exercise N" only.  ex_observer() wraps the
 * records' observer: every hook is passed on unchanged, and the exercise
 * watches them for the score (time per step, a fault found when a step
 * that catches it fails while it is there, skips, forced checks).  Before
 * the session is closed ex_score_record() stores the score as a chained
 * event of kind "training-score" (ex_score_text format, "key value" lines),
 * so `records verify` covers it and the export can show it.
 *
 * An instructor may follow the exercise on a Unix socket (trainnet.h):
 * ex_listen(), then ex_tick() from the wizard's loop accepts consoles,
 * answers their commands (inject, clear, status, catalogue) and every
 * change is published as it happens. */
#ifndef ZCS_ENGINE_EXERCISE_H
#define ZCS_ENGINE_EXERCISE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "engine/observer.h"
#include "engine/training.h"

#define EX_MAX_FAULTS 48
#define EX_MAX_ACTIONS 48
#define EX_MAX_EXERCISES 64
#define EX_MAX_TARGETS 8
#define EX_MAX_LIVE 16          /* faults of one exercise, injected or caused */
#define EX_MAX_STEPS 128
#define EX_MAX_WRONG 32

struct ex_fault {
	char name[48];
	char catch_steps[256];  /* "sign.loads,sign.pv-on" or "any" */
	char section[16];
	int level;
	double arg;
	int has_arg;
	char describe[400];
};

struct ex_action {
	char id[32];
	char label[160];
	char fixes[256];        /* comma-separated fault names, "" none */
	char else_cmd[256];     /* control commands when wrong, ';' between */
	char wrong[200];
};

struct ex_def {
	int number;
	char level[16];
	char base[64];
	char faults[256];       /* comma-separated, "" none */
	char answers[64];
};

struct ex_target {
	char level[16];
	int minutes, wrong;
};

struct ex_catalogue {
	struct ex_fault faults[EX_MAX_FAULTS];
	int nfaults;
	struct ex_action actions[EX_MAX_ACTIONS];
	int nactions;
	struct ex_def ex[EX_MAX_EXERCISES];
	int nex;
	struct ex_target targets[EX_MAX_TARGETS];
	int ntargets;
};

/* Load data/scenarios/training.conf (file:line errors, ZCS_DATA). */
int ex_catalogue_load(struct ex_catalogue *c, struct zcs_err *err);
const struct ex_fault *ex_fault_find(const struct ex_catalogue *c, const char *name);
const struct ex_def *ex_find(const struct ex_catalogue *c, int number);
/* A random exercise of `level` (easy, medium, hard), NULL when none. */
const struct ex_def *ex_draw(const struct ex_catalogue *c, const char *level);
/* "7", "easy", "medium", "hard" or "random": the exercise, or NULL with
 * a ZCS_USAGE error saying what exists. */
const struct ex_def *ex_pick(const struct ex_catalogue *c, const char *what, struct zcs_err *err);

/* One fault of the running exercise. */
struct ex_live {
	char name[48];
	char origin[16];        /* exercise, instructor, wrong-fix */
	int active;
	char found_at[96];      /* the step where it was found, "" not yet */
	int64_t found_ms;
	int fixed;              /* cleared by a right action */
};

struct ex_step_time {
	char id[96];
	int64_t ms;             /* time spent on the step, in total */
	char status[16];        /* its last verdict */
};

struct trainnet;

struct ex_run {
	struct ex_catalogue cat;
	const struct ex_def *def;
	struct training *tr;
	char trainee[64];
	struct ex_live live[EX_MAX_LIVE];
	int nlive;
	struct ex_step_time steps[EX_MAX_STEPS];
	int nsteps;
	int cur;                /* index in steps of the step shown, -1 */
	int64_t cur_since, started_ms, ended_ms;
	int wrong, remedies, skipped, forced, right;
	char wrong_list[EX_MAX_WRONG][200];  /* "label (at step)" */
	char remedy_seen[EX_MAX_STEPS][96];
	int nremedy_seen;
	int recorded;           /* the score is stored */
	struct eng_observer inner;
	struct trainnet *net;
	int link_lost;
};

/* Start the simulator on the exercise's base and inject its faults. */
int ex_start(struct ex_run *x, struct training *tr, const struct ex_def *d, struct zcs_err *err);
/* "Exercise 7": what the trainee sees. */
const char *ex_title(const struct ex_run *x, char *buf, size_t n);
/* Wrap `obs` (the records' hooks) so the exercise sees every hook. */
void ex_observer(struct ex_run *x, struct eng_observer *obs);

/* The actions a trainee can take (label text), in catalogue order. */
int ex_nactions(const struct ex_run *x);
const char *ex_action_label(const struct ex_run *x, int i);
/* Take action i on the plant at step `step_id`: 1 a right fix, 0 a wrong
 * one (counted, its consequence sent), -1 on error.  `said` gets what the
 * trainee sees happen. */
int ex_act(struct ex_run *x, int i, const char *step_id, char *said, size_t n,
	   struct zcs_err *err);
/* The trainee asked for the manual's remedy at `step_id` (counted once
 * per step). */
void ex_remedy_read(struct ex_run *x, const char *step_id);
/* 1 when the trainee has read the remedy at step_id. */
int ex_remedy_was_read(const struct ex_run *x, const char *step_id);
/* A named scenario (free practice, no score): the faults the simulator
 * runs with become the exercise's, so the trainee's actions can fix them. */
int ex_attach(struct ex_run *x, struct training *tr, struct zcs_err *err);
/* An exercise's session resumed: `notes` are the details of its "training"
 * events in recorded order (exercise begun, faults found, actions, remedies
 * read), the simulator already restored.  1 when the session was an
 * exercise (the score goes on from there), 0 when not, -1 on error. */
int ex_resume(struct ex_run *x, struct training *tr, const char *const *notes, size_t n,
	      int64_t started_ms, struct zcs_err *err);
/* Inject or clear a fault mid-exercise (the instructor). */
int ex_inject(struct ex_run *x, const char *name, const char *arg, const char *origin,
	      struct zcs_err *err);
int ex_clear(struct ex_run *x, const char *name, struct zcs_err *err);
/* What the trainee reads off the hardware: `zcs-sim instruments`. */
int ex_instruments(struct ex_run *x, char *out, size_t n, struct zcs_err *err);

/* The score now ("key value" lines, see exercise(5) in zcs-data(5)). */
size_t ex_score_text(struct ex_run *x, char *out, size_t n);
/* Store it in the session (before engine_finish), once. */
int ex_score_record(struct ex_run *x, struct zcs_err *err);

/* A score read back from its text. */
struct ex_score {
	int exercise;
	char level[16], trainee[64], result[8];
	int found, missed, wrong, remedies, skipped, forced, nfaults;
	int64_t total_ms, target_ms;
	int target_wrong;
};
int ex_score_parse(const char *text, struct ex_score *s);

/* The instructor's socket: listen on `path` (replaces a stale socket). */
int ex_listen(struct ex_run *x, const char *path, struct zcs_err *err);
/* Accept consoles and answer their commands; call often (never blocks). */
void ex_tick(struct ex_run *x);
void ex_free(struct ex_run *x);

#endif
