/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim_plant: the moving plant behind the simulated registers.
 *
 * PV strings, house load, the utility grid, the battery bank and the
 * meters, the inverters in automatic mode as the installer guide's section
 * 25 describes, EPS on grid loss (18.3-18.4), and the faults of sim_fault.h.
 * Signs as on site: grid point + export / - import; battery + charging /
 * - discharging; exchange meter negative when importing; production meter
 * positive when producing.
 *
 * sim_plant_tick() advances time and rewrites every measured register of
 * every device; settings are read back from the inverters' registers each
 * tick, so a setting written over Modbus changes the plant's behaviour. */
#ifndef ZCS_SIM_PLANT_H
#define ZCS_SIM_PLANT_H

#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "sim/sim_batt.h"
#include "sim/sim_dev.h"
#include "sim/sim_fault.h"

#define SIM_MAX_INV 8
#define SIM_GRID_V 230.0
#define SIM_GRID_HZ 50.0

enum sim_meter_mode { SIM_METER_CT, SIM_METER_DDSU, SIM_METER_DTSU };

/* What a scenario declares about one inverter. */
struct sim_inv_decl {
	int slave;
	char layout[16];         /* map served: g3 (default) or hyd-es (legacy) */
	char model[32];          /* HYD6000-ZSS-HP */
	double power;            /* rated W; 0: from data/models.conf */
	char serial[32];         /* up to 20 characters: 1-16 and 17-20 apart */
	char fw_com[16], fw_master[16], fw_slave[16], hw[8];
	long country;            /* the word shown (G3: country << 8 | region) */
	long country_applied;    /* the safety set in force, same encoding */
	char country_name[16];   /* "" : the unit serves no name */
	int parallel;            /* parallel enable */
	int primary;             /* parallel role */
	int paddr;               /* parallel address */
};

struct sim_inv {
	struct sim_dev *dev;     /* served on the bus */
	struct sim_dev *cfg;     /* G3 settings image: dev itself on a G3 unit, a
				  * hidden one behind a legacy unit's map */
	struct sim_inv_decl decl;
	double rated_w;
	int strings;
	double pv_avail[2];      /* W the sun offers each string */
	struct sim_batt batt;
	int bat_count;           /* installed modules (0: no battery) */
	double soc;              /* % */
	/* scenario values, restored when a setting fault is switched off */
	long def_protocol, def_dod, def_pv_mode;
	/* last tick */
	double pv_w[2], bat_w, inv_w, load_w, eps_w;
	int state, eps_live, bat_ok;
	int first_charge;        /* charging to 100 % whatever the PV (note of section 14) */
	int64_t off_grid_since;
	double e_pv, e_load, e_imp, e_exp, e_chg, e_dis;   /* Wh */
	int64_t clock_offset_s;
};

struct sim_plant {
	struct sim_inv inv[SIM_MAX_INV];
	int ninv;
	struct sim_faults *faults;
	int grid, breaker, dc, battery_sw, loads;
	int violations;          /* batteries switched off with AC connected (refused) */
	double load_w;           /* every house load, all behind the CT */
	double critical_w;       /* the part of load_w wired to the LOAD output */
	double production_w;     /* existing PV read by the production meter */
	enum sim_meter_mode meter_mode;
	int production_meter;    /* 1: a production meter at address 002 */
	struct sim_dev *meter_exch, *meter_prod;
	double speed;            /* simulated seconds per real second */
	int64_t last_ms;
	/* last tick, whole plant */
	double grid_w;           /* true flow at the exchange point, + export */
	double grid_meas_w;      /* what the CT / exchange meter reads */
	int meter_ok;            /* the inverter reads its exchange meter */
	double m_imp, m_exp;     /* exchange meter energy, Wh */
};

void sim_plant_init(struct sim_plant *p, struct sim_faults *f);
void sim_plant_free(struct sim_plant *p);
/* Add an inverter (its registers get the scenario's identity and default
 * settings).  ZCS_DATA errors. */
int sim_plant_add_inverter(struct sim_plant *p, const struct sim_inv_decl *d,
			   struct zcs_err *err);
/* The inverter with Modbus slave id `slave`, or the first when slave < 0. */
struct sim_inv *sim_plant_inverter(struct sim_plant *p, int slave);
int sim_plant_set_battery(struct sim_plant *p, struct sim_inv *v, const char *model, int count,
			  struct zcs_err *err);
/* The battery type (bat_protocol enum key or number) the bank really
 * speaks: for Azzurro no public source gives it, so the scenario says. */
int sim_plant_set_protocol(struct sim_inv *v, const char *key, struct zcs_err *err);
int sim_plant_set_strings(struct sim_inv *v, int strings, struct zcs_err *err);
/* Meter mode and production meter; creates the meter devices. */
int sim_plant_set_meters(struct sim_plant *p, enum sim_meter_mode mode, int production,
			 struct zcs_err *err);
/* PV: total split over each inverter's strings, or one string. */
void sim_plant_set_pv(struct sim_plant *p, int string, double w);
/* Switch a fault (its side effects on settings included). */
void sim_plant_fault(struct sim_plant *p, int id, int on, double arg);
/* Advance to `now_ms` and refresh every register. */
void sim_plant_tick(struct sim_plant *p, int64_t now_ms);
/* "key value" lines describing the plant. */
void sim_plant_state(const struct sim_plant *p, FILE *f);

#endif
