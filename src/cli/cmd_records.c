/* SPDX-License-Identifier: GPL-3.0-or-later */
/* records: list, show, verify, export, approve and reject stored
 * commissioning sessions. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/json.h"
#include "base/termtext.h"
#include "base/utf8.h"
#include "base/util.h"
#include "cli/cli.h"
#include "base/regmap.h"
#include "engine/engine.h"
#include "records/records.h"
#include "engine/exercise.h"
#include "records/records_server.h"

static const char records_more[] =
	"list, show, verify, export, approve and reject take --server URL to work on the\n"
	"team's records server (PostgreSQL, postgresql://HOST/DB) instead of the file.\n"
	"The database is $XDG_DATA_HOME/zcs-commission/records.db unless --db is given.\n"
	"Signatures are trusted when made by this machine's key or a KEY.pub in\n"
	"$XDG_CONFIG_HOME/zcs-commission/trusted, or only by those in --keys DIR.\n";

/* zcs-commission records --help */
const struct opt_cmd cli_records_cmd = {
	"zcs-commission records", "list|show|verify|export|approve|reject|key|recover|push|pull|"
	"server-init ...",
	N_("List, show, verify, export and review stored sessions; each subcommand has its\n"
	"own --help (zcs-commission records list --help).\n"),
	NULL, NULL, records_more,
};

char *cli_db_path(const char *given, int create, struct zcs_err *err)
{
	if (given)
		return xstrdup(given);
	return records_default_path(create, err);
}

struct records *cli_db_open(const char *given, int write, struct zcs_err *err)
{
	char *path = cli_db_path(given, write, err);
	struct records *r;

	if (!path)
		return NULL;
	r = write ? records_open(path, err) : records_open_readonly(path, err);
	free(path);
	return r;
}

/* ---- options ---- */

struct opts {
	const char *db, *format, *output, *by, *comment, *keys, *server;
	struct records_filter f;
	long long id;
	int has_id, full, limit_set, json;
	int trainee;            /* --trainee: a trainee's exercises and scores */
};

/* records list shows the newest sessions, this many unless --limit or --all. */
#define LIST_LIMIT 100

static int parse_day(const char *s, int64_t *ms, struct zcs_err *err)
{
	struct tm tm = { 0 };
	const char *end = s ? strptime(s, "%Y-%m-%d", &tm) : NULL;

	if (!end || *end)
		return zcs_fail(err, ZCS_USAGE, _("'%s' is not a date: write it as YYYY-MM-DD"),
				s ? s : "");
	*ms = (int64_t)timegm(&tm) * 1000;
	return 0;
}

static int parse_id(const char *s, long long *id, struct zcs_err *err)
{
	long v;

	if (zcs_parse_long(s, &v) < 0 || v <= 0)
		return zcs_fail(err, ZCS_USAGE, _("'%s' is not a session number: see "
				"'zcs-commission records list'"), s);
	*id = v;
	return 0;
}

static int check_word(const char *opt, const char *v, const char *const *ok, size_t n,
		      struct zcs_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v, ok[i]) == 0)
			return 0;
	return zcs_fail(err, ZCS_USAGE, _("%s takes %s%s%s%s%s, not '%s'"), opt, ok[0],
			n > 1 ? ", " : "", n > 1 ? ok[1] : "", n > 2 ? _(" or ") : "",
			n > 2 ? ok[2] : "", v);
}

enum {
	O_DB = OPT_KEY(0), O_SERVER, O_FORMAT, O_BY, O_COMMENT, O_KEYS, O_LIMIT, O_INSTALLER,
	O_SITE, O_CUSTOMER, O_SERIAL, O_FAILED_STEP, O_VERDICT, O_REVIEW, O_FROM, O_TO,
	O_TRAINING, O_FIELD, O_UNFINISHED, O_ALL, O_FULL, O_JSON, O_TRAINEE, O_OUTPUT = 'o',
};

#define OPT_DB { "db", O_DB, "FILE", "the records database (default " \
		 "$XDG_DATA_HOME/zcs-commission/records.db)" }
#define OPT_SERVER { "server", O_SERVER, "URL", "the team's records server, " \
		     "postgresql://HOST/DB, instead of the file" }
#define OPT_KEYS { "keys", O_KEYS, "DIR", N_("trust only the signers whose KEY.pub is in DIR") }
#define OPT_END { NULL, 0, NULL, NULL }

static const struct opt list_opts[] = {
	{ "from", O_FROM, "DATE", N_("sessions started on DATE (YYYY-MM-DD) or later") },
	{ "to", O_TO, "DATE", N_("sessions started on DATE or earlier") },
	{ "installer", O_INSTALLER, "NAME", N_("by installer (part of the name, any case, accents "
	  "or not)") },
	{ "site", O_SITE, "TEXT", N_("by site (part of it)") },
	{ "customer", O_CUSTOMER, "TEXT", N_("by customer (part of it)") },
	{ "serial", O_SERIAL, "SN", N_("by the unit's serial number") },
	{ "verdict", O_VERDICT, "WORD", N_("passed, failed, incomplete or unfinished") },
	{ "failed-step", O_FAILED_STEP, "STEP", N_("sessions where step STEP failed") },
	{ "review", O_REVIEW, "WORD", N_("approved, rejected or pending") },
	{ "training", O_TRAINING, NULL, N_("training sessions only") },
	{ "field", O_FIELD, NULL, N_("field sessions only") },
	{ "unfinished", O_UNFINISHED, NULL, N_("sessions not closed, which resume can continue") },
	{ "trainee", O_TRAINEE, "NAME", N_("the training sessions of NAME, oldest first, with each "
	  "exercise's score") },
	{ "limit", O_LIMIT, "N", N_("the newest N matching sessions (100)") },
	{ "all", O_ALL, NULL, N_("every matching session") },
	{ "json", O_JSON, NULL, N_("one JSON object, for scripts") },
	OPT_DB, OPT_SERVER, OPT_END,
};
static const struct opt show_opts[] = { OPT_DB, OPT_SERVER, OPT_KEYS, OPT_END };
static const struct opt verify_opts[] = {
	{ "full", O_FULL, NULL, N_("check every session again from its first row, not from the "
	  "last checkpoint") },
	OPT_KEYS, OPT_DB, OPT_SERVER, OPT_END,
};
static const struct opt export_opts[] = {
	{ "format", O_FORMAT, "FORMAT", N_("text, html (the customer's copy in plain words), "
	  "qa-html (the reviewer's, raw), json, csv or training-html (a training exercise's "
	  "score)") },
	{ "output", O_OUTPUT, "FILE", N_("write FILE (replaced whole, never half-written) instead "
	  "of standard output") },
	OPT_KEYS, OPT_DB, OPT_SERVER, OPT_END,
};
static const struct opt review_opts[] = {
	{ "by", O_BY, "NAME", N_("the reviewer (needed)") },
	{ "comment", O_COMMENT, "TEXT", N_("why") },
	OPT_KEYS, OPT_DB, OPT_SERVER, OPT_END,
};
static const struct opt sync_opts[] = { OPT_SERVER, OPT_DB, OPT_END };
static const struct opt init_opts[] = { OPT_SERVER, OPT_END };

#define RCMD(sub, syn, about, opts) \
	{ "zcs-commission records " sub, syn, about, opts, NULL, NULL }

const struct opt_cmd cli_records_cmds[] = {
	RCMD("list", "[FILTERS] [--limit N | --all] [--json] [--db FILE | --server URL]",
	     N_("List stored sessions, newest first: the newest 100 that match unless --limit or\n"
	     "--all say otherwise.\n"), list_opts),
	RCMD("show", "ID [--db FILE | --server URL]",
	     N_("Show one session in full, step by step, with its evidence (through $PAGER on a\n"
	     "terminal).\n"), show_opts),
	RCMD("verify", "[ID] [--full] [--keys DIR] [--db FILE | --server URL]",
	     N_("Check the hash chain and the signatures of one session, or of every one.\n"),
	     verify_opts),
	RCMD("export", "ID --format text|html|qa-html|json|csv|training-html [-o FILE]\n"
	     "[--lang it|en] [--keys DIR] "
	     "[--db FILE | --server URL]",
	     N_("Export one session for the customer (html), the reviewer (qa-html) or scripts.\n"),
	     export_opts),
	RCMD("approve", "ID --by NAME [--comment TEXT] [--keys DIR] [--db FILE | --server URL]",
	     N_("Approve a session as its reviewer.\n"), review_opts),
	RCMD("reject", "ID --by NAME [--comment TEXT] [--keys DIR] [--db FILE | --server URL]",
	     N_("Reject a session as its reviewer.\n"), review_opts),
	RCMD("key", "", N_("Print this machine's signing key and its fingerprint.\n"), NULL),
	RCMD("recover", "DAMAGED NEW",
	     N_("Copy what can be read of a damaged records file into a new one.\n"), NULL),
	RCMD("push", "--server URL [--db FILE]",
	     N_("Copy the sessions of the file to the records server.\n"), sync_opts),
	RCMD("pull", "--server URL [--db FILE]",
	     N_("Copy the server's reviews into the file.\n"), sync_opts),
	RCMD("server-init", "--server URL",
	     N_("Create or upgrade the records server's schema.\n"), init_opts),
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

static int take(void *ctx, int key, const char *arg, struct zcs_err *err)
{
	static const char *const verdicts[] = { "passed", "failed", "incomplete", N_("unfinished") };
	static const char *const reviews[] = { "approved", "rejected", "pending" };
	struct opts *o = ctx;
	int64_t day = 0;
	long v;

	switch (key) {
	case O_DB: o->db = arg; break;
	case O_SERVER: o->server = arg; break;
	case O_FORMAT: o->format = arg; break;
	case O_OUTPUT: o->output = arg; break;
	case O_BY: o->by = arg; break;
	case O_COMMENT: o->comment = arg; break;
	case O_KEYS: o->keys = arg; break;
	case O_LIMIT:
		if (zcs_parse_long(arg, &v) < 0 || v <= 0)
			return zcs_fail(err, ZCS_USAGE, _("--limit takes a number of sessions above 0, "
					"not '%s' (--all lists every one)"), arg);
		o->f.limit = v;
		o->limit_set = 1;
		break;
	case O_INSTALLER: o->f.installer = arg; break;
	case O_TRAINEE:
		o->f.installer = arg;
		o->f.training = 1;
		o->trainee = 1;
		break;
	case O_SITE: o->f.site = arg; break;
	case O_CUSTOMER: o->f.customer = arg; break;
	case O_SERIAL: o->f.serial = arg; break;
	case O_FAILED_STEP: o->f.failed_step = arg; break;
	case O_VERDICT:
		if (check_word("--verdict", arg, verdicts, 4, err) < 0)
			return -1;
		o->f.verdict = arg;
		break;
	case O_REVIEW:
		if (check_word("--review", arg, reviews, 3, err) < 0)
			return -1;
		o->f.review = arg;
		break;
	case O_FROM:
	case O_TO:
		if (parse_day(arg, &day, err) < 0)
			return -1;
		if (key == O_FROM)
			o->f.from_ms = day;
		else
			o->f.to_ms = day + 86400000LL;
		break;
	case O_TRAINING: o->f.training = 1; break;
	case O_FIELD: o->f.training = 0; break;
	case O_UNFINISHED: o->f.unfinished = 1; break;
	case O_ALL: o->f.limit = 0; o->limit_set = 1; break;
	case O_FULL: o->full = 1; break;
	case O_JSON: o->json = 1; break;
	}
	return 0;
}

/* The options of one subcommand and its operands: ID for most (none for
 * list; optional for verify). 1: go on; otherwise an exit code. */
static int parse(const struct opt_cmd *cmd, int argc, char **argv, struct opts *o,
		 struct zcs_err *err)
{
	int rc;

	memset(o, 0, sizeof *o);
	records_filter_init(&o->f);
	if ((rc = cli_parse(cmd, argc, argv, NULL, take, o, err)) != 1)
		return rc;
	for (int i = optind; i < argc; i++) {
		if (!strcmp(cmd->name, "zcs-commission records list"))
			opt_fail(cmd, err, _("list takes no session number ('%s'): filter with the "
				 "options"), argv[i]);
		else if (o->has_id)
			opt_fail(cmd, err, _("one session number only ('%s')"), argv[i]);
		else if (parse_id(argv[i], &o->id, err) == 0) {
			o->has_id = 1;
			continue;
		} else
			zcs_prefix(err, "%s", cmd->name);
		return cli_report(err);
	}
	return 1;
}

static int need_id(const struct opts *o, const char *what, struct zcs_err *err)
{
	if (o->has_id)
		return 0;
	return zcs_fail(err, ZCS_USAGE, _("records %s needs a session number: see "
			"'zcs-commission records list'"), what);
}

/* ---- subcommands ---- */

/* Columns are cut by characters, never bytes: "Niccolò Pietà" stays whole
 * or loses whole letters; in a terminal without UTF-8, it is transliterated. */
static const char *cell(char *buf, size_t n, const char *s, int cols)
{
	char a[256];

	s = s ? s : "-";
	if (!cli_utf8_out())
		s = utf8_ascii(a, sizeof a, s);
	return utf8_cell(buf, n, s, cols, 0);
}

static void print_summary(const struct records_summary *s)
{
	char t[40], inst[80], serial[80], step[120], ci[160], cs[160];

	zcs_iso_time(s->started_ms, t, sizeof t);
	t[16] = '\0';
	t[10] = ' ';
	term_text(s->installer ? s->installer : "-", 0, inst, sizeof inst);
	term_text(s->serial ? s->serial : "-", 0, serial, sizeof serial);
	term_text(s->state == RECORDS_UNFINISHED && s->current_step ? s->current_step : "", 0,
		  step, sizeof step);
	if (s->laptop)
		printf("%5lld  %-8.8s %5lld  ", s->id, s->laptop, s->local_id);
	else
		printf("%5lld  ", s->id);
	printf("%-16s  %s  %s  %-8s  %-10s  %3d %3d %3d  %-8s  %s\n",
	       t, cell(ci, sizeof ci, inst, 18), cell(cs, sizeof cs, serial, 16), s->training ? "training" : "field", s->verdict, s->nsteps,
	       s->npassed, s->nfailed, s->review, step);
}

static void print_list(struct records_summary *s, size_t n, int server)
{
	if (n == 0)
		printf(_("no session matches\n"));
	else if (server)
		printf("%5s  %-8s %5s  ", _("ID"), _("LAPTOP"), _("LOCAL"));
	else
		printf("%5s  ", _("ID"));
	if (n)
		printf("%-16s  %-18s  %-16s  %-8s  %-10s  %3s %3s %3s  %-8s  %s\n",
		       _("STARTED (UTC)"), _("INSTALLER"), _("SERIAL"), _("MODE"), _("VERDICT"), _("ALL"), _("OK"),
		       _("BAD"), _("REVIEW"), _("STOPPED AT"));
	for (size_t i = 0; i < n; i++)
		print_summary(&s[i]);
	records_free_list(s, n);
}

/* records list --json: version 1. */
#define LIST_JSON_VERSION 1

/* The list as one JSON document; `total` as list_footer takes it. */
static void print_list_json(struct records_summary *s, size_t n, long long total,
			    const struct opts *o, int server)
{
	struct json j;

	json_doc(&j, stdout, "zcs-commission-list", LIST_JSON_VERSION);
	json_str(&j, "source", server ? "server" : "file");
	json_int(&j, "shown", (long long)n);
	if (total == -2)
		json_str(&j, "more", "more sessions match: --limit N or --all for them");
	else if (total > (long long)n)
		json_int(&j, "matching", total);
	else
		json_int(&j, "matching", (long long)n);
	json_int(&j, "limit", o->f.limit);
	json_arr(&j, "sessions");
	for (size_t i = 0; i < n; i++) {
		const struct records_summary *x = &s[i];

		json_nl(&j);
		json_obj(&j, NULL);
		json_int(&j, "id", x->id);
		if (server) {
			json_str(&j, "laptop", x->laptop);
			json_str(&j, "laptop_name", x->laptop_name);
			json_int(&j, "local_id", x->local_id);
		}
		json_time(&j, "started", x->started_ms);
		json_time(&j, "ended", x->ended_ms);
		json_int(&j, "started_ms", x->started_ms);
		json_int(&j, "ended_ms", x->ended_ms);
		json_str(&j, "installer", x->installer);
		json_str(&j, "site", x->site);
		json_str(&j, "customer", x->customer);
		json_str(&j, "serial", x->serial);
		json_str(&j, "model", x->model);
		json_bool(&j, "training", x->training);
		json_str(&j, "verdict", x->verdict);
		json_str(&j, "review", x->review);
		json_bool(&j, "unfinished", x->state == RECORDS_UNFINISHED);
		json_str(&j, "current_step", x->current_step);
		json_int(&j, "steps", x->nsteps);
		json_int(&j, "passed", x->npassed);
		json_int(&j, "failed", x->nfailed);
		json_int(&j, "skipped", x->nskipped);
		json_int(&j, "not_applicable", x->nna);
		json_end(&j);
	}
	json_end(&j);
	json_doc_end(&j);
	records_free_list(s, n);
}

/* Under a limited list: how many match (-2: more, not counted). */
static void list_footer(size_t n, long long total)
{
	if (total == -2)
		printf(_("the newest %zu matching sessions, and more: --limit N or --all for them\n"),
		       n);
	else if (total > (long long)n)
		printf(_("the newest %zu of %lld matching sessions: --limit N or --all for more\n"),
		       n, total);
}

/* A trainee's progress: one line per training session, its exercise's
 * score, oldest first. */
static int print_scores(struct records *r, struct records_summary *s, size_t n,
			struct zcs_err *err)
{
	int done = 0, passed = 0;

	if (n == 0)
		printf(_("no training session matches\n"));
	for (size_t k = n; k-- > 0;) {
		struct records_session *ss = NULL;
		const char *text;
		struct ex_score sc;
		char t[40], inst[80], ci[160];

		if (records_load(r, s[k].id, &ss, err) < 0) {
			records_free_list(s, n);
			return -1;
		}
		zcs_iso_time(s[k].started_ms, t, sizeof t);
		t[16] = '\0';
		t[10] = ' ';
		term_text(s[k].installer ? s[k].installer : "-", 0, inst, sizeof inst);
		printf("#%-5lld %-16s  %s  ", s[k].id, t, cell(ci, sizeof ci, inst, 18));
		text = records_training_score(ss);
		if (text && ex_score_parse(text, &sc) == 0) {
			long long secs = (long long)(sc.total_ms / 1000);

			printf(_("exercise %-3d %-6s  %d/%d found  %d wrong  %lld:%02lld  %s\n"),
			       sc.exercise, sc.level, sc.found, sc.found + sc.missed, sc.wrong,
			       secs / 60, secs % 60, sc.result);
			done++;
			passed += strcmp(sc.result, "pass") == 0;
		} else {
			int num = 0;
			char level[16] = "";

			for (size_t e = 0; e < ss->nevents && !num; e++)
				if (!strcmp(ss->events[e].kind, "training") && ss->events[e].detail &&
				    sscanf(ss->events[e].detail, "exercise %d (%15[a-z])", &num, level) < 1)
					num = 0;
			if (num)
				printf(_("exercise %-3d %-6s  no score yet (%s)\n"), num, level, s[k].verdict);
			else
				printf(_("no exercise (a named scenario, %s)\n"), s[k].verdict);
		}
		records_free_session(ss);
	}
	if (done)
		printf(done == 1 ? _("%d exercise, %d passed\n") : _("%d exercises, %d passed\n"), done,
		       passed);
	records_free_list(s, n);
	return 0;
}

static int do_list(struct records *r, struct opts *o, struct zcs_err *err)
{
	struct records_summary *s;
	size_t n;

	long long total = 0;

	if (!o->limit_set)
		o->f.limit = LIST_LIMIT;
	if (records_list(r, &o->f, &s, &n, err) < 0)
		return -1;
	if (o->f.limit && n == (size_t)o->f.limit && records_count(r, &o->f, &total, err) < 0) {
		records_free_list(s, n);
		return -1;
	}
	if (o->json) {
		print_list_json(s, n, total, o, 0);
		return 0;
	}
	if (o->trainee) {
		if (print_scores(r, s, n, err) < 0)
			return -1;
	} else {
		print_list(s, n, 0);
	}
	list_footer(n, total);
	return 0;
}

/* Bad: not intact, or signed by a key that is not trusted. */
static int print_verify(const struct records_verify *v)
{
	char msg[1100];

	term_text(v->message, 0, msg, sizeof msg);
	if (v->problem != RECORDS_INTACT)
		printf(_("session %lld: NOT INTACT: %s\n"), v->session_id, msg);
	else
		printf("%s\n", msg);
	return v->problem != RECORDS_INTACT || (v->chain >= 2 && !v->trusted);
}

static void each_verified(const struct records_verify *v, void *arg)
{
	*(int *)arg += print_verify(v);
}

static int do_verify(struct records *r, struct opts *o, struct zcs_err *err)
{
	struct records_verify_all all;
	struct records_verify v;
	int bad = 0;

	if (o->full && records_check_file(r, err) < 0)
		return -1;
	if (o->has_id) {
		if (records_verify(r, o->id, &v, err) < 0)
			return -1;
		bad = print_verify(&v);
	} else {
		if (records_verify_all(r, o->full, each_verified, &bad, &all, err) < 0)
			return -1;
		if (all.sessions == 0)
			printf(_("no session recorded yet\n"));
		else if (!o->full)
			printf(_("%lld sessions: %lld read and checked, %lld unchanged since their "
			       "verified checkpoint (--full reads them all)\n"), all.sessions,
			       all.reread, all.from_checkpoint);
	}
	if (bad)
		return zcs_fail(err, ZCS_DB, bad > 1 ? _("%d sessions of %s are not intact or not "
						      "signed by a trusted key")
						    : _("%d session of %s is not intact or not signed "
							"by a trusted key"), bad, records_path(r));
	return 0;
}

/* The customer's copy speaks the installer's words: the map's labels, the
 * checklist's questions and parts. */
struct words {
	struct regmap *map;
	struct engine *eng;
};

static const char *word_label(void *ctx, const char *name)
{
	struct words *w = ctx;
	const struct reg_def *d = w->map ? regmap_find(w->map, name) : NULL;
	const struct chk_input *in;
	int step;

	if (d && d->label && *d->label)
		return d->label;
	in = w->eng ? checklist_input(engine_checklist(w->eng), name, &step) : NULL;
	return in && in->prompt ? in->prompt : NULL;
}

static const char *word_part(void *ctx, const char *step_id)
{
	struct words *w = ctx;
	const struct checklist *c = w->eng ? engine_checklist(w->eng) : NULL;
	int i = c ? checklist_find(c, step_id) : -1;

	return i >= 0 ? c->steps[i].part : NULL;
}

static int export_to(struct records *r, long long id, struct opts *o, int fmt, FILE *f,
		     struct zcs_err *err)
{
	struct words ws = { 0 };
	struct records_words w = { &ws, word_label, word_part };
	struct eng_config cfg = { 0 };
	struct zcs_err ignore = { 0 };
	int rc;

	if (fmt != RECORDS_HTML)
		return records_export(r, id, (enum records_format)fmt, f, err);
	ws.map = regmap_open("g3", &ignore);           /* without them: names made readable */
	ws.eng = engine_new(&cfg, &ignore);
	rc = records_export_words(r, id, RECORDS_HTML, &w, f, err);
	engine_free(ws.eng);
	if (ws.map)
		regmap_free(ws.map);
	return rc;
}

/* What may be replaced by an export: nothing, or a regular file. */
static int replaceable(const char *path, struct zcs_err *err)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : zcs_fail(err, ZCS_SYS, _("cannot write %s: %s"), path,
						      strerror(errno));
	if (S_ISREG(st.st_mode))
		return 0;
	return zcs_fail(err, ZCS_USAGE, _("%s is %s, not a regular file: the report is not written "
			  "over it; give another file name"), path,
			S_ISLNK(st.st_mode) ? _("a symbolic link") : S_ISDIR(st.st_mode) ? _("a directory")
			: S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : "a special file");
}

/* A new temporary in the target's directory: random name, O_EXCL and
 * O_NOFOLLOW, so nothing planted there is written through. */
static int open_temp(const char *path, char **tmp, struct zcs_err *err)
{
	char *copy = xstrdup(path), *dir = dirname(copy);
	char *base_copy = xstrdup(path), *base = basename(base_copy);
	int fd = -1;

	for (int tries = 0; fd < 0 && tries < 16; tries++) {
		unsigned long long rnd = 0;
		FILE *u = fopen("/dev/urandom", "rb");

		if (!u || fread(&rnd, sizeof rnd, 1, u) != 1)
			rnd = (unsigned long long)zcs_wall_ms() * 2654435761ULL ^ (unsigned)getpid();
		if (u)
			fclose(u);
		*tmp = xasprintf("%s/.%s.%016llx.tmp", dir, base, rnd);
		fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0) {
			int e = errno;

			free(*tmp);
			*tmp = NULL;
			if (e != EEXIST) {
				zcs_fail(err, ZCS_SYS, _("cannot write %s: %s"), path, strerror(e));
				break;
			}
		}
	}
	if (fd < 0 && !err->msg[0])
		zcs_fail(err, ZCS_SYS, _("cannot make a temporary file next to %s"), path);
	free(copy);
	free(base_copy);
	return fd;
}

/* Written to a temporary next to FILE, then renamed over it: no half report
 * is ever left as FILE, and only a regular file is ever replaced. */
static int do_export(struct records *r, long long id, struct opts *o, struct zcs_err *err)
{
	int fmt = records_format_parse(o->format ? o->format : "text");
	char *tmp = NULL;
	FILE *f;
	int fd, rc;

	if (fmt < 0)
		return zcs_fail(err, ZCS_USAGE, _("--format takes text, html (the customer's copy), "
				"qa-html (the reviewer's), json, csv or training-html (an exercise's "
				"score), not '%s'"), o->format);
	if (!o->output || !strcmp(o->output, "-"))
		return export_to(r, id, o, fmt, stdout, err);
	if (replaceable(o->output, err) < 0 || (fd = open_temp(o->output, &tmp, err)) < 0)
		return -1;
	if (!(f = fdopen(fd, "w"))) {
		close(fd);
		unlink(tmp);
		free(tmp);
		return zcs_fail(err, ZCS_SYS, _("cannot write %s: %s"), o->output, strerror(errno));
	}
	rc = export_to(r, id, o, fmt, f, err);
	if (rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0))
		rc = zcs_fail(err, ZCS_SYS, _("cannot write %s: %s"), o->output, strerror(errno));
	if (fclose(f) != 0 && rc == 0)
		rc = zcs_fail(err, ZCS_SYS, _("cannot write %s: %s"), o->output, strerror(errno));
	if (rc == 0)
		rc = replaceable(o->output, err);
	if (rc == 0 && rename(tmp, o->output) < 0)
		rc = zcs_fail(err, ZCS_SYS, _("cannot write %s: %s"), o->output, strerror(errno));
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int do_key(void)
{
	struct zcs_err err = { 0 };
	char pub[65], fp[32];

	if (records_own_key(pub, fp, &err) < 0)
		return cli_report(&err);
	printf("%s %s\n", pub, fp);
	return 0;
}

static int do_review(struct records *r, struct opts *o, int approve, struct zcs_err *err)
{
	if (!o->by)
		return zcs_fail(err, ZCS_USAGE, _("records %s needs the reviewer: --by NAME"),
				approve ? "approve" : "reject");
	if (records_review(r, o->id, approve, o->by, o->comment, err) < 0)
		return -1;
	printf(_("session %lld %s by %s\n"), o->id, approve ? _("approved") : _("rejected"), o->by);
	return 0;
}

/* ---- on the records server ---- */

static int srv_show(struct records_server *s, struct opts *o, int export, struct zcs_err *err)
{
	struct records_summary sum;
	struct records_verify v;
	long long local = 0;
	struct records *m = records_server_copy(s, o->id, &local, &sum, err);
	int rc;

	if (!m)
		return -1;
	if (export) {
		rc = do_export(m, local, o, err);
	} else {
		printf(_("server session %lld: session %lld of laptop %s (%s) on %s\n"), o->id, local,
		       sum.laptop, sum.laptop_name ? sum.laptop_name : "-", records_server_name(s));
		rc = records_export(m, local, RECORDS_TEXT, stdout, err);
		if (rc == 0 && (rc = records_server_verify(s, o->id, &v, err)) == 0)
			printf(_("on the server: %s\n"), v.message);
	}
	free(sum.laptop);
	free(sum.laptop_name);
	records_close(m);
	return rc;
}

static int srv_verify_one(struct records_server *s, long long id, int *bad, struct zcs_err *err)
{
	struct records_verify v;

	if (records_server_verify(s, id, &v, err) < 0)
		return -1;
	if (v.problem == RECORDS_INTACT)
		printf(_("session %lld: %s\n"), id, v.message);
	else
		printf(_("session %lld: NOT INTACT: %s\n"), id, v.message);
	*bad += v.problem != RECORDS_INTACT;
	return 0;
}

static int srv_verify(struct records_server *s, struct opts *o, struct zcs_err *err)
{
	struct records_summary *l;
	size_t n;
	long long total;
	int bad = 0, rc = 0;

	if (o->has_id)
		rc = srv_verify_one(s, o->id, &bad, err);
	else if ((rc = records_server_list(s, NULL, &l, &n, &total, err)) == 0) {
		for (size_t i = 0; rc == 0 && i < n; i++)
			rc = srv_verify_one(s, l[i].id, &bad, err);
		records_free_list(l, n);
		if (rc == 0 && n == 0)
			printf(_("no session on the records server yet\n"));
	}
	if (rc == 0 && bad)
		return zcs_fail(err, ZCS_DB, bad > 1 ? _("%d sessions on %s have been altered on the server")
					       : _("%d session on %s has been altered on the server"),
				bad, records_server_name(s));
	return rc;
}

static int srv_sync(struct records_server *s, struct opts *o, int push, struct zcs_err *err)
{
	struct records *r = cli_db_open(o->db, 1, err);
	int rc;

	if (!r)
		return -1;
	if (push) {
		struct records_push_report p;

		rc = records_push(r, s, stdout, &p, err);
		printf(p.sessions == 1 ? _("%lld session in %s: %lld pushed now (%lld records), "
					  "%lld already on the server, %lld refused\n")
				      : _("%lld sessions in %s: %lld pushed now (%lld records), "
					  "%lld already on the server, %lld refused\n"),
		       p.sessions, records_path(r), p.pushed, p.records, p.unchanged, p.refused);
	} else {
		struct records_pull_report p;

		rc = records_pull(r, s, stdout, &p, err);
		printf(p.reviews == 1 ? _("%lld review pulled from the server into %s")
				     : _("%lld reviews pulled from the server into %s"),
		       p.reviews, records_path(r));
		if (p.refused)
			printf(_(", %lld not recorded (see above)"), p.refused);
		printf("\n");
	}
	records_close(r);
	return rc;
}

static int srv_dispatch(const char *sub, struct opts *o, struct zcs_err *err)
{
	struct records_server *s;
	int rc = 0;

	if ((!strcmp(sub, "show") || !strcmp(sub, "export") || !strcmp(sub, "approve") ||
	     !strcmp(sub, "reject")) && need_id(o, sub, err) < 0)
		return -1;
	if ((!strcmp(sub, "approve") || !strcmp(sub, "reject")) && !o->by)
		return zcs_fail(err, ZCS_USAGE, _("records %s needs the reviewer: --by NAME"), sub);
	if (!(s = records_server_open(o->server, err)))
		return -1;
	if (!strcmp(sub, "list")) {
		struct records_summary *l;
		size_t n;

		long long total;

		if (!o->limit_set)
			o->f.limit = LIST_LIMIT;
		if ((rc = records_server_list(s, &o->f, &l, &n, &total, err)) == 0) {
			if (o->json) {
				print_list_json(l, n, total, o, 1);
			} else {
				print_list(l, n, 1);
				list_footer(n, total);
			}
		}
	} else if (!strcmp(sub, "show") || !strcmp(sub, "export")) {
		rc = srv_show(s, o, !strcmp(sub, "export"), err);
	} else if (!strcmp(sub, "verify")) {
		rc = srv_verify(s, o, err);
	} else if (!strcmp(sub, "push") || !strcmp(sub, "pull")) {
		rc = srv_sync(s, o, !strcmp(sub, "push"), err);
	} else if (!strcmp(sub, "server-init")) {
		int from = 0, to = 0;

		if ((rc = records_server_init(s, &from, &to, err)) == 0)
			printf(from == to ? _("the records server %s has schema version %d (up to date)\n")
			       : _("the records server %s now has schema version %d (it had %d)\n"),
			       records_server_name(s), to, from);
	} else {
		int approve = !strcmp(sub, "approve");

		if ((rc = records_server_review(s, o->id, approve, o->by, o->comment, err)) == 0)
			printf(_("server session %lld %s by %s\n"), o->id,
			       approve ? _("approved") : _("rejected"), o->by);
	}
	records_server_close(s);
	return rc;
}

static int dispatch(const char *sub, struct opts *o, struct zcs_err *err)
{
	int write = !strcmp(sub, "approve") || !strcmp(sub, "reject");
	struct records *r;
	int rc;

	if (o->server)
		return srv_dispatch(sub, o, err);
	if (!strcmp(sub, "push") || !strcmp(sub, "pull") || !strcmp(sub, "server-init"))
		return zcs_fail(err, ZCS_USAGE, _("records %s needs the records server: --server URL "
				"(postgresql://HOST/DB)"), sub);
	if (strcmp(sub, "list") && strcmp(sub, "verify") && need_id(o, sub, err) < 0)
		return -1;
	if (!strcmp(sub, "verify") && !o->has_id) {
		/* verify-all stores its checkpoints when it may write the file */
		char *path = cli_db_path(o->db, 0, err);

		if (!path)
			return -1;
		r = access(path, W_OK) == 0 ? records_open(path, err) : records_open_readonly(path, err);
		free(path);
	} else {
		r = cli_db_open(o->db, write, err);
	}
	if (!r)
		return -1;
	if (o->keys && records_set_keys(r, o->keys, err) < 0) {
		records_close(r);
		return -1;
	}
	if (!strcmp(sub, "list"))
		rc = do_list(r, o, err);
	else if (!strcmp(sub, "show"))
		rc = records_export(r, o->id, RECORDS_TEXT, stdout, err);
	else if (!strcmp(sub, "verify"))
		rc = do_verify(r, o, err);
	else if (!strcmp(sub, "export"))
		rc = do_export(r, o->id, o, err);
	else
		rc = do_review(r, o, !strcmp(sub, "approve"), err);
	records_close(r);
	return rc;
}

static int do_recover(const struct opt_cmd *cmd, int argc, char **argv)
{
	struct records_recovered rr;
	struct zcs_err err = { 0 };
	int rc;

	if ((rc = cli_parse(cmd, argc, argv, NULL, NULL, NULL, &err)) != 1)
		return rc;
	if (argc - optind != 2) {
		opt_fail(cmd, &err, _("recover takes the damaged file and a new file to copy into: "
			 "records recover DAMAGED NEW"));
		return cli_report(&err);
	}
	argv += optind;
	if (records_recover(argv[0], argv[1], &rr, &err) < 0)
		return cli_report(&err);
	printf(_("copied %lld rows from %s into %s"), rr.rows, argv[0], argv[1]);
	if (rr.orphans || rr.damaged_spots || rr.unreadable_tables)
		printf(_("; %lld rows lost their parent, %d damaged places, %d unreadable tables"),
		       rr.orphans, rr.damaged_spots, rr.unreadable_tables);
	printf(_("\ncheck what is missing with: zcs-commission records verify --db %s\n"), argv[1]);
	return 0;
}

int cmd_records(int argc, char **argv)
{
	struct zcs_err err = { 0 };
	const struct opt_cmd *cmd;
	const char *sub;
	struct opts o;
	int rc;

	if (argc < 2 || argv[1][0] == '-') {
		/* records --help, or an option before the subcommand */
		if ((rc = cli_parse(&cli_records_cmd, argc, argv, NULL, NULL, NULL, &err)) != 1)
			return rc;
		opt_fail(&cli_records_cmd, &err, _("which subcommand? list, show, verify, export, "
			 "approve, reject, key, recover, push, pull or server-init"));
		return cli_report(&err);
	}
	sub = argv[1];
	for (cmd = cli_records_cmds; cmd->name && strcmp(cmd->name + 23, sub); cmd++)
		;
	if (!cmd->name) {
		opt_fail(&cli_records_cmd, &err, _("unknown subcommand '%s': list, show, verify, "
			 "export, approve, reject, key, recover, push, pull or server-init"), sub);
		return cli_report(&err);
	}
	if (!strcmp(sub, "recover"))
		return do_recover(cmd, argc - 1, argv + 1);
	if ((rc = parse(cmd, argc - 1, argv + 1, &o, &err)) != 1)
		return rc;
	if (!strcmp(sub, "key")) {
		if (o.has_id) {
			opt_fail(cmd, &err, _("key takes no operand"));
			return cli_report(&err);
		}
		return do_key();
	}
	if (!strcmp(sub, "show") || (!strcmp(sub, "list") && !o.json) ||
	    (!strcmp(sub, "export") && !o.output))
		cli_page_begin();
	rc = dispatch(sub, &o, &err);
	cli_page_end();
	if (rc < 0)
		return cli_report(&err);
	return 0;
}
