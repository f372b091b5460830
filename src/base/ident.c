/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/ident.h"

#include <stdlib.h>
#include <string.h>

#include "base/decode.h"
#include "base/i18n.h"
#include "base/lex.h"
#include "base/paths.h"
#include "base/poll.h"
#include "base/util.h"

static int read_text(struct link *l, const struct regmap *m, const char *name, char *out,
		     size_t n, struct zcs_err *err)
{
	const struct reg_def *d = regmap_find(m, name);
	uint16_t w[REG_MAX_WORDS];
	struct reg_value v;

	if (!d)
		return zcs_fail(err, ZCS_DATA, "the %s map has no '%s'", m->name, name);
	if (link_read(l, d->fc, d->addr, d->words, w, err) < 0)
		return -1;
	decode_value(d, w, &v);
	zcs_strlcpy(out, v.text, n);
	return 0;
}

int ident_model(const char *serial, char *layout, size_t nl, char *family, size_t nf,
		char *model, size_t nm)
{
	char *path = paths_data_file("models.conf");
	struct lex_file lf;
	struct lex_line ln;
	int found = -1;

	if (lex_open(&lf, path, NULL) < 0) {
		free(path);
		return -1;
	}
	free(path);
	while (found < 0 && lex_next(&lf, &ln, NULL) > 0) {
		const char *pfx = lex_get(&ln, "prefix");

		if (strcmp(ln.tok[0].val, "serial") || !pfx || strncmp(serial, pfx, strlen(pfx)))
			continue;
		zcs_strlcpy(layout, lex_get(&ln, "layout") ? lex_get(&ln, "layout") : "", nl);
		zcs_strlcpy(family, lex_get(&ln, "family") ? lex_get(&ln, "family") : "", nf);
		zcs_strlcpy(model, lex_get(&ln, "model") ? lex_get(&ln, "model") : "", nm);
		found = 0;
	}
	lex_close(&lf);
	return found;
}

int ident_model_power(const char *model, double *w, struct zcs_err *err)
{
	char *path = paths_data_file("models.conf");
	struct lex_file lf;
	struct lex_line ln;
	int rc, found = 0;

	rc = lex_open(&lf, path, err);
	free(path);
	if (rc < 0)
		return -1;
	while (!found && (rc = lex_next(&lf, &ln, err)) > 0) {
		const char *name = lex_get(&ln, "name");

		if (strcmp(ln.tok[0].val, "model") || !name || strcmp(name, model))
			continue;
		found = 1;
		rc = lex_double(&lf, &ln, "power", w, 1, err);
	}
	lex_close(&lf);
	if (rc < 0)
		return -1;
	if (!found)
		return zcs_fail(err, ZCS_DATA, "model %s is not in data/models.conf (e.g. "
				"HYD6000-ZSS-HP)", model);
	return 0;
}

/* The identification fields of a layout's map, and where each goes. */
struct field {
	const char *name;
	char *dst;
	size_t n;
};

static size_t fields_of(struct unit_ident *id, struct field *f)
{
	size_t k = 0;

	f[k++] = (struct field){ "serial", id->serial, sizeof id->serial };
	f[k++] = (struct field){ "hw_version", id->hw, sizeof id->hw };
	f[k++] = (struct field){ "fw_com", id->fw_com, sizeof id->fw_com };
	f[k++] = (struct field){ "fw_master", id->fw_master, sizeof id->fw_master };
	f[k++] = (struct field){ "fw_slave", id->fw_slave, sizeof id->fw_slave };
	f[k++] = (struct field){ "sw_version", id->fw_com, sizeof id->fw_com };
	return k;
}

/* The serial and the versions in as few requests as the unit allows: one
 * block where it serves the span (G3 0x0445-0x045A), else one request per
 * field (poll_execute learns the holes); characters 17-20 only when the
 * first 16 are all there. */
static int try_layout(struct link *l, const char *mapname, struct unit_ident *id,
		      struct zcs_err *err)
{
	struct regmap *m = regmap_open(mapname, err);
	const struct reg_def *defs[8];
	struct field f[8], use[8];
	size_t nf, k = 0;
	struct poll_plan plan;
	struct reg_value vals[8];
	struct zcs_err perr = { 0 };
	int rc;

	if (!m)
		return -1;
	nf = fields_of(id, f);
	for (size_t i = 0; i < nf; i++)
		if ((defs[k] = regmap_find(m, f[i].name)))
			use[k++] = f[i];
	if (!k || strcmp(use[0].name, "serial")) {
		zcs_fail(err, ZCS_DATA, "the %s map has no 'serial'", m->name);
		regmap_free(m);
		return -1;
	}
	poll_plan_defs(m, defs, k, POLL_DEFAULT_GAP, &plan);
	rc = poll_execute(l, &plan, vals, &perr);
	/* plan.defs keeps the order given, so vals[i] is defs[i]'s */
	for (size_t i = 0; i < k; i++)
		if (vals[i].ok)
			zcs_strlcpy(use[i].dst, vals[i].text, use[i].n);
	if (!vals[0].ok || !*id->serial) {
		if (rc < 0)
			*err = perr;
		else if (vals[0].unserved)
			zcs_fail(err, ZCS_DEVICE, _("the unit does not serve the serial number at "
				   "0x%04X (exception 02, illegal data address)"), defs[0]->addr);
		else
			zcs_fail(err, ZCS_DEVICE, _("the unit returned an empty serial number"));
		memset(id->serial, 0, sizeof id->serial);
		memset(id->hw, 0, sizeof id->hw);
		memset(id->fw_com, 0, sizeof id->fw_com);
		memset(id->fw_master, 0, sizeof id->fw_master);
		memset(id->fw_slave, 0, sizeof id->fw_slave);
		poll_plan_free(&plan);
		regmap_free(m);
		return -1;
	}
	for (size_t i = 1; i < k; i++) {
		if (!vals[i].unserved)
			continue;
		/* A unit that keeps no such register: known, not a failure. */
		snprintf(id->unserved + strlen(id->unserved), sizeof id->unserved -
			 strlen(id->unserved), "%s%s", *id->unserved ? " " : "", use[i].name);
	}
	poll_plan_free(&plan);
	/* G3 keeps characters 17-20 apart: a 20-character serial is read whole;
	 * a serial shorter than its first place holds has no more */
	const struct reg_def *ext = regmap_find(m, "serial_ext");
	size_t len = strlen(id->serial);

	if (ext && len >= 2u * defs[0]->words) {
		char txt[16] = "";

		if (read_text(l, m, "serial_ext", txt, sizeof txt, NULL) == 0)
			zcs_strlcpy(id->serial + len, txt, sizeof id->serial - len);
	}
	if (strchr(id->serial, '?')) {     /* decode_value's mark of a non-text byte */
		zcs_fail(err, ZCS_DEVICE, _("the serial number read has bytes that are not text "
			   "('%s'): a garbled reply, or this map's serial register is not the serial "
			   "on this unit"), id->serial);
		id->serial[0] = '\0';
		regmap_free(m);
		return -1;
	}
	id->map = m;
	zcs_strlcpy(id->layout, m->layout, sizeof id->layout);
	return 0;
}

int ident_probe(struct link *l, struct unit_ident *id, struct zcs_err *err)
{
	struct zcs_err g3err = { 0 }, legerr = { 0 }, scratch = { 0 };
	char hint[16] = "";

	if (!err)
		err = &scratch;

	memset(id, 0, sizeof *id);
	if (try_layout(l, "g3", id, &g3err) < 0) {
		/* a logger that refuses (wrong serial) or stands alone says so
		 * whatever the map: its own sentence, its own exit code */
		if (g3err.code == ZCS_DATA || g3err.code == ZCS_LOGGER_SERIAL ||
		    g3err.code == ZCS_LOGGER_ALONE || link_busy(l) ||
		    (g3err.code == ZCS_LINK && !link_connected(l))) {
			*err = g3err;
			return -1;
		}
		if (try_layout(l, "hyd-es", id, &legerr) < 0) {
			*err = g3err;
			zcs_prefix(err, _("no serial number where the G3 map (g3.map) or the "
				     "legacy map (hyd-es.map) keeps it"));
			return -1;
		}
	}
	if (ident_model(id->serial, hint, sizeof hint, id->family, sizeof id->family, id->model,
			sizeof id->model) < 0) {
		snprintf(id->note, sizeof id->note, "serial prefix of %s is not in data/models.conf",
			 id->serial);
		zcs_strlcpy(id->family, "unknown", sizeof id->family);
	} else if (strcmp(hint, id->layout) != 0) {
		snprintf(id->note, sizeof id->note, "serial %s suggests layout %s but the unit "
			 "answered at the %s place", id->serial, hint, id->layout);
	}
	return 0;
}
