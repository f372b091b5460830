/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim_batt: the battery facts the simulated plant needs (module capacity,
 * family, limits, Battery Info values, EPS output), looked up by model id
 * (us2000, zsx5000 ...) in the shared catalogue (base/kb.h, data/).
 *
 * Where the catalogue is silent the simulator assumes, and says so here:
 *  - nominal voltage: LFP cells, 3.2 V nominal, 3.65 V at full charge, so
 *    the cell count is the max charge voltage / 3.65 (48.0 V, 51.2 V);
 *  - the BMS current limit of a bank is the module's times the count;
 *  - an EPS limit the guide gives for one battery scales with the count,
 *    up to the inverter's battery power. */
#ifndef ZCS_SIM_BATT_H
#define ZCS_SIM_BATT_H

#include "base/err.h"

struct sim_batt {
	char id[32];
	char family[16];        /* pylontech, weco, azzurro */
	char protocol[16];      /* g3 bat_protocol key, "" when unknown */
	double module_ah, nominal_v, max_dod;
	double dod, eps_dod, eps_buffer;     /* Battery Info defaults, % */
	double bms_current, set_current;     /* A, per module / set */
	double overvoltage, charge_v, discharge_v;
	double eps_one, eps_any;             /* W: one battery / any count; 0 none */
	double bat_power_max;                /* W */
};

/* Fill *b for model `id`.  ZCS_DATA error naming the known ids otherwise. */
int sim_batt_lookup(const char *id, struct sim_batt *b, struct zcs_err *err);
/* EPS output limit (W) of `count` batteries of this model. */
double sim_batt_eps_limit(const struct sim_batt *b, int count);
struct kb;
/* The shared catalogue, loaded on first use (NULL with an error). */
const struct kb *sim_batt_catalogue(struct zcs_err *err);
/* Free the catalogue (at exit). */
void sim_batt_release(void);

#endif
