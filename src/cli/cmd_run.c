/* zcs-commission run --answers FILE CONNECTION [options]
 * The whole commissioning procedure without a screen: parses the options
 * and hands over to the runner (src/engine/runner.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "cli/cli.h"
#include "engine/runner.h"
#include "usb/usb.h"

static const char usage[] =
	"usage: zcs-commission run --answers FILE CONNECTION [--act CMD] [--units LIST]\n"
	"                          [--window-scale X] [--checklists DIR] [--training] [--quiet]\n"
	"Walk the whole commissioning procedure from an answers file, printing each\n"
	"step's verdict with its evidence.  Exit 0 only when every applicable step passed.\n"
	"  --answers FILE     answers, confirmations, writes, skips (zcs-checklist(5))\n"
	"  --act CMD          perform installer actions by running 'CMD WORDS'\n"
	"                     (e.g. --act \"zcs-sim ctl /tmp/s.sock\" runs ... breaker off)\n"
	"  --units LIST       slave ids of parallel inverters, primary first: 1,2,3\n"
	"  --window-scale X   multiply evidence windows by X (tests: 0.1)\n"
	"  --checklists DIR   use the checklists in DIR\n"
	"  --training         mark the session as training (simulated plant)\n"
	"  --quiet            one line per step; details only for failures\n" CLI_LINK_USAGE;

static int parse_units(const char *s, struct runner_opts *o)
{
	char *copy = xstrdup(s), *save = NULL;
	int r = 0;

	o->nunits = 0;
	for (char *t = strtok_r(copy, ",", &save); t && !r; t = strtok_r(NULL, ",", &save)) {
		long v;
		if (zcs_parse_long(t, &v) || v < 1 || v > 247 || o->nunits == ENG_MAX_UNITS)
			r = -1;
		else
			o->units[o->nunits++] = (int)v;
	}
	free(copy);
	return r || o->nunits == 0 ? -1 : 0;
}

static int bad(const char *what)
{
	fprintf(stderr, "zcs-commission run: %s\n%s", what, usage);
	return ZCS_USAGE;
}

int cmd_run(int argc, char **argv)
{
	struct runner_opts o = { 0 };
	struct zcs_err err = { 0 };

	if (cli_wants_help(argc, argv, usage))
		return 0;
	link_params_default(&o.link);
	if ((argc = cli_take_link(argc, argv, &o.link, &err)) < 0)
		return cli_report(&err);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--training"))
			o.training = 1;
		else if (!strcmp(a, "--quiet"))
			o.quiet = 1;
		else if (!v)
			return bad("an option is missing its value or is unknown");
		else if (!strcmp(a, "--answers"))
			o.answers = argv[++i];
		else if (!strcmp(a, "--act"))
			o.act = argv[++i];
		else if (!strcmp(a, "--checklists"))
			o.checklist_dir = argv[++i];
		else if (!strcmp(a, "--units")) {
			if (parse_units(argv[++i], &o))
				return bad("--units takes slave ids 1-247, primary first: 1,2,3");
		} else if (!strcmp(a, "--window-scale")) {
			if (zcs_parse_double(argv[++i], &o.window_scale) || o.window_scale <= 0 ||
			    o.window_scale > 10)
				return bad("--window-scale takes a number above 0, at most 10");
		} else
			return bad("unknown option");
	}
	if (!o.answers)
		return bad("--answers FILE is needed");
	if (link_params_check(&o.link, &err))
		return cli_report(&err);
	struct usb_follow uf;
	int follow = cli_follow_adapter(&o.link, &uf);
	if (follow) {
		o.reconnect = usb_follow_reconnect;
		o.reconnect_ctx = &uf;
	}
	int rc = runner_run(&o, NULL, NULL, &err);
	if (follow)
		usb_follow_free(&uf);
	if (rc != 0 && rc != ZCS_CHECK)
		return cli_report(&err);
	return rc;
}
