#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"
#include "usb/usb.h"
#include "app.h"
#include "flow.h"
#include "pump.h"
#include "uiterm.h"
#include "ui.h"

static const char usage[] =
	N_("usage: zcs-commission [CONNECTION] [--no-color] [--theme colour|high-contrast|mono]\n"
	"                      [--db PATH] [--scenario NAME] [--window-scale X]\n"
	"                      [--dry-run-writes] [--training] [--exercise N|easy|medium|hard|random]\n"
	"                      [--instructor SOCKET]\n"
	"Open the commissioning wizard on CONNECTION; without one (or with --training),\n"
	"training mode against the built-in simulator (NAME: its scenario, default\n"
	"clean; 'zcs-sim --list-scenarios' lists them).  --exercise chooses a blind\n"
	"exercise (its faults stay hidden until the end); --instructor publishes the\n"
	"trainee's progress on SOCKET for 'zcs-commission train --instructor SOCKET'.\n"
	"--window-scale shortens (< 1) or\n"
	"lengthens the evidence windows.  --dry-run-writes shows the frames a write\n"
	"would send and sends none (D toggles it).  Without a terminal use\n"
	"'zcs-commission run'.\n");

static const char *const own_opts[] = { "--no-color", "--theme", "--db", "--scenario",
					"--window-scale", "--dry-run-writes", "--training",
					"--exercise", "--instructor", NULL };

int ui_wants(const char *arg)
{
	struct link_params p;
	struct zcs_err err;

	if (!arg)
		return 1;
	if (strcmp(arg, "--adapter") == 0)
		return 1;
	for (int i = 0; own_opts[i]; i++)
		if (strcmp(arg, own_opts[i]) == 0)
			return 1;
	link_params_default(&p);
	return link_params_option(&p, arg, "1", &err) != 0;
}

static int need_arg(int i, int argc, char **argv, struct zcs_err *err)
{
	if (i + 1 < argc)
		return 0;
	return zcs_fail(err, ZCS_USAGE, _("%s needs a value: see zcs-commission --help"), argv[i]);
}

static int own_option(struct app *a, int argc, char **argv, int i, struct zcs_err *err)
{
	const char *o = argv[i];

	if (strcmp(o, "--no-color") == 0) {
		a->theme = UI_THEME_MONO;
		return 0;
	}
	if (strcmp(o, "--dry-run-writes") == 0) {
		a->dry_run_writes = 1;
		return 0;
	}
	if (strcmp(o, "--training") == 0) {
		a->training = 1;
		return 0;
	}
	if (need_arg(i, argc, argv, err) < 0)
		return -1;
	if (strcmp(o, "--theme") == 0) {
		if (ui_theme_parse(argv[i + 1], &a->theme) < 0)
			return zcs_fail(err, ZCS_USAGE, _("unknown theme '%s': use colour, "
					"high-contrast or mono"), argv[i + 1]);
	} else if (strcmp(o, "--db") == 0) {
		zcs_strlcpy(a->db_path, argv[i + 1], sizeof a->db_path);
	} else if (strcmp(o, "--scenario") == 0) {
		zcs_strlcpy(a->scenario, argv[i + 1], sizeof a->scenario);
	} else if (strcmp(o, "--exercise") == 0) {
		zcs_strlcpy(a->exercise, argv[i + 1], sizeof a->exercise);
	} else if (strcmp(o, "--instructor") == 0) {
		if (strlen(argv[i + 1]) >= sizeof a->instructor)
			return zcs_fail(err, ZCS_USAGE, "--instructor: the socket path is too long "
					"(at most %zu characters)", sizeof a->instructor - 1);
		zcs_strlcpy(a->instructor, argv[i + 1], sizeof a->instructor);
	} else if (zcs_parse_double(argv[i + 1], &a->window_scale) < 0 || a->window_scale <= 0) {
		return zcs_fail(err, ZCS_USAGE, "--window-scale wants a number above 0, not '%s'",
				argv[i + 1]);
	}
	return 1;
}

static int parse_args(struct app *a, int argc, char **argv, struct zcs_err *err)
{
	int n = usb_take_link(argc, argv, &a->lp, err);

	if (n < 0)
		return -1;
	a->have_link = a->lp.kind != LINK_NONE;
	for (int i = 1; i < n; i++) {
		int rc, j;

		for (j = 0; own_opts[j] && strcmp(argv[i], own_opts[j]); j++)
			;
		if (!own_opts[j])
			return zcs_fail(err, ZCS_USAGE, _("unknown option '%s': see zcs-commission --help"),
					argv[i]);
		if ((rc = own_option(a, n, argv, i, err)) < 0)
			return -1;
		i += rc;
	}
	if (a->have_link && link_params_check(&a->lp, err) < 0)
		return -1;
	if (a->have_link && (a->training || *a->exercise || *a->instructor))
		return zcs_fail(err, ZCS_USAGE, "--training, --exercise and --instructor are for the "
				"simulator: leave out the connection (%s)",
				a->lp.kind == LINK_RTU ? "--port/--adapter" : "--tcp");
	return 0;
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

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(_(usage), stdout);
			return 0;
		}
	app_init(&app);
	if (parse_args(&app, argc, argv, &err) < 0 || ui_term_check(&err) < 0)
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
	fprintf(stderr, _("zcs-commission: %s\n"), err.msg);
	return err.code ? (int)err.code : 1;
}
