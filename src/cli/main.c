/* zcs-commission: commissioning wizard for ZCS Azzurro ZSS-HP hybrid
 * inverters.  This file only dispatches to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
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
	fputs(_("usage: zcs-commission [CONNECTION] [WIZARD OPTIONS]   (the wizard)\n"
		"       zcs-commission COMMAND [OPTIONS]\n"
		"       zcs-commission --help | --version\n\n"
		"Without a command the wizard starts: on CONNECTION, or in training mode\n"
		"against the built-in simulator when none is given.  Wizard options:\n"
		"--no-color, --theme colour|high-contrast|mono, --db PATH, --scenario NAME,\n"
		"--window-scale X, --training, --exercise N|easy|medium|hard|random,\n"
		"--instructor SOCKET.\n"
		"--lang it|en (any command, anywhere on the line): the language, else LANG.\n\n"
		"commands:\n"), f);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
	fprintf(f, _("\n%sSee zcs-commission(1).\n"), _(CLI_LINK_USAGE));
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
	/* No command, or a connection or display option: the wizard. */
	if (argc < 2 || (argv[1][0] == '-' && ui_wants(argv[1])))
		return ui_main(argc, argv);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("zcs-commission %s\n", ZCS_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, _("zcs-commission: unknown command '%s': see zcs-commission --help\n"),
		argv[1]);
	return ZCS_USAGE;
}
