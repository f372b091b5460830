/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "engine/exercise.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/util.h"
#include "engine/trainnet.h"

/* 1 when `name` is in the comma-separated list. */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		size_t l = strcspn(p, ",");

		if (l == n && strncmp(p, name, n) == 0)
			return 1;
		p += l + (p[l] == ',');
	}
	return 0;
}

/* ---- the running exercise ---- */

static const char *engine_status_word(enum eng_status st)
{
	static const char *const w[] = { "PENDING", "ACTIVE", "CHECKING", "PASS", "FAIL",
					 "SKIPPED", "N/A" };

	return (unsigned)st < ZCS_ARRAY_LEN(w) ? w[st] : "?";
}

static const struct ex_target *target_of(const struct ex_run *x)
{
	for (int i = 0; x->def && i < x->cat.ntargets; i++)
		if (strcmp(x->cat.targets[i].level, x->def->level) == 0)
			return &x->cat.targets[i];
	return NULL;
}

/* The fault `name` while it is on (a fault fixed and back again is a new
 * one to find). */
static struct ex_live *live_of(struct ex_run *x, const char *name)
{
	for (int i = 0; i < x->nlive; i++)
		if (x->live[i].active && strcmp(x->live[i].name, name) == 0)
			return &x->live[i];
	return NULL;
}

static const char *cur_step(const struct ex_run *x)
{
	return x->cur >= 0 ? x->steps[x->cur].id : "start";
}

/* A chained event in the session, once it has begun. */
static void note(struct ex_run *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct ex_run *x, const char *fmt, ...)
{
	struct zcs_err err = { 0 };
	char text[512];
	va_list ap;

	if (!x->def || !x->started_ms || x->ended_ms || !x->inner.link_event)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	x->inner.link_event(x->inner.ctx, "training", text, 0, &err);
}

static int sim(struct ex_run *x, const char *cmd, struct zcs_err *err)
{
	char reply[256];

	return training_ctl(x->tr, cmd, reply, sizeof reply, err);
}

int ex_inject(struct ex_run *x, const char *name, const char *arg, const char *origin,
	      struct zcs_err *err)
{
	const struct ex_fault *f = ex_fault_find(&x->cat, name);
	struct ex_live *l;
	char cmd[160];

	if (!f)
		return zcs_fail(err, ZCS_USAGE, "no fault '%s' in the catalogue ('catalogue' lists "
				"them)", name);
	if (arg && *arg)
		snprintf(cmd, sizeof cmd, "fault %s on %s", name, arg);
	else if (f->has_arg)
		snprintf(cmd, sizeof cmd, "fault %s on %g", name, f->arg);
	else
		snprintf(cmd, sizeof cmd, "fault %s on", name);
	if (sim(x, cmd, err) < 0)
		return -1;
	l = live_of(x, name);
	if (!l) {
		if (x->nlive == EX_MAX_LIVE)
			return zcs_fail(err, ZCS_USAGE, "already %d faults in this exercise", EX_MAX_LIVE);
		l = &x->live[x->nlive++];
		memset(l, 0, sizeof *l);
		zcs_strlcpy(l->name, name, sizeof l->name);
		zcs_strlcpy(l->origin, origin, sizeof l->origin);
	}
	l->active = 1;
	trainnet_send(x->net, -1, "injected %s %s", name, origin);
	if (strcmp(origin, "exercise"))
		note(x, "the plant changed (%s)", origin);
	return 0;
}

int ex_clear(struct ex_run *x, const char *name, struct zcs_err *err)
{
	struct ex_live *l = live_of(x, name);
	char cmd[160];

	if (!l)
		return zcs_fail(err, ZCS_USAGE, "fault '%s' is not on in this exercise", name);
	snprintf(cmd, sizeof cmd, "fault %s off", name);
	if (sim(x, cmd, err) < 0)
		return -1;
	l->active = 0;
	if (!*l->found_at)          /* taken away before it was found: not counted */
		*l = x->live[--x->nlive];
	trainnet_send(x->net, -1, "cleared %s", name);
	note(x, "the plant changed (instructor)");
	return 0;
}

/* A new exercise: the catalogue, the socket and the observer stay. */
static void reset(struct ex_run *x, const struct ex_def *d, struct training *tr)
{
	x->def = d;
	x->tr = tr;
	*x->trainee = 0;
	x->nlive = x->nsteps = 0;
	x->cur = -1;
	x->cur_since = x->started_ms = x->ended_ms = 0;
	x->wrong = x->remedies = x->skipped = x->forced = x->right = 0;
	x->nremedy_seen = 0;
	x->recorded = 0;
}

int ex_attach(struct ex_run *x, struct training *tr, struct zcs_err *err)
{
	char state[4096], *save, *line;

	reset(x, NULL, tr);
	if (training_ctl_all(tr, "state", state, sizeof state, err) < 0)
		return -1;
	for (line = strtok_r(state, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[48];

		if (sscanf(line, "fault %47s", name) == 1 && ex_fault_find(&x->cat, name) &&
		    x->nlive < EX_MAX_LIVE) {
			struct ex_live *l = &x->live[x->nlive++];

			memset(l, 0, sizeof *l);
			zcs_strlcpy(l->name, name, sizeof l->name);
			zcs_strlcpy(l->origin, "scenario", sizeof l->origin);
			l->active = 1;
		}
	}
	return 0;
}

static struct ex_live *add_live(struct ex_run *x, const char *name, const char *origin)
{
	struct ex_live *l;

	if (x->nlive == EX_MAX_LIVE)
		return NULL;
	l = &x->live[x->nlive++];
	memset(l, 0, sizeof *l);
	zcs_strlcpy(l->name, name, sizeof l->name);
	zcs_strlcpy(l->origin, origin, sizeof l->origin);
	return l;
}

int ex_resume(struct ex_run *x, struct training *tr, const char *const *notes, size_t n,
	      int64_t started_ms, struct zcs_err *err)
{
	const struct ex_def *d = NULL;
	char state[4096], *save, *line;

	for (size_t i = 0; i < n && !d; i++) {
		int num;

		if (sscanf(notes[i], "exercise %d (", &num) == 1)
			d = ex_find(&x->cat, num);
	}
	if (!d)
		return 0;
	reset(x, d, tr);
	x->started_ms = started_ms > 0 ? started_ms : zcs_wall_ms();
	for (size_t i = 0; i < n; i++) {
		char name[48], step[96];
		const char *t = notes[i], *colon;
		size_t len = strlen(t);
		struct ex_live *l;

		if (sscanf(t, "found %47s at %95s", name, step) == 2 &&
		    (l = add_live(x, name, "exercise"))) {
			zcs_strlcpy(l->found_at, step, sizeof l->found_at);
			l->found_ms = x->started_ms;
			l->fixed = 1;       /* unless still on: below */
		} else if (sscanf(t, "remedy read at %95s", step) == 1) {
			if (x->nremedy_seen < EX_MAX_STEPS)
				zcs_strlcpy(x->remedy_seen[x->nremedy_seen++], step,
					    sizeof x->remedy_seen[0]);
			x->remedies++;
		} else if (strncmp(t, "action at ", 10) == 0 && (colon = strstr(t, ": "))) {
			if (len > 12 && strcmp(t + len - 12, " (wrong fix)") == 0) {
				if (x->wrong < EX_MAX_WRONG)
					snprintf(x->wrong_list[x->wrong], sizeof x->wrong_list[0],
						 "%.*s (at %.*s)", (int)(len - 12 - (size_t)(colon + 2 - t)),
						 colon + 2, (int)(colon - t - 10), t + 10);
				x->wrong++;
			} else {
				x->right++;
			}
		}
	}
	/* the faults on in the restored simulator: found ones not fixed yet,
	 * or still to find */
	if (training_ctl_all(tr, "state", state, sizeof state, err) < 0)
		return -1;
	for (line = strtok_r(state, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[48];
		struct ex_live *l = NULL;

		if (sscanf(line, "fault %47s", name) != 1 || !ex_fault_find(&x->cat, name))
			continue;
		for (int i = x->nlive - 1; i >= 0 && !l; i--)
			if (!strcmp(x->live[i].name, name) && x->live[i].fixed)
				l = &x->live[i];
		if (!l)
			l = add_live(x, name, "exercise");
		if (l) {
			l->active = 1;
			l->fixed = 0;
		}
	}
	return 1;
}

int ex_start(struct ex_run *x, struct training *tr, const struct ex_def *d, struct zcs_err *err)
{
	const char *p;

	reset(x, d, tr);
	if (training_start(tr, d->base, err) < 0)
		return -1;
	for (p = d->faults; *p;) {
		size_t l = strcspn(p, ",");
		char name[48];

		snprintf(name, sizeof name, "%.*s", (int)l, p);
		if (ex_inject(x, name, NULL, "exercise", err) < 0) {
			training_stop(tr);
			return -1;
		}
		p += l + (p[l] == ',');
	}
	trainnet_send(x->net, -1, "exercise %d %s faults=%s", d->number, d->level,
		      *d->faults ? d->faults : "-");
	return 0;
}

const char *ex_title(const struct ex_run *x, char *buf, size_t n)
{
	snprintf(buf, n, "Exercise %d", x->def ? x->def->number : 0);
	return buf;
}

/* ---- the observer: everything passes through, the exercise watches ---- */

static struct ex_step_time *step_of(struct ex_run *x, const char *id)
{
	for (int i = 0; i < x->nsteps; i++)
		if (strcmp(x->steps[i].id, id) == 0)
			return &x->steps[i];
	if (x->nsteps == EX_MAX_STEPS)
		return NULL;
	memset(&x->steps[x->nsteps], 0, sizeof x->steps[0]);
	zcs_strlcpy(x->steps[x->nsteps].id, id, sizeof x->steps[0].id);
	return &x->steps[x->nsteps++];
}

static void clock_step(struct ex_run *x, int64_t now)
{
	if (x->cur >= 0 && x->cur_since)
		x->steps[x->cur].ms += now - x->cur_since;
	x->cur_since = now;
}

static int w_begin(void *ctx, const struct eng_session_info *info, struct zcs_err *err)
{
	struct ex_run *x = ctx;

	if (x->inner.session_begin && x->inner.session_begin(x->inner.ctx, info, err) < 0)
		return -1;
	zcs_strlcpy(x->trainee, info->installer ? info->installer : "", sizeof x->trainee);
	trainnet_send(x->net, -1, "trainee %s", x->trainee);
	if (!x->started_ms) {   /* not a resumed exercise */
		x->started_ms = zcs_wall_ms();
		note(x, "exercise %d (%s) begins", x->def ? x->def->number : 0,
		     x->def ? x->def->level : "");
	}
	return 0;
}

static int w_answer(void *ctx, const char *step_id, const char *key, const char *value,
		    struct zcs_err *err)
{
	struct ex_run *x = ctx;

	return x->inner.answer ? x->inner.answer(x->inner.ctx, step_id, key, value, err) : 0;
}

static int w_step_enter(void *ctx, const char *step_id, struct zcs_err *err)
{
	struct ex_run *x = ctx;
	struct ex_step_time *s;

	if (x->inner.step_enter && x->inner.step_enter(x->inner.ctx, step_id, err) < 0)
		return -1;
	clock_step(x, zcs_wall_ms());
	s = step_of(x, step_id);
	x->cur = s ? (int)(s - x->steps) : -1;
	trainnet_send(x->net, -1, "step %d %s", x->cur + 1, step_id);
	return 0;
}

static void found(struct ex_run *x, struct ex_live *l, const char *step)
{
	zcs_strlcpy(l->found_at, step, sizeof l->found_at);
	l->found_ms = zcs_wall_ms();
	trainnet_send(x->net, -1, "found %s %s", l->name, step);
	note(x, "found %s at %s", l->name, step);
}

static int w_verdict(void *ctx, const struct eng_verdict *v, struct zcs_err *err)
{
	struct ex_run *x = ctx;
	struct ex_step_time *s;

	if (x->inner.verdict && x->inner.verdict(x->inner.ctx, v, err) < 0)
		return -1;
	if ((s = step_of(x, v->step_id)))
		zcs_strlcpy(s->status, engine_status_word(v->status), sizeof s->status);
	x->skipped += v->status == ENG_SKIPPED;
	x->forced += v->override_by != NULL;
	if (v->status == ENG_FAILED)
		for (int i = 0; i < x->nlive; i++) {
			struct ex_live *l = &x->live[i];
			const struct ex_fault *f = ex_fault_find(&x->cat, l->name);

			if (l->active && !*l->found_at && f &&
			    (in_list(f->catch_steps, v->step_id) || !strcmp(f->catch_steps, "any")))
				found(x, l, v->step_id);
		}
	trainnet_send(x->net, -1, "verdict %s %s %.0f", v->step_id,
		      engine_status_word(v->status),
		      s ? (double)(s->ms + (x->cur >= 0 && s == &x->steps[x->cur] && x->cur_since
					     ? zcs_wall_ms() - x->cur_since : 0)) / 1000.0 : 0.0);
	return 0;
}

static int w_write(void *ctx, const struct eng_write *w, struct zcs_err *err)
{
	struct ex_run *x = ctx;

	return x->inner.write ? x->inner.write(x->inner.ctx, w, err) : 0;
}

static int w_link_event(void *ctx, const char *what, const char *detail, int64_t wall_ms,
			struct zcs_err *err)
{
	struct ex_run *x = ctx;

	if (x->inner.link_event && x->inner.link_event(x->inner.ctx, what, detail, wall_ms, err) < 0)
		return -1;
	if (!strcmp(what, "lost") || !strcmp(what, "restored"))
		trainnet_send(x->net, -1, "link %s", what);
	if (!strcmp(what, "lost"))
		for (int i = 0; i < x->nlive; i++) {
			const struct ex_fault *f = ex_fault_find(&x->cat, x->live[i].name);

			if (x->live[i].active && !*x->live[i].found_at && f &&
			    !strcmp(f->catch_steps, "any"))
				found(x, &x->live[i], cur_step(x));
		}
	return 0;
}

static int w_end(void *ctx, int complete, struct zcs_err *err)
{
	struct ex_run *x = ctx;

	if (!x->ended_ms) {
		clock_step(x, zcs_wall_ms());
		x->ended_ms = zcs_wall_ms();
	}
	return x->inner.session_end ? x->inner.session_end(x->inner.ctx, complete, err) : 0;
}

static int w_identified(void *ctx, const struct eng_session_info *info, struct zcs_err *err)
{
	struct ex_run *x = ctx;

	return x->inner.unit_identified ? x->inner.unit_identified(x->inner.ctx, info, err) : 0;
}

void ex_observer(struct ex_run *x, struct eng_observer *obs)
{
	x->inner = *obs;
	obs->ctx = x;
	obs->session_begin = w_begin;
	obs->answer = w_answer;
	obs->step_enter = w_step_enter;
	obs->verdict = w_verdict;
	obs->write = w_write;
	obs->link_event = w_link_event;
	obs->session_end = w_end;
	obs->unit_identified = w_identified;
}

/* ---- the trainee's actions ---- */

int ex_nactions(const struct ex_run *x)
{
	return x->cat.nactions;
}

const char *ex_action_label(const struct ex_run *x, int i)
{
	return i >= 0 && i < x->cat.nactions ? x->cat.actions[i].label : "";
}

int ex_act(struct ex_run *x, int i, const char *step_id, char *said, size_t n,
	   struct zcs_err *err)
{
	const struct ex_action *a;
	int right = 0;

	if (i < 0 || i >= x->cat.nactions)
		return zcs_fail(err, ZCS_USAGE, "no such action");
	a = &x->cat.actions[i];
	for (int k = 0; k < x->nlive; k++) {
		struct ex_live *l = &x->live[k];
		char cmd[160];

		if (!l->active || !in_list(a->fixes, l->name))
			continue;
		snprintf(cmd, sizeof cmd, "fault %s off", l->name);
		if (sim(x, cmd, err) < 0)
			return -1;
		l->active = 0;
		l->fixed = 1;
		if (!*l->found_at)
			found(x, l, step_id && *step_id ? step_id : cur_step(x));
		right = 1;
	}
	if (right) {
		x->right++;
		snprintf(said, n, _("done: %s"), i18n_tr(a->label));
		trainnet_send(x->net, -1, "fix right %s %s", a->id, step_id ? step_id : "-");
		note(x, "action at %s: %s", step_id ? step_id : "-", a->label);
		return 1;
	}
	/* a wrong fix: counted, and its own consequence */
	if (x->wrong < EX_MAX_WRONG) {
		char at[96], label[160];

		zcs_strlcpy(at, step_id && *step_id ? step_id : cur_step(x), sizeof at);
		zcs_strlcpy(label, a->label, sizeof label);
		snprintf(x->wrong_list[x->wrong], sizeof x->wrong_list[0], "%s (at %s)", label, at);
	}
	x->wrong++;
	{
		char cmds[256], *save, *c;

		zcs_strlcpy(cmds, a->else_cmd, sizeof cmds);
		for (c = strtok_r(cmds, ";", &save); c; c = strtok_r(NULL, ";", &save)) {
			char name[48];

			c += strspn(c, " ");
			if (sscanf(c, "fault %47s on", name) == 1 && ex_fault_find(&x->cat, name)) {
				if (ex_inject(x, name, NULL, "wrong-fix", err) < 0)
					return -1;
			} else if (sim(x, c, err) < 0) {
				return -1;
			}
		}
	}
	snprintf(said, n, _("wrong fix (counted): %s"), i18n_tr(a->wrong));
	trainnet_send(x->net, -1, "fix wrong %s %s", a->id, step_id ? step_id : "-");
	note(x, "action at %s: %s (wrong fix)", step_id ? step_id : "-", a->label);
	return 0;
}

int ex_remedy_was_read(const struct ex_run *x, const char *step_id)
{
	for (int i = 0; i < x->nremedy_seen; i++)
		if (strcmp(x->remedy_seen[i], step_id) == 0)
			return 1;
	return 0;
}

void ex_remedy_read(struct ex_run *x, const char *step_id)
{
	for (int i = 0; i < x->nremedy_seen; i++)
		if (strcmp(x->remedy_seen[i], step_id) == 0)
			return;
	if (x->nremedy_seen < EX_MAX_STEPS)
		zcs_strlcpy(x->remedy_seen[x->nremedy_seen++], step_id, sizeof x->remedy_seen[0]);
	x->remedies++;
	trainnet_send(x->net, -1, "remedy %s", step_id);
	note(x, "remedy read at %s", step_id);
}

int ex_instruments(struct ex_run *x, char *out, size_t n, struct zcs_err *err)
{
	return training_ctl_all(x->tr, "instruments", out, n, err);
}

/* ---- the score ---- */

static void counts(const struct ex_run *x, int *nfound, int *nmissed)
{
	*nfound = *nmissed = 0;
	for (int i = 0; i < x->nlive; i++) {
		if (*x->live[i].found_at)
			(*nfound)++;
		else
			(*nmissed)++;
	}
}

static int64_t total_ms(const struct ex_run *x)
{
	if (!x->started_ms)
		return 0;
	return (x->ended_ms ? x->ended_ms : zcs_wall_ms()) - x->started_ms;
}

size_t ex_score_text(struct ex_run *x, char *out, size_t n)
{
	const struct ex_target *t = target_of(x);
	int nf, nm, pass;
	int64_t tot = total_ms(x);
	size_t len = 0;

#define ADD(...) do { if (len < n) len += (size_t)snprintf(out + len, n - len, __VA_ARGS__); } while (0)
	counts(x, &nf, &nm);
	pass = nm == 0 && (!t || (x->wrong <= t->wrong && tot <= (int64_t)t->minutes * 60000));
	ADD("exercise %d\nlevel %s\ntrainee %s\n", x->def ? x->def->number : 0,
	    x->def ? x->def->level : "-", x->trainee);
	ADD("total_ms %lld\n", (long long)tot);
	if (t)
		ADD("target_minutes %d\ntarget_wrong %d\n", t->minutes, t->wrong);
	ADD("faults %d\nfound %d\nmissed %d\nwrong %d\nright %d\nremedies %d\nskipped %d\n"
	    "forced %d\nresult %s\n", x->nlive, nf, nm, x->wrong, x->right, x->remedies,
	    x->skipped, x->forced, pass ? "pass" : "fail");
	for (int i = 0; i < x->nlive; i++) {
		const struct ex_live *l = &x->live[i];
		const struct ex_fault *f = ex_fault_find(&x->cat, l->name);

		ADD("fault %s %s %s %s %.0f\n", l->name, l->origin, *l->found_at ? l->found_at : "-",
		    l->fixed ? "fixed" : l->active ? "left" : "cleared",
		    *l->found_at && x->started_ms ? (double)(l->found_ms - x->started_ms) / 1000.0 : 0.0);
		if (f)
			ADD("describe %s %s (manual %s; caught at %s)\n", l->name, f->describe,
			    f->section, f->catch_steps);
	}
	for (int i = 0; i < x->wrong && i < EX_MAX_WRONG; i++)
		ADD("wrong_fix %s\n", x->wrong_list[i]);
	for (int i = 0; i < x->nremedy_seen; i++)
		ADD("remedy_read %s\n", x->remedy_seen[i]);
	for (int i = 0; i < x->nsteps; i++) {
		int64_t ms = x->steps[i].ms;

		if (i == x->cur && x->cur_since && !x->ended_ms)
			ms += zcs_wall_ms() - x->cur_since;
		ADD("step %s %.1f %s\n", x->steps[i].id, (double)ms / 1000.0,
		    *x->steps[i].status ? x->steps[i].status : "-");
	}
#undef ADD
	return len;
}

int ex_score_record(struct ex_run *x, struct zcs_err *err)
{
	char text[16384];
	struct ex_score s;

	if (!x->def || x->recorded || !x->inner.link_event)
		return 0;
	clock_step(x, zcs_wall_ms());
	x->ended_ms = zcs_wall_ms();
	ex_score_text(x, text, sizeof text);
	if (x->inner.link_event(x->inner.ctx, "training-score", text, 0, err) < 0)
		return -1;
	x->recorded = 1;
	ex_score_parse(text, &s);
	trainnet_send(x->net, -1, "score found=%d missed=%d wrong=%d total=%.0f result=%s",
		      s.found, s.missed, s.wrong, (double)s.total_ms / 1000.0, s.result);
	return 0;
}

int ex_score_parse(const char *text, struct ex_score *s)
{
	const char *p = text;

	memset(s, 0, sizeof *s);
	while (p && *p) {
		char key[32], val[200];
		size_t l = strcspn(p, "\n");
		long long v;

		if (sscanf(p, "%31s %199[^\n]", key, val) == 2) {
			v = atoll(val);
			if (!strcmp(key, "exercise")) s->exercise = (int)v;
			else if (!strcmp(key, "level")) zcs_strlcpy(s->level, val, sizeof s->level);
			else if (!strcmp(key, "trainee")) zcs_strlcpy(s->trainee, val, sizeof s->trainee);
			else if (!strcmp(key, "result")) zcs_strlcpy(s->result, val, sizeof s->result);
			else if (!strcmp(key, "total_ms")) s->total_ms = v;
			else if (!strcmp(key, "target_minutes")) s->target_ms = v * 60000;
			else if (!strcmp(key, "target_wrong")) s->target_wrong = (int)v;
			else if (!strcmp(key, "faults")) s->nfaults = (int)v;
			else if (!strcmp(key, "found")) s->found = (int)v;
			else if (!strcmp(key, "missed")) s->missed = (int)v;
			else if (!strcmp(key, "wrong")) s->wrong = (int)v;
			else if (!strcmp(key, "remedies")) s->remedies = (int)v;
			else if (!strcmp(key, "skipped")) s->skipped = (int)v;
			else if (!strcmp(key, "forced")) s->forced = (int)v;
		}
		p += l + (p[l] == '\n');
	}
	return *s->result ? 0 : -1;
}

/* ---- the instructor's socket ---- */

int ex_listen(struct ex_run *x, const char *path, struct zcs_err *err)
{
	x->net = trainnet_listen(path, err);
	return x->net ? 0 : -1;
}

static void status_to(struct ex_run *x, int c)
{
	int nf, nm;

	if (x->def)
		trainnet_send(x->net, c, "exercise %d %s faults=%s", x->def->number, x->def->level,
			      *x->def->faults ? x->def->faults : "-");
	if (*x->trainee)
		trainnet_send(x->net, c, "trainee %s", x->trainee);
	for (int i = 0; i < x->nlive; i++)
		trainnet_send(x->net, c, "%s %s %s", x->live[i].active ? "injected" : "cleared",
			      x->live[i].name, x->live[i].origin);
	for (int i = 0; i < x->nlive; i++)
		if (*x->live[i].found_at)
			trainnet_send(x->net, c, "found %s %s", x->live[i].name, x->live[i].found_at);
	if (x->cur >= 0)
		trainnet_send(x->net, c, "step %d %s", x->cur + 1, x->steps[x->cur].id);
	counts(x, &nf, &nm);
	trainnet_send(x->net, c, "progress found=%d open=%d wrong=%d remedies=%d skipped=%d "
		      "time=%.0f", nf, nm, x->wrong, x->remedies, x->skipped,
		      (double)total_ms(x) / 1000.0);
}

static void command(struct ex_run *x, int c, char *line)
{
	struct zcs_err err = { 0 };
	char *save, *w = strtok_r(line, " ", &save), *a1 = strtok_r(NULL, " ", &save),
	     *a2 = strtok_r(NULL, " ", &save);

	if (!w) {
		return;
	} else if (!strcmp(w, "inject") && a1) {
		if (x->ended_ms || ex_inject(x, a1, a2, "instructor", &err) < 0)
			goto fail;
		trainnet_send(x->net, c, "ok inject %s", a1);
	} else if (!strcmp(w, "clear") && a1) {
		if (x->ended_ms || ex_clear(x, a1, &err) < 0)
			goto fail;
		trainnet_send(x->net, c, "ok clear %s", a1);
	} else if (!strcmp(w, "status")) {
		status_to(x, c);
		trainnet_send(x->net, c, "ok status");
	} else if (!strcmp(w, "catalogue")) {
		for (int i = 0; i < x->cat.nfaults; i++)
			trainnet_send(x->net, c, "fault %s %d catch=%s %s", x->cat.faults[i].name,
				      x->cat.faults[i].level, x->cat.faults[i].catch_steps,
				      x->cat.faults[i].describe);
		trainnet_send(x->net, c, "ok catalogue");
	} else if (!strcmp(w, "help")) {
		trainnet_send(x->net, c, "commands: inject FAULT [ARG], clear FAULT, status, "
			      "catalogue, help");
		trainnet_send(x->net, c, "ok help");
	} else {
		trainnet_send(x->net, c, "error: unknown command '%s': inject FAULT [ARG], clear "
			      "FAULT, status, catalogue, help", w);
	}
	return;
fail:
	trainnet_send(x->net, c, "error: %s", x->ended_ms ? "the exercise has ended" : err.msg);
}

void ex_tick(struct ex_run *x)
{
	char line[1024];
	int c, rc, budget = 16;

	while (x->net && budget-- > 0 && (rc = trainnet_poll(x->net, &c, line, sizeof line)) > 0) {
		if (rc == 2)
			trainnet_send(x->net, c, "hello zcs-training 1");
		else
			command(x, c, line);
	}
}

void ex_free(struct ex_run *x)
{
	trainnet_close(x->net);
	x->net = NULL;
}
