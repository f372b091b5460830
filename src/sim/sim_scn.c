/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sim/sim_scn.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "base/kb.h"
#include "base/paths.h"
#include "base/util.h"

struct loader {
	struct sim_ctx *x;
	struct lex_file lf;
	struct sim_inv *last;
	int described;
};

static const char *str(const struct lex_line *ln, const char *key, const char *dflt)
{
	const char *v = lex_get(ln, key);

	return v ? v : dflt;
}

/* country=001-000 (the display's country-region pair, G3 word 0x0100), or a
 * raw word written in hex (0x0100); a legacy unit takes its own code (1).
 * A bare number on a G3 unit is refused: country=1 would be the word 0x0001,
 * not Italy. */
static int country_word(struct loader *L, const struct lex_line *ln, const char *key,
			const char *dflt, int legacy, long *out, struct zcs_err *err)
{
	const char *v = str(ln, key, dflt);

	if ((*out = kb_country_word(v)) >= 0)
		return 0;
	if ((legacy || !strncmp(v, "0x", 2)) && zcs_parse_long(v, out) == 0 && *out >= 0 &&
	    *out <= 0xFFFF)
		return 0;
	return lex_fail(&L->lf, ln->lineno, err, "inverter %s=%s: a G3 unit takes the "
			"country-region pair as the display shows it (Italy 001-000), or a raw "
			"word in hex (0x0100)", key, v);
}

static int d_inverter(struct loader *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "slave", "model", "serial", "fw_com", "fw_master",
		"fw_slave", "hw", "country", "country_name", "applied", "parallel", "role", "paddr",
		"layout", "power", NULL };
	struct sim_inv_decl d = { 0 };
	const char *bad = lex_unknown_key(ln, keys);
	long slave = 1, paddr = 0;
	int legacy;

	if (bad)
		return lex_fail(&L->lf, ln->lineno, err, "inverter: unknown key %s=", bad);
	zcs_strlcpy(d.layout, str(ln, "layout", "g3"), sizeof d.layout);
	legacy = strcmp(d.layout, "g3") != 0;
	if (lex_long(&L->lf, ln, "slave", &slave, 0, err) < 0 ||
	    country_word(L, ln, "country", "001-000", legacy, &d.country, err) < 0 ||
	    country_word(L, ln, "applied", str(ln, "country", "001-000"), legacy,
			 &d.country_applied, err) < 0 ||
	    lex_long(&L->lf, ln, "paddr", &paddr, 0, err) < 0 ||
	    lex_double(&L->lf, ln, "power", &d.power, 0, err) < 0)
		return -1;
	if (slave < 1 || slave > 247)
		return lex_fail(&L->lf, ln->lineno, err, "inverter slave=%ld: 1 to 247", slave);
	d.slave = (int)slave;
	d.paddr = (int)paddr;
	zcs_strlcpy(d.model, str(ln, "model", "HYD6000-ZSS-HP"), sizeof d.model);
	zcs_strlcpy(d.serial, str(ln, "serial", "ZM2ES060M1E001"), sizeof d.serial);
	zcs_strlcpy(d.fw_com, str(ln, "fw_com", "V110"), sizeof d.fw_com);
	zcs_strlcpy(d.fw_master, str(ln, "fw_master", "V120"), sizeof d.fw_master);
	zcs_strlcpy(d.fw_slave, str(ln, "fw_slave", "V120"), sizeof d.fw_slave);
	zcs_strlcpy(d.hw, str(ln, "hw", "V1"), sizeof d.hw);
	zcs_strlcpy(d.country_name, str(ln, "country_name", ""), sizeof d.country_name);
	if (strlen(d.serial) > 20)
		return lex_fail(&L->lf, ln->lineno, err, "inverter serial=%s: at most 20 characters "
				"(G3 keeps 1-16 and 17-20)", d.serial);
	d.parallel = !strcmp(str(ln, "parallel", "off"), "on");
	d.primary = !strcmp(str(ln, "role", "primary"), "primary");
	if (sim_plant_add_inverter(&L->x->plant, &d, err) < 0)
		return zcs_prefix(err, "%s:%d", L->lf.path, ln->lineno);
	L->last = sim_plant_inverter(&L->x->plant, d.slave);
	return 0;
}

static struct sim_inv *target(struct loader *L, const struct lex_line *ln, struct zcs_err *err)
{
	long slave;
	struct sim_inv *v;

	if (!lex_get(ln, "slave")) {
		if (!L->last)
			lex_fail(&L->lf, ln->lineno, err, "declare an inverter first");
		return L->last;
	}
	if (lex_long(&L->lf, ln, "slave", &slave, 1, err) < 0)
		return NULL;
	if (!(v = sim_plant_inverter(&L->x->plant, (int)slave)))
		lex_fail(&L->lf, ln->lineno, err, "no inverter at slave %ld", slave);
	return v;
}

static int d_battery(struct loader *L, const struct lex_line *ln, struct zcs_err *err)
{
	struct sim_inv *v = target(L, ln, err);
	const char *model = lex_get(ln, "model"), *proto = lex_get(ln, "protocol");
	long count = 1;

	if (!v)
		return -1;
	if (!model)
		return lex_fail(&L->lf, ln->lineno, err, "battery needs model=");
	if (lex_long(&L->lf, ln, "count", &count, 0, err) < 0)
		return -1;
	if (sim_plant_set_battery(&L->x->plant, v, model, (int)count, err) < 0)
		return zcs_prefix(err, "%s:%d", L->lf.path, ln->lineno);
	if (proto && sim_plant_set_protocol(v, proto, err) < 0)
		return zcs_prefix(err, "%s:%d", L->lf.path, ln->lineno);
	return 0;
}

static int d_strings(struct loader *L, const struct lex_line *ln, struct zcs_err *err)
{
	struct sim_inv *v = target(L, ln, err);
	long n;

	if (!v)
		return -1;
	if (ln->n < 2 || ln->tok[1].key || zcs_parse_long(ln->tok[1].val, &n) < 0 ||
	    sim_plant_set_strings(v, (int)n, err) < 0)
		return lex_fail(&L->lf, ln->lineno, err, "strings takes 1 or 2");
	return 0;
}

static int d_meter(struct loader *L, const struct lex_line *ln, struct zcs_err *err)
{
	const char *mode = str(ln, "mode", "ct"), *prod = str(ln, "production", "no");
	enum sim_meter_mode m;

	if (!strcmp(mode, "ct"))
		m = SIM_METER_CT;
	else if (!strcmp(mode, "ddsu"))
		m = SIM_METER_DDSU;
	else if (!strcmp(mode, "dtsu"))
		m = SIM_METER_DTSU;
	else
		return lex_fail(&L->lf, ln->lineno, err, "meter mode= is ct, ddsu or dtsu");
	if (m == SIM_METER_CT && !strcmp(prod, "yes"))
		return lex_fail(&L->lf, ln->lineno, err, "a production meter needs mode=ddsu or dtsu");
	if (sim_plant_set_meters(&L->x->plant, m, !strcmp(prod, "yes"), err) < 0)
		return zcs_prefix(err, "%s:%d", L->lf.path, ln->lineno);
	return 0;
}

static int line(struct loader *L, const struct lex_line *ln, struct zcs_err *err)
{
	const char *kw = ln->tok[0].key ? "" : ln->tok[0].val;
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int rc;

	if (!strcmp(kw, "describe")) {
		L->described = 1;
		return 0;
	}
	if (!L->described)
		return lex_fail(&L->lf, ln->lineno, err, "a scenario starts with describe \"...\"");
	if (!strcmp(kw, "inverter"))
		return d_inverter(L, ln, err);
	if (!L->last)
		return lex_fail(&L->lf, ln->lineno, err, "declare an inverter first");
	if (!strcmp(kw, "battery"))
		return d_battery(L, ln, err);
	if (!strcmp(kw, "strings"))
		return d_strings(L, ln, err);
	if (!strcmp(kw, "meter"))
		return d_meter(L, ln, err);
	out = open_memstream(&text, &len);
	rc = sim_ctl_run(L->x, ln, out, err);
	fclose(out);
	free(text);
	if (rc < 0) {
		char msg[sizeof err->msg];

		zcs_strlcpy(msg, err->msg, sizeof msg);
		return lex_fail(&L->lf, ln->lineno, err, "%s", msg);
	}
	return 0;
}

static char *scenario_path(const char *name)
{
	size_t n = strlen(name);

	if (strchr(name, '/') || (n > 4 && !strcmp(name + n - 4, ".scn")))
		return xstrdup(name);
	{
		char *rel = xasprintf("scenarios/%s.scn", name);
		char *p = paths_data_file(rel);

		free(rel);
		return p;
	}
}

int sim_scn_load(struct sim_ctx *x, const char *name_or_path, struct zcs_err *err)
{
	struct loader L = { .x = x };
	char *path = scenario_path(name_or_path);
	struct lex_line ln;
	int rc;

	rc = lex_open(&L.lf, path, err);
	free(path);
	if (rc < 0)
		return zcs_prefix(err, "scenario '%s' (zcs-sim --list-scenarios lists them)", name_or_path);
	while ((rc = lex_next(&L.lf, &ln, err)) > 0)
		if (line(&L, &ln, err) < 0) {
			rc = -1;
			break;
		}
	if (rc == 0 && !x->plant.ninv)
		rc = lex_fail(&L.lf, L.lf.lineno, err, "the scenario declares no inverter");
	lex_close(&L.lf);
	return rc < 0 ? -1 : 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void describe_one(FILE *out, const char *dir, const char *file)
{
	char *path = xasprintf("%s/%s", dir, file);
	struct lex_file lf;
	struct lex_line ln;
	const char *d = "(no describe line)";
	int n = (int)strlen(file) - 4;

	if (lex_open(&lf, path, NULL) == 0) {
		if (lex_next(&lf, &ln, NULL) > 0 && ln.n >= 2 && !strcmp(ln.tok[0].val, "describe"))
			d = ln.tok[1].val;
		fprintf(out, "%-34.*s %s\n", n, file, d);
		lex_close(&lf);
	}
	free(path);
}

int sim_scn_list(FILE *out, struct zcs_err *err)
{
	char *dir = paths_data_file("scenarios");
	DIR *dh = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (!dh) {
		zcs_fail(err, ZCS_DATA, "cannot read %s: is the data directory installed?", dir);
		free(dir);
		return -1;
	}
	while ((e = readdir(dh))) {
		size_t len = strlen(e->d_name);

		if (len > 4 && !strcmp(e->d_name + len - 4, ".scn")) {
			names = xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = xstrdup(e->d_name);
		}
	}
	closedir(dh);
	qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		describe_one(out, dir, names[i]);
		free(names[i]);
	}
	free(names);
	free(dir);
	return 0;
}
