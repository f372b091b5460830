/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zcs-commission batteries [ID]
 * The battery catalogue as the wizard knows it, with the confidence and
 * source of each fact: a reference for the installer offline, and a check
 * of the knowledge files for whoever edits them (a mistake exits 5 naming
 * the file and line). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/kb.h"
#include "base/util.h"
#include "cli/cli.h"

const struct opt_cmd cli_batteries_cmd = {
	"zcs-commission batteries", "[ID]",
	N_("List the battery models the inverter supports, or show one in full:\n"
	"Battery Info values (15.2), DoD, how many in parallel, cabling, DIP\n"
	"switches, what it may be mixed with, EPS output and the start-up steps.\n"
	"Each fact shows its confidence: H several sources agree, M one good\n"
	"source, L unconfirmed.  Reads data/batteries.conf and its companions\n"
	"(zcs-data(5)).\n"),
	NULL, NULL, NULL,
};

static void print_list(const struct kb *kb)
{
	printf("%-13s %-22s %-9s %-7s %-10s %s\n", _("ID"), _("MODEL"), _("FAMILY"), _("AH"), _("MAX DOD"),
	       _("MAX IN PARALLEL"));
	for (size_t i = 0; i < kb_battery_count(kb); i++) {
		const struct kb_battery *b = kb_battery_at(kb, i);
		char ah[16];

		snprintf(ah, sizeof ah, "%g (%c)", b->module_ah, b->ah_conf);
		printf("%-13s %-22s %-9s %-7s %-10d %d (%c)\n", b->id, b->name, b->fam->name, ah,
		       b->max_dod, b->max_count, kb_battery_prov(b, "max_count")->conf);
	}
}

static void fact(const struct kb_battery *b, const char *label, const char *key, const char *val)
{
	const struct kb_prov *p = kb_battery_prov(b, key);

	printf("  %-22s %s  [%c %s]\n", label, val, p->conf, p->src);
}

static void print_info(const struct kb_info *in)
{
	printf(_("\nBattery Info on the inverter (15.2)  [%c %s]\n"), in->prov.conf, in->prov.src);
	printf(_("  battery type %s%s%s, %g Ah per module (the screen shows the sum)\n"), in->type,
	       *in->bms ? ", BMS " : "", in->bms, in->ah);
	printf(_("  charge current BMS %g A / SET %g A, discharge BMS %g A / SET %g A\n"),
	       in->chg_bms, in->chg_set, in->dis_bms, in->dis_set);
	printf(_("  overvoltage %.1f V, max charge %.1f V, min discharge %.1f V\n"), in->overvolt,
	       in->max_chg_v, in->min_dis_v);
	printf(_("  DoD %d %%, EPS DoD %d %%, EPS safety buffer %d %%\n"), in->dod, in->eps_dod,
	       in->eps_buffer);
}

static void print_dip_bank(const struct kb *kb, const struct kb_battery *b, int n)
{
	const struct kb_prov *prov = NULL;

	for (int pos = 0; pos < n; pos++) {
		struct kb_dip_answer a = kb_dip(kb, b->id, n, pos, NULL);

		if (a.kind == KB_DIP_NONE)
			continue;
		if (!prov)
			printf("  %d %s:", n, n == 1 ? _("battery") : _("batteries"));
		if (pos == 0)
			printf(" master=");
		else
			printf(" slave%d=", pos);
		printf("%s", a.kind == KB_DIP_PATTERN ? a.pattern : "?");
		prov = a.prov;
	}
	if (prov)
		printf("  [%c %s]\n", prov->conf, prov->src);
}

/* Where the manual shows the patterns the data lacks, each place once. */
static void print_figures(const struct kb *kb, const struct kb_battery *b)
{
	const char *seen[32];
	size_t nseen = 0;

	for (int n = 1; n <= b->max_count; n++)
		for (int pos = 0; pos < n; pos++) {
			struct kb_dip_answer a = kb_dip(kb, b->id, n, pos, NULL);
			size_t i;

			if (a.kind != KB_DIP_UNCONFIRMED)
				continue;
			for (i = 0; i < nseen && strcmp(seen[i], a.figure); i++)
				;
			if (i < nseen || nseen == ZCS_ARRAY_LEN(seen))
				continue;
			printf("  %s %s\n", nseen ? " " : _("? = not in the data as text: see"), a.figure);
			seen[nseen++] = a.figure;
		}
}

static void print_dip(const struct kb *kb, const struct kb_battery *b)
{
	struct kb_dip_answer a = kb_dip(kb, b->id, 1, 0, NULL);

	printf(_("\nDIP switches (switch 1 first, 1 = ON)\n"));
	if (a.kind == KB_DIP_NO_SWITCHES) {
		printf(_("  none: %s  [%c %s]\n"), a.figure, a.prov->conf, a.prov->src);
		return;
	}
	for (int n = 1; n <= b->max_count; n++)
		print_dip_bank(kb, b, n);
	print_figures(kb, b);
}

static void print_mixing(const struct kb *kb, const struct kb_battery *b)
{
	printf(_("\nMixing with other models\n"));
	for (size_t i = 0; i < kb_battery_count(kb); i++) {
		const struct kb_battery *o = kb_battery_at(kb, i);
		const struct kb_pair *p = kb_pair(kb, b->id, o->id);
		static const char *const words[] = { N_("yes"), N_("with kit"), N_("no") };

		if (o == b || strcmp(o->family, b->family))
			continue;
		if (!p)
			printf(_("  %-22s not covered by the manuals: ask ZCS technical support\n"),
			       o->name);
		else
			printf("  %-22s %s%s%s%s  [%c %s]\n", o->name, _(words[p->verdict]),
			       p->kit ? " " : "", p->kit ? p->kit : "",
			       p->new_install_warn ? _(" (not for a new installation)") : "",
			       p->prov.conf, p->prov.src);
	}
	printf(_("  other makes            no  [%c %s]\n"), kb_families_rule(kb)->prov.conf,
	       kb_families_rule(kb)->prov.src);
}

static void print_eps(const struct kb *kb, const struct kb_battery *b)
{
	printf(_("\nEPS output (18.4)\n"));
	for (int n = 1, to; n <= b->max_count; n = to + 1) {
		const struct kb_eps_limit *l = kb_eps_limit(kb, b->family, n);
		char range[16];

		for (to = n; to < b->max_count && kb_eps_limit(kb, b->family, to + 1) == l; to++)
			;
		if (to > n)
			snprintf(range, sizeof range, _("%d-%d batteries"), n, to);
		else
			snprintf(range, sizeof range, "%d %s", n, n == 1 ? _("battery") : _("batteries"));
		if (l)
			printf("  %s: %g W (%g A %s)  [%c %s]\n", range, l->power, l->current,
			       l->current_kind, l->prov.conf, l->prov.src);
		else
			printf(_("  %s: not stated; the inverter's battery power is at most %g W\n"),
			       range, kb_eps(kb)->bat_power_max);
	}
}

static void print_one(const struct kb *kb, const struct kb_battery *b)
{
	char buf[64];

	printf("%s (%s)\n", b->name, b->id);
	fact(b, _("family"), "family", b->fam->name);
	fact(b, _("battery type to set"), "type_shown", b->type_shown);
	fact(b, _("menu entry"), "menu", b->menu);
	fact(b, _("G3 protocol key"), "protocol", b->protocol_key ? b->protocol_key : _("unknown"));
	snprintf(buf, sizeof buf, _("%g Ah"), b->module_ah);
	fact(b, _("capacity of one module"), "module_ah", buf);
	snprintf(buf, sizeof buf, _("%d %% (recommended %d %%)"), b->max_dod, b->recommended_dod);
	fact(b, _("maximum DoD"), "max_dod", buf);
	snprintf(buf, sizeof buf, "%d", b->max_count);
	fact(b, _("most in parallel"), "max_count", buf);
	fact(b, _("port to inverter COM"), "port", b->port);
	if (strcmp(b->port_multi, b->port))
		fact(b, _("  with several"), "port_multi", b->port_multi);
	fact(b, _("between batteries"), "chain", b->chain);
	fact(b, _("power"), "power", b->power);
	printf("  %-22s %s\n", _("cable, battery side"), b->fam->pinout_battery);
	printf("  %-22s %s\n", _("cable, inverter side"), b->fam->pinout_inverter);
	if (*b->pinout_note)
		fact(b, _("battery RJ45"), "pinout_note", b->pinout_note);
	if (b->align_v > 0) {
		snprintf(buf, sizeof buf, _("under %.1f V"), b->align_v);
		fact(b, _("voltages before joining"), "align_v", buf);
	}
	if (*b->align_note)
		fact(b, _("alignment note"), "align_note", b->align_note);
	printf(_("  %-22s single %s, parallel %s, settings %s, start-up %s\n"), _("manual sections"),
	       b->sec_single, b->sec_parallel, b->sec_settings, b->sec_startup);
	for (size_t i = 0; i < b->nnotes; i++)
		printf(_("  note: %s  [%c %s]\n"), b->notes[i].text, b->notes[i].prov.conf,
		       b->notes[i].prov.src);
	print_info(b->info);
	print_dip(kb, b);
	print_mixing(kb, b);
	print_eps(kb, b);
	printf(_("\nStart-up\n"));
	for (size_t i = 0; i < b->startup->nsteps; i++)
		printf("  %zu. %s  [%c %s]\n", i + 1, b->startup->steps[i].text,
		       b->startup->steps[i].prov.conf, b->startup->steps[i].prov.src);
}

int cmd_batteries(int argc, char **argv)
{
	struct zcs_err err = { 0 };
	struct kb *kb;
	const struct kb_battery *b = NULL;

	const char *id;
	int rc;

	if ((rc = cli_parse(&cli_batteries_cmd, argc, argv, NULL, NULL, NULL, &err)) != 1)
		return rc;
	if (argc - optind > 1) {
		opt_fail(&cli_batteries_cmd, &err, _("one battery model only ('%s')"), argv[optind + 1]);
		return cli_report(&err);
	}
	id = optind < argc ? argv[optind] : NULL;
	kb = kb_load(&err);
	if (!kb)
		return cli_report(&err);
	if (id) {
		b = kb_battery(kb, id);
		if (!b) {
			zcs_fail(&err, ZCS_USAGE,
				 _("no battery model '%s': 'zcs-commission batteries' lists them"),
				 id);
			kb_free(kb);
			return cli_report(&err);
		}
		cli_page_begin();
		print_one(kb, b);
	} else {
		cli_page_begin();
		print_list(kb);
	}
	cli_page_end();
	kb_free(kb);
	return ZCS_OK;
}
