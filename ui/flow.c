/* SPDX-License-Identifier: GPL-3.0-or-later */
/* flow: Connect -> Session -> Steps -> Summary, and what ties the screens to
 * the core: the simulator (training), the link and its adapter, the engine
 * and the records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/lex.h"
#include "base/paths.h"
#include "base/util.h"
#include "engine/engine.h"
#include "records/records.h"
#include "flow.h"
#include "pump.h"
#include "uiterm.h"

/* ---- simulator, link, adapters ---- */

int ui_training_start(struct app *a, const char *scenario)
{
	struct zcs_err err = { 0 };
	char host[80];

	if (!a->in_exercise && a->tr.pid > 0 && training_alive(&a->tr) &&
	    strcmp(a->tr.scenario, scenario) == 0)
		return 0;
	a->in_exercise = 0;
	if (a->link) {
		link_close(a->link);
		a->link = NULL;
	}
	a->identified = 0;
	training_stop(&a->tr);
	ui_term_set_child(0);
	if (training_start(&a->tr, scenario, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		zcs_strlcpy(a->link_error, err.msg, sizeof a->link_error);
		return -1;
	}
	ui_term_set_child(a->tr.pid);
	snprintf(host, sizeof host, "%s:%d", a->tr.host, a->tr.port);
	*a->lp.preset = 0;
	link_params_option(&a->lp, "--tcp", host, &err);
	/* the scenario's faults can be fixed from the step screen too */
	if (a->ex && ex_attach(a->ex, &a->tr, &err) < 0)
		ui_say(a, 1, "%s", err.msg);
	return 0;
}

const char *ui_training_title(struct app *a, char *buf, size_t n)
{
	char t[32];

	if (a->in_exercise && a->ex && a->ex->def)
		snprintf(buf, n, _("TRAINING (%s)"), ex_title(a->ex, t, sizeof t));
	else if (*a->exercise && a->tr.pid <= 0)
		snprintf(buf, n, "%s", _("TRAINING (exercise)"));
	else
		snprintf(buf, n, _("TRAINING (simulator: %s)"),
			 *a->tr.scenario ? a->tr.scenario : a->scenario);
	return buf;
}

int ui_flow_exercises(struct app *a, struct zcs_err *err)
{
	a->ex = xcalloc(1, sizeof *a->ex);
	a->ex->cur = -1;
	if (ex_catalogue_load(&a->ex->cat, err) < 0)
		return -1;
	if (*a->exercise && !ex_pick(&a->ex->cat, a->exercise, err))
		return -1;
	if (*a->instructor && ex_listen(a->ex, a->instructor, err) < 0)
		return -1;
	return 0;
}

int ui_exercise_start(struct app *a, const char *what)
{
	struct zcs_err err = { 0 };
	const struct ex_def *d;
	char host[80];

	if (!a->ex || !(d = ex_pick(&a->ex->cat, what, &err))) {
		ui_say(a, 1, "%s", a->ex ? err.msg : _("no exercise catalogue"));
		return -1;
	}
	if (a->in_exercise && strcmp(a->ex_item, what) == 0 && a->tr.pid > 0 &&
	    training_alive(&a->tr))
		return 0;
	if (a->link) {
		link_close(a->link);
		a->link = NULL;
	}
	a->identified = 0;
	training_stop(&a->tr);
	ui_term_set_child(0);
	a->in_exercise = 0;
	if (ex_start(a->ex, &a->tr, d, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		zcs_strlcpy(a->link_error, err.msg, sizeof a->link_error);
		return -1;
	}
	a->in_exercise = 1;
	zcs_strlcpy(a->ex_item, what, sizeof a->ex_item);
	ui_term_set_child(a->tr.pid);
	snprintf(host, sizeof host, "%s:%d", a->tr.host, a->tr.port);
	*a->lp.preset = 0;
	link_params_option(&a->lp, "--tcp", host, &err);
	return 0;
}

void ui_flow_fix(struct app *a, int i)
{
	struct zcs_err err = { 0 };
	char said[512];
	const char *step = "";
	struct eng_step_info info;
	int rc;

	if (!a->training || !a->ex || !a->ex->tr)
		return;
	if (a->eng && engine_step(a->eng, engine_current(a->eng), &info) == 0)
		step = info.id;
	rc = ex_act(a->ex, i, step, said, sizeof said, &err);
	if (rc < 0) {
		ui_say(a, 1, "%s", err.msg);
	} else {
		char text[700];

		snprintf(text, sizeof text, _("%s\n\nThen c on the step checks again against the "
			 "device."), said);
		ui_say(a, rc == 0, "%s", said);
		ui_note(a, _("On the plant"), text);
	}
	ui_flow_sim_changed(a);
}

static void drop_engine(struct app *a);
static int make_engine(struct app *a, struct zcs_err *err);
static void sim_save(struct app *a, int force);
static void free_unfinished(struct app *a);

/* The engine uses the link: it goes first. */
static void forget_link(struct app *a)
{
	drop_engine(a);
	if (a->link) {
		link_close(a->link);
		a->link = NULL;
	}
	if (a->id.map) {
		regmap_free(a->id.map);
		a->id.map = NULL;
	}
	/* The adapter followed on replug belongs to this link, not the next. */
	if (a->following)
		usb_follow_free(&a->follow);
	a->following = 0;
	a->identified = 0;
}

int ui_link_test(struct app *a)
{
	struct zcs_err err = { 0 };

	forget_link(a);
	*a->link_error = 0;
	if (link_open(&a->lp, &a->link, &err) < 0) {
		zcs_strlcpy(a->link_error, err.msg, sizeof a->link_error);
		return -1;
	}
	/* An inverter not yet powered (section 12) cannot answer: the link is
	 * kept and the session may begin; the unit is identified at its step. */
	if (ident_probe(a->link, &a->id, &err) < 0) {
		zcs_strlcpy(a->link_error, err.msg, sizeof a->link_error);
		return 1;
	}
	a->identified = 1;
	return 0;
}

void ui_flow_scan_adapters(struct app *a)
{
	struct zcs_err err = { 0 };

	if (a->usb_ok)
		usb_list_free(&a->usbl);
	a->usb_ok = 0;
	if (!a->usbt.rows && usb_table_load(&a->usbt, NULL, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		return;
	}
	if (usb_list(&a->usbt, &a->usbl, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		return;
	}
	a->usb_ok = 1;
}

int ui_flow_nadapters(struct app *a)
{
	int n = 0;

	for (size_t i = 0; a->usb_ok && i < a->usbl.n; i++)
		n += *a->usbl.a[i].dev != 0;
	return n;
}

void ui_flow_adapter(struct app *a, int i, const char **dev, const char **label)
{
	static char buf[400];

	*dev = *label = "";
	for (size_t k = 0; a->usb_ok && k < a->usbl.n; k++) {
		if (!*a->usbl.a[k].dev || i-- > 0)
			continue;
		*dev = a->usbl.a[k].dev;
		*label = usb_adapter_describe(&a->usbl.a[k], buf, sizeof buf);
		return;
	}
}

/* ---- records and engine ---- */

int ui_flow_begin(struct app *a, struct zcs_err *err)
{
	char *path = NULL;

	if (!*a->db_path) {
		path = records_default_path(1, err);
		if (!path)
			return -1;
		zcs_strlcpy(a->db_path, path, sizeof a->db_path);
		free(path);
	}
	a->rec = records_open(a->db_path, err);
	if (!a->rec)
		return -1;
	records_observer(a->rec, &a->obs);
	if (a->ex)
		ex_observer(a->ex, &a->obs);
	return 0;
}

static void drop_engine(struct app *a)
{
	if (a->eng) {
		engine_free(a->eng);
		a->eng = NULL;
	}
	if (a->have_resume) {
		records_free_resume(&a->resume);
		a->have_resume = 0;
	}
	a->started = a->finished = 0;
}

void ui_flow_end(struct app *a)
{
	struct zcs_err err = { 0 };

	/* An unfinished session stays open in the records, for resume: it
	 * says why it paused, and in training how the simulator was. */
	if (a->started && !a->finished && a->eng && a->obs.link_event) {
		char why[128];

		sim_save(a, 1);
		if (ui_term_signalled())
			snprintf(why, sizeof why, "stopped by signal %d; it can be resumed",
				 ui_term_signalled());
		else
			snprintf(why, sizeof why, "the installer quit the wizard; it can be resumed");
		a->obs.link_event(a->obs.ctx, "paused", why, 0, &err);
	}
	drop_engine(a);
	free_unfinished(a);
	forget_link(a);
	if (a->usb_ok)
		usb_list_free(&a->usbl);
	a->usb_ok = 0;
	usb_table_free(&a->usbt);
	if (a->rec)
		records_close(a->rec);
	a->rec = NULL;
	training_stop(&a->tr);
	ui_term_set_child(0);
	if (a->ex) {
		ex_free(a->ex);
		free(a->ex);
		a->ex = NULL;
	}
}

static void free_unfinished(struct app *a)
{
	records_free_list(a->unfinished, a->nunfinished);
	a->unfinished = NULL;
	a->nunfinished = 0;
}

static int by_last_activity(const void *x, const void *y)
{
	const struct records_summary *p = x, *q = y;

	return p->last_ms < q->last_ms ? 1 : p->last_ms > q->last_ms ? -1 : 0;
}

/* Every unfinished session of this unit, training and field, the one left
 * last first (the one just stopped, even when an older one was resumed). */
static void find_unfinished(struct app *a)
{
	struct records_filter f;
	struct zcs_err err = { 0 };

	free_unfinished(a);
	records_filter_init(&f);
	/* not identified yet (no power): the latest unfinished session of any
	 * unit; the records refuse it at identification if it was another's */
	f.serial = a->identified ? a->id.serial : NULL;
	f.or_unidentified = 1;      /* begun before power-up: the unit is checked later */
	f.unfinished = 1;
	if (records_list(a->rec, &f, &a->unfinished, &a->nunfinished, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		return;
	}
	if (a->nunfinished > 1)
		qsort(a->unfinished, a->nunfinished, sizeof *a->unfinished, by_last_activity);
}

/* ---- the simulator's state, kept in the record (training) ---- */

#define SIM_STATE_MAX 4096

/* What brings a fresh simulator on the same scenario back to the plant as
 * it is now: "scenario NAME" then control commands, one a line. */
static int sim_restore_text(struct app *a, char *out, size_t n, struct zcs_err *err)
{
	static const char *const keep[] = { "grid", "breaker", "dc", "battery", "loads", "load",
					    "critical", "production", "fault" };
	char state[SIM_STATE_MAX], *save, *line;
	size_t len;

	if (training_ctl_all(&a->tr, "state", state, sizeof state, err) < 0)
		return -1;
	len = (size_t)snprintf(out, n, "scenario %s\n", a->tr.scenario);
	for (line = strtok_r(state, "\n", &save); line && len < n;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t k = strcspn(line, " ");
		const char *v = line + k + (line[k] == ' ');

		for (size_t i = 0; i < ZCS_ARRAY_LEN(keep); i++)
			if (k == strlen(keep[i]) && strncmp(line, keep[i], k) == 0)
				len += (size_t)snprintf(out + len, n - len, "%s\n", line);
		if (strncmp(line, "inv1.pv_available ", 18) == 0)
			len += (size_t)snprintf(out + len, n - len, "pv %s\n", v);
	}
	return 0;
}

/* Record the simulator's state when it changed since last recorded. */
static void sim_save(struct app *a, int force)
{
	static char last[SIM_STATE_MAX];
	char text[SIM_STATE_MAX];
	struct zcs_err err = { 0 };
	int step = a->eng ? engine_current(a->eng) : -1;

	if (!a->training || !a->started || a->finished || !a->obs.link_event ||
	    a->tr.pid <= 0 || (!force && step == a->sim_saved_step))
		return;
	a->sim_saved_step = step;
	if (sim_restore_text(a, text, sizeof text, &err) < 0 || strcmp(text, last) == 0)
		return;
	if (a->obs.link_event(a->obs.ctx, "simulator", text, 0, &err) < 0)
		ui_say(a, 1, "%s", err.msg);
	else
		zcs_strlcpy(last, text, sizeof last);
}

void ui_flow_sim_changed(struct app *a)
{
	sim_save(a, 1);
}

/* The commands that take a fresh simulator to the recorded state: its own
 * scenario faults cleared when they were cleared, the rest as recorded. */
static void sim_apply(struct app *a, const char *saved, const struct records_session *ss)
{
	char now[SIM_STATE_MAX], cmd[300], reply[256], *save, *line;
	char copy[SIM_STATE_MAX];
	struct zcs_err err = { 0 };
	int bad = 0;

	if (training_ctl_all(&a->tr, "state", now, sizeof now, &err) == 0)
		for (line = strtok_r(now, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char name[64];

			if (sscanf(line, "fault %63s", name) == 1 &&
			    !strstr(saved, (snprintf(cmd, sizeof cmd, "fault %s ", name), cmd))) {
				snprintf(cmd, sizeof cmd, "fault %s off", name);
				bad += training_ctl(&a->tr, cmd, reply, sizeof reply, &err) < 0;
			}
		}
	zcs_strlcpy(copy, saved, sizeof copy);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64], arg[64];

		if (strncmp(line, "scenario ", 9) == 0)
			continue;
		if (sscanf(line, "fault %63s %63s", name, arg) == 2)
			snprintf(cmd, sizeof cmd, "fault %s on %s", name, arg);
		else
			zcs_strlcpy(cmd, line, sizeof cmd);
		bad += training_ctl(&a->tr, cmd, reply, sizeof reply, &err) < 0;
	}
	for (size_t i = 0; ss && i < ss->nwrites; i++) {
		if (!ss->writes[i].ok)
			continue;
		snprintf(cmd, sizeof cmd, "setting %s %g slave=%d", ss->writes[i].reg,
			 ss->writes[i].written, ss->writes[i].slave);
		bad += training_ctl(&a->tr, cmd, reply, sizeof reply, &err) < 0;
	}
	if (bad)
		ui_say(a, 1, _("the simulator did not take %d of the recorded changes: %s"), bad,
		       err.msg);
}

/* A resumed exercise goes on blind, its score from the recorded events. */
static int resume_exercise(struct app *a, const struct records_session *ss,
			   struct zcs_err *err)
{
	const char **notes = xcalloc(ss->nevents + 1, sizeof *notes);
	size_t n = 0;
	int rc;

	for (size_t i = 0; i < ss->nevents; i++)
		if (strcmp(ss->events[i].kind, "training") == 0 && ss->events[i].detail)
			notes[n++] = ss->events[i].detail;
	rc = ex_resume(a->ex, &a->tr, notes, n, ss->sum.started_ms, err);
	free(notes);
	if (rc == 1) {
		a->in_exercise = 1;
		snprintf(a->ex_item, sizeof a->ex_item, "%d", a->ex->def->number);
	}
	return rc < 0 ? -1 : 0;
}

/* Restart the simulator on the session's scenario in its recorded state,
 * then link and identify again. */
static int sim_restore(struct app *a, long long id, struct zcs_err *err)
{
	struct records_session *ss = NULL;
	const char *saved = NULL;
	char scenario[64];
	int rc = 0;

	if (records_load(a->rec, id, &ss, err) < 0)
		return -1;
	for (size_t i = 0; i < ss->nevents; i++)
		if (strcmp(ss->events[i].kind, "simulator") == 0 && ss->events[i].detail)
			saved = ss->events[i].detail;
	if (saved && sscanf(saved, "scenario %63s", scenario) == 1) {
		forget_link(a);
		training_stop(&a->tr);
		if (ui_training_start(a, scenario) < 0)
			rc = zcs_fail(err, ZCS_SYS, "%s", a->link_error);
		else
			sim_apply(a, saved, ss);
		if (rc == 0 && a->ex)
			rc = resume_exercise(a, ss, err);
		if (rc == 0 && ui_link_test(a) < 0)
			rc = zcs_fail(err, ZCS_LINK, "%s", a->link_error);
		if (rc == 0)
			rc = make_engine(a, err);
	}
	records_free_session(ss);
	return rc;
}

/* The power-flow panel's registers from data/snapshots.conf. */
static int load_panel(struct app *a, struct zcs_err *err)
{
	char *path = paths_data_file("snapshots.conf");
	struct lex_file lf;
	struct lex_line ln;
	int rc;

	a->npanel = 0;
	rc = lex_open(&lf, path, err);
	free(path);
	if (rc < 0)
		return -1;
	while ((rc = lex_next(&lf, &ln, err)) > 0) {
		if (strcmp(ln.tok[0].val, "panel"))
			continue;
		for (int i = 1; i < ln.n && a->npanel < UI_PANEL_MAX; i++) {
			struct ui_panel_item *p = &a->panel[a->npanel];
			char v[128], *save, *w;

			if (!ln.tok[i].key)
				continue;
			memset(p, 0, sizeof *p);
			zcs_strlcpy(p->role, ln.tok[i].key, sizeof p->role);
			zcs_strlcpy(v, ln.tok[i].val, sizeof v);
			if ((w = strtok_r(v, ":", &save)))
				zcs_strlcpy(p->reg, w, sizeof p->reg);
			if ((w = strtok_r(NULL, ":", &save)))
				zcs_strlcpy(p->plus, w, sizeof p->plus);
			if ((w = strtok_r(NULL, ":", &save)))
				zcs_strlcpy(p->minus, w, sizeof p->minus);
			a->npanel++;
		}
	}
	lex_close(&lf);
	return rc < 0 ? -1 : 0;
}

static void watch_panel(struct app *a)
{
	const char *names[UI_PANEL_MAX];
	struct zcs_err err = { 0 };

	if (!a->npanel && load_panel(a, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		return;
	}
	for (int i = 0; i < a->npanel; i++)
		names[i] = a->panel[i].reg;
	engine_watch(a->eng, names, (size_t)a->npanel);
}

static int make_engine(struct app *a, struct zcs_err *err)
{
	struct eng_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.link = a->link;
	cfg.obs = &a->obs;
	cfg.window_scale = a->window_scale;
	cfg.training = a->training;
	cfg.dry_run_writes = a->dry_run_writes;
	for (int i = 0; i < a->nunits && i < ENG_MAX_UNITS; i++)
		cfg.units[cfg.nunits++] = a->units[i];
	if (a->lp.kind == LINK_RTU && !a->following &&
	    usb_follow_device(&a->follow, a->lp.device, err) == 1)
		a->following = 1;
	if (a->following) {
		cfg.reconnect = usb_follow_reconnect;
		cfg.reconnect_ctx = &a->follow;
	}
	a->eng = engine_new(&cfg, err);
	if (!a->eng)
		return -1;
	watch_panel(a);
	return 0;
}

void ui_flow_connected(struct app *a)
{
	struct zcs_err err = { 0 };

	drop_engine(a);
	if (make_engine(a, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		return;
	}
	find_unfinished(a);
	ui_go(a, &ui_scr_session);
}

static const struct records_summary *unfinished_of(struct app *a, long long id)
{
	for (size_t i = 0; i < a->nunfinished; i++)
		if (a->unfinished[i].id == id)
			return &a->unfinished[i];
	return NULL;
}

static int resume(struct app *a, long long id, struct zcs_err *err)
{
	const struct records_summary *s = unfinished_of(a, id);

	if (!s)
		return zcs_fail(err, ZCS_USAGE, _("session %lld is not an unfinished session of this "
				"unit"), id);
	if (s->training != a->training)
		return zcs_fail(err, ZCS_USAGE, _("session %lld was a %s session: %s"), id,
				s->training ? _("training") : _("field"),
				s->training ? _("start the wizard without a connection to resume it")
					    : _("connect to the unit itself to resume it"));
	if (a->training && sim_restore(a, id, err) < 0)
		return -1;
	if (a->have_resume)
		records_free_resume(&a->resume);
	a->have_resume = 0;
	if (records_load_resume(a->rec, id, &a->resume, err) < 0)
		return -1;
	a->have_resume = 1;
	a->resume_id = id;
	if (records_attach(a->rec, id, err) < 0 || engine_resume(a->eng, &a->resume, err) < 0)
		return -1;
	return 0;
}

int ui_flow_start(struct app *a, long long resume_id)
{
	struct zcs_err err = { 0 };
	const char *inst = a->installer, *site = a->site, *cust = a->customer;

	if (resume_id) {
		if (resume(a, resume_id, &err) < 0)
			goto fail;
		inst = a->resume.installer;
		site = a->resume.site;
		cust = a->resume.customer;
		zcs_strlcpy(a->installer, inst ? inst : "", sizeof a->installer);
	}
	if (engine_start(a->eng, inst && *inst ? inst : NULL, site && *site ? site : NULL,
			 cust && *cust ? cust : NULL, &err) < 0)
		goto fail;
	a->started = 1;
	a->sim_saved_step = -1;
	sim_save(a, 1);
	ui_say(a, 0, resume_id ? _("session %lld resumed%s") : _("session started"), resume_id,
	       resume_id && a->training ? _(" with the simulator as it was left") : "");
	ui_go(a, &ui_scr_step);
	return 0;
fail:
	ui_say(a, 1, "%s", err.msg);
	return -1;
}

int ui_flow_finish(struct app *a)
{
	struct zcs_err err = { 0 };

	if (!a->started || a->finished)
		return 0;
	/* the exercise's score goes in the chain before the closing record */
	if (a->in_exercise && a->ex && ex_score_record(a->ex, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		return -1;
	}
	if (engine_finish(a->eng, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		return -1;
	}
	a->finished = 1;
	ui_say(a, 0, _("commissioning %s; the record is stored as session %lld"),
	       engine_all_passed(a->eng) ? _("complete: every applicable step passed") :
	       _("finished with steps not passed"),
	       records_session_id(a->rec));
	return 0;
}

/* Tell the simulator an installer action was done (training only). */
int ui_flow_action_to_sim(struct app *a, const char *words)
{
	char reply[256];
	struct zcs_err err = { 0 };

	if (!a->training || !words || !*words)
		return 0;
	if (training_ctl(&a->tr, words, reply, sizeof reply, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		return -1;
	}
	return 0;
}

static void tick_engine(struct app *a)
{
	char msg[512];
	int lost;

	if (!a->eng || !a->started || a->finished)
		return;
	if (ui_pump_error(msg, sizeof msg))   /* the poll thread's last tick */
		ui_say(a, 1, "%s", msg);
	lost = engine_link_lost(a->eng);
	if (engine_logger_busy(a->eng) && !a->logger_busy_since) {
		a->logger_busy_since = a->now;
		ui_say(a, 0, "%s", _("logger busy: the stick uploads to its cloud; checks paused, no step "
		       "fails for it"));
	} else if (!engine_logger_busy(a->eng) && a->logger_busy_since) {
		a->logger_busy_since = 0;
		ui_say(a, 0, "%s", _("the logger answers again: checks carry on"));
	}
	if (lost && !a->link_lost_since) {
		a->link_lost_since = a->now;
		ui_say(a, 1, _("LINK LOST: checks are paused; reconnecting every second%s"),
		       a->following ? _(" (replug the adapter if it came out)") : "");
	} else if (!lost && a->link_lost_since) {
		a->link_lost_since = 0;
		ui_say(a, 0, _("link restored%s%s"), a->following ? ": " : "",
		       a->following ? a->follow.event : "");
	}
}

void ui_flow_tick(struct app *a)
{
	if (ui_top(a) == &ui_scr_connect)
		ui_scr_connect_tick(a);
	if (a->training && a->tr.pid > 0 && !training_alive(&a->tr))
		ui_say(a, 1, _("the simulator stopped; choose a scenario again on the Connect screen"));
	tick_engine(a);
	sim_save(a, 0);
	if (a->ex)
		ex_tick(a->ex);
}

const char *ui_flow_quit_text(struct app *a)
{
	if (a->started && !a->finished)
		return _("Quit the wizard? Every verdict so far is recorded; this unfinished "
		       "session is offered for resume when you connect to this unit again.");
	return _("Quit the wizard?");
}

void ui_flow_global_key(struct app *a, enum ui_action act)
{
	const struct ui_screen *need_session[] = {
		[UI_ACT_OVERVIEW] = &ui_scr_overview, [UI_ACT_SUMMARY] = &ui_scr_summary,
	};

	switch (act) {
	case UI_ACT_WIRING:
		ui_push(a, &ui_scr_wiring);
		break;
	case UI_ACT_DIP:
		ui_push(a, &ui_scr_dip);
		break;
	case UI_ACT_RECORDS:
		ui_push(a, &ui_scr_records);
		break;
	case UI_ACT_OVERVIEW:
	case UI_ACT_SUMMARY:
		if (a->started)
			ui_push(a, need_session[act]);
		else
			ui_say(a, 1, _("no session yet: connect and start one first"));
		break;
	default:
		break;
	}
}
