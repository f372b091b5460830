/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "engine/runner.h"

#include "base/i18n.h"
#include "engine/l10n.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "base/lex.h"
#include "base/util.h"

/* ---- the answers file ------------------------------------------------------- */

enum ans_kind { A_ANSWER, A_CONFIRM, A_DONE, A_WRITE, A_SKIP };

struct ans_line {
	enum ans_kind kind;
	char *key;          /* question name or step id */
	char *value;
	int line;
};

struct answers {
	char *path;
	struct ans_line *v;
	size_t n;
	int units[ENG_MAX_UNITS];
	int nunits;
};

static void answers_free(struct answers *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->v[i].key);
		free(a->v[i].value);
	}
	free(a->v);
	free(a->path);
}

static int answers_units(struct answers *a, const struct lex_file *lf, const struct lex_line *ln,
			 struct zcs_err *err)
{
	for (int i = 1; i < ln->n; i++) {
		long s;
		if (ln->tok[i].key || zcs_parse_long(ln->tok[i].val, &s) || s < 1 || s > 247)
			return lex_fail(lf, ln->lineno, err, "units: slave ids 1-247, e.g. 'units 1 2 3'");
		if (a->nunits == ENG_MAX_UNITS)
			return lex_fail(lf, ln->lineno, err, "units: at most %d", ENG_MAX_UNITS);
		a->units[a->nunits++] = (int)s;
	}
	return 0;
}

static int answers_line(struct answers *a, const struct lex_file *lf, const struct lex_line *ln,
			struct zcs_err *err)
{
	static const struct { const char *word; enum ans_kind kind; } kinds[] = {
		{ "confirm", A_CONFIRM }, { "done", A_DONE }, { "write", A_WRITE }, { "skip", A_SKIP },
	};
	const char *w = ln->tok[0].val;
	enum ans_kind kind = A_ANSWER;
	int first = 0;

	if (ln->tok[0].key)
		return lex_fail(lf, ln->lineno, err, "write 'name value', not name=value");
	if (strcmp(w, "units") == 0)
		return answers_units(a, lf, ln, err);
	for (size_t i = 0; i < ZCS_ARRAY_LEN(kinds); i++)
		if (strcmp(w, kinds[i].word) == 0) {
			kind = kinds[i].kind;
			first = 1;
		}
	if (ln->n != first + 2 || ln->tok[first + 1].key)
		return lex_fail(lf, ln->lineno, err, kind == A_ANSWER
				? "'%s' needs exactly one value (quote values with spaces)"
				: "'%s STEP VALUE' expected", w);
	a->v = xrealloc(a->v, (a->n + 1) * sizeof *a->v);
	struct ans_line *l = &a->v[a->n++];
	l->kind = kind;
	l->key = xstrdup(ln->tok[first].val);
	l->value = xstrdup(ln->tok[first + 1].val);
	l->line = ln->lineno;
	if (kind != A_ANSWER && kind != A_SKIP && kind != A_DONE && strcmp(l->value, "yes") &&
	    strcmp(l->value, "no"))
		return lex_fail(lf, ln->lineno, err, "%s %s: answer yes or no", w, l->key);
	if (kind == A_DONE && !strcmp(l->value, ""))
		return lex_fail(lf, ln->lineno, err, "done %s: yes (every action of the step) or "
				"the action's words (\"pv 3000\")", l->key);
	return 0;
}

static int answers_load(const char *path, struct answers *a, struct zcs_err *err)
{
	struct lex_file lf;
	struct lex_line ln;
	int r;

	memset(a, 0, sizeof *a);
	a->path = xstrdup(path);
	if (lex_open(&lf, path, err))
		return -1;
	while ((r = lex_next(&lf, &ln, err)) == 1)
		if (answers_line(a, &lf, &ln, err)) {
			r = -1;
			break;
		}
	lex_close(&lf);
	return r;
}

static const struct ans_line *answers_find(const struct answers *a, enum ans_kind kind,
					   const char *key)
{
	for (size_t i = a->n; i-- > 0;)
		if (a->v[i].kind == kind && strcmp(a->v[i].key, key) == 0)
			return &a->v[i];
	return NULL;
}

static const char *answer_text(const struct answers *a, const char *key)
{
	const struct ans_line *l = answers_find(a, A_ANSWER, key);
	return l ? l->value : NULL;
}

/* Every line must name a question or a step of the checklist. */
static int answers_check(const struct answers *a, const struct checklist *c, struct zcs_err *err)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct ans_line *l = &a->v[i];
		if (l->kind == A_ANSWER ? !checklist_input(c, l->key, NULL)
					: checklist_find(c, l->key) < 0)
			return zcs_fail(err, ZCS_DATA, "%s:%d: %s '%s' is not in the checklist (%s)",
					a->path, l->line, l->kind == A_ANSWER ? "question" : "step",
					l->key, l->kind == A_ANSWER ? "see the 'ask' lines"
								    : "see the 'step' lines");
	}
	return 0;
}

/* ---- printing --------------------------------------------------------------- */

static const char *tag(enum eng_status s)
{
	switch (s) {
	case ENG_PASSED: return "PASS";
	case ENG_FAILED: return "FAIL";
	case ENG_SKIPPED: return "SKIP";
	case ENG_NA: return "N/A ";
	default: return "....";
	}
}

static void print_indented(FILE *f, const char *prefix, const char *text)
{
	const char *p = text;

	while (p && *p) {
		size_t n = strcspn(p, "\n");
		fprintf(f, "       %s%.*s\n", prefix, (int)n, p);
		p += n;
		if (*p)
			p++;
		prefix = prefix[0] ? "  " : "";
	}
}

static void print_samples(FILE *f, struct engine *e, int index)
{
	const struct eng_sample *s;
	size_t n = engine_evidence(e, index, &s);

	for (size_t i = 0; i < n; i++) {
		char ts[32], raw[80] = "";
		size_t len = 0;
		for (unsigned k = 0; k < s[i].nraw && len + 8 < sizeof raw; k++)
			len += (size_t)snprintf(raw + len, sizeof raw - len, "%s%04X", k ? " " : "",
						s[i].raw[k]);
		fprintf(f, "         %s slave %d %-20s %12g %-4s [%s]%s%s%s\n",
			zcs_iso_time(s[i].wall_ms, ts, sizeof ts) + 11, s[i].slave, s[i].name,
			s[i].value, s[i].unit, raw, *s[i].text ? " " : "", s[i].text,
			s[i].cached ? " (session cache)" : "");
	}
}

/* What the step's reads took on the line against their floor (the same
 * evidence in the fewest bytes and silences). */
static void print_wire(FILE *f, const struct link_params *lp, const struct eng_step_info *s,
		       unsigned long reqs, unsigned long long bytes, double ms)
{
	double floor_ms = link_frame_ms(lp, s->floor_bytes, 2 * s->floor_requests);

	fprintf(f, "       wire: %lu request%s, %llu bytes, %.1f ms at %d baud; floor %lu, %llu "
		"bytes, %.1f ms", reqs, reqs == 1 ? "" : "s", bytes, ms, lp->baud, s->floor_requests,
		s->floor_bytes, floor_ms);
	if (floor_ms > 0)
		fprintf(f, " (%.2fx)", ms / floor_ms);
	if (s->window_cached)
		fprintf(f, "; %d sample%s from the session cache", s->window_cached,
			s->window_cached == 1 ? "" : "s");
	fputc('\n', f);
}

static void print_verdict(FILE *f, const struct eng_step_info *s, int quiet)
{
	/* in the language shown (engine/l10n.h); the record keeps English */
	char *title = l10n_text(s->title), *detail = l10n_detail(s->detail);
	char *remedy = l10n_detail(s->remedy);

	fprintf(f, "[%s] %-28s §%-6s %s\n", tag(s->status), s->id, s->section, title);
	free(title);
	if ((quiet && s->status != ENG_FAILED) || s->status == ENG_NA) {
		free(detail);
		free(remedy);
		return;
	}
	print_indented(f, "", detail);
	if (s->live_check && (s->status == ENG_PASSED || s->status == ENG_FAILED))
		fprintf(f, "       evidence: %d poll%s over %.1f s (window: %d polls, %.1f s)\n",
			s->window_have, s->window_have == 1 ? "" : "s", s->window_secs,
			s->window_need, s->window_need_secs);
	if (s->status == ENG_FAILED && s->remedy)
		print_indented(f, _("remedy: "), remedy);
	free(detail);
	free(remedy);
}

/* ---- one step ----------------------------------------------------------------- */

struct run {
	const struct runner_opts *o;
	struct answers ans;
	struct engine *e;
	FILE *out;
	struct link *l;
	/* the line: at the step's start, and the floor of every verdict */
	struct link_stats at_step;
	unsigned long floor_reqs;
	unsigned long long floor_bytes;
	double windows_s;                   /* the evidence windows asked for */
	int64_t started_ms;
	unsigned long step_wreqs;           /* the current step's writes' floor */
	unsigned long long step_wbytes;
	char *who;
	const struct eng_observer *inner;   /* the caller's observer, may be NULL */
	struct eng_observer tee;            /* prints link events, forwards all */
};

/* ---- the observer: link events printed as they happen, all forwarded -------- */

#define INNER(r, hook) ((r)->inner && (r)->inner->hook)

static int tee_begin(void *ctx, const struct eng_session_info *info, struct zcs_err *err)
{
	struct run *r = ctx;
	return INNER(r, session_begin) ? r->inner->session_begin(r->inner->ctx, info, err) : 0;
}

static int tee_answer(void *ctx, const char *step, const char *key, const char *value,
		      struct zcs_err *err)
{
	struct run *r = ctx;
	return INNER(r, answer) ? r->inner->answer(r->inner->ctx, step, key, value, err) : 0;
}

static int tee_enter(void *ctx, const char *step, struct zcs_err *err)
{
	struct run *r = ctx;
	return INNER(r, step_enter) ? r->inner->step_enter(r->inner->ctx, step, err) : 0;
}

static int tee_verdict(void *ctx, const struct eng_verdict *v, struct zcs_err *err)
{
	struct run *r = ctx;
	return INNER(r, verdict) ? r->inner->verdict(r->inner->ctx, v, err) : 0;
}

static int tee_write(void *ctx, const struct eng_write *w, struct zcs_err *err)
{
	struct run *r = ctx;
	return INNER(r, write) ? r->inner->write(r->inner->ctx, w, err) : 0;
}

static int tee_link(void *ctx, const char *what, const char *detail, int64_t wall_ms,
		    struct zcs_err *err)
{
	struct run *r = ctx;
	char ts[32];

	fprintf(r->out, "%s %s %s: %s%s\n", zcs_iso_time(wall_ms, ts, sizeof ts),
		strcmp(what, "busy") && strcmp(what, "ready") && strcmp(what, "silent") ? "link"
		: "logger", what, detail,
		!strcmp(what, "lost") ? "; polling and checks paused, the session waits"
		: !strcmp(what, "busy") ? "; checks paused, their clocks stopped: no step fails "
		"for it" : "; carrying on");
	fflush(r->out);
	return INNER(r, link_event) ? r->inner->link_event(r->inner->ctx, what, detail, wall_ms, err)
				    : 0;
}

static int tee_end(void *ctx, int complete, struct zcs_err *err)
{
	struct run *r = ctx;
	return INNER(r, session_end) ? r->inner->session_end(r->inner->ctx, complete, err) : 0;
}

static void print_unit(FILE *f, const struct unit_ident *id, const char *version)
{
	fprintf(f, "unit %s (%s, %s), checklist %s\n", id->serial, id->layout, id->family,
		version);
}

static int tee_unit(void *ctx, const struct eng_session_info *info, struct zcs_err *err)
{
	struct run *r = ctx;

	fprintf(r->out, "       identified: ");
	print_unit(r->out, engine_ident(r->e), engine_checklist(r->e)->version);
	return INNER(r, unit_identified) ? r->inner->unit_identified(r->inner->ctx, info, err)
					 : 0;
}

static void tee_init(struct run *r, const struct eng_observer *inner)
{
	r->inner = inner;
	r->tee = (struct eng_observer){ r, tee_begin, tee_answer, tee_enter, tee_verdict,
					tee_write, tee_link, tee_end, tee_unit };
}

static int give_answers(struct run *r, const struct eng_step_info *s, struct zcs_err *err)
{
	for (size_t i = 0; i < s->ninputs; i++) {
		const struct eng_input_info *in = &s->inputs[i];
		const struct ans_line *l = answers_find(&r->ans, A_ANSWER, in->key);
		if (!l)
			continue;
		if (engine_answer(r->e, in->key, l->value, err))
			return zcs_prefix(err, "%s:%d: ", r->ans.path, l->line);
	}
	return 0;
}

static int run_act(struct run *r, const char *words, struct zcs_err *err)
{
	char *cmd = xasprintf("%s %s", r->o->act, words);
	int st;

	fflush(r->out);
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		zcs_fail(err, ZCS_SYS, "the action command '%s' failed (status %d)", cmd,
			 st == -1 ? -1 : WEXITSTATUS(st));
		free(cmd);
		return -1;
	}
	free(cmd);
	return 0;
}

/* A "done STEP yes" line covers every action of the step, "done STEP
 * WORDS" the one action with those words; --act performs the others. */
static int done_by_hand(const struct run *r, const char *step, const char *words)
{
	for (size_t i = 0; i < r->ans.n; i++) {
		const struct ans_line *l = &r->ans.v[i];
		if (l->kind == A_DONE && !strcmp(l->key, step) &&
		    (!strcmp(l->value, "yes") || !strcmp(l->value, words)))
			return 1;
	}
	return 0;
}

static int yes(const struct run *r, enum ans_kind kind, const char *step)
{
	const struct ans_line *l = answers_find(&r->ans, kind, step);
	return l && strcmp(l->value, "yes") == 0;
}

/* Every request the step would send: each register of its span with what
 * was read and what will be sent, and the request's bytes. */
static void print_sets(struct run *r)
{
	const struct eng_write_set *ws;
	size_t n = engine_write_sets(r->e, &ws);

	for (size_t i = 0; i < n; i++) {
		const struct eng_write_set *w = &ws[i];
		fprintf(r->out, "       write %s (slave %d): one FC 0x10 of %u register%s at 0x%04X\n",
			w->name, w->slave, w->words, w->words == 1 ? "" : "s", w->addr);
		if (w->refused) {
			fprintf(r->out, "         REFUSED, nothing will be sent: %s\n", w->refused);
			continue;
		}
		for (size_t j = 0; j < w->nlines; j++) {
			const struct eng_write_line *l = &w->lines[j];
			if (l->changed)
				fprintf(r->out, "         %-22s %s -> %s%s\n", l->reg, l->before,
					l->sent, l->commit ? " (commit)" : "");
			else
				fprintf(r->out, "         %-22s %s (sent back as read)\n", l->reg,
					l->sent);
		}
		fprintf(r->out, "         frame: %s\n", w->frame);
	}
}

static int handle_writes(struct run *r, const char *step, struct zcs_err *err)
{
	const struct eng_write_offer *w;
	size_t n = engine_write_offers(r->e, &w);

	if (engine_link_lost(r->e))
		return 0;       /* offered again once the link is back */
	if (n == 0)
		return engine_write_decline(r->e, err);
	for (size_t i = 0; i < n; i++)
		fprintf(r->out, "       write offer: %s (0x%04X, slave %d) %s -> %s\n", w[i].label,
			w[i].addr, w[i].slave, w[i].current_text, w[i].proposed_text);
	print_sets(r);
	if (!yes(r, A_WRITE, step)) {
		fprintf(r->out, "       not written: no 'write %s yes' in %s\n", step, r->ans.path);
		return engine_write_decline(r->e, err);
	}
	/* the floor of a safe write: the span read, the FC 0x10, the commit
	 * status read once, the span read back */
	const struct eng_write_set *ws;
	size_t nws = engine_write_sets(r->e, &ws);
	unsigned long wreqs = 0;
	unsigned long long wbytes = 0;
	for (size_t i = 0; i < nws; i++) {
		int commit = 0;
		if (!ws[i].sends)
			continue;
		for (size_t k = 0; k < ws[i].nlines; k++)
			commit |= ws[i].lines[k].commit;
		wreqs += 3 + (unsigned long)commit;
		wbytes += 2 * (13 + 2ull * ws[i].words) + (9 + 2ull * ws[i].words + 8) +
			  (commit ? 15 : 0);
	}
	if (engine_write_apply(r->e, r->who, err)) {
		fprintf(r->out, "       write failed: %s\n", err->msg);
		return err->code == ZCS_LINK ? 0 : engine_write_decline(r->e, err);
	}
	if (engine_dry_run_writes(r->e)) {
		fprintf(r->out, "       dry run: nothing sent (the frames above would be)\n");
	} else {
		fprintf(r->out, "       written and read back (confirmed by %s)\n", r->who);
		r->step_wreqs += wreqs;
		r->step_wbytes += wbytes;
	}
	return 0;
}

/* Feed what the step waits for.  -1 with err when the answers file lacks it. */
static int feed(struct run *r, const struct eng_step_info *s, struct zcs_err *err)
{
	const char *id = s->id;
	int i = engine_current(r->e);
	struct eng_step_info v;

	engine_step(r->e, i, &v);
	while (v.action) {
		if (done_by_hand(r, id, v.action)) {
			if (!r->o->quiet && r->o->act)
				fprintf(r->out, "       action: %s (%s): done by hand, %s\n",
					v.action_say, v.action, r->ans.path);
		} else if (r->o->act) {
			if (!r->o->quiet)
				fprintf(r->out, "       action: %s (%s)\n", v.action_say, v.action);
			if (run_act(r, v.action, err))
				return -1;
		} else {
			return zcs_fail(err, ZCS_DATA,
					"step %s needs the installer to: %s; give --act CMD, "
					"'done %s yes' or 'done %s \"%s\"' in %s", id, v.action_say,
					id, id, v.action, r->ans.path);
		}
		if (engine_action_done(r->e, err))
			return -1;
		engine_step(r->e, i, &v);
	}
	engine_step(r->e, i, &v);
	if (v.confirm) {
		if (!yes(r, A_CONFIRM, id))
			return zcs_fail(err, ZCS_DATA,
					"step %s needs the installer's confirmation: %s; add "
					"'confirm %s yes' to %s", id, v.confirm, id, r->ans.path);
		if (engine_confirm(r->e, r->who, err))
			return -1;
	}
	engine_step(r->e, i, &v);
	if (v.waiting_for && strncmp(v.waiting_for, "an answer", 9) == 0)
		return zcs_fail(err, ZCS_DATA, "step %s waits for %s: add it to %s", id,
				v.waiting_for, r->ans.path);
	return 0;
}

static int final(enum eng_status s)
{
	return s == ENG_PASSED || s == ENG_FAILED || s == ENG_SKIPPED || s == ENG_NA;
}

static int run_step(struct run *r, struct zcs_err *err)
{
	int i = engine_current(r->e);
	struct eng_step_info s;
	const struct ans_line *skip;
	int fed = 0;
	int64_t lost_since = 0;
	double wait_s = r->o->link_wait_s > 0 ? r->o->link_wait_s : 300;

	engine_step(r->e, i, &s);
	if ((skip = answers_find(&r->ans, A_SKIP, s.id)))
		return engine_skip(r->e, skip->value, err);
	if (give_answers(r, &s, err))
		return -1;
	for (;;) {
		if (engine_tick(r->e, zcs_now_ms(), err) < 0)
			return -1;
		engine_step(r->e, i, &s);
		if (final(s.status))
			return 0;
		if (s.status == ENG_ACTIVE && !engine_link_lost(r->e)) {
			if (s.waiting_for && strstr(s.waiting_for, "settings to be written")) {
				if (handle_writes(r, s.id, err))
					return -1;
				continue;
			}
			if (s.waiting_for && !fed) {
				if (feed(r, &s, err))
					return -1;
				fed = 1;
				continue;
			}
			if (s.waiting_for)
				return zcs_fail(err, ZCS_DATA, "step %s waits for %s", s.id,
						s.waiting_for);
		}
		if (!engine_link_lost(r->e))
			lost_since = 0;
		else if (!lost_since)
			lost_since = zcs_now_ms();
		else if (zcs_now_ms() - lost_since > (int64_t)(wait_s * 1000))
			return zcs_fail(err, ZCS_LINK, "the link was lost and has not come back in "
					"%.0f s: check it, then 'zcs-commission resume' goes on from "
					"this step", wait_s);
		int due = engine_next_due_ms(r->e, zcs_now_ms());
		zcs_sleep_ms(due < 5 ? 5 : due > 200 ? 200 : due);
	}
}

/* ---- the whole run -------------------------------------------------------------- */

static void summary(struct run *r)
{
	int n[7] = { 0 };
	size_t total = engine_nsteps(r->e);

	for (size_t i = 0; i < total; i++)
		n[engine_status(r->e, (int)i)]++;
	fprintf(r->out, "\n%zu steps: %d passed, %d failed, %d skipped, %d not applicable, "
			"%d not reached\n", total, n[ENG_PASSED], n[ENG_FAILED], n[ENG_SKIPPED],
		n[ENG_NA], n[ENG_PENDING] + n[ENG_ACTIVE] + n[ENG_CHECKING]);
	fprintf(r->out, "%s\n", engine_all_passed(r->e)
				? "commissioning complete: every applicable step passed"
				: "commissioning NOT complete");
	const struct link_stats *st = link_stats_of(r->l);
	const struct link_params *lp = link_params_of(r->l);
	double floor_ms = link_frame_ms(lp, r->floor_bytes, 2 * r->floor_reqs);
	fprintf(r->out, "wire: %lu requests, %llu bytes, %.3f s at %d baud; the floor (evidence and writes) "
		"%lu requests, %.3f s (%.2fx)\n", st->transactions, st->bytes_tx + st->bytes_rx,
		st->wire_ms / 1000, lp->baud, r->floor_reqs, floor_ms / 1000,
		floor_ms > 0 ? st->wire_ms / floor_ms : 0);
	fprintf(r->out, "time: %.1f s against %.1f s of evidence windows (%.2fx)\n",
		(double)(zcs_now_ms() - r->started_ms) / 1000, r->windows_s,
		r->windows_s > 0 ? (double)(zcs_now_ms() - r->started_ms) / 1000 / r->windows_s : 0);
}

static int open_engine(struct run *r, struct link *l, const struct eng_observer *obs,
		       struct zcs_err *err)
{
	const struct runner_opts *o = r->o;
	struct eng_config cfg = {
		.checklist_dir = o->checklist_dir, .link = l, .obs = obs,
		.window_scale = o->window_scale, .training = o->training,
		.dry_run_writes = o->dry_run_writes, .reconnect = o->reconnect, .reconnect_ctx = o->reconnect_ctx,
	};
	const int *units = o->nunits ? o->units : r->ans.units;
	int nunits = o->nunits ? o->nunits : r->ans.nunits;

	memcpy(cfg.units, units, (size_t)nunits * sizeof *units);
	cfg.nunits = nunits;
	if (!(r->e = engine_new(&cfg, err)))
		return -1;
	return answers_check(&r->ans, engine_checklist(r->e), err);
}

static int walk(struct run *r, const struct eng_resume *resume, struct zcs_err *err)
{
	struct eng_step_info s;

	if (resume && engine_resume(r->e, resume, err))
		return -1;
	if (engine_start(r->e, answer_text(&r->ans, "installer"), answer_text(&r->ans, "site"),
			 answer_text(&r->ans, "customer"), err))
		return -1;
	r->who = xstrdup(engine_answer_of(r->e, "installer") ? engine_answer_of(r->e, "installer")
							       : "the answers file");
	const struct unit_ident *id = engine_ident(r->e);
	if (id)
		print_unit(r->out, id, engine_checklist(r->e)->version);
	else if (resume)
		fprintf(r->out, "session %lld resumed: the unit is identified again at the first "
			"reading; checklist %s\n", resume->session_id, engine_checklist(r->e)->version);
	else
		fprintf(r->out, "session begun before power-up: the unit is identified once it "
			"answers; checklist %s\n", engine_checklist(r->e)->version);
	fputc('\n', r->out);
	for (;;) {
		int cur = engine_current(r->e);
		if ((size_t)cur >= engine_nsteps(r->e))
			return 0;
		r->at_step = *link_stats_of(r->l);
		r->step_wreqs = 0;
		r->step_wbytes = 0;
		if (!final(engine_status(r->e, cur)) && run_step(r, err))
			return -1;
		/* steps marked n/a on the way were judged by engine_next */
		engine_step(r->e, cur, &s);
		print_verdict(r->out, &s, r->o->quiet);
		if (s.live_check && (s.status == ENG_PASSED || s.status == ENG_FAILED)) {
			const struct link_stats *st = link_stats_of(r->l);
			s.floor_requests += r->step_wreqs;
			s.floor_bytes += r->step_wbytes;
			r->floor_reqs += s.floor_requests;
			r->floor_bytes += s.floor_bytes;
			r->windows_s += s.window_need_secs;
			if (!r->o->quiet)
				print_wire(r->out, link_params_of(r->l), &s,
					   st->transactions - r->at_step.transactions,
					   st->bytes_tx + st->bytes_rx - r->at_step.bytes_tx -
						   r->at_step.bytes_rx,
					   st->wire_ms - r->at_step.wire_ms);
		}
		if (r->o->evidence && s.live_check)
			print_samples(r->out, r->e, cur);
		if (engine_link_dead(r->e))
			return zcs_fail(err, ZCS_LINK, "the unit answers its identity but no live "
					"value arrives: %s", s.detail ? s.detail : "every read failed");
		int before = cur;
		if (engine_next(r->e, err) < 0)
			return -1;
		for (int k = before + 1; k < engine_current(r->e) && (size_t)k < engine_nsteps(r->e); k++) {
			engine_step(r->e, k, &s);
			print_verdict(r->out, &s, r->o->quiet);
		}
	}
}

int runner_run(const struct runner_opts *o, const struct eng_observer *obs,
	       const struct eng_resume *resume, struct zcs_err *err)
{
	struct run r = { .o = o, .out = o->out ? o->out : stdout };
	struct link *l = NULL;
	int rc;

	if (answers_load(o->answers, &r.ans, err)) {
		answers_free(&r.ans);
		return err->code;
	}
	if (link_open(&o->link, &l, err)) {
		answers_free(&r.ans);
		return err->code;
	}
	tee_init(&r, obs);
	r.l = l;
	r.started_ms = zcs_now_ms();
	rc = open_engine(&r, l, &r.tee, err) || walk(&r, resume, err) ? -1 : 0;
	if (r.e) {
		struct zcs_err ferr = { 0 };
		if (engine_current(r.e) >= 0 && rc == 0)
			summary(&r);
		if (engine_finish(r.e, &ferr) && rc == 0) {
			*err = ferr;
			rc = -1;
		}
		if (rc == 0 && !engine_all_passed(r.e))
			rc = zcs_fail(err, ZCS_CHECK, "%s", "not every applicable step passed");
		else if (rc == -1)
			fprintf(r.out, "\nstopped %s%s: %s\n",
				(size_t)engine_current(r.e) < engine_nsteps(r.e) ? "at step "
										: "before the first step",
				(size_t)engine_current(r.e) < engine_nsteps(r.e)
					? engine_checklist(r.e)->steps[engine_current(r.e)].id : "",
				err->msg);
	}
	engine_free(r.e);
	free(r.who);
	link_close(l);
	answers_free(&r.ans);
	return rc == 0 ? 0 : err->code;
}
