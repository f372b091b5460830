/* SPDX-License-Identifier: GPL-3.0-or-later */
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

enum { O_ANSWERS = OPT_KEY(0), O_ACT, O_UNITS, O_WINDOW, O_LINKWAIT, O_CHECKLISTS,
       O_TRAINING, O_QUIET, O_DRYRUN, O_EVIDENCE, O_DB };

static const struct opt run_opts[] = {
	{ "answers", O_ANSWERS, "FILE", N_("answers, confirmations, writes, skips (zcs-checklist(5))") },
	{ "act", O_ACT, "CMD", N_("perform installer actions by running 'CMD WORDS' (e.g. --act "
	  "\"zcs-sim ctl /tmp/s.sock\" runs ... breaker off)") },
	{ "units", O_UNITS, "LIST", N_("slave ids of parallel inverters, primary first: 1,2,3") },
	{ "window-scale", O_WINDOW, "X", N_("multiply evidence windows by X, above 0, at most 10 "
	  "(tests: 0.1)") },
	{ "link-wait", O_LINKWAIT, "S", N_("stop (exit 3) when the link stays lost S seconds (300; "
	  "resume goes on from there)") },
	{ "checklists", O_CHECKLISTS, "DIR", N_("use the checklists in DIR") },
	{ "training", O_TRAINING, NULL, N_("mark the session as training (simulated plant)") },
	{ "quiet", O_QUIET, NULL, N_("one line per step; details only for failures") },
	{ "dry-run-writes", O_DRYRUN, NULL, N_("show the FC 0x10 frames each write would send, send "
	  "none") },
	{ "evidence", O_EVIDENCE, NULL, N_("every sample of each evidence window: time, slave, name, "
	  "value, unit, register words") },
	{ "db", O_DB, "FILE", N_("the records database "
	  "(default $XDG_DATA_HOME/zcs-commission/records.db)") },
	{ NULL, 0, NULL, NULL },
};

const struct opt_cmd cli_run_cmd = {
	"zcs-commission run", "--answers FILE CONNECTION [OPTIONS]",
	N_("Walk the whole commissioning procedure from an answers file, printing each\n"
	"step's verdict with its evidence.  Exit 0 only when every applicable step passed.\n"),
	run_opts, usb_link_opts, NULL,
};

const struct opt_cmd cli_resume_cmd = {
	"zcs-commission resume", "[ID] --answers FILE CONNECTION [OPTIONS]",
	N_("Continue an unfinished session (the latest one without ID) at the step it was on,\n"
	"with the same unit, keeping every verdict already recorded.  The options are those\n"
	"of 'zcs-commission run'; the wizard offers the same when it starts.\n"),
	run_opts, usb_link_opts, NULL,
};

struct run_args {
	const struct opt_cmd *cmd;
	struct runner_opts *o;
	const char **db;
};

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

static int take(void *ctx, int key, const char *v, struct zcs_err *err)
{
	struct run_args *a = ctx;
	struct runner_opts *o = a->o;

	switch (key) {
	case O_TRAINING: o->training = 1; break;
	case O_QUIET: o->quiet = 1; break;
	case O_DRYRUN: o->dry_run_writes = 1; break;
	case O_EVIDENCE: o->evidence = 1; break;
	case O_ANSWERS: o->answers = v; break;
	case O_DB: *a->db = v; break;
	case O_ACT: o->act = v; break;
	case O_CHECKLISTS: o->checklist_dir = v; break;
	case O_UNITS:
		if (parse_units(v, o))
			return opt_fail(a->cmd, err, _("--units takes slave ids 1-247, primary first: "
					"1,2,3, not '%s'"), v);
		break;
	case O_LINKWAIT:
		if (zcs_parse_double(v, &o->link_wait_s) || o->link_wait_s <= 0 ||
		    o->link_wait_s > 86400)
			return opt_fail(a->cmd, err, _("--link-wait takes seconds above 0, at most "
					"86400, not '%s'"), v);
		break;
	case O_WINDOW:
		if (zcs_parse_double(v, &o->window_scale) || o->window_scale <= 0 ||
		    o->window_scale > 10)
			return opt_fail(a->cmd, err, _("--window-scale takes a number above 0, at "
					"most 10, not '%s'"), v);
		break;
	}
	return 0;
}

/* Options shared by run and resume; `id` (resume only) takes the one
 * operand.  Returns 1 to go on, or an exit code after printing the problem
 * (0 after --help). */
static int parse_opts(const struct opt_cmd *cmd, int argc, char **argv,
		      struct runner_opts *o, const char **db, long long *id)
{
	struct zcs_err err = { 0 };
	struct run_args a = { cmd, o, db };
	int rc;

	link_params_default(&o->link);
	if ((rc = cli_parse(cmd, argc, argv, &o->link, take, &a, &err)) != 1)
		return rc;
	for (int i = optind; i < argc; i++) {
		long n;

		if (!id)
			opt_fail(cmd, &err, _("unexpected '%s' (run takes no operand; resume takes "
				 "a session number)"), argv[i]);
		else if (*id)
			opt_fail(cmd, &err, _("one session number only ('%s')"), argv[i]);
		else if (zcs_parse_long(argv[i], &n) || n <= 0)
			opt_fail(cmd, &err, _("'%s' is not a session number: see 'zcs-commission "
				 "records list --unfinished'"), argv[i]);
		else {
			*id = n;
			continue;
		}
		return cli_report(&err);
	}
	if (!o->answers) {
		opt_fail(cmd, &err, _("--answers FILE is needed"));
		return cli_report(&err);
	}
	if (link_params_check(&o->link, &err))
		return cli_report(&err);
	return 1;
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
		printf(_("recorded as session %lld in %s\n"), records_session_id(rec),
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

	if ((rc = parse_opts(&cli_run_cmd, argc, argv, &o, &db, NULL)) != 1)
		return rc;
	if (!(rec = cli_db_open(db, 1, &err)))
		return cli_report(&err);
	return run_recorded(&o, rec, NULL);
}

int cmd_resume(int argc, char **argv)
{
	struct runner_opts o = { 0 };
	struct zcs_err err = { 0 };
	struct eng_resume res;
	const char *db = NULL;
	long long id = 0;
	struct records *rec;
	int rc;

	if ((rc = parse_opts(&cli_resume_cmd, argc, argv, &o, &db, &id)) != 1)
		return rc;
	if (!(rec = cli_db_open(db, 1, &err)))
		return cli_report(&err);
	rc = records_load_resume(rec, id, &res, &err);
	if (rc == 0)
		zcs_fail(&err, ZCS_USAGE, _("no unfinished session in %s: start one with "
			 "'zcs-commission run'"), records_path(rec));
	if (rc <= 0 || records_attach(rec, res.session_id, &err) < 0) {
		if (rc > 0)
			records_free_resume(&res);
		records_close(rec);
		return cli_report(&err);
	}
	printf(_("resuming session %lld (%s), at step %s\n"), res.session_id,
	       res.installer ? res.installer : "no installer named",
	       res.current_step ? res.current_step : "the first");
	o.training = o.training || res.training;
	rc = run_recorded(&o, rec, &res);
	records_free_resume(&res);
	return rc;
}
