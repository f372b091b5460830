/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zcs-commission: commissioning wizard for ZCS Azzurro ZSS-HP hybrid
 * inverters.  This file only dispatches to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "base/opt.h"
#include "cli/cli.h"
#include "ui.h"

static const struct cli_command commands[] = {
	{ "probe", cmd_probe, N_("identify the unit and show a snapshot of its live values") },
	{ "read", cmd_read, N_("read values by register-map name") },
	{ "run", cmd_run, N_("walk the whole commissioning procedure from an answers file") },
	{ "checklist", cmd_checklist, N_("check the checklist files and list their steps") },
	{ "resume", cmd_resume, N_("continue an unfinished session at the step it was on") },
	{ "ports", cmd_ports, N_("list the USB-RS485 adapters plugged in, with their tty") },
	{ "batteries", cmd_batteries, N_("show the battery models, their settings, DIP switches and mixing rules") },
	{ "records", cmd_records, N_("list, show, verify, export and review stored sessions") },
	{ "train", ui_train_main, N_("the instructor's console: follow a training exercise, change its plant") },
};

static void usage(FILE *f)
{
	char more[2048];
	size_t n = 0;
	struct opt_cmd top = ui_cmd;

	n += (size_t)snprintf(more + n, sizeof more - n, "%s", _("--lang it|en, anywhere on the line of the wizard or of any command: the\n"
			      "language (Italian or English), else LANG.\n\ncommands (each has its --help):\n"));
	for (size_t i = 0; i < sizeof commands / sizeof commands[0] && n < sizeof more; i++)
		n += (size_t)snprintf(more + n, sizeof more - n, "  %-10s %s\n", commands[i].name,
				      _(commands[i].summary));
	if (n < sizeof more)
		snprintf(more + n, sizeof more - n, "%s", _("\nSee zcs-commission(1).\n"));
	top.synopsis = N_("[CONNECTION] [WIZARD OPTIONS]   (the wizard)\n"
			  "COMMAND [OPTIONS]\n"
			  "--help | --version");
	top.about = N_("Without a command the wizard starts: on CONNECTION, or in training mode\n"
		       "against the built-in simulator when none is given.  Without a terminal\n"
		       "use 'zcs-commission run'.\n");
	top.more = more;
	opt_usage(&top, f);
}

/* Every command's options, to tell "does not apply here" from "unknown". */
static const char *owners(const char *name)
{
	static const struct opt_cmd *const cmds[] = {
		&cli_probe_cmd, &cli_read_cmd, &cli_run_cmd, &cli_checklist_cmd, &cli_ports_cmd,
		&cli_batteries_cmd, &ui_cmd, &ui_train_cmd,
	};
	static char buf[300];
	size_t n = 0;
	int nrec = 0;

	for (const struct opt_cmd *c = cli_records_cmds; c->name; c++)
		for (size_t j = 0; c->opts && c->opts[j].name; j++)
			nrec += strcmp(c->opts[j].name, name) == 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0] + 64; i++) {
		const struct opt_cmd *c = i < sizeof cmds / sizeof cmds[0] ? cmds[i]
				 : &cli_records_cmds[i - sizeof cmds / sizeof cmds[0]];
		const struct opt *t[2];
		int hit = 0;

		if (!c->name)
			break;
		t[0] = c->opts;
		t[1] = c->link ? c->link() : NULL;
		for (int k = 0; k < 2 && !hit; k++)
			for (size_t j = 0; t[k] && t[k][j].name && !hit; j++)
				hit = strcmp(t[k][j].name, name) == 0;
		if (hit && n < sizeof buf) {
			/* one word a command: records, not each of its subcommands */
			char word[40];

			if (strcmp(c->name, "zcs-commission"))
				snprintf(word, sizeof word, "%.*s",
					 nrec > 2 ? (int)strcspn(c->name + 15, " ") : 40,
					 c->name + 15);
			else
				snprintf(word, sizeof word, "%s", _("the wizard"));
			if (!strstr(buf, word))
				n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? ", " : "",
						      word);
		}
	}
	return n ? buf : NULL;
}

/* --lang LANG (or --lang=LANG) anywhere before "--", taken out of argv: it
 * concerns every command and the wizard alike.  -1 when it names no
 * language the programs speak. */
static int take_lang(int *argc, char **argv, const char **lang)
{
	for (int i = 1; i < *argc; i++) {
		int n = 0;

		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--lang"))
			n = 2;
		else if (!strncmp(argv[i], "--lang=", 7))
			n = 1;
		if (!n)
			continue;
		*lang = n == 2 ? (i + 1 < *argc ? argv[i + 1] : "") : argv[i] + 7;
		for (int k = i; k + n <= *argc; k++)
			argv[k] = argv[k + n];
		*argc -= n;
		i--;
	}
	return !*lang || i18n_known(*lang) ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *lang = NULL;

	if (take_lang(&argc, argv, &lang) < 0) {
		i18n_init(NULL);
		fprintf(stderr, _("zcs-commission: --lang '%s' is no language it speaks: use "
				  "--lang it (Italian) or --lang en (English)\n"), lang);
		return ZCS_USAGE;
	}
	i18n_init(lang);
	opt_elsewhere = owners;
	/* No command, or an option: the wizard (which names an unknown one). */
	if (argc < 2)
		return ui_main(argc, argv);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("zcs-commission %s\n", ZCS_VERSION);
		return 0;
	}
	if (argv[1][0] == '-')
		return ui_main(argc, argv);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, _("zcs-commission: unknown command '%s': see zcs-commission --help\n"),
		argv[1]);
	return ZCS_USAGE;
}
