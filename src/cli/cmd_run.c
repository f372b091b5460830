/* zcs-commission run --answers FILE CONNECTION [options]
 * The whole commissioning procedure without a screen: parses the options
 * and hands over to the runner (src/engine/runner.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "cli/cli.h"
#include "engine/runner.h"
#include "records/records.h"
#include "usb/usb.h"

static const char usage[] =
	"usage: zcs-commission run --answers FILE CONNECTION [--act CMD] [--units LIST]\n"
	"                          [--window-scale X] [--checklists DIR] [--training] [--quiet]\n"
	"                          [--evidence] [--dry-run-writes]\n"
	"Walk the whole commissioning procedure from an answers file, printing each\n"
	"step's verdict with its evidence.  Exit 0 only when every applicable step passed.\n"
	"  --answers FILE     answers, confirmations, writes, skips (zcs-checklist(5))\n"
	"  --act CMD          perform installer actions by running 'CMD WORDS'\n"
	"                     (e.g. --act \"zcs-sim ctl /tmp/s.sock\" runs ... breaker off)\n"
	"  --units LIST       slave ids of parallel inverters, primary first: 1,2,3\n"
	"  --window-scale X   multiply evidence windows by X (tests: 0.1)\n"
	"  --link-wait S      stop (exit 3) when the link stays lost S seconds\n"
	"                     (default 300; resume goes on from there)\n"
	"  --checklists DIR   use the checklists in DIR\n"
	"  --training         mark the session as training (simulated plant)\n"
	"  --quiet            one line per step; details only for failures\n"
	"  --dry-run-writes   show the FC 0x10 frames each write would send, send none\n"
	"  --evidence         every sample of each evidence window: time, slave, name,\n"
	"                     value, unit, register words\n"
	"  --db FILE          the records database (default:\n"
	"                     $XDG_DATA_HOME/zcs-commission/records.db)\n" CLI_LINK_USAGE;

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

/* Options shared by run and resume; `id` (resume only) takes the one
 * operand.  Returns 0, or an exit code after printing the problem. */
static int parse_opts(int argc, char **argv, struct runner_opts *o, const char **db,
		      long long *id)
{
	struct zcs_err err = { 0 };

	link_params_default(&o->link);
	if ((argc = usb_take_link(argc, argv, &o->link, &err)) < 0)
		return cli_report(&err);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		long n;
		if (!strcmp(a, "--training"))
			o->training = 1;
		else if (!strcmp(a, "--quiet"))
			o->quiet = 1;
		else if (!strcmp(a, "--dry-run-writes"))
			o->dry_run_writes = 1;
		else if (!strcmp(a, "--evidence"))
			o->evidence = 1;
		else if (id && a[0] != '-' && *id == 0 && !zcs_parse_long(a, &n) && n > 0)
			*id = n;
		else if (!v)
			return bad("an option is missing its value or is unknown");
		else if (!strcmp(a, "--answers"))
			o->answers = argv[++i];
		else if (!strcmp(a, "--db"))
			*db = argv[++i];
		else if (!strcmp(a, "--act"))
			o->act = argv[++i];
		else if (!strcmp(a, "--checklists"))
			o->checklist_dir = argv[++i];
		else if (!strcmp(a, "--units")) {
			if (parse_units(argv[++i], o))
				return bad("--units takes slave ids 1-247, primary first: 1,2,3");
		} else if (!strcmp(a, "--link-wait")) {
			if (zcs_parse_double(argv[++i], &o->link_wait_s) || o->link_wait_s <= 0 ||
			    o->link_wait_s > 86400)
				return bad("--link-wait takes seconds above 0, at most 86400");
		} else if (!strcmp(a, "--window-scale")) {
			if (zcs_parse_double(argv[++i], &o->window_scale) || o->window_scale <= 0 ||
			    o->window_scale > 10)
				return bad("--window-scale takes a number above 0, at most 10");
		} else
			return bad("unknown option");
	}
	if (!o->answers)
		return bad("--answers FILE is needed");
	if (link_params_check(&o->link, &err))
		return cli_report(&err);
	return 0;
}

/* Run with every verdict recorded in the records database, following the
 * USB adapter when the link names one. */
static int run_recorded(struct runner_opts *o, struct records *rec,
			const struct eng_resume *res)
{
	struct zcs_err err = { 0 };
	struct eng_observer obs;
	struct usb_follow uf;
	int follow = cli_follow_adapter(&o->link, &uf);
	int rc;

	if (follow) {
		o->reconnect = usb_follow_reconnect;
		o->reconnect_ctx = &uf;
	}
	records_observer(rec, &obs);
	rc = runner_run(o, &obs, res, &err);
	if (follow)
		usb_follow_free(&uf);
	if (records_session_id(rec))
		printf("recorded as session %lld in %s\n", records_session_id(rec),
		       records_path(rec));
	records_close(rec);
	if (rc != 0 && rc != ZCS_CHECK)
		return cli_report(&err);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct runner_opts o = { 0 };
	struct zcs_err err = { 0 };
	const char *db = NULL;
	struct records *rec;
	int rc;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if ((rc = parse_opts(argc, argv, &o, &db, NULL)) != 0)
		return rc;
	if (!(rec = cli_db_open(db, 1, &err)))
		return cli_report(&err);
	return run_recorded(&o, rec, NULL);
}

static const char resume_usage[] =
	"usage: zcs-commission resume [ID] --answers FILE CONNECTION [run options] [--db FILE]\n"
	"Continue an unfinished session (the latest one without ID) at the step it was on,\n"
	"with the same unit, keeping every verdict already recorded.  The options are those\n"
	"of 'zcs-commission run'; the wizard offers the same when it starts.\n" CLI_LINK_USAGE;

int cmd_resume(int argc, char **argv)
{
	struct runner_opts o = { 0 };
	struct zcs_err err = { 0 };
	struct eng_resume res;
	const char *db = NULL;
	long long id = 0;
	struct records *rec;
	int rc;

	if (cli_wants_help(argc, argv, resume_usage))
		return 0;
	if ((rc = parse_opts(argc, argv, &o, &db, &id)) != 0)
		return rc;
	if (!(rec = cli_db_open(db, 1, &err)))
		return cli_report(&err);
	rc = records_load_resume(rec, id, &res, &err);
	if (rc == 0)
		zcs_fail(&err, ZCS_USAGE, "no unfinished session in %s: start one with "
			 "'zcs-commission run'", records_path(rec));
	if (rc <= 0 || records_attach(rec, res.session_id, &err) < 0) {
		if (rc > 0)
			records_free_resume(&res);
		records_close(rec);
		return cli_report(&err);
	}
	printf("resuming session %lld (%s), at step %s\n", res.session_id,
	       res.installer ? res.installer : "no installer named",
	       res.current_step ? res.current_step : "the first");
	o.training = o.training || res.training;
	rc = run_recorded(&o, rec, &res);
	records_free_resume(&res);
	return rc;
}
