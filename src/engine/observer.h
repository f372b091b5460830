/* SPDX-License-Identifier: GPL-3.0-or-later */
/* observer: what the checklist engine tells whoever keeps the record.
 *
 * The engine (src/engine) calls these hooks; the records module
 * (src/records) implements them on SQLite; tests may implement them in
 * memory.  Every hook returns 0, or -1 with `err` filled: the engine then
 * stops and reports, never continuing with an unrecorded verdict.
 * Strings are owned by the engine and valid only during the call.
 * Times are wall-clock milliseconds since the epoch. */
#ifndef ZCS_ENGINE_OBSERVER_H
#define ZCS_ENGINE_OBSERVER_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum eng_status {
	ENG_PENDING, ENG_ACTIVE, ENG_CHECKING, ENG_PASSED, ENG_FAILED,
	ENG_SKIPPED,        /* skipped with the installer's recorded reason */
	ENG_NA              /* not applicable: its condition says so */
};

struct eng_kv {
	const char *key;
	const char *value;
};

/* One live reading kept as evidence. */
struct eng_sample {
	const char *name;        /* register-map name, e.g. grid_power */
	const char *unit;
	double value;
	const char *text;        /* enum label or ascii, "" when none */
	const uint16_t *raw;     /* the words as read */
	unsigned nraw;
	int slave;               /* which unit answered (parallel systems) */
	int64_t wall_ms;         /* when it was read */
	int cached;              /* 1: a `static` register taken from the session
	                            cache (wall_ms: when it was read) */
};

struct eng_session_info {
	const char *installer, *site, *customer;
	const char *serial, *layout, *family, *model;
	const char *fw_com, *fw_master, *fw_slave;
	const char *link;                  /* link_describe() text */
	const char *checklist_version;
	const char *checklist_hash;        /* SHA-256 hex of the checklist files */
	int training;                      /* 1: against the simulator */
	int64_t started_ms;
};

struct eng_verdict {
	const char *step_id;               /* e.g. "grid.ct-sign" */
	const char *section;               /* manual section, e.g. "11.7" */
	const char *title;
	enum eng_status status;
	int64_t started_ms, ended_ms;
	const char *detail;                /* measured against expected, in words */
	const char *remedy;                /* the manual's remedy when failed */
	const char *reason;                /* why skipped or overridden */
	const char *override_by;           /* who overrode, NULL when nobody */
	const struct eng_kv *inputs;       /* the installer's answers for this step */
	size_t ninputs;
	const struct eng_sample *samples;  /* the evidence window */
	size_t nsamples;
};

struct eng_write {
	const char *step_id;
	const char *reg;                   /* register-map name */
	unsigned addr;
	int slave;
	double before, written, readback;
	uint16_t raw_before, raw_written, raw_readback;
	int ok;                            /* read back equals written */
	const char *confirmed_by;
	int64_t wall_ms;
};

struct eng_observer {
	void *ctx;
	int (*session_begin)(void *ctx, const struct eng_session_info *info, struct zcs_err *err);
	/* An answer given by the installer (kept for resume). */
	int (*answer)(void *ctx, const char *step_id, const char *key, const char *value,
		      struct zcs_err *err);
	/* The step became current (kept for resume). */
	int (*step_enter)(void *ctx, const char *step_id, struct zcs_err *err);
	int (*verdict)(void *ctx, const struct eng_verdict *v, struct zcs_err *err);
	int (*write)(void *ctx, const struct eng_write *w, struct zcs_err *err);
	/* what: "lost" or "restored" */
	int (*link_event)(void *ctx, const char *what, const char *detail, int64_t wall_ms,
			  struct zcs_err *err);
	int (*session_end)(void *ctx, int complete, struct zcs_err *err);
	/* The unit answered and was identified (its identify=yes step, once it
	 * has power): serial, layout, model and firmware in `info`.  A session
	 * begins without them (section 12: the record starts before power-up). */
	int (*unit_identified)(void *ctx, const struct eng_session_info *info,
			       struct zcs_err *err);
};

/* What a stored, unfinished session gives back to resume it. */
struct eng_resume_step {
	char *step_id;
	enum eng_status status;
};

struct eng_resume {
	long long session_id;
	char *installer, *site, *customer;
	struct eng_kv *answers;            /* key "step_id.key", malloc'd strings */
	size_t nanswers;
	struct eng_resume_step *steps;     /* the last verdict of each step */
	size_t nsteps;
	char *current_step;                /* the step it was on, or NULL */
	int training;
};

#endif
