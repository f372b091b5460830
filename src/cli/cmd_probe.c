/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zcs-commission probe CONNECTION: who is there, and what does it read now. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/decode.h"
#include "base/ident.h"
#include "base/poll.h"
#include "base/util.h"
#include "cli/cli.h"
#include "usb/usb.h"

const struct opt_cmd cli_probe_cmd = {
	"zcs-commission probe", "CONNECTION",
	N_("Identify the unit (serial, layout, model, firmware) and print a snapshot\n"
	"of its live values, then the requests the snapshot took.\n"),
	NULL, usb_link_opts, NULL,
};

/* A version, "not served" when the unit has no such register, "?" when it
 * could not be read. */
static const char *ver(const struct unit_ident *id, const char *name, const char *v)
{
	size_t n = strlen(name);

	if (*v)
		return v;
	for (const char *s = id->unserved; (s = strstr(s, name)); s += n)
		if ((s == id->unserved || s[-1] == ' ') && (s[n] == ' ' || !s[n]))
			return "not served";
	return "?";
}

static void print_ident(const struct unit_ident *id, const struct link_params *p,
			const char *detect)
{
	char d[300];

	printf(_("serial      %s\n"), id->serial);
	printf(_("layout      %s\n"), id->layout);
	printf(_("family      %s\n"), id->family);
	printf(_("model       %s\n"), id->model);
	printf(_("firmware    COM %s, master DSP %s, slave DSP %s, hardware %s\n"),
	       ver(id, "fw_com", id->fw_com), ver(id, "fw_master", id->fw_master),
	       ver(id, "fw_slave", id->fw_slave), ver(id, "hw_version", id->hw));
	printf(_("link        %s, slave %d\n"), link_describe(p, d, sizeof d), p->slave);
	if (p->kind == LINK_TCP)
		printf(_("framing     %s%s%s%s\n"), link_framing_name(p), *detect ? " (--framing auto: " : "",
		       detect, *detect ? ")" : "");
	if (*id->note)
		printf(_("note        %s\n"), id->note);
}

/* The values this unit answers with exception 02: a fact about the unit. */
static void print_unserved(const struct poll_plan *plan, const struct reg_value *vals)
{
	char names[512] = "";
	size_t len = 0;

	for (size_t i = 0; i < plan->ndefs && len < sizeof names; i++)
		if (vals[i].unserved)
			len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
						len ? " " : "", plan->defs[i]->name);
	if (*names)
		printf(_("\nnot served  %s: this unit answers 'illegal data address' for them\n"),
		       names);
}

static int snapshot(struct link *l, const struct regmap *m, struct zcs_err *err)
{
	size_t n;
	char **names = cli_snapshot_names(m->name, &n, err);
	struct poll_plan plan;
	struct reg_value *vals;
	const struct link_stats *st;
	unsigned long tx0;
	unsigned long long bytes0;
	double wire0;
	int rc;

	if (!names)
		return -1;
	if (poll_plan_build(m, (const char *const *)names, n, POLL_DEFAULT_GAP, &plan, err) < 0) {
		cli_free_names(names, n);
		return -1;
	}
	st = link_stats_of(l);
	tx0 = st->transactions;
	wire0 = st->wire_ms;
	bytes0 = st->bytes_tx + st->bytes_rx;
	vals = xcalloc(plan.ndefs, sizeof *vals);
	rc = poll_execute(l, &plan, vals, err);
	printf(_("\nlive values\n"));
	for (size_t i = 0; i < plan.ndefs; i++) {
		char buf[160];

		printf("  %-30s %s\n", plan.defs[i]->label, value_format(&vals[i], buf, sizeof buf));
	}
	print_unserved(&plan, vals);
	printf(_("\nrequests    %lu read%s for %zu value%s in %zu separate range%s; wire time "
	       "%.1f ms at %d baud\n"), st->transactions - tx0, st->transactions - tx0 == 1 ? "" : "s",
	       plan.ndefs, plan.ndefs == 1 ? "" : "s", plan.nranges, plan.nranges == 1 ? "" : "s",
	       st->wire_ms - wire0, link_params_of(l)->baud);
	printf(_("bytes       %llu sent and received (%s framing)\n"),
	       st->bytes_tx + st->bytes_rx - bytes0, link_framing_name(link_params_of(l)));
	free(vals);
	poll_plan_free(&plan);
	cli_free_names(names, n);
	return rc;
}

int cmd_probe(int argc, char **argv)
{
	struct zcs_err err = { 0 };
	struct link_params p;
	struct unit_ident id;
	struct link *l;
	int rc;

	link_params_default(&p);
	if ((rc = cli_parse(&cli_probe_cmd, argc, argv, &p, NULL, NULL, &err)) != 1)
		return rc;
	if (optind < argc) {
		opt_fail(&cli_probe_cmd, &err, _("unexpected '%s'"), argv[optind]);
		return cli_report(&err);
	}
	if (link_open(&p, &l, &err) < 0)
		return cli_report(&err);
	if (ident_probe(l, &id, &err) < 0) {
		link_close(l);
		return cli_report(&err);
	}
	print_ident(&id, link_params_of(l), link_detect_note(l));
	rc = snapshot(l, id.map, &err);
	regmap_free(id.map);
	link_close(l);
	return rc < 0 ? cli_report(&err) : 0;
}
