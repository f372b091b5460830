/* zcs-commission read CONNECTION [--map NAME] [--raw] [--json] NAME...
 * Print values by register-map name.  Without --map the unit is identified
 * first and its layout's map is used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/decode.h"
#include "base/ident.h"
#include "base/poll.h"
#include "base/util.h"
#include "cli/cli.h"
#include "usb/usb.h"

static const char usage[] =
	"usage: zcs-commission read CONNECTION [--map NAME] [--raw] [--json] NAME...\n"
	"Read values by their register-map name (see data/maps/NAME.map).\n"
	"  --map NAME  use data/maps/NAME.map (g3, hyd-es, ddsu666, dtsu666)\n"
	"              instead of identifying the unit first\n"
	"  --raw       also print the register words\n"
	"  --json      one JSON object for scripts\n"
	"Exit 4 when the unit does not serve some of the values (they are marked\n"
	"'not served by this unit', the others printed).\n" CLI_LINK_USAGE;

struct read_opts {
	const char *map;
	int raw, json;
	const char **names;
	size_t n;
};

static int parse(int argc, char **argv, struct read_opts *o)
{
	o->names = xcalloc((size_t)argc, sizeof *o->names);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--raw") == 0)
			o->raw = 1;
		else if (strcmp(argv[i], "--json") == 0)
			o->json = 1;
		else if (strcmp(argv[i], "--map") == 0 && i + 1 < argc)
			o->map = argv[++i];
		else if (argv[i][0] == '-') {
			fprintf(stderr, "zcs-commission read: unknown option '%s'\n%s", argv[i], usage);
			return -1;
		} else
			o->names[o->n++] = argv[i];
	}
	if (o->n == 0) {
		fprintf(stderr, "zcs-commission read: name at least one value\n%s", usage);
		return -1;
	}
	return 0;
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
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

static void print_json(const struct reg_value *vals, size_t n, const char *map)
{
	printf("{\"map\":");
	json_string(map);
	printf(",\"values\":[");
	for (size_t i = 0; i < n; i++) {
		const struct reg_value *v = &vals[i];

		printf("%s{\"name\":", i ? "," : "");
		json_string(v->def->name);
		printf(",\"ok\":%s", v->ok ? "true" : "false");
		if (v->ok && v->def->type != REG_ASCII)
			printf(",\"value\":%.10g", v->num);
		printf(",\"unit\":");
		json_string(v->def->unit);
		printf(",\"text\":");
		json_string(v->text);
		printf(",\"raw\":[");
		for (unsigned k = 0; v->ok && k < v->nraw; k++)
			printf("%s%u", k ? "," : "", v->raw[k]);
		printf("],\"served\":%s}", v->unserved ? "false" : "true");
	}
	printf("]}\n");
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
	zcs_fail(err, ZCS_DEVICE, "this unit does not serve %s (it answers 'illegal data "
		 "address'); the other values are printed", names);
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

	if (cli_wants_help(argc, argv, usage))
		return 0;
	link_params_default(&p);
	argc = usb_take_link(argc, argv, &p, &err);
	if (argc < 0)
		return cli_report(&err);
	if (parse(argc, argv, &o) < 0) {
		free(o.names);
		return ZCS_USAGE;
	}
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
	free(o.names);
	return rc < 0 ? cli_report(&err) : 0;
}
