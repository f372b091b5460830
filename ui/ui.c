/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/opt.h"
#include "base/util.h"
#include "usb/usb.h"
#include "app.h"
#include "flow.h"
#include "pump.h"
#include "uiterm.h"
#include "ui.h"

enum { O_NOCOLOR = OPT_KEY(0), O_THEME, O_DB, O_SCENARIO, O_WINDOW, O_DRYRUN, O_VERSION,
       O_TRAINING, O_EXERCISE, O_INSTRUCTOR };

static const struct opt wizard_opts[] = {
	{ "no-color", O_NOCOLOR, NULL, N_("no colours (as NO_COLOR set in the environment)") },
	{ "theme", O_THEME, "NAME", N_("colour, high-contrast (for sunlight) or mono") },
	{ "db", O_DB, "PATH", N_("the records database "
	  "(default $XDG_DATA_HOME/zcs-commission/records.db)") },
	{ "scenario", O_SCENARIO, "NAME", N_("training: the simulator's scenario (clean); "
	  "'zcs-sim --list-scenarios' lists them") },
	{ "window-scale", O_WINDOW, "X", N_("shorten (< 1) or lengthen the evidence windows") },
	{ "dry-run-writes", O_DRYRUN, NULL, N_("show the frames a write would send and send none "
	  "(D toggles it)") },
	{ "training", O_TRAINING, NULL, N_("training mode against the built-in simulator (the "
	  "default without a connection)") },
	{ "exercise", O_EXERCISE, "N|easy|medium|hard|random", N_("a blind training exercise: its "
	  "faults stay hidden until the end") },
	{ "instructor", O_INSTRUCTOR, "SOCKET", N_("publish the trainee's progress on SOCKET for "
	  "'zcs-commission train --instructor SOCKET'") },
	{ "version", O_VERSION, NULL, N_("print the version and exit") },
	{ NULL, 0, NULL, NULL },
};

const struct opt_cmd ui_cmd = {
	"zcs-commission", "[CONNECTION] [--no-color] [--theme colour|high-contrast|mono]\n"
	"[--db PATH] [--scenario NAME] [--window-scale X] [--dry-run-writes]\n"
	"[--training] [--exercise N|easy|medium|hard|random] [--instructor SOCKET]",
	N_("Open the commissioning wizard on CONNECTION; without one, training mode\n"
	"against the built-in simulator.  Without a terminal use 'zcs-commission run'.\n"),
	wizard_opts, usb_link_opts, NULL,
};

struct ui_args {
	struct app *a;
	int version;
};

static int own_option(void *ctx, int key, const char *v, struct zcs_err *err)
{
	struct ui_args *u = ctx;
	struct app *a = u->a;

	switch (key) {
	case O_NOCOLOR: a->theme = UI_THEME_MONO; break;
	case O_DRYRUN: a->dry_run_writes = 1; break;
	case O_VERSION: u->version = 1; break;
	case O_THEME:
		if (ui_theme_parse(v, &a->theme) < 0)
			return zcs_fail(err, ZCS_USAGE, "unknown theme '%s': use colour, "
					"high-contrast or mono", v);
		break;
	case O_DB: zcs_strlcpy(a->db_path, v, sizeof a->db_path); break;
	case O_TRAINING: a->training = 1; break;
	case O_EXERCISE: zcs_strlcpy(a->exercise, v, sizeof a->exercise); break;
	case O_INSTRUCTOR:
		if (strlen(v) >= sizeof a->instructor)
			return zcs_fail(err, ZCS_USAGE, "--instructor: the socket path is too long "
					"(at most %zu characters)", sizeof a->instructor - 1);
		zcs_strlcpy(a->instructor, v, sizeof a->instructor);
		break;
	case O_SCENARIO: zcs_strlcpy(a->scenario, v, sizeof a->scenario); break;
	case O_WINDOW:
		if (zcs_parse_double(v, &a->window_scale) < 0 || a->window_scale <= 0)
			return zcs_fail(err, ZCS_USAGE, "--window-scale wants a number above 0, "
					"not '%s'", v);
		break;
	}
	return 0;
}

/* 1: go on; 0: done (--help, --version); -1: a usage error. */
static int parse_args(struct app *a, int argc, char **argv, struct zcs_err *err)
{
	struct ui_args u = { a, 0 };
	struct opt_parser ps;
	int c;

	opt_begin(&ps, &ui_cmd, argc, argv);
	while ((c = opt_next(&ps, err)) >= 0)
		if ((c >= OPT_LINK ? usb_link_option(&a->lp, ps.cur, ps.arg, err)
				   : own_option(&u, c, ps.arg, err)) < 0)
			return -1;
	if (c == OPT_HELP)
		return 0;
	if (c == OPT_ERROR)
		return -1;
	if (ps.ind < argc)
		return zcs_fail(err, ZCS_USAGE, "unknown command '%s': see zcs-commission --help",
				argv[ps.ind]);
	if (u.version) {
		printf("zcs-commission %s\n", ZCS_VERSION);
		return 0;
	}
	a->have_link = a->lp.kind != LINK_NONE;
	if (a->have_link && link_params_check(&a->lp, err) < 0)
		return -1;
	if (a->have_link && (a->training || *a->exercise || *a->instructor))
		return zcs_fail(err, ZCS_USAGE, "--training, --exercise and --instructor are for the "
				"simulator: leave out the connection (%s)",
				a->lp.kind == LINK_RTU ? "--port/--adapter" : "--tcp");
	return 1;
}

static void app_init(struct app *a)
{
	const char *nc = getenv("NO_COLOR");

	memset(a, 0, sizeof *a);
	link_params_default(&a->lp);
	a->theme = nc && *nc ? UI_THEME_MONO : UI_THEME_COLOUR;
	zcs_strlcpy(a->scenario, "clean", sizeof a->scenario);
}

int ui_main(int argc, char **argv)
{
	static struct app app;
	struct zcs_err err = { 0 };
	int rc;

	app_init(&app);
	if ((rc = parse_args(&app, argc, argv, &err)) == 0)
		return 0;
	if (rc < 0 || ui_term_check(&err) < 0)
		goto fail;
	app.training = !app.have_link;
	if (app.training && ui_flow_exercises(&app, &err) < 0)
		goto fail;
	if (ui_flow_begin(&app, &err) < 0 || ui_term_start(app.theme, &err) < 0)
		goto fail;
	app.theme = ui_theme_apply(app.theme);
	ui_go(&app, &ui_scr_connect);
	if (ui_pump_start(&app) < 0) {
		ui_term_stop();
		zcs_fail(&err, ZCS_SYS, _("cannot start the polling thread"));
		goto fail;
	}
	ui_loop(&app);
	ui_term_stop();
	ui_pump_stop();
	ui_flow_end(&app);
	if (ui_term_signalled())
		fprintf(stderr, _("zcs-commission: stopped by signal %d; the session is kept and "
			"can be resumed\n"), ui_term_signalled());
	return 0;
fail:
	ui_flow_end(&app);
	/* the option parser's messages begin with the program's name */
	fprintf(stderr, "%s%s\n", strncmp(err.msg, "zcs-commission", 14) ? "zcs-commission: " : "",
		err.msg);
	return err.code ? (int)err.code : 1;
}
