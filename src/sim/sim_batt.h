/* sim_batt: the battery facts the simulated plant needs (module capacity,
 * family, limits, EPS output), looked up by model id (us2000, zsx5000 ...).
 *
 * One function reaches the catalogue, so switching its source (today
 * data/sim/batteries.conf, later the shared catalogue) touches only this
 * module. */
#ifndef ZCS_SIM_BATT_H
#define ZCS_SIM_BATT_H

#include "base/err.h"

struct sim_batt {
	char id[32];
	char family[16];        /* pylon, weco, azzurro */
	char protocol[16];      /* g3 bat_protocol key, "" when unknown */
	double module_ah, nominal_v, max_dod;
	double bms_current, set_current;
	double overvoltage, charge_v, discharge_v;
	double eps_w;
	int eps_per_battery;    /* 1: eps_w per battery; 0: for the bank */
};

/* Fill *b for model `id`.  ZCS_DATA error naming the known ids otherwise. */
int sim_batt_lookup(const char *id, struct sim_batt *b, struct zcs_err *err);
/* EPS output limit (W) of `count` batteries of this model, at most 5000 W
 * (the inverter's battery power). */
double sim_batt_eps_limit(const struct sim_batt *b, int count);

#endif
