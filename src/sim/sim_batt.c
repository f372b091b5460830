#include "sim/sim_batt.h"

#include <stdlib.h>
#include <string.h>

#include "base/lex.h"
#include "base/paths.h"
#include "base/util.h"

#define INVERTER_BATTERY_MAX_W 5000.0

static int fill(const struct lex_file *lf, const struct lex_line *ln, struct sim_batt *b,
		struct zcs_err *err)
{
	const struct { const char *key; double *dst; } nums[] = {
		{ "module_ah", &b->module_ah }, { "nominal_v", &b->nominal_v },
		{ "max_dod", &b->max_dod }, { "bms_current", &b->bms_current },
		{ "set_current", &b->set_current }, { "overvoltage", &b->overvoltage },
		{ "charge_v", &b->charge_v }, { "discharge_v", &b->discharge_v },
		{ "eps_w", &b->eps_w },
	};
	const char *fam = lex_get(ln, "family"), *proto = lex_get(ln, "protocol");
	const char *per = lex_get(ln, "eps_per");

	for (size_t i = 0; i < ZCS_ARRAY_LEN(nums); i++)
		if (lex_double(lf, ln, nums[i].key, nums[i].dst, 1, err) < 0)
			return -1;
	if (!fam || !proto || !per)
		return lex_fail(lf, ln->lineno, err, "battery %s needs family=, protocol= and "
				"eps_per=", b->id);
	zcs_strlcpy(b->family, fam, sizeof b->family);
	zcs_strlcpy(b->protocol, strcmp(proto, "-") ? proto : "", sizeof b->protocol);
	b->eps_per_battery = strcmp(per, "battery") == 0;
	return 0;
}

int sim_batt_lookup(const char *id, struct sim_batt *b, struct zcs_err *err)
{
	char *path = paths_data_file("sim/batteries.conf");
	struct lex_file lf;
	struct lex_line ln;
	int rc, found = 0;

	memset(b, 0, sizeof *b);
	rc = lex_open(&lf, path, err);
	free(path);
	if (rc < 0)
		return -1;
	while (!found && (rc = lex_next(&lf, &ln, err)) > 0) {
		if (ln.n < 2 || strcmp(ln.tok[0].val, "battery") || ln.tok[1].key ||
		    strcmp(ln.tok[1].val, id))
			continue;
		found = 1;
		zcs_strlcpy(b->id, id, sizeof b->id);
		rc = fill(&lf, &ln, b, err);
	}
	lex_close(&lf);
	if (rc < 0)
		return -1;
	if (!found)
		return zcs_fail(err, ZCS_DATA, "unknown battery model '%s' (known: us2000 us5000 "
				"weco-4k4 weco-4k4-pro weco-4k4-lt weco-5k3 weco-5k3-xp zsx5000 "
				"zsx5000-pro zsx5120 zsx5000s)", id);
	return 0;
}

double sim_batt_eps_limit(const struct sim_batt *b, int count)
{
	double w = b->eps_per_battery ? b->eps_w * count : b->eps_w;

	if (count <= 0)
		return 0;
	return w < INVERTER_BATTERY_MAX_W ? w : INVERTER_BATTERY_MAX_W;
}
