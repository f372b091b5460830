/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sim/sim_batt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/kb.h"
#include "base/util.h"

#define LFP_CELL_FULL_V 3.65
#define LFP_CELL_NOMINAL_V 3.2

static struct kb *catalogue;

const struct kb *sim_batt_catalogue(struct zcs_err *err)
{
	if (!catalogue)
		catalogue = kb_load(err);
	return catalogue;
}

void sim_batt_release(void)
{
	kb_free(catalogue);
	catalogue = NULL;
}

static void known_ids(const struct kb *kb, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < kb_battery_count(kb) && len + 1 < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? " " : "",
					kb_battery_at(kb, i)->id);
}

int sim_batt_lookup(const char *id, struct sim_batt *b, struct zcs_err *err)
{
	const struct kb *kb = sim_batt_catalogue(err);
	const struct kb_battery *kb_b;
	const struct kb_info *in;
	const struct kb_eps_limit *one, *any;
	char ids[400];

	memset(b, 0, sizeof *b);
	if (!kb)
		return -1;
	if (!(kb_b = kb_battery(kb, id)) || !(in = kb_b->info)) {
		known_ids(kb, ids, sizeof ids);
		return zcs_fail(err, ZCS_DATA, "unknown battery model '%s' (known: %s)", id, ids);
	}
	zcs_strlcpy(b->id, id, sizeof b->id);
	zcs_strlcpy(b->family, kb_b->family, sizeof b->family);
	zcs_strlcpy(b->protocol, kb_b->protocol_key ? kb_b->protocol_key : "", sizeof b->protocol);
	b->module_ah = kb_b->module_ah;
	b->max_dod = kb_b->max_dod;
	b->dod = in->dod;
	b->eps_dod = in->eps_dod;
	b->eps_buffer = in->eps_buffer;
	b->bms_current = in->chg_bms;
	b->set_current = in->chg_set;
	b->overvoltage = in->overvolt;
	b->charge_v = in->max_chg_v;
	b->discharge_v = in->min_dis_v;
	b->nominal_v = kb_b->nominal_v > 0 ? kb_b->nominal_v
		     : round(in->max_chg_v / LFP_CELL_FULL_V) * LFP_CELL_NOMINAL_V;
	one = kb_eps_limit(kb, kb_b->family, 1);
	any = kb_eps_limit(kb, kb_b->family, 1000);
	b->eps_one = one ? one->power : 0;
	b->eps_any = any && any->count == 0 ? any->power : 0;
	b->bat_power_max = kb_eps(kb) && kb_eps(kb)->bat_power_max > 0 ? kb_eps(kb)->bat_power_max
									: 5000;
	return 0;
}

double sim_batt_eps_limit(const struct sim_batt *b, int count)
{
	double w = b->eps_any > 0 ? b->eps_any : b->eps_one * count;

	if (count <= 0)
		return 0;
	return w < b->bat_power_max ? w : b->bat_power_max;
}
