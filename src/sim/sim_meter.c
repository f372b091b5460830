/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sim/sim_meter.h"

#include <math.h>

#include "base/kb.h"
#include "sim/sim_batt.h"

/* Addresses and CT ratio from data/meters.conf (fallbacks: the guide's). */
struct meter_facts {
	int exchange, production, ct_ratio;
};

static struct meter_facts facts(enum sim_meter_mode mode)
{
	const struct kb *kb = sim_batt_catalogue(NULL);
	const struct kb_meters *m = kb ? kb_meters(kb) : NULL;
	struct meter_facts f = { 1, 2, 40 };

	if (!m)
		return f;
	if (mode == SIM_METER_DTSU) {
		f.exchange = m->dtsu_addr_exchange > 0 ? m->dtsu_addr_exchange : 1;
		f.production = m->dtsu_addr_production_min > 0 ? m->dtsu_addr_production_min : 2;
	} else {
		f.exchange = m->ddsu_addr_exchange > 0 ? m->ddsu_addr_exchange : 1;
		f.production = m->ddsu_addr_production > 0 ? m->ddsu_addr_production : 2;
	}
	if (m->dtsu_ct_ratio > 0)
		f.ct_ratio = m->dtsu_ct_ratio;
	return f;
}

static void put_address(struct sim_dev *m, int addr)
{
	m->slave = addr;
	sim_dev_put(m, "meter_address", addr);
}

static struct sim_dev *one(enum sim_meter_mode mode, int addr, int ct_ratio,
			   struct zcs_err *err)
{
	struct sim_dev *m = sim_dev_new(mode == SIM_METER_DTSU ? "dtsu666" : "ddsu666", addr, err);

	if (!m)
		return NULL;
	put_address(m, addr);
	sim_dev_put(m, "meter_baud", 3);
	if (mode == SIM_METER_DTSU)
		sim_dev_put(m, "ct_ratio", ct_ratio);
	return m;
}

int sim_meter_create(struct sim_plant *p, enum sim_meter_mode mode, int production,
		     struct zcs_err *err)
{
	struct meter_facts f = facts(mode);

	if (mode == SIM_METER_CT)
		return 0;
	if (!(p->meter_exch = one(mode, f.exchange, f.ct_ratio, err)))
		return -1;
	if (production && !(p->meter_prod = one(mode, f.production, f.ct_ratio, err)))
		return -1;
	return 0;
}

double sim_meter_measure(const struct sim_plant *p, double true_w)
{
	double w = true_w;

	if (p->faults->on[SIM_F_CT_REVERSED])
		w = -w;
	if (p->faults->on[SIM_F_CT_PARTIAL])
		w *= p->faults->arg[SIM_F_CT_PARTIAL];
	return w;
}

static void ddsu_values(struct sim_dev *m, double volts, double hz, double w, double pf,
			double wh_imp, double wh_exp)
{
	sim_dev_put(m, "voltage", volts);
	sim_dev_put(m, "current", volts > 0 ? fabs(w) / volts : 0);
	sim_dev_put(m, "power", w / 1000);
	sim_dev_put(m, "power_factor", pf);
	sim_dev_put(m, "frequency", hz);
	sim_dev_put(m, "e_import", wh_imp / 1000);
	sim_dev_put(m, "e_export", wh_exp / 1000);
}

/* A single-phase plant on a three-phase meter: everything on L1. */
static void dtsu_values(struct sim_dev *m, double volts, double hz, double w, double pf,
			double wh_imp, double wh_exp)
{
	static const char *const zero[] = { "ib", "ic", "pb", "pc" };
	static const char *const one_pf[] = { "pfb", "pfc" };

	sim_dev_put(m, "ua", volts);
	sim_dev_put(m, "ub", volts);
	sim_dev_put(m, "uc", volts);
	sim_dev_put(m, "ia", volts > 0 ? fabs(w) / volts : 0);
	for (size_t i = 0; i < 4; i++)
		sim_dev_put(m, zero[i], 0);
	sim_dev_put(m, "pa", w);
	sim_dev_put(m, "pt", w);
	sim_dev_put(m, "pfa", pf);
	sim_dev_put(m, "pft", pf);
	for (size_t i = 0; i < 2; i++)
		sim_dev_put(m, one_pf[i], 1.0);
	sim_dev_put(m, "frequency", hz);
	sim_dev_put(m, "e_import_a", wh_imp / 1000);
	sim_dev_put(m, "e_export_a", wh_exp / 1000);
	sim_dev_put(m, "e_import_b", wh_imp / 1000);
	sim_dev_put(m, "e_export_b", wh_exp / 1000);
}

static void values(const struct sim_plant *p, struct sim_dev *m, double w, double wh_imp,
		   double wh_exp)
{
	double volts = p->grid ? SIM_GRID_V : 0, hz = p->grid ? SIM_GRID_HZ : 0;
	double pf = volts > 0 && fabs(w) / volts > 0.1 ? 0.99 : 1.0;

	if (!m)
		return;
	if (p->meter_mode == SIM_METER_DDSU)
		ddsu_values(m, volts, hz, w, pf, wh_imp, wh_exp);
	else
		dtsu_values(m, volts, hz, w, pf, wh_imp, wh_exp);
}

void sim_meter_update(struct sim_plant *p, double prod, double *grid_meas, double *ext_meas)
{
	const struct sim_faults *fl = p->faults;
	struct meter_facts f = facts(p->meter_mode);
	int swapped = fl->on[SIM_F_METERS_SWAPPED] && p->meter_prod;
	int want = swapped ? f.production : f.exchange;    /* where the exchange meter is */
	double exch = sim_meter_measure(p, p->grid_w);

	*grid_meas = exch;
	*ext_meas = p->production_meter ? prod : 0;
	p->meter_ok = 1;
	if (!p->meter_exch)
		return;
	p->meter_exch->present = !fl->on[SIM_F_METER_MISSING];
	put_address(p->meter_exch, fl->on[SIM_F_METER_ADDRESS] && !swapped
		    ? (int)fl->arg[SIM_F_METER_ADDRESS] : want);
	if (p->meter_prod)
		put_address(p->meter_prod, swapped ? f.exchange : f.production);
	values(p, p->meter_exch, exch, p->m_imp, p->m_exp);
	values(p, p->meter_prod, prod, 0, 0);
	if (!p->meter_exch->present || p->meter_exch->slave != want) {
		p->meter_ok = 0;     /* the inverter polls 001 and hears nobody */
		*grid_meas = 0;
	} else if (swapped) {
		*grid_meas = prod;   /* it reads the production meter as the exchange */
		*ext_meas = exch;
	}
}
