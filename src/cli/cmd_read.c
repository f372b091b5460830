/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zcs-commission read CONNECTION [--map NAME] [--raw] [--json] NAME...
 * Print values by register-map name.  Without --map the unit is identified
 * first and its layout's map is used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/decode.h"
#include "base/ident.h"
#include "base/json.h"
#include "base/poll.h"
#include "base/util.h"
#include "cli/cli.h"
#include "usb/usb.h"

enum { O_MAP = OPT_KEY(0), O_RAW, O_JSON };

static const struct opt read_opts[] = {
	{ "map", O_MAP, "NAME", N_("use data/maps/NAME.map (g3, hyd-es, ddsu666, dtsu666) instead of "
	  "identifying the unit first") },
	{ "raw", O_RAW, NULL, N_("also print the register words") },
	{ "json", O_JSON, NULL, N_("one JSON object for scripts") },
	{ NULL, 0, NULL, NULL },
};

const struct opt_cmd cli_read_cmd = {
	"zcs-commission read", "CONNECTION [--map NAME] [--raw] [--json] NAME...",
	N_("Read values by their register-map name (see data/maps/NAME.map).\n"
	"Exit 4 when the unit does not serve some of the values (they are marked\n"
	"'not served by this unit', the others printed).\n"),
	read_opts, usb_link_opts, NULL,
};

struct read_opts {
	const char *map;
	int raw, json;
	const char **names;
	size_t n;
};

static int take(void *ctx, int key, const char *arg, struct zcs_err *err)
{
	struct read_opts *o = ctx;

	if (key == O_MAP)
		o->map = arg;
	else if (key == O_RAW)
		o->raw = 1;
	else
		o->json = 1;
	return 0;
}

static void print_plain(const struct reg_value *v, int raw)
{
	const struct reg_def *d = v->def;

	printf("%-22s ", d->name);
	if (v->unserved || v->sentinel)
		printf("%s", value_format(v, (char[64]){ 0 }, 64));
	else if (!v->ok)
		printf("--");
	else if (d->type == REG_ASCII || d->type == REG_BITS)
		printf("%s", d->type == REG_BITS && !v->num ? "none" : v->text);
	else if (d->type == REG_F32)
		printf("%.6g%s%s", v->num, *d->unit ? " " : "", d->unit);
	else
		printf("%.*f%s%s", decode_decimals(d->scale), v->num, *d->unit ? " " : "", d->unit);
	if (d->enm && d->type != REG_BITS && v->ok)
		printf(" (%s)", v->text);
	if (raw && v->ok) {
		printf("  [");
		for (unsigned i = 0; i < v->nraw; i++)
			printf("%s0x%04X", i ? " " : "", v->raw[i]);
		printf("]");
	}
	putchar('\n');
}

/* Version 2: "schema", NaN and infinity null with a note. */
#define READ_JSON_VERSION 2

static void print_json(const struct reg_value *vals, size_t n, const char *map)
{
	struct json j;

	json_doc(&j, stdout, "zcs-commission-read", READ_JSON_VERSION);
	json_str(&j, "map", map);
	json_arr(&j, "values");
	for (size_t i = 0; i < n; i++) {
		const struct reg_value *v = &vals[i];

		json_obj(&j, NULL);
		json_str(&j, "name", v->def->name);
		json_bool(&j, "ok", v->ok);
		if (v->ok && v->def->type != REG_ASCII) {
			json_num(&j, "value", v->num);
		} else if (v->sentinel) {
			char why[64];

			/* a word that means "no value" (0xFFFF, NaN ...) is not a value */
			json_null(&j, "value");
			json_str(&j, "value_note", value_format(v, why, sizeof why));
		}
		json_str(&j, "unit", v->def->unit);
		json_str(&j, "text", v->text);
		json_arr(&j, "raw");
		for (unsigned k = 0; v->ok && k < v->nraw; k++)
			json_int(&j, NULL, v->raw[k]);
		json_end(&j);
		json_bool(&j, "served", !v->unserved);
		json_end(&j);
	}
	json_doc_end(&j);
}

/* Values the unit does not serve were printed as such; the exit code says
 * so (ZCS_DEVICE) with their names. */
static int not_served(const struct poll_plan *plan, const struct reg_value *vals,
		      struct zcs_err *err)
{
	char names[256] = "";
	size_t len = 0;

	for (size_t i = 0; i < plan->ndefs && len < sizeof names; i++)
		if (vals[i].unserved)
			len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
						len ? ", " : "", plan->defs[i]->name);
	if (!*names)
		return 0;
	zcs_fail(err, ZCS_DEVICE, _("this unit does not serve %s (it answers 'illegal data "
		 "address'); the other values are printed"), names);
	err->exception = 2;
	return -1;
}

static int do_read(struct link *l, const struct regmap *m, const struct read_opts *o,
		   struct zcs_err *err)
{
	struct poll_plan plan;
	struct reg_value *vals;
	int rc;

	if (poll_plan_build(m, o->names, o->n, POLL_DEFAULT_GAP, &plan, err) < 0)
		return -1;
	vals = xcalloc(plan.ndefs, sizeof *vals);
	rc = poll_execute(l, &plan, vals, err);
	if (o->json)
		print_json(vals, plan.ndefs, m->name);
	else
		for (size_t i = 0; i < plan.ndefs; i++)
			print_plain(&vals[i], o->raw);
	if (rc == 0)
		rc = not_served(&plan, vals, err);
	free(vals);
	poll_plan_free(&plan);
	return rc;
}

int cmd_read(int argc, char **argv)
{
	struct zcs_err err = { 0 };
	struct read_opts o = { 0 };
	struct link_params p;
	struct regmap *m = NULL;
	struct unit_ident id;
	struct link *l = NULL;
	int rc = -1;

	link_params_default(&p);
	if ((rc = cli_parse(&cli_read_cmd, argc, argv, &p, take, &o, &err)) != 1)
		return rc;
	rc = -1;
	if (optind >= argc) {
		opt_fail(&cli_read_cmd, &err, _("name at least one value"));
		return cli_report(&err);
	}
	o.names = (const char **)argv + optind;
	o.n = (size_t)(argc - optind);
	if (o.map && !(m = regmap_open(o.map, &err)))
		goto out;
	if (link_open(&p, &l, &err) < 0)
		goto out;
	if (!m) {
		if (ident_probe(l, &id, &err) < 0)
			goto out;
		m = id.map;
	}
	rc = do_read(l, m, &o, &err);
out:
	link_close(l);
	regmap_free(m);
	return rc < 0 ? cli_report(&err) : 0;
}
