/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sim/sim_plant.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/lex.h"
#include "base/ident.h"
#include "base/paths.h"
#include "base/util.h"
#include "sim/sim_meter.h"

#define STANDBY_W 100.0          /* section 25: standby within 100 W */
#define FULL_SOC 99.9             /* the BMS stops charging here */
#define MPP_V 360.0              /* string voltage while producing */
#define OPEN_V 410.0             /* string voltage with sun, no current */
#define OTHER_COUNTRY (1 << 8)   /* wrong-country: flip the low bit of the country byte */

/* ---- set-up --------------------------------------------------------------- */

void sim_plant_init(struct sim_plant *p, struct sim_faults *f)
{
	memset(p, 0, sizeof *p);
	p->faults = f;
	p->grid = p->breaker = p->dc = p->battery_sw = p->loads = 1;
	p->speed = 1;
	p->meter_ok = 1;
}

void sim_plant_free(struct sim_plant *p)
{
	for (int i = 0; i < p->ninv; i++) {
		if (p->inv[i].cfg != p->inv[i].dev)
			sim_dev_free(p->inv[i].cfg);
		sim_dev_free(p->inv[i].dev);
	}
	sim_dev_free(p->meter_exch);
	sim_dev_free(p->meter_prod);
	p->ninv = 0;
	p->meter_exch = p->meter_prod = NULL;
}

static void on_write(void *ctx, struct sim_dev *d, unsigned addr, unsigned n);

static int setting(struct sim_inv *v, const char *name, double value)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%.10g", value);
	return sim_dev_setting(v->cfg, name, buf, NULL);
}

static void default_settings(struct sim_inv *v)
{
	const struct sim_inv_decl *d = &v->decl;

	sim_dev_put_text(v->dev, "serial", d->serial);          /* characters 1-16 */
	if (!v->dev->lenient)
		sim_dev_put_text(v->dev, "serial_ext", strlen(d->serial) > 16 ? d->serial + 16 : "");
	sim_dev_put_text(v->dev, "fw_com", d->fw_com);
	sim_dev_put_text(v->dev, "fw_master", d->fw_master);
	sim_dev_put_text(v->dev, "fw_slave", d->fw_slave);
	if (v->dev->lenient)      /* the legacy map has one version string */
		sim_dev_put_text(v->dev, "sw_version", d->fw_com);
	sim_dev_put_text(v->dev, "hw_version", d->hw);
	if (!v->dev->lenient) {
		sim_dev_put_text(v->dev, "safety_major", "02");
		sim_dev_put_text(v->dev, "safety_minor", "00");
		sim_dev_put_text(v->dev, "safety_sw", "V02000");
		sim_dev_put_text(v->dev, "safety_hw", "V1");
		sim_dev_put(v->dev, "rated_power", v->rated_w / 1000);
		setting(v, "country_applied", (double)d->country_applied);
		setting(v, "safety_version", 1);
		setting(v, "safety_version_applied", 1);
		sim_dev_setting(v->cfg, "country_name", d->country_name, NULL);
	}
	setting(v, "logic_interface", 0);
	setting(v, "iv_scan", 0);
	setting(v, "selftest", 0);
	setting(v, "modbus_address", d->slave);
	setting(v, "rs485_baud", 1);
	setting(v, "rs485_stop", 1);
	setting(v, "rs485_parity", 0);
	setting(v, "pv_input_mode", 0);
	setting(v, "antireflux_control", 0);
	setting(v, "antireflux_limit", 0);
	setting(v, "eps_control", 0);
	setting(v, "eps_wait", 5);
	setting(v, "parallel_enable", d->parallel);
	setting(v, "parallel_role", d->primary);
	setting(v, "parallel_address", d->paddr);
	setting(v, "pcc_sample_mode", 2);          /* CT until meters are declared */
	setting(v, "remote_onoff", 1);
	setting(v, "working_mode", 0);
	setting(v, "country_code", (double)d->country);
	v->def_pv_mode = 0;
}

int sim_plant_add_inverter(struct sim_plant *p, const struct sim_inv_decl *d,
			   struct zcs_err *err)
{
	struct sim_inv *v;
	double rated;

	if (p->ninv >= SIM_MAX_INV)
		return zcs_fail(err, ZCS_DATA, "at most %d inverters", SIM_MAX_INV);
	if (sim_plant_inverter(p, d->slave))
		return zcs_fail(err, ZCS_DATA, "two inverters at slave %d", d->slave);
	rated = d->power;
	if (rated <= 0 && ident_model_power(d->model, &rated, err) < 0)
		return -1;
	v = &p->inv[p->ninv];
	memset(v, 0, sizeof *v);
	if (!(v->dev = sim_dev_new(*d->layout ? d->layout : "g3", d->slave, err)))
		return -1;
	v->cfg = v->dev;
	if (strcmp(v->dev->map->name, "g3") != 0) {
		v->dev->lenient = 1;
		if (!(v->cfg = sim_dev_new("g3", d->slave, err))) {
			sim_dev_free(v->dev);
			return -1;
		}
	}
	p->ninv++;
	v->decl = *d;
	v->rated_w = rated;
	v->strings = 2;
	v->soc = 50;
	v->dev->on_write = on_write;
	v->dev->ctx = v;
	default_settings(v);
	return 0;
}

struct sim_inv *sim_plant_inverter(struct sim_plant *p, int slave)
{
	for (int i = 0; i < p->ninv; i++)
		if (slave < 0 || p->inv[i].decl.slave == slave)
			return &p->inv[i];
	return NULL;
}

static long protocol_code(const struct sim_inv *v, const char *key)
{
	const struct reg_def *r = regmap_find(v->dev->map, "bat_protocol");
	const struct reg_enum_item *it = r && r->enm ? regmap_enum_key(r->enm, key) : NULL;

	return it ? it->value : -1;
}

static void battery_block(struct sim_inv *v)
{
	const struct sim_batt *b = &v->batt;

	setting(v, "bat_input", 0);
	setting(v, "bat_address", 0);
	setting(v, "bat_protocol", (double)v->def_protocol);
	setting(v, "bat_overvoltage", b->overvoltage);
	setting(v, "bat_charge_voltage", b->charge_v);
	setting(v, "bat_undervoltage", b->discharge_v - 1);
	setting(v, "bat_discharge_voltage", b->discharge_v);
	setting(v, "bat_charge_current", b->set_current);
	setting(v, "bat_discharge_current", b->set_current);
	setting(v, "bat_dod", (double)v->def_dod);
	setting(v, "bat_eps_dod", b->eps_dod);
	setting(v, "bat_capacity", b->module_ah * v->bat_count);
	setting(v, "bat_nominal_voltage", b->nominal_v);
	setting(v, "bat_cell_type", 1);
	setting(v, "bat_eps_buffer", b->eps_buffer);
	setting(v, "bat_max_charge_soc", 100);
	setting(v, "bat_commit", 0);
}

int sim_plant_set_battery(struct sim_plant *p, struct sim_inv *v, const char *model, int count,
			  struct zcs_err *err)
{
	long code;

	(void)p;
	if (count < 1 || count > 8)
		return zcs_fail(err, ZCS_DATA, "battery count %d: 1 to 8", count);
	if (sim_batt_lookup(model, &v->batt, err) < 0)
		return -1;
	v->bat_count = count;
	code = *v->batt.protocol ? protocol_code(v, v->batt.protocol) : protocol_code(v, "bms");
	v->def_protocol = code < 0 ? 0 : code;
	v->def_dod = (long)v->batt.dod;
	battery_block(v);
	return 0;
}

int sim_plant_set_protocol(struct sim_inv *v, const char *key, struct zcs_err *err)
{
	long code = protocol_code(v, key);

	if (code < 0 && zcs_parse_long(key, &code) < 0)
		return zcs_fail(err, ZCS_DATA, "protocol=%s is no key of the bat_protocol "
				"enumeration in g3.map", key);
	v->def_protocol = code;
	setting(v, "bat_protocol", (double)code);
	return 0;
}

int sim_plant_set_strings(struct sim_inv *v, int strings, struct zcs_err *err)
{
	if (strings != 1 && strings != 2)
		return zcs_fail(err, ZCS_DATA, "strings is 1 or 2, not %d", strings);
	if (strings == 1) {
		v->pv_avail[0] += v->pv_avail[1];
		v->pv_avail[1] = 0;
	}
	v->strings = strings;
	return 0;
}

int sim_plant_set_meters(struct sim_plant *p, enum sim_meter_mode mode, int production,
			 struct zcs_err *err)
{
	sim_dev_free(p->meter_exch);
	sim_dev_free(p->meter_prod);
	p->meter_exch = p->meter_prod = NULL;
	p->meter_mode = mode;
	p->production_meter = production;
	for (int i = 0; i < p->ninv; i++)
		setting(&p->inv[i], "pcc_sample_mode", mode == SIM_METER_CT ? 2 : 1);  /* CT : meter */
	return sim_meter_create(p, mode, production, err);
}

void sim_plant_set_pv(struct sim_plant *p, int string, double w)
{
	for (int i = 0; i < p->ninv; i++) {
		struct sim_inv *v = &p->inv[i];

		if (string == 0) {
			double share = w / p->ninv;

			v->pv_avail[0] = v->strings == 2 ? share / 2 : share;
			v->pv_avail[1] = v->strings == 2 ? share / 2 : 0;
		} else if (string <= v->strings) {
			v->pv_avail[string - 1] = w / p->ninv;
		}
	}
}

/* ---- faults that change settings ----------------------------------------- */

static struct sim_inv *replica(struct sim_plant *p, int k)
{
	return p->ninv > k ? &p->inv[k] : NULL;
}

static void parallel_fault(struct sim_plant *p, int id, int on)
{
	struct sim_inv *r1 = replica(p, 1), *r2 = replica(p, 2);

	if (id == SIM_F_PAR_DUP_ADDRESS && r1 && r2)
		setting(r2, "parallel_address", on ? r1->decl.paddr : r2->decl.paddr);
	if (id == SIM_F_PAR_TWO_PRIMARIES && r1) {
		setting(r1, "parallel_role", on ? 1 : r1->decl.primary);
		setting(r1, "parallel_address", on ? 0 : r1->decl.paddr);
	}
	if (id == SIM_F_PAR_REPLICA_BATTERY && r1 && r1->bat_count)
		setting(r1, "bat_dod", on ? (double)(r1->def_dod > 60 ? r1->def_dod - 30 : 80)
				      : (double)r1->def_dod);
}

static long wrong_protocol(const struct sim_inv *v)
{
	long pylon = protocol_code(v, "pylon"), weco = protocol_code(v, "weco");

	return v->def_protocol == pylon ? weco : pylon;
}

void sim_plant_fault(struct sim_plant *p, int id, int on, double arg)
{
	p->faults->on[id] = on;
	if (on)
		p->faults->arg[id] = arg;
	for (int i = 0; i < p->ninv; i++) {
		struct sim_inv *v = &p->inv[i];

		switch (id) {
		case SIM_F_WRITE_STORES_OTHER:
			v->dev->store_other = on;
			break;
		case SIM_F_COMMIT_BUSY:
			v->dev->commit_busy = on ? (unsigned)p->faults->arg[id] : 0;
			break;
		case SIM_F_COMMIT_REFUSED:
			v->dev->commit_fail = on ? (unsigned)p->faults->arg[id] & 0xFFFF : 0;
			break;
		case SIM_F_BAT_TYPE_WRONG:
			setting(v, "bat_protocol", (double)(on ? wrong_protocol(v) : v->def_protocol));
			break;
		case SIM_F_DOD_TOO_HIGH:
			if (v->bat_count)
				setting(v, "bat_dod", on ? v->batt.max_dod + 10 : (double)v->def_dod);
			break;
		case SIM_F_PV_MODE_SINGLE:
			if (on)
				sim_plant_set_strings(v, 1, NULL);
			setting(v, "pv_input_mode", on ? 1 : (double)v->def_pv_mode);
			break;
		case SIM_F_RS485_ADDRESS_0:
			setting(v, "modbus_address", on ? 0 : v->decl.slave);
			break;
		case SIM_F_WRONG_COUNTRY:       /* another country, shown and applied */
			setting(v, "country_code", on ? (double)(v->decl.country ^ OTHER_COUNTRY)
						      : (double)v->decl.country);
			setting(v, "country_applied", on ? (double)(v->decl.country_applied ^ OTHER_COUNTRY)
							 : (double)v->decl.country_applied);
			if (!v->dev->lenient)   /* the name goes with the country */
				sim_dev_setting(v->cfg, "country_name", on ? "" : v->decl.country_name,
						NULL);
			break;
		case SIM_F_LOGIC_INTERFACE:
			setting(v, "logic_interface", on);
			break;
		default:
			break;
		}
	}
	parallel_fault(p, id, on);
}

/* ---- one tick ------------------------------------------------------------ */

static int fault(const struct sim_plant *p, int id)
{
	return p->faults->on[id];
}

static double farg(const struct sim_plant *p, int id)
{
	return p->faults->arg[id];
}

static double get(const struct sim_inv *v, const char *name)
{
	return sim_dev_get(v->cfg, name);
}

static int seen_batteries(const struct sim_plant *p, const struct sim_inv *v)
{
	int n = v->bat_count;

	if (fault(p, SIM_F_FEWER_BATTERIES))
		n -= (int)farg(p, SIM_F_FEWER_BATTERIES);
	return n < 0 ? 0 : n;
}

/* The BMS talks when the battery is on, the cable works and the type set
 * on the inverter is the bank's. */
static int bms_talks(const struct sim_plant *p, const struct sim_inv *v)
{
	return v->bat_count > 0 && p->battery_sw && !fault(p, SIM_F_BAT_COMM_LOST) &&
	       (long)get(v, "bat_protocol") == v->def_protocol;
}

static double bat_voltage(const struct sim_plant *p, const struct sim_inv *v)
{
	if (!v->bat_count || !p->battery_sw)
		return 0;
	return v->batt.nominal_v + (v->soc - 50) / 50 * 2.0;
}

static double charge_limit(const struct sim_plant *p, const struct sim_inv *v, int seen)
{
	double volts = bat_voltage(p, v), amps = get(v, "bat_charge_current");
	double bms = v->batt.bms_current * seen, w;

	w = (amps < bms ? amps : bms) * volts;
	return w < v->batt.bat_power_max ? w : v->batt.bat_power_max;
}

static double discharge_limit(const struct sim_plant *p, const struct sim_inv *v, int seen)
{
	double volts = bat_voltage(p, v), amps = get(v, "bat_discharge_current");
	double bms = v->batt.bms_current * seen, w;

	w = (amps < bms ? amps : bms) * volts;
	return w < v->batt.bat_power_max ? w : v->batt.bat_power_max;
}

/* A parallel system starts only with one primary and distinct addresses. */
static int parallel_broken(const struct sim_plant *p)
{
	int n = 0, primaries = 0;
	long addrs[SIM_MAX_INV];

	for (int i = 0; i < p->ninv; i++) {
		const struct sim_inv *v = &p->inv[i];

		if (!get(v, "parallel_enable"))
			continue;
		primaries += get(v, "parallel_role") == 1;
		addrs[n] = (long)get(v, "parallel_address");
		for (int k = 0; k < n; k++)
			if (addrs[k] == addrs[n])
				return 1;
		n++;
	}
	return n > 1 && primaries != 1;
}

struct flows {
	double pv, bat, inv, load;
};

/* Section 25, automatic mode, for one inverter on grid. */
static struct flows automatic(const struct sim_plant *p, const struct sim_inv *v, double pv,
			      double load, double ext, int seen, int usable)
{
	struct flows f = { pv, 0, 0, load };
	double surplus = pv + ext - load, min_soc = 100 - get(v, "bat_dod");
	int self_use = get(v, "working_mode") == 0;

	if (usable && v->first_charge && v->soc < FULL_SOC) {
		/* first charge to 100 %: from PV and, short of it, the grid */
		f.bat = charge_limit(p, v, seen);
	} else if (usable && self_use && fabs(surplus) > STANDBY_W) {
		if (surplus > 0 && v->soc < FULL_SOC)
			f.bat = fmin(surplus, charge_limit(p, v, seen));
		else if (surplus < 0 && v->soc > min_soc)
			f.bat = -fmin(-surplus, discharge_limit(p, v, seen));
	}
	f.inv = f.pv - f.bat;
	if (f.inv > v->rated_w) {          /* AC output limit: curtail PV first */
		f.pv -= f.inv - v->rated_w;
		if (f.pv < 0) {
			f.bat -= f.pv;
			f.pv = 0;
		}
		f.inv = v->rated_w;
	}
	return f;
}

/* Zero feed-in: the inverter limits the export *it measures*. */
static void antireflux(const struct sim_plant *p, struct flows *fl, int n, double ext)
{
	const struct sim_inv *v = &p->inv[0];
	double inv = 0, load = 0, gain = sim_meter_measure(p, 1.0), limit, over;

	if (!get(v, "antireflux_control") || gain <= 0)
		return;
	limit = get(v, "antireflux_limit") * 1000 / gain;
	for (int i = 0; i < n; i++) {
		inv += fl[i].inv;
		load += fl[i].load;
	}
	over = inv + ext - load - limit;
	for (int i = 0; i < n && over > 0; i++) {
		double cut = fmin(over, fl[i].pv);

		fl[i].pv -= cut;
		fl[i].inv -= cut;
		over -= cut;
	}
}

static void pv_registers(const struct sim_plant *p, struct sim_inv *v)
{
	static const char *const names[2][3] = {
		{ "pv1_voltage", "pv1_current", "pv1_power" },
		{ "pv2_voltage", "pv2_current", "pv2_power" },
	};

	for (int s = 0; s < 2; s++) {
		double volts = 0, w = v->pv_w[s];

		if (s < v->strings && p->dc && v->pv_avail[s] > 0)
			volts = w > 0 ? MPP_V + 20 * fmin(1, w / 3000) : OPEN_V;
		sim_dev_put(v->dev, names[s][0], volts);
		sim_dev_put(v->dev, names[s][1], volts > 0 ? w / volts : 0);
		sim_dev_put(v->dev, names[s][2], w / 1000);
	}
	sim_dev_put(v->dev, "pv_power", (v->pv_w[0] + v->pv_w[1]) / 1000);
}

static int fault_bit(const struct sim_inv *v, const char *key)
{
	const struct reg_def *r = regmap_find(v->dev->map, "fault_words");
	const struct reg_enum_item *it = r && r->enm ? regmap_enum_key(r->enm, key) : NULL;

	return it ? (int)it->value : -1;
}

static void put_fault(struct sim_inv *v, const char *key, int on)
{
	int id = fault_bit(v, key);

	if (id >= 0)
		sim_dev_put_bit(v->dev, "fault_words", id, on);
}

static void put_clock(struct sim_inv *v)
{
	time_t t = time(NULL) + v->clock_offset_s;
	struct tm tm;

	localtime_r(&t, &tm);
	sim_dev_put(v->dev, "rtc_year", tm.tm_year % 100);
	sim_dev_put(v->dev, "rtc_month", tm.tm_mon + 1);
	sim_dev_put(v->dev, "rtc_day", tm.tm_mday);
	sim_dev_put(v->dev, "rtc_hour", tm.tm_hour);
	sim_dev_put(v->dev, "rtc_minute", tm.tm_min);
	sim_dev_put(v->dev, "rtc_second", tm.tm_sec);
}

/* A clock group write sets the inverter's clock. */
static void on_write(void *ctx, struct sim_dev *d, unsigned addr, unsigned n)
{
	struct sim_inv *v = ctx;
	const struct reg_group *g = regmap_group(d->map, "clock");
	struct tm tm = { 0 };

	if (!g || addr > g->addr || addr + n < g->addr + g->words)
		return;
	tm.tm_year = (int)sim_dev_get(d, "set_year") + 100;
	tm.tm_mon = (int)sim_dev_get(d, "set_month") - 1;
	tm.tm_mday = (int)sim_dev_get(d, "set_day");
	tm.tm_hour = (int)sim_dev_get(d, "set_hour");
	tm.tm_min = (int)sim_dev_get(d, "set_minute");
	tm.tm_sec = (int)sim_dev_get(d, "set_second");
	tm.tm_isdst = -1;
	v->clock_offset_s = (int64_t)(mktime(&tm) - time(NULL));
}

static void energy_registers(struct sim_inv *v)
{
	const struct { const char *today, *total; double wh; } e[] = {
		{ "e_pv_today", "e_pv_total", v->e_pv },
		{ "e_load_today", "e_load_total", v->e_load },
		{ "e_import_today", "e_import_total", v->e_imp },
		{ "e_export_today", "e_export_total", v->e_exp },
		{ "e_charge_today", "e_charge_total", v->e_chg },
		{ "e_discharge_today", "e_discharge_total", v->e_dis },
	};

	for (size_t i = 0; i < ZCS_ARRAY_LEN(e); i++) {
		sim_dev_put(v->dev, e[i].today, e[i].wh / 1000);
		sim_dev_put(v->dev, e[i].total, e[i].wh / 1000);
	}
}

static void integrate(struct sim_plant *p, struct sim_inv *v, double hours, double grid_share)
{
	double wh_cap = v->batt.module_ah * seen_batteries(p, v) * v->batt.nominal_v;

	v->e_pv += (v->pv_w[0] + v->pv_w[1]) * hours;
	v->e_load += v->load_w * hours;
	if (grid_share > 0)
		v->e_exp += grid_share * hours;
	else
		v->e_imp -= grid_share * hours;
	if (v->bat_w > 0)
		v->e_chg += v->bat_w * hours;
	else
		v->e_dis -= v->bat_w * hours;
	if (wh_cap > 0) {
		v->soc += v->bat_w * hours / wh_cap * 100;
		v->soc = fmin(100, fmax(0, v->soc));
		if (v->soc >= FULL_SOC)
			v->first_charge = 0;     /* the first charge ends at 100 % */
	}
}

/* Grid lost (or the AC breaker open): EPS after the wait time, 18.3-18.4. */
static struct flows off_grid(struct sim_plant *p, struct sim_inv *v, double pv, double load,
			     int seen, int usable, int64_t now)
{
	struct flows f = { 0, 0, 0, load };
	double min_soc = 100 - get(v, "bat_eps_dod"), limit;

	if (!v->off_grid_since)
		v->off_grid_since = now ? now : 1;
	v->eps_live = 0;
	v->state = 0;
	if (!get(v, "eps_control") || !usable || v->soc <= min_soc)
		return f;
	if ((now - v->off_grid_since) * p->speed < get(v, "eps_wait") * 1000)
		return f;
	limit = sim_batt_eps_limit(&v->batt, seen);
	if (load > limit) {                 /* overload: the output trips */
		v->state = 4;
		return f;
	}
	v->eps_live = 1;
	v->state = 3;
	f.pv = fmin(pv, load + (v->soc < FULL_SOC ? charge_limit(p, v, seen) : 0));
	f.bat = f.pv - load;
	if (-f.bat > discharge_limit(p, v, seen)) {
		v->eps_live = 0;
		v->state = 4;
		return (struct flows){ 0, 0, 0, load };
	}
	f.inv = load;
	return f;
}

static void battery_registers(const struct sim_plant *p, struct sim_inv *v, int seen)
{
	double volts = bat_voltage(p, v), talks = v->bat_ok;

	sim_dev_put(v->dev, "bat_voltage", volts);
	sim_dev_put(v->dev, "bat_current", volts > 0 ? v->bat_w / volts : 0);
	sim_dev_put(v->dev, "bat_power", v->bat_w / 1000);
	sim_dev_put(v->dev, "bat_power_total", v->bat_w / 1000);
	sim_dev_put(v->dev, "bat_temp", talks ? 24 : 0);
	sim_dev_put(v->dev, "bat_soc", talks ? round(v->soc) : 0);
	sim_dev_put(v->dev, "bat_soc_total", talks ? round(v->soc) : 0);
	sim_dev_put(v->dev, "bat_soh", talks ? 99 : 0);
	sim_dev_put(v->dev, "bat_soh_total", talks ? 99 : 0);
	sim_dev_put(v->dev, "bat_cycles", talks ? 12 : 0);
	if (talks) {
		sim_dev_put(v->cfg, "bat_capacity", v->batt.module_ah * seen);
		sim_dev_put(v->dev, "bat_capacity", v->batt.module_ah * seen);
	}
	if (v->dev->lenient)
		return;
	sim_dev_put(v->dev, "bat_packs", talks ? seen : 0);
	sim_dev_put(v->dev, "bat_total_ah", talks ? v->batt.module_ah * seen : 0);
	sim_dev_put(v->dev, "bms_charge_limit", talks ? v->batt.bms_current * seen : 0);
	sim_dev_put(v->dev, "bms_discharge_limit", talks ? v->batt.bms_current * seen : 0);
}

/* A legacy (HYD-ES) unit shows its state and settings in its own map. */
static void legacy_registers(struct sim_inv *v)
{
	static const int state_of[] = { 0, 1, 2, 5, 6, 7, 0, 2 };  /* G3 state -> ES */
	int st = v->state >= 0 && v->state < 8 ? state_of[v->state] : 6;

	if (st == 2 && v->bat_w < -1)
		st = 4;
	sim_dev_put(v->dev, "run_state", st);
	sim_dev_put(v->dev, "bat_type", get(v, "bat_protocol"));
	sim_dev_put(v->dev, "bat_dod", get(v, "bat_dod"));
	sim_dev_put(v->dev, "country_code", get(v, "country_code"));
	sim_dev_put(v->dev, "pv_input_mode", get(v, "pv_input_mode"));
	sim_dev_put(v->dev, "work_mode", get(v, "working_mode"));
	sim_dev_put(v->dev, "grid_current", v->inv_w / 230.0);
}

static void inverter_registers(struct sim_plant *p, struct sim_inv *v, int connected,
			       double grid_meas, double inv_total, double ext_meas)
{
	double gv = connected ? SIM_GRID_V : 0, rep_load;

	sim_dev_put(v->dev, "system_state", v->state);
	if (v->cfg != v->dev)
		legacy_registers(v);
	sim_dev_put(v->dev, "grid_frequency", connected ? SIM_GRID_HZ : 0);
	sim_dev_put(v->dev, "grid_voltage", gv);
	sim_dev_put(v->dev, "inverter_power", v->inv_w / 1000);
	sim_dev_put(v->dev, "inverter_current", gv > 0 ? fabs(v->inv_w) / gv : 0);
	sim_dev_put(v->dev, "grid_power", grid_meas / 1000);
	sim_dev_put(v->dev, "pcc_power", grid_meas / 1000);
	sim_dev_put(v->dev, "pcc_current", gv > 0 ? fabs(grid_meas) / gv : 0);
	sim_dev_put(v->dev, "ext_pv_power", fmax(0, ext_meas) / 1000);
	/* the inverter works out the house load from what it measures */
	rep_load = connected ? inv_total + fmax(0, ext_meas) - grid_meas : v->eps_w;
	sim_dev_put(v->dev, "load_power", fmax(0, rep_load) / 1000);
	sim_dev_put(v->dev, "eps_voltage", v->eps_live || connected ? SIM_GRID_V : 0);
	sim_dev_put(v->dev, "eps_frequency", v->eps_live || connected ? SIM_GRID_HZ : 0);
	sim_dev_put(v->dev, "eps_power", v->eps_w / 1000);
	sim_dev_put(v->dev, "eps_load_power", v->eps_w / 1000);
	sim_dev_put(v->dev, "eps_current", v->eps_w / SIM_GRID_V);
	sim_dev_put(v->dev, "temp_ambient", 25);
	sim_dev_put(v->dev, "temp_heatsink", 30 + fabs(v->inv_w) / 250);
	sim_dev_put(v->dev, "temp_module", 28 + fabs(v->inv_w) / 300);
	sim_dev_put(v->dev, "insulation", fault(p, SIM_F_LOW_INSULATION)
				    ? farg(p, SIM_F_LOW_INSULATION) : 2000);
	put_clock(v);
	energy_registers(v);
	pv_registers(p, v);
}

/* Where each inverter's power goes this tick.  All house loads hang
 * behind the CT; the `critical` part of them is wired to the LOAD output
 * and the only part the inverter feeds off grid. */
static void plan_flows(struct sim_plant *p, struct flows *fl, int64_t now, double load,
		       double crit, double ext, int connected)
{
	int broken = parallel_broken(p);

	for (int i = 0; i < p->ninv; i++) {
		struct sim_inv *v = &p->inv[i];
		int seen = seen_batteries(p, v), usable, blocked;
		double pv = 0;

		v->bat_ok = bms_talks(p, v);
		usable = v->bat_ok && seen > 0;
		for (int s = 0; s < v->strings; s++)
			pv += p->dc ? v->pv_avail[s] : 0;
		blocked = fault(p, SIM_F_LOW_INSULATION) || fault(p, SIM_F_LOGIC_INTERFACE) ||
			  (broken && get(v, "parallel_enable"));
		if (!connected) {
			fl[i] = off_grid(p, v, pv, crit / p->ninv, seen, usable, now);
			continue;
		}
		v->off_grid_since = 0;
		v->eps_live = 0;
		if (blocked) {       /* the LOAD output passes the grid through */
			v->state = fault(p, SIM_F_LOGIC_INTERFACE) &&
				   !fault(p, SIM_F_LOW_INSULATION) && !broken ? 0 : 4;
			fl[i] = (struct flows){ 0, 0, 0, load / p->ninv };
		} else {
			v->state = 2;
			fl[i] = automatic(p, v, pv, load / p->ninv, ext / p->ninv, seen, usable);
		}
	}
	if (connected)
		antireflux(p, fl, p->ninv, ext);
}

/* Apply the flows; returns the inverters' total AC output on grid. */
static double apply_flows(struct sim_plant *p, const struct flows *fl, int connected)
{
	double inv_total = 0;

	for (int i = 0; i < p->ninv; i++) {
		struct sim_inv *v = &p->inv[i];
		double pv = fl[i].pv, avail = v->pv_avail[0] + (v->strings > 1 ? v->pv_avail[1] : 0);

		v->pv_w[0] = avail > 0 ? pv * v->pv_avail[0] / avail : 0;
		v->pv_w[1] = avail > 0 && v->strings > 1 ? pv * v->pv_avail[1] / avail : 0;
		v->bat_w = fl[i].bat;
		v->inv_w = fl[i].inv;
		v->eps_w = v->eps_live ? fl[i].load : 0;
		v->load_w = connected || v->eps_live ? fl[i].load : 0;
		inv_total += connected ? v->inv_w : 0;
	}
	return inv_total;
}

static void publish(struct sim_plant *p, double hours, int connected, double inv_total,
		    double grid_meas, double ext_meas)
{
	/* a reading the house cannot produce: more export than the plant makes */
	int implausible = connected && grid_meas > inv_total + ext_meas + 200;

	for (int i = 0; i < p->ninv; i++) {
		struct sim_inv *v = &p->inv[i];

		integrate(p, v, hours, p->grid_w / p->ninv);
		inverter_registers(p, v, connected, grid_meas, inv_total, ext_meas);
		battery_registers(p, v, seen_batteries(p, v));
		put_fault(v, "ct_error", p->meter_mode == SIM_METER_CT && implausible);
		/* V1.38: ID105 is the meter communication error; ID176, which the
		 * integrations read as one, is a heating film fault and stays off */
		put_fault(v, "meter_comm", p->meter_mode != SIM_METER_CT && !p->meter_ok);
		put_fault(v, "bat1_comm", v->bat_count > 0 && p->battery_sw && !v->bat_ok);
		put_fault(v, "input_mode", v->strings == 1 && get(v, "pv_input_mode") == 1);
		v->dev->rtu_mute = get(v, "modbus_address") == 0;
		/* no grid through the breaker, no battery, no PV: no power, no answer */
		v->dev->unpowered = !connected && !(p->battery_sw && v->bat_count > 0) &&
				    !(p->dc && v->pv_avail[0] + v->pv_avail[1] > 0);
	}
}

static void tick_inverters(struct sim_plant *p, int64_t now, double hours)
{
	struct flows fl[SIM_MAX_INV];
	int connected = p->grid && p->breaker;
	double load = p->loads ? p->load_w : 0, crit = fmin(load, p->loads ? p->critical_w : 0);
	/* an existing PV system stops with the grid (anti-islanding) */
	double ext = p->production_meter && p->grid ? p->production_w : 0;
	double inv_total, grid_meas, ext_meas;

	plan_flows(p, fl, now, load, crit, ext, connected);
	inv_total = apply_flows(p, fl, connected);
	if (connected)
		p->grid_w = inv_total + ext - load;
	else             /* breaker open: only the loads off the LOAD output draw */
		p->grid_w = p->grid ? ext - (load - crit) : 0;
	sim_meter_update(p, ext, &grid_meas, &ext_meas);
	p->grid_meas_w = grid_meas;
	if (p->grid_w > 0)
		p->m_exp += p->grid_w * hours;
	else
		p->m_imp -= p->grid_w * hours;
	publish(p, hours, connected, inv_total, grid_meas, ext_meas);
}

void sim_plant_tick(struct sim_plant *p, int64_t now_ms)
{
	double hours = 0;

	if (p->last_ms && now_ms > p->last_ms)
		hours = (double)(now_ms - p->last_ms) * p->speed / 3600000.0;
	p->last_ms = now_ms;
	tick_inverters(p, now_ms, hours);
}

/* ---- state --------------------------------------------------------------- */

void sim_plant_state(const struct sim_plant *p, FILE *f)
{
	static const char *const modes[] = { "ct", "ddsu", "dtsu" };

	fprintf(f, "grid %s\nbreaker %s\ndc %s\nbattery %s\nloads %s\n",
		p->grid ? "on" : "off", p->breaker ? "on" : "off", p->dc ? "on" : "off",
		p->battery_sw ? "on" : "off", p->loads ? "on" : "off");
	fprintf(f, "load %.0f\ncritical %.0f\nproduction %.0f\nmeter %s\nspeed %g\n", p->load_w,
		p->critical_w, p->production_w, modes[p->meter_mode], p->speed);
	fprintf(f, "grid_power %.0f\ngrid_measured %.0f\nmeter_ok %d\nviolations %d\n", p->grid_w,
		p->grid_meas_w, p->meter_ok, p->violations);
	for (int i = 0; i < p->ninv; i++) {
		const struct sim_inv *v = &p->inv[i];

		fprintf(f, "inverter %d slave %d model %s\n", i + 1, v->decl.slave, v->decl.model);
		fprintf(f, "inv%d.pv1 %.0f\ninv%d.pv2 %.0f\ninv%d.pv_available %.0f\n", i + 1,
			v->pv_w[0], i + 1, v->pv_w[1], i + 1, v->pv_avail[0] + v->pv_avail[1]);
		fprintf(f, "inv%d.battery %.0f\ninv%d.soc %.1f\ninv%d.output %.0f\n", i + 1,
			v->bat_w, i + 1, v->soc, i + 1, v->inv_w);
		fprintf(f, "inv%d.load %.0f\ninv%d.eps %s\ninv%d.eps_power %.0f\ninv%d.state %d\n",
			i + 1, v->load_w, i + 1, v->eps_live ? "on" : "off", i + 1, v->eps_w,
			i + 1, v->state);
		fprintf(f, "inv%d.batteries %d %s\ninv%d.bms %s\n", i + 1, v->bat_count,
			v->bat_count ? v->batt.id : "-", i + 1, v->bat_ok ? "ok" : "silent");
		fprintf(f, "inv%d.powered %s\ninv%d.first_charge %s\n", i + 1,
			v->dev->unpowered ? "no" : "yes", i + 1, v->first_charge ? "on" : "off");
	}
	for (int i = 0; i < SIM_NFAULTS; i++)
		if (p->faults->on[i])
			fprintf(f, "fault %s %g\n", sim_fault_name(i), p->faults->arg[i]);
}
