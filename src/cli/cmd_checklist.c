/* zcs-commission checklist [--checklists DIR] [--ids]
 * Load the checklists as run and the wizard would, report the first
 * problem as "file:line: what is wrong", and list the steps: id, manual
 * section, title and how each is judged. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/engine.h"

static const char usage[] =
	"usage: zcs-commission checklist [--checklists DIR] [--ids]\n"
	"Check the checklist files (zcs-checklist(5)) and list their steps:\n"
	"id, manual section, title and how each is judged.\n"
	"  --checklists DIR  the checklists in DIR instead of the installed ones\n"
	"  --ids             only the step ids, one a line\n";

static const char *how(const struct chk_step *s)
{
	if (s->nexpects)
		return s->each_unit ? "live, every unit" : "live";
	if (s->nrules)
		return "rule";
	if (s->confirm)
		return "confirmation";
	return "recorded";
}

int cmd_checklist(int argc, char **argv)
{
	struct eng_config cfg = { 0 };
	struct zcs_err err = { 0 };
	int ids = 0;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ids"))
			ids = 1;
		else if (!strcmp(argv[i], "--checklists") && i + 1 < argc)
			cfg.checklist_dir = argv[++i];
		else if (!strcmp(argv[i], "--checklists")) {
			fprintf(stderr, "zcs-commission checklist: --checklists needs the directory "
				"holding the checklist files\n");
			return ZCS_USAGE;
		} else {
			fprintf(stderr, "zcs-commission checklist: unknown option '%s'\n%s", argv[i],
				usage);
			return ZCS_USAGE;
		}
	}
	struct engine *e = engine_new(&cfg, &err);
	if (!e)
		return cli_report(&err);
	const struct checklist *c = engine_checklist(e);
	if (!ids)
		printf("checklist %s: %zu steps, sha256 %s\n", c->version, c->nsteps, c->hash);
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct chk_step *s = &c->steps[i];
		if (ids)
			printf("%s\n", s->id);
		else
			printf("%-26s §%-7s %-16s %-13s %s\n", s->id, s->section, s->part, how(s),
			       s->title);
	}
	engine_free(e);
	return 0;
}
