/* flow: Connect -> Session -> Steps -> Summary, and what ties the screens to
 * the core: the simulator (training), the link and its adapter, the engine
 * and the records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

	if (a->tr.pid > 0 && training_alive(&a->tr) && strcmp(a->tr.scenario, scenario) == 0)
		return 0;
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
	return 0;
}

static void drop_engine(struct app *a);

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

	/* An unfinished session stays open in the records, for resume. */
	(void)err;
	drop_engine(a);
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
}

/* The latest unfinished session of this unit, same mode (field/training). */
static void find_resume(struct app *a)
{
	struct records_filter f;
	struct records_summary *s = NULL;
	size_t n = 0;
	struct zcs_err err = { 0 };

	records_filter_init(&f);
	/* not identified yet (no power): the latest unfinished session of any
	 * unit; the records refuse it at identification if it was another's */
	f.serial = a->identified ? a->id.serial : NULL;
	f.unfinished = 1;
	f.training = a->training;
	if (records_list(a->rec, &f, &s, &n, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		return;
	}
	for (size_t i = 0; i < n && !a->have_resume; i++) {
		if (records_load_resume(a->rec, s[i].id, &a->resume, &err) == 1) {
			a->have_resume = 1;
			a->resume_id = s[i].id;
			zcs_iso_time(s[i].started_ms, a->resume_when, sizeof a->resume_when);
		}
	}
	records_free_list(s, n);
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
	return a->eng ? 0 : -1;
}

void ui_flow_connected(struct app *a)
{
	struct zcs_err err = { 0 };

	drop_engine(a);
	if (make_engine(a, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		return;
	}
	find_resume(a);
	ui_go(a, &ui_scr_session);
}

int ui_flow_start(struct app *a, int resume)
{
	struct zcs_err err = { 0 };
	const char *inst = a->installer, *site = a->site, *cust = a->customer;

	if (resume && a->have_resume) {
		if (records_attach(a->rec, a->resume_id, &err) < 0 ||
		    engine_resume(a->eng, &a->resume, &err) < 0)
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
	ui_say(a, 0, resume ? "session %lld resumed" : "session started",
	       resume ? a->resume_id : 0LL);
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
	if (engine_finish(a->eng, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		return -1;
	}
	a->finished = 1;
	ui_say(a, 0, "commissioning %s; the record is stored as session %lld",
	       engine_all_passed(a->eng) ? "complete: every applicable step passed" :
	       "finished with steps not passed",
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
	if (lost && !a->link_lost_since) {
		a->link_lost_since = a->now;
		ui_say(a, 1, "LINK LOST: checks are paused; reconnecting every second%s",
		       a->following ? " (replug the adapter if it came out)" : "");
	} else if (!lost && a->link_lost_since) {
		a->link_lost_since = 0;
		ui_say(a, 0, "link restored%s%s", a->following ? ": " : "",
		       a->following ? a->follow.event : "");
	}
}

void ui_flow_tick(struct app *a)
{
	if (ui_top(a) == &ui_scr_connect)
		ui_scr_connect_tick(a);
	if (a->training && a->tr.pid > 0 && !training_alive(&a->tr))
		ui_say(a, 1, "the simulator stopped; choose a scenario again on the Connect screen");
	tick_engine(a);
}

const char *ui_flow_quit_text(struct app *a)
{
	if (a->started && !a->finished)
		return "Quit the wizard? Every verdict so far is recorded; this unfinished "
		       "session is offered for resume when you connect to this unit again.";
	return "Quit the wizard?";
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
			ui_say(a, 1, "no session yet: connect and start one first");
		break;
	default:
		break;
	}
}
