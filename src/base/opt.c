/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/opt.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"

const char *(*opt_elsewhere)(const char *name);

static const struct opt help_opts[] = {
	{ "help", 'h', NULL, N_("show this help and exit") },
	{ NULL, 0, NULL, NULL },
};

void opt_begin(struct opt_parser *ps, const struct opt_cmd *cmd, int argc, char **argv)
{
	const struct opt *tabs[3] = { cmd->opts, cmd->link ? cmd->link() : NULL, help_opts };
	size_t k = 0, s = 0;

	memset(ps, 0, sizeof *ps);
	ps->cmd = cmd;
	ps->argc = argc;
	ps->argv = argv;
	ps->shorts[s++] = ':';
	for (int t = 0; t < 3; t++)
		for (size_t i = 0; tabs[t] && tabs[t][i].name &&
				    k + 1 < ZCS_ARRAY_LEN(ps->lo); i++) {
			const struct opt *o = &tabs[t][i];

			ps->lo[k].name = o->name;
			ps->lo[k].has_arg = o->arg ? required_argument : no_argument;
			ps->lo[k].val = o->key;
			k++;
			if (o->key > 0 && o->key < 128 && s + 3 < sizeof ps->shorts) {
				ps->shorts[s++] = (char)o->key;
				if (o->arg)
					ps->shorts[s++] = ':';
			}
		}
	ps->shorts[s] = '\0';
	optind = 0;     /* GNU: start afresh (a second command line in one process) */
	opterr = 0;
}

static const struct opt *find_key(const struct opt_parser *ps, int key)
{
	const struct opt *tabs[2] = { ps->cmd->opts, ps->cmd->link ? ps->cmd->link() : NULL };

	if (key == 'h')
		return help_opts;
	for (int t = 0; t < 2; t++)
		for (size_t i = 0; tabs[t] && tabs[t][i].name; i++)
			if (tabs[t][i].key == key)
				return &tabs[t][i];
	return NULL;
}

static const struct opt *find_name(const struct opt_parser *ps, const char *name, size_t n)
{
	for (int i = 0; ps->lo[i].name; i++)
		if (strlen(ps->lo[i].name) == n && strncmp(ps->lo[i].name, name, n) == 0)
			return find_key(ps, ps->lo[i].val);
	return NULL;
}

/* The option word that failed, as typed ("--foo" of "--foo=1", or "-x"). */
static void offending(const struct opt_parser *ps, char *buf, size_t n)
{
	const char *w = optind > 0 && optind <= ps->argc ? ps->argv[optind - 1] : "";

	if (optopt > 0 && optopt < 128 && !(w[0] == '-' && w[1] == '-')) {
		snprintf(buf, n, "-%c", optopt);
		return;
	}
	snprintf(buf, n, "%.*s", (int)strcspn(w, "="), w);
}

static int fail_option(struct opt_parser *ps, int missing, struct zcs_err *err)
{
	const char *cmd = ps->cmd->name;
	const char *w = optind > 0 && optind <= ps->argc ? ps->argv[optind - 1] : "";
	const struct opt *o;
	const char *where;
	char word[120];

	offending(ps, word, sizeof word);
	o = word[1] == '-' ? find_name(ps, word + 2, strlen(word + 2))
			   : find_key(ps, (unsigned char)word[1]);
	if (missing && o)
		zcs_fail(err, ZCS_USAGE, _("%s: %s needs a value (%s): see %s --help"), cmd, word,
			 o->arg ? o->arg : "?", cmd);
	else if (o && strchr(w, '=') && !o->arg)
		zcs_fail(err, ZCS_USAGE, _("%s: %s takes no value ('%s'): see %s --help"), cmd,
			 word, w, cmd);
	else if (word[0] == '-' && word[1] == '-' && word[2] &&
		 opt_elsewhere && (where = opt_elsewhere(word + 2)))
		zcs_fail(err, ZCS_USAGE, _("%s: %s does not apply here (it is an option of %s): "
			 "see %s --help"), cmd, word, where, cmd);
	else
		zcs_fail(err, ZCS_USAGE, _("%s: unknown option '%s'%s: see %s --help"), cmd, word,
			 word[1] == '-' ? _(" (or not one option's unique abbreviation)") : "", cmd);
	return OPT_ERROR;
}

int opt_next(struct opt_parser *ps, struct zcs_err *err)
{
	int idx = -1, c;

	ps->cur = NULL;
	ps->arg = NULL;
	c = getopt_long(ps->argc, ps->argv, ps->shorts, ps->lo, &idx);
	if (c == -1) {
		ps->ind = optind;
			return OPT_END;
	}
	if (c == ':')
		return fail_option(ps, 1, err);
	if (c == '?')
		return fail_option(ps, 0, err);
	if (c == 'h') {
		opt_usage(ps->cmd, stdout);
			return OPT_HELP;
	}
	ps->cur = find_key(ps, c);
	ps->arg = optarg;
	return c;
}

/* Words after column `indent` (where the cursor is), wrapped at 79. */
static void wrap(FILE *f, const char *text, int indent)
{
	int at = indent;

	while (*text) {
		size_t n = strcspn(text, " ");

		if (at > indent) {
			if (at + 1 + (int)n > 79) {
				fprintf(f, "\n%*s", indent, "");
				at = indent;
			} else {
				fputc(' ', f);
				at++;
			}
		}
		fprintf(f, "%.*s", (int)n, text);
		at += (int)n;
		text += n;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

static void table(FILE *f, const struct opt *t)
{
	for (size_t i = 0; t && t[i].name; i++) {
		char left[80];
		int n;

		if (t[i].key > 0 && t[i].key < 128)
			n = snprintf(left, sizeof left, "  -%c, --%s%s%s", t[i].key, t[i].name,
				     t[i].arg ? " " : "", t[i].arg ? t[i].arg : "");
		else
			n = snprintf(left, sizeof left, "      --%s%s%s", t[i].name,
				     t[i].arg ? " " : "", t[i].arg ? t[i].arg : "");
		fputs(left, f);
		if (n >= 29)
			fprintf(f, "\n%*s", 30, "");
		else
			fprintf(f, "%*s", 30 - n, "");
		wrap(f, i18n_tr(t[i].help), 30);
	}
}

void opt_usage(const struct opt_cmd *cmd, FILE *f)
{
	/* a synopsis with words in it (the top one) has a translation */
	const char *s = cmd->synopsis && *cmd->synopsis ? i18n_tr(cmd->synopsis) : "";
	int first = 1;

	const char *u = _("usage:");

	while (*s || first) {
		size_t n = strcspn(s, "\n");

		fprintf(f, "%*s %s%s%.*s\n", (int)strlen(u), first ? u : "", cmd->name,
			n ? " " : "", (int)n, s);
		first = 0;
		s += n;
		if (*s == '\n')
			s++;
	}
	if (cmd->about) {
		const char *a = i18n_tr(cmd->about);

		fputc('\n', f);
		fputs(a, f);
		if (*a && a[strlen(a) - 1] != '\n')
			fputc('\n', f);
	}
	fputs(_("\noptions:\n"), f);
	table(f, cmd->opts);
	table(f, help_opts);
	if (cmd->link && cmd->link()[0].name) {
		fputs(_("\nconnection options:\n"), f);
		table(f, cmd->link());
	}
	if (cmd->more) {
		fputc('\n', f);
		fputs(cmd->more, f);
		if (cmd->more[strlen(cmd->more) - 1] != '\n')
			fputc('\n', f);
	}
}

int opt_fail(const struct opt_cmd *cmd, struct zcs_err *err, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return zcs_fail(err, ZCS_USAGE, _("%s: %s: see %s --help"), cmd->name, what, cmd->name);
}
