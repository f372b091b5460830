/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zcs-commission checklist [--checklists DIR] [--ids]
 * Load the checklists as run and the wizard would, report the first
 * problem as "file:line: what is wrong", and list the steps: id, manual
 * section, title and how each is judged. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/engine.h"

enum { O_CHECKLISTS = OPT_KEY(0), O_IDS };

static const struct opt checklist_opts[] = {
	{ "checklists", O_CHECKLISTS, "DIR", N_("the checklists in DIR instead of the installed ones") },
	{ "ids", O_IDS, NULL, N_("only the step ids, one a line") },
	{ NULL, 0, NULL, NULL },
};

const struct opt_cmd cli_checklist_cmd = {
	"zcs-commission checklist", "[--checklists DIR] [--ids]",
	N_("Check the checklist files (zcs-checklist(5)) and list their steps:\n"
	"id, manual section, title and how each is judged.\n"),
	checklist_opts, NULL, NULL,
};

struct checklist_args {
	struct eng_config *cfg;
	int ids;
};

static int take(void *ctx, int key, const char *arg, struct zcs_err *err)
{
	struct checklist_args *a = ctx;

	if (key == O_IDS)
		a->ids = 1;
	else
		a->cfg->checklist_dir = arg;
	return 0;
}

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
	struct checklist_args a = { &cfg, 0 };
	int ids, rc;

	if ((rc = cli_parse(&cli_checklist_cmd, argc, argv, NULL, take, &a, &err)) != 1)
		return rc;
	if (optind < argc) {
		opt_fail(&cli_checklist_cmd, &err, _("unexpected '%s'"), argv[optind]);
		return cli_report(&err);
	}
	ids = a.ids;
	struct engine *e = engine_new(&cfg, &err);
	if (!e)
		return cli_report(&err);
	const struct checklist *c = engine_checklist(e);
	if (!ids)
		printf(_("checklist %s: %zu steps, sha256 %s\n"), c->version, c->nsteps, c->hash);
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
