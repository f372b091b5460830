/* zcs-commission: commissioning wizard for ZCS Azzurro ZSS-HP hybrid
 * inverters.  This file only dispatches to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ui.h"

static const struct cli_command commands[] = {
	{ "probe", cmd_probe, "identify the unit and show a snapshot of its live values" },
	{ "read", cmd_read, "read values by register-map name" },
	{ "run", cmd_run, "walk the whole commissioning procedure from an answers file" },
	{ "checklist", cmd_checklist, "check the checklist files and list their steps" },
	{ "resume", cmd_resume, "continue an unfinished session at the step it was on" },
	{ "ports", cmd_ports, "list the USB-RS485 adapters plugged in, with their tty" },
	{ "batteries", cmd_batteries, "show the battery models, their settings, DIP switches and mixing rules" },
	{ "records", cmd_records, "list, show, verify, export and review stored sessions" },
	{ "train", ui_train_main, "the instructor's console: follow a training exercise, change its plant" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: zcs-commission [CONNECTION] [WIZARD OPTIONS]   (the wizard)\n"
		   "       zcs-commission COMMAND [OPTIONS]\n"
		   "       zcs-commission --help | --version\n\n"
		   "Without a command the wizard starts: on CONNECTION, or in training mode\n"
		   "against the built-in simulator when none is given.  Wizard options:\n"
		   "--no-color, --theme colour|high-contrast|mono, --db PATH, --scenario NAME,\n"
		   "--window-scale X, --training, --exercise N|easy|medium|hard|random,\n"
		   "--instructor SOCKET.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n%sSee zcs-commission(1).\n", CLI_LINK_USAGE);
}

int main(int argc, char **argv)
{
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
	fprintf(stderr, "zcs-commission: unknown command '%s': see zcs-commission --help\n",
		argv[1]);
	return ZCS_USAGE;
}
