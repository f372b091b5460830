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

#include "base/termtext.h"
#include "base/utf8.h"
#include "base/util.h"
#include "cli/cli.h"
#include "base/regmap.h"
#include "engine/engine.h"
#include "records/records.h"
#include "engine/exercise.h"
#include "records/records_server.h"

static const char usage_text[] =
	"usage: zcs-commission records list [--db FILE] [FILTERS]\n"
	"       zcs-commission records show ID [--db FILE]\n"
	"       zcs-commission records verify [ID] [--full] [--keys DIR] [--db FILE]\n"
	"       zcs-commission records export ID --format text|html|qa-html|json|csv|training-html\n"
	"                                        [-o FILE] [--keys DIR] [--db FILE]\n"
	"         (html: the customer's copy in plain words; qa-html: the reviewer's, raw;\n"
	"          training-html: a training exercise's score)\n"
	"       zcs-commission records approve|reject ID --by NAME [--comment TEXT] [--keys DIR]\n"
	"                                        [--db FILE]\n"
	"       zcs-commission records key\n"
	"       zcs-commission records recover DAMAGED NEW\n"
	"       zcs-commission records push|pull --server URL [--db FILE]\n"
	"       zcs-commission records server-init --server URL\n"
	"list, show, verify, export, approve and reject take --server URL to work on the\n"
	"team's records server (PostgreSQL, postgresql://HOST/DB) instead of the file.\n"
	"FILTERS: --from DATE --to DATE (YYYY-MM-DD, both days included), --installer NAME,\n"
	"         --site TEXT, --customer TEXT (part of it, any case, accents or not),\n"
	"         --serial SN, --verdict passed|failed|incomplete|unfinished, --failed-step STEP,\n"
	"         --review approved|rejected|pending, --training | --field, --unfinished,\n"
	"         --trainee NAME (training sessions of NAME with each exercise's score)\n"
	"list shows the newest 100 matching sessions: --limit N for another number, --all\n"
	"for every one.\n"
	"The database is $XDG_DATA_HOME/zcs-commission/records.db unless --db is given.\n"
	"Signatures are trusted when made by this machine's key or a KEY.pub in\n"
	"$XDG_CONFIG_HOME/zcs-commission/trusted, or only by those in --keys DIR.\n";

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
	int has_id, full, limit_set;
	int trainee;            /* --trainee: a trainee's exercises and scores */
};

/* records list shows the newest sessions, this many unless --limit or --all. */
#define LIST_LIMIT 100

static int parse_day(const char *s, int64_t *ms, struct zcs_err *err)
{
	struct tm tm = { 0 };
	const char *end = s ? strptime(s, "%Y-%m-%d", &tm) : NULL;

	if (!end || *end)
		return zcs_fail(err, ZCS_USAGE, "'%s' is not a date: write it as YYYY-MM-DD",
				s ? s : "");
	*ms = (int64_t)timegm(&tm) * 1000;
	return 0;
}

static int parse_id(const char *s, long long *id, struct zcs_err *err)
{
	long v;

	if (zcs_parse_long(s, &v) < 0 || v <= 0)
		return zcs_fail(err, ZCS_USAGE, "'%s' is not a session number: see "
				"'zcs-commission records list'", s);
	*id = v;
	return 0;
}

static int check_word(const char *opt, const char *v, const char *const *ok, size_t n,
		      struct zcs_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v, ok[i]) == 0)
			return 0;
	return zcs_fail(err, ZCS_USAGE, "%s takes %s%s%s%s%s, not '%s'", opt, ok[0],
			n > 1 ? ", " : "", n > 1 ? ok[1] : "", n > 2 ? " or " : "",
			n > 2 ? ok[2] : "", v);
}

/* One option with its argument; returns 1 when it took the argument. */
static int take_valued(struct opts *o, const char *opt, const char *arg, struct zcs_err *err)
{
	static const char *const verdicts[] = { "passed", "failed", "incomplete", "unfinished" };
	static const char *const reviews[] = { "approved", "rejected", "pending" };
	int64_t day = 0;

	if (!arg)
		return zcs_fail(err, ZCS_USAGE, "%s needs a value: see zcs-commission records "
				"--help", opt);
	if (!strcmp(opt, "--db")) o->db = arg;
	else if (!strcmp(opt, "--server")) o->server = arg;
	else if (!strcmp(opt, "--format")) o->format = arg;
	else if (!strcmp(opt, "-o") || !strcmp(opt, "--output")) o->output = arg;
	else if (!strcmp(opt, "--by")) o->by = arg;
	else if (!strcmp(opt, "--comment")) o->comment = arg;
	else if (!strcmp(opt, "--keys")) o->keys = arg;
	else if (!strcmp(opt, "--limit")) {
		long v;

		if (zcs_parse_long(arg, &v) < 0 || v <= 0)
			return zcs_fail(err, ZCS_USAGE, "--limit takes a number of sessions above 0, "
					"not '%s' (--all lists every one)", arg);
		o->f.limit = v;
		o->limit_set = 1;
	}
	else if (!strcmp(opt, "--installer")) o->f.installer = arg;
	else if (!strcmp(opt, "--trainee")) {
		o->f.installer = arg;
		o->f.training = 1;
		o->trainee = 1;
	}
	else if (!strcmp(opt, "--site")) o->f.site = arg;
	else if (!strcmp(opt, "--customer")) o->f.customer = arg;
	else if (!strcmp(opt, "--serial")) o->f.serial = arg;
	else if (!strcmp(opt, "--failed-step")) o->f.failed_step = arg;
	else if (!strcmp(opt, "--verdict")) {
		if (check_word(opt, arg, verdicts, 4, err) < 0)
			return -1;
		o->f.verdict = arg;
	} else if (!strcmp(opt, "--review")) {
		if (check_word(opt, arg, reviews, 3, err) < 0)
			return -1;
		o->f.review = arg;
	} else if (!strcmp(opt, "--from") || !strcmp(opt, "--to")) {
		if (parse_day(arg, &day, err) < 0)
			return -1;
		if (opt[2] == 'f')
			o->f.from_ms = day;
		else
			o->f.to_ms = day + 86400000LL;
	}
	return 1;
}

static int is_valued(const char *opt)
{
	static const char *const names[] = {
		"--db", "--format", "-o", "--output", "--by", "--comment", "--installer",
		"--serial", "--failed-step", "--verdict", "--review", "--from", "--to", "--keys",
		"--site", "--customer", "--server", "--limit", "--trainee",
	};

	for (size_t i = 0; i < ZCS_ARRAY_LEN(names); i++)
		if (strcmp(opt, names[i]) == 0)
			return 1;
	return 0;
}

static int parse(int argc, char **argv, struct opts *o, struct zcs_err *err)
{
	memset(o, 0, sizeof *o);
	records_filter_init(&o->f);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (is_valued(a)) {
			if (take_valued(o, a, i + 1 < argc ? argv[i + 1] : NULL, err) < 0)
				return -1;
			i++;
		} else if (!strcmp(a, "--training")) {
			o->f.training = 1;
		} else if (!strcmp(a, "--field")) {
			o->f.training = 0;
		} else if (!strcmp(a, "--unfinished")) {
			o->f.unfinished = 1;
		} else if (!strcmp(a, "--all")) {
			o->f.limit = 0;
			o->limit_set = 1;
		} else if (!strcmp(a, "--full")) {
			o->full = 1;
		} else if (a[0] == '-') {
			return zcs_fail(err, ZCS_USAGE, "unknown option '%s': see zcs-commission "
					"records --help", a);
		} else if (o->has_id) {
			return zcs_fail(err, ZCS_USAGE, "one session number only ('%s')", a);
		} else {
			if (parse_id(a, &o->id, err) < 0)
				return -1;
			o->has_id = 1;
		}
	}
	return 0;
}

static int need_id(const struct opts *o, const char *what, struct zcs_err *err)
{
	if (o->has_id)
		return 0;
	return zcs_fail(err, ZCS_USAGE, "records %s needs a session number: see "
			"'zcs-commission records list'", what);
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
		printf("no session matches\n");
	else if (server)
		printf("%5s  %-8s %5s  ", "ID", "LAPTOP", "LOCAL");
	else
		printf("%5s  ", "ID");
	if (n)
		printf("%-16s  %-18s  %-16s  %-8s  %-10s  %3s %3s %3s  %-8s  %s\n",
		       "STARTED (UTC)", "INSTALLER", "SERIAL", "MODE", "VERDICT", "ALL", "OK",
		       "BAD", "REVIEW", "STOPPED AT");
	for (size_t i = 0; i < n; i++)
		print_summary(&s[i]);
	records_free_list(s, n);
}

/* Under a limited list: how many match (-2: more, not counted). */
static void list_footer(size_t n, long long total)
{
	if (total == -2)
		printf("the newest %zu matching sessions, and more: --limit N or --all for them\n",
		       n);
	else if (total > (long long)n)
		printf("the newest %zu of %lld matching sessions: --limit N or --all for more\n",
		       n, total);
}

/* A trainee's progress: one line per training session, its exercise's
 * score, oldest first. */
static int print_scores(struct records *r, struct records_summary *s, size_t n,
			struct zcs_err *err)
{
	int done = 0, passed = 0;

	if (n == 0)
		printf("no training session matches\n");
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

			printf("exercise %-3d %-6s  %d/%d found  %d wrong  %lld:%02lld  %s\n",
			       sc.exercise, sc.level, sc.found, sc.found + sc.missed, sc.wrong,
			       secs / 60, secs % 60, sc.result);
			done++;
			passed += strcmp(sc.result, "pass") == 0;
		} else {
			printf("no exercise (a named scenario, %s)\n", s[k].verdict);
		}
		records_free_session(ss);
	}
	if (done)
		printf("%d exercise%s, %d passed\n", done, done == 1 ? "" : "s", passed);
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
		printf("session %lld: NOT INTACT: %s\n", v->session_id, msg);
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
			printf("no session recorded yet\n");
		else if (!o->full)
			printf("%lld sessions: %lld read and checked, %lld unchanged since their "
			       "verified checkpoint (--full reads them all)\n", all.sessions,
			       all.reread, all.from_checkpoint);
	}
	if (bad)
		return zcs_fail(err, ZCS_DB, "%d session%s of %s %s not intact or not signed by a "
				"trusted key", bad, bad > 1 ? "s" : "", records_path(r),
				bad > 1 ? "are" : "is");
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
		return errno == ENOENT ? 0 : zcs_fail(err, ZCS_SYS, "cannot write %s: %s", path,
						      strerror(errno));
	if (S_ISREG(st.st_mode))
		return 0;
	return zcs_fail(err, ZCS_USAGE, "%s is %s, not a regular file: the report is not written "
			"over it; give another file name", path,
			S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISDIR(st.st_mode) ? "a directory"
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
				zcs_fail(err, ZCS_SYS, "cannot write %s: %s", path, strerror(e));
				break;
			}
		}
	}
	if (fd < 0 && !err->msg[0])
		zcs_fail(err, ZCS_SYS, "cannot make a temporary file next to %s", path);
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
		return zcs_fail(err, ZCS_USAGE, "--format takes text, html (the customer's copy), "
				"qa-html (the reviewer's), json, csv or training-html (an exercise's "
				"score), not '%s'", o->format);
	if (!o->output || !strcmp(o->output, "-"))
		return export_to(r, id, o, fmt, stdout, err);
	if (replaceable(o->output, err) < 0 || (fd = open_temp(o->output, &tmp, err)) < 0)
		return -1;
	if (!(f = fdopen(fd, "w"))) {
		close(fd);
		unlink(tmp);
		free(tmp);
		return zcs_fail(err, ZCS_SYS, "cannot write %s: %s", o->output, strerror(errno));
	}
	rc = export_to(r, id, o, fmt, f, err);
	if (rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0))
		rc = zcs_fail(err, ZCS_SYS, "cannot write %s: %s", o->output, strerror(errno));
	if (fclose(f) != 0 && rc == 0)
		rc = zcs_fail(err, ZCS_SYS, "cannot write %s: %s", o->output, strerror(errno));
	if (rc == 0)
		rc = replaceable(o->output, err);
	if (rc == 0 && rename(tmp, o->output) < 0)
		rc = zcs_fail(err, ZCS_SYS, "cannot write %s: %s", o->output, strerror(errno));
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
		return zcs_fail(err, ZCS_USAGE, "records %s needs the reviewer: --by NAME",
				approve ? "approve" : "reject");
	if (records_review(r, o->id, approve, o->by, o->comment, err) < 0)
		return -1;
	printf("session %lld %s by %s\n", o->id, approve ? "approved" : "rejected", o->by);
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
		printf("server session %lld: session %lld of laptop %s (%s) on %s\n", o->id, local,
		       sum.laptop, sum.laptop_name ? sum.laptop_name : "-", records_server_name(s));
		rc = records_export(m, local, RECORDS_TEXT, stdout, err);
		if (rc == 0 && (rc = records_server_verify(s, o->id, &v, err)) == 0)
			printf("on the server: %s\n", v.message);
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
		printf("session %lld: %s\n", id, v.message);
	else
		printf("session %lld: NOT INTACT: %s\n", id, v.message);
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
			printf("no session on the records server yet\n");
	}
	if (rc == 0 && bad)
		return zcs_fail(err, ZCS_DB, "%d session%s on %s %s been altered on the server", bad,
				bad > 1 ? "s" : "", records_server_name(s), bad > 1 ? "have" : "has");
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
		printf("%lld session%s in %s: %lld pushed now (%lld records), %lld already on the "
		       "server, %lld refused\n", p.sessions, p.sessions == 1 ? "" : "s",
		       records_path(r), p.pushed, p.records, p.unchanged, p.refused);
	} else {
		struct records_pull_report p;

		rc = records_pull(r, s, stdout, &p, err);
		printf("%lld review%s pulled from the server into %s", p.reviews,
		       p.reviews == 1 ? "" : "s", records_path(r));
		if (p.refused)
			printf(", %lld not recorded (see above)", p.refused);
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
		return zcs_fail(err, ZCS_USAGE, "records %s needs the reviewer: --by NAME", sub);
	if (!(s = records_server_open(o->server, err)))
		return -1;
	if (!strcmp(sub, "list")) {
		struct records_summary *l;
		size_t n;

		long long total;

		if (!o->limit_set)
			o->f.limit = LIST_LIMIT;
		if ((rc = records_server_list(s, &o->f, &l, &n, &total, err)) == 0) {
			print_list(l, n, 1);
			list_footer(n, total);
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
			printf(from == to ? "the records server %s has schema version %d (up to date)\n"
			       : "the records server %s now has schema version %d (it had %d)\n",
			       records_server_name(s), to, from);
	} else {
		int approve = !strcmp(sub, "approve");

		if ((rc = records_server_review(s, o->id, approve, o->by, o->comment, err)) == 0)
			printf("server session %lld %s by %s\n", o->id,
			       approve ? "approved" : "rejected", o->by);
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
		return zcs_fail(err, ZCS_USAGE, "records %s needs the records server: --server URL "
				"(postgresql://HOST/DB)", sub);
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

static int do_recover(int argc, char **argv)
{
	struct records_recovered rr;
	struct zcs_err err = { 0 };

	if (argc != 4) {
		zcs_fail(&err, ZCS_USAGE, "records recover takes the damaged file and a new file "
			 "to copy into: records recover DAMAGED NEW");
		return cli_report(&err);
	}
	if (records_recover(argv[2], argv[3], &rr, &err) < 0)
		return cli_report(&err);
	printf("copied %lld rows from %s into %s", rr.rows, argv[2], argv[3]);
	if (rr.orphans || rr.damaged_spots || rr.unreadable_tables)
		printf("; %lld rows lost their parent, %d damaged places, %d unreadable tables",
		       rr.orphans, rr.damaged_spots, rr.unreadable_tables);
	printf("\ncheck what is missing with: zcs-commission records verify --db %s\n", argv[3]);
	return 0;
}

int cmd_records(int argc, char **argv)
{
	static const char *const subs[] = { "list", "show", "verify", "export", "approve",
					    "reject", "push", "pull", "server-init" };
	struct zcs_err err = { 0 };
	struct opts o;
	size_t i;

	if (cli_wants_help(argc, argv, usage_text))
		return 0;
	if (argc < 2) {
		fputs(usage_text, stderr);
		return ZCS_USAGE;
	}
	if (!strcmp(argv[1], "recover"))
		return do_recover(argc, argv);
	if (!strcmp(argv[1], "key"))
		return do_key();
	for (i = 0; i < ZCS_ARRAY_LEN(subs) && strcmp(argv[1], subs[i]); i++)
		;
	if (i == ZCS_ARRAY_LEN(subs)) {
		zcs_fail(&err, ZCS_USAGE, "unknown records command '%s': list, show, verify, "
			 "export, approve, reject, key, recover, push, pull or server-init", argv[1]);
		return cli_report(&err);
	}
	if (parse(argc - 1, argv + 1, &o, &err) < 0 || dispatch(subs[i], &o, &err) < 0)
		return cli_report(&err);
	return 0;
}
