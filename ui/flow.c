#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "flow.h"
#include "uiterm.h"

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

int ui_link_test(struct app *a)
{
	struct zcs_err err = { 0 };

	if (a->link) {
		link_close(a->link);
		a->link = NULL;
	}
	if (a->id.map) {
		regmap_free(a->id.map);
		a->id.map = NULL;
	}
	a->identified = 0;
	*a->link_error = 0;
	if (link_open(&a->lp, &a->link, &err) < 0 || ident_probe(a->link, &a->id, &err) < 0) {
		zcs_strlcpy(a->link_error, err.msg, sizeof a->link_error);
		return -1;
	}
	a->identified = 1;
	return 0;
}

int ui_flow_begin(struct app *a, struct zcs_err *err)
{
	return 0;
}

void ui_flow_end(struct app *a)
{
	if (a->link) {
		link_close(a->link);
		a->link = NULL;
	}
	if (a->id.map) {
		regmap_free(a->id.map);
		a->id.map = NULL;
	}
	training_stop(&a->tr);
}

void ui_flow_tick(struct app *a)
{
	if (ui_top(a) == &ui_scr_connect)
		ui_scr_connect_tick(a);
	if (a->training && a->tr.pid > 0 && !training_alive(&a->tr))
		ui_say(a, 1, "the simulator stopped; choose a scenario again on the Connect screen");
}

const char *ui_flow_quit_text(struct app *a)
{
	return "Quit the wizard? Everything recorded so far is kept; an unfinished "
	       "session can be resumed next time.";
}

void ui_flow_global_key(struct app *a, enum ui_action act)
{
	switch (act) {
	case UI_ACT_WIRING:
		ui_push(a, &ui_scr_wiring);
		break;
	default:
		break;
	}
}

void ui_flow_connected(struct app *a)
{
}

void ui_flow_scan_adapters(struct app *a)
{
}

int ui_flow_nadapters(struct app *a)
{
	return 0;
}

void ui_flow_adapter(struct app *a, int i, const char **dev, const char **label)
{
	*dev = *label = "";
}
