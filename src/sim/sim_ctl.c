/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sim/sim_ctl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/kb.h"
#include "base/util.h"
#include "sim/sim_batt.h"

struct command {
	const char *name;
	int (*run)(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err);
	const char *args;
	const char *help;
};

static const struct command commands[];

/* ---- argument helpers ---------------------------------------------------- */

static const char *word(const struct lex_line *ln, int i)
{
	int k = 0;

	for (int t = 0; t < ln->n; t++)
		if (!ln->tok[t].key && k++ == i)
			return ln->tok[t].val;
	return NULL;
}

static int on_off(const struct lex_line *ln, int *dst, struct zcs_err *err)
{
	const char *w = word(ln, 1);

	if (w && (!strcmp(w, "on") || !strcmp(w, "off"))) {
		*dst = !strcmp(w, "on");
		return 0;
	}
	return zcs_fail(err, ZCS_USAGE, "%s takes on or off", word(ln, 0));
}

static int watts(const struct lex_line *ln, int i, double *dst, struct zcs_err *err)
{
	const char *w = word(ln, i);
	double v;

	if (!w || zcs_parse_double(w, &v) < 0 || v < 0 || v > 100000)
		return zcs_fail(err, ZCS_USAGE, "%s takes watts, 0 to 100000, not '%s'",
				word(ln, 0), w ? w : "");
	*dst = v;
	return 0;
}

struct sim_dev *sim_ctl_device(struct sim_ctx *x, const struct lex_line *ln,
			       struct zcs_err *err)
{
	const char *sl = lex_get(ln, "slave"), *me = lex_get(ln, "meter");
	struct sim_plant *p = &x->plant;
	long n = -1;

	if (me) {
		if (zcs_parse_long(me, &n) < 0)
			goto bad;
		if (p->meter_exch && p->meter_exch->slave == n)
			return p->meter_exch;
		if (p->meter_prod && p->meter_prod->slave == n)
			return p->meter_prod;
		zcs_fail(err, ZCS_USAGE, "no meter at address %ld", n);
		return NULL;
	}
	if (sl && zcs_parse_long(sl, &n) < 0)
		goto bad;
	if (sim_plant_inverter(p, (int)n))
		return sim_plant_inverter(p, (int)n)->dev;
	zcs_fail(err, ZCS_USAGE, "no inverter at slave %ld", n);
	return NULL;
bad:
	zcs_fail(err, ZCS_USAGE, "slave= and meter= take a number");
	return NULL;
}

static struct sim_inv *inverter_of(struct sim_ctx *x, const struct lex_line *ln,
				   struct zcs_err *err)
{
	const char *sl = lex_get(ln, "slave");
	long n = -1;
	struct sim_inv *v;

	if (sl && zcs_parse_long(sl, &n) < 0) {
		zcs_fail(err, ZCS_USAGE, "slave= takes a number");
		return NULL;
	}
	if (!(v = sim_plant_inverter(&x->plant, (int)n)))
		zcs_fail(err, ZCS_USAGE, "no inverter at slave %ld", n);
	return v;
}

/* ---- commands ------------------------------------------------------------ */

static int c_switch(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	const char *w = word(ln, 0);
	struct sim_plant *p = &x->plant;
	int *dst = !strcmp(w, "grid") ? &p->grid : !strcmp(w, "breaker") ? &p->breaker
		 : !strcmp(w, "dc") ? &p->dc : !strcmp(w, "battery") ? &p->battery_sw : &p->loads;

	int was = *dst;

	(void)out;
	if (on_off(ln, dst, err) < 0)
		return -1;
	/* Section 7: NEVER switch the batteries off before disconnecting the
	 * AC voltage.  Refused and counted, so a procedure doing it is caught. */
	if (dst == &p->battery_sw && was && !*dst && p->grid && p->breaker) {
		*dst = was;
		p->violations++;
		return zcs_fail(err, ZCS_USAGE, "refused: batteries switched off with the AC grid "
				"connected (section 7: open the AC breaker first); violation %d",
				p->violations);
	}
	return 0;
}

static int c_first_charge(struct sim_ctx *x, const struct lex_line *ln, FILE *out,
			  struct zcs_err *err)
{
	int on;

	(void)out;
	if (on_off(ln, &on, err) < 0)
		return -1;
	for (int i = 0; i < x->plant.ninv; i++)
		x->plant.inv[i].first_charge = on;
	return 0;
}

static int c_pv(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	const char *w = word(ln, 0);
	double v;

	(void)out;
	if (watts(ln, 1, &v, err) < 0)
		return -1;
	sim_plant_set_pv(&x->plant, !strcmp(w, "pv1") ? 1 : !strcmp(w, "pv2") ? 2 : 0, v);
	return 0;
}

static int c_load(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	(void)out;
	const char *w = word(ln, 0);

	return watts(ln, 1, !strcmp(w, "load") ? &x->plant.load_w : !strcmp(w, "critical")
			    ? &x->plant.critical_w : &x->plant.production_w, err);
}

static int c_soc(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	struct sim_inv *v = inverter_of(x, ln, err);
	const char *w = word(ln, 1);
	double soc;

	(void)out;
	if (!v)
		return -1;
	if (!w || zcs_parse_double(w, &soc) < 0 || soc < 0 || soc > 100)
		return zcs_fail(err, ZCS_USAGE, "soc takes a percentage 0-100");
	if (lex_get(ln, "slave"))
		v->soc = soc;
	else
		for (int i = 0; i < x->plant.ninv; i++)
			x->plant.inv[i].soc = soc;
	return 0;
}

static int c_speed(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	const char *w = word(ln, 1);
	double v;

	(void)out;
	if (!w || zcs_parse_double(w, &v) < 0 || v <= 0 || v > 100000)
		return zcs_fail(err, ZCS_USAGE, "speed takes a factor above 0 (60: a minute a "
				"second)");
	x->plant.speed = v;
	return 0;
}

static int c_fault(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	const char *name = word(ln, 1), *sw = word(ln, 2), *a = word(ln, 3);
	int id = name ? sim_fault_find(name) : -1;
	double arg;

	(void)out;
	if (id < 0)
		return zcs_fail(err, ZCS_USAGE, "no fault '%s': 'faults' lists them",
				name ? name : "");
	if (!sw || (strcmp(sw, "on") && strcmp(sw, "off")))
		return zcs_fail(err, ZCS_USAGE, "fault %s on|off [ARG]", name);
	arg = sim_fault_default_arg(id);
	if (a && zcs_parse_double(a, &arg) < 0)
		return zcs_fail(err, ZCS_USAGE, "fault %s: ARG '%s' is not a number", name, a);
	sim_plant_fault(&x->plant, id, !strcmp(sw, "on"), arg);
	return 0;
}

static int c_faults(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	(void)ln;
	(void)err;
	for (int i = 0; i < SIM_NFAULTS; i++) {
		fprintf(out, "%-27s %-3s %s", sim_fault_name(i), x->faults.on[i] ? "ON" : "off",
			sim_fault_what(i));
		if (strstr(sim_fault_what(i), "ARG"))
			fprintf(out, " (ARG %g%s)", x->faults.on[i] ? x->faults.arg[i]
				: sim_fault_default_arg(i), x->faults.on[i] ? "" : " by default");
		fprintf(out, "\n%27s     check: %s\n", "", sim_fault_check(i));
	}
	return 0;
}

static int c_set(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	const char *name = word(ln, 1), *val = word(ln, 2);
	struct sim_dev *d;

	(void)out;
	if (!name || !val)
		return zcs_fail(err, ZCS_USAGE, "%s NAME VALUE [slave=N|meter=N]", word(ln, 0));
	if (!(d = sim_ctl_device(x, ln, err)))
		return -1;
	if (!strcmp(word(ln, 0), "setting")) {
		struct sim_inv *v = lex_get(ln, "meter") ? NULL : inverter_of(x, ln, err);
		struct sim_dev *t = v ? v->cfg : d;
		const struct reg_def *r = regmap_find(t->map, name);
		double num;

		/* the keypad offers only the allowed range (`set` forces anything) */
		if (r && r->has_range && zcs_parse_double(val, &num) == 0 &&
		    (num < r->min - 1e-9 || num > r->max + 1e-9))
			return zcs_fail(err, ZCS_USAGE, "setting %s takes %g to %g%s%s, not %s", name,
					r->min, r->max, *r->unit ? " " : "", r->unit, val);
		return sim_dev_setting(t, name, val, err);
	}
	if (!strcmp(val, "auto"))
		return sim_dev_release(d, name, err);
	return sim_dev_force(d, name, val, err);
}

static int c_get(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	const char *name = word(ln, 1);
	struct sim_dev *d;
	char buf[200];

	if (!name)
		return zcs_fail(err, ZCS_USAGE, "get NAME [slave=N|meter=N]");
	if (!(d = sim_ctl_device(x, ln, err)) || sim_dev_format(d, name, buf, sizeof buf, err) < 0)
		return -1;
	fprintf(out, "%s %s\n", name, buf);
	return 0;
}

static int c_state(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	(void)ln;
	(void)err;
	sim_plant_state(&x->plant, out);
	for (int b = 0; b < SIM_NBUS; b++)
		if (x->server && sim_server_has_rtu(x->server, b))
			fprintf(out, "%s %s\n", b ? "meters-rtu" : "rtu", x->rtu_path[b]);
	if (x->server)
		fprintf(out, "requests %lu\n", sim_server_requests(x->server));
	return 0;
}

static int c_rtu(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	const char *what = word(ln, 1), *which = word(ln, 2);
	int bus = which && !strcmp(which, "meters") ? SIM_BUS_METERS : SIM_BUS_INVERTERS;

	if (!x->server || !x->rtu_on[bus])
		return zcs_fail(err, ZCS_USAGE, "no RTU line was started (--rtu%s)",
				bus ? " / --meters-rtu" : "");
	if (what && !strcmp(what, "unplug")) {
		sim_server_rtu_close(x->server, bus);
		return 0;
	}
	if (what && !strcmp(what, "plug")) {
		if (sim_server_rtu(x->server, bus, x->rtu_path[bus], sizeof x->rtu_path[bus], err) < 0)
			return -1;
		fprintf(out, "%s %s\n", bus ? "meters-rtu" : "rtu", x->rtu_path[bus]);
		return 0;
	}
	return zcs_fail(err, ZCS_USAGE, "rtu unplug|plug [meters]");
}

static int c_drop(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	(void)ln;
	(void)err;
	fprintf(out, "dropped %d\n", x->server ? sim_server_drop(x->server) : 0);
	return 0;
}

static int c_unserve(struct sim_ctx *x, const struct lex_line *ln, FILE *out,
		     struct zcs_err *err)
{
	int on = !strcmp(word(ln, 0), "unserve");
	struct sim_dev *d;

	(void)out;
	if (!word(ln, 1))
		return zcs_fail(err, ZCS_USAGE, "%s NAME... [slave=N|meter=N]", word(ln, 0));
	if (!(d = sim_ctl_device(x, ln, err)))
		return -1;
	for (int i = 1; word(ln, i); i++)
		if (sim_dev_unserve(d, word(ln, i), on, err) < 0)
			return -1;
	return 0;
}

static void holes_of(struct sim_dev *d, int zeros)
{
	if (d)
		d->holes_zeros = zeros;
}

static int c_holes(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	const char *w = word(ln, 1);
	struct sim_plant *p = &x->plant;
	int zeros;

	(void)out;
	if (!w || (strcmp(w, "strict") && strcmp(w, "zeros")))
		return zcs_fail(err, ZCS_USAGE, "holes takes strict (exception 02 at addresses the "
				"map does not define) or zeros (they read 0)");
	zeros = !strcmp(w, "zeros");
	if (lex_get(ln, "slave") || lex_get(ln, "meter")) {
		struct sim_dev *d = sim_ctl_device(x, ln, err);

		if (!d)
			return -1;
		holes_of(d, zeros);
		return 0;
	}
	for (int i = 0; i < p->ninv; i++) {
		holes_of(p->inv[i].dev, zeros);
		holes_of(p->inv[i].cfg, zeros);
	}
	holes_of(p->meter_exch, zeros);
	holes_of(p->meter_prod, zeros);
	return 0;
}

/* ---- instruments: what an installer reads off the hardware (training) ---- */

/* A small noise of the clamp meter's own, +-1 % (not the plant's). */
static double clamp_noise(void)
{
	static unsigned long s = 12345;

	s = s * 1103515245UL + 12345UL;
	return ((double)((s >> 16) & 0x7FFF) / 32767.0 - 0.5) * 0.02;
}

static void dip_line(FILE *out, const struct sim_inv *v, int k, int nseen)
{
	struct zcs_err err = { 0 };
	const struct kb *kb = sim_batt_catalogue(&err);
	struct kb_dip_answer d;

	if (!kb) {
		fprintf(out, "battery %d %s dip ?\n", k + 1, v->batt.id);
		return;
	}
	/* a module the inverter does not see has the DIP switches of the one
	 * before it: two modules on one address */
	d = kb_dip(kb, v->batt.id, v->bat_count, k >= nseen && k > 0 ? k - 1 : k, NULL);
	if (d.kind == KB_DIP_PATTERN)
		fprintf(out, "battery %d %s dip %s (switch 1 first, 1 = ON)\n", k + 1, v->batt.id,
			d.pattern);
	else if (d.kind == KB_DIP_NO_SWITCHES)
		fprintf(out, "battery %d %s dip none (no DIP switches)\n", k + 1, v->batt.id);
	else
		fprintf(out, "battery %d %s dip as the manual's figure (%s)\n", k + 1, v->batt.id,
			d.figure ? d.figure : "see the battery's manual");
}

static const char *alarm_of(const struct sim_plant *p, const struct sim_inv *v)
{
	const struct sim_faults *f = p->faults;

	if (v->dev->unpowered)
		return "display dark";
	if (f->on[SIM_F_METER_ADDRESS] || f->on[SIM_F_METER_MISSING])
		return p->meter_mode != SIM_METER_CT ? "ID176" : "none";
	if (f->on[SIM_F_METERS_SWAPPED] && p->meter_prod)
		return "ID105";
	if (v->bat_count && p->battery_sw && !v->bat_ok)
		return "ID157";
	if (f->on[SIM_F_PV_MODE_SINGLE])
		return "ID044";
	if (f->on[SIM_F_LOW_INSULATION])
		return "ID019 (PV insulation)";
	return "none";
}

static int c_instruments(struct sim_ctx *x, const struct lex_line *ln, FILE *out,
			 struct zcs_err *err)
{
	struct sim_plant *p = &x->plant;
	static const char *const modes[] = { "CT", "DDSU666", "DTSU666" };
	double clamp = fabs(p->grid_w) * (1 + clamp_noise());

	(void)ln;
	(void)err;
	for (int i = 0; i < p->ninv; i++) {
		const struct sim_inv *v = &p->inv[i];
		int nseen = v->bat_count;

		if (p->faults->on[SIM_F_FEWER_BATTERIES])
			nseen -= (int)p->faults->arg[SIM_F_FEWER_BATTERIES];
		fprintf(out, "inverter %d %s serial %s\n", i + 1, v->decl.model, v->decl.serial);
		for (int k = 0; k < v->bat_count; k++)
			dip_line(out, v, k, nseen);
		fprintf(out, "leds %d power %s grid %s battery %s alarm %s\n", i + 1,
			v->dev->unpowered ? "off" : "on",
			!v->dev->unpowered && v->state == 2 ? "on" : "off",
			v->bat_count && v->bat_ok ? "on" : "off",
			!v->dev->unpowered && (v->state == 4 || strcmp(alarm_of(p, v), "none"))
			? "on" : "off");
		fprintf(out, "display %d alarm %s\n", i + 1, alarm_of(p, v));
	}
	fprintf(out, "clamp %.1f A about %.0f W\n", clamp / 230.0, round(clamp / 10) * 10);
	if (p->meter_mode == SIM_METER_CT)
		fprintf(out, "meter CT on the grid cable (no display)\n");
	else if (!p->meter_exch || !p->meter_exch->present)
		fprintf(out, "meter %s display dark\n", modes[p->meter_mode]);
	else if (p->meter_mode == SIM_METER_DTSU)
		fprintf(out, "meter DTSU666 address %03.0f Pa %.0f W Pb %.0f W Pc %.0f W PF %.2f\n",
			sim_dev_get(p->meter_exch, "meter_address"),
			sim_dev_get(p->meter_exch, "pa"), sim_dev_get(p->meter_exch, "pb"),
			sim_dev_get(p->meter_exch, "pc"), sim_dev_get(p->meter_exch, "pft"));
	else
		fprintf(out, "meter DDSU666 address %03.0f P %.0f W PF %.2f\n",
			sim_dev_get(p->meter_exch, "meter_address"),
			sim_dev_get(p->meter_exch, "power"), sim_dev_get(p->meter_exch, "power_factor"));
	return 0;
}

static int c_help(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	(void)x;
	(void)ln;
	(void)err;
	sim_ctl_help(out);
	return 0;
}

static int c_quit(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	(void)ln;
	(void)out;
	(void)err;
	x->quit = 1;
	return 0;
}

static const struct command commands[] = {
	{ "grid", c_switch, "on|off", "utility grid present or lost" },
	{ "breaker", c_switch, "on|off", "AC breaker between inverter and grid" },
	{ "dc", c_switch, "on|off", "PV DC switch" },
	{ "battery", c_switch, "on|off", "battery switches (off refused while the AC grid is connected)" },
	{ "first-charge", c_first_charge, "on|off", "WeCo/Azzurro first charge to 100 % (charges whatever the PV)" },
	{ "loads", c_switch, "on|off", "house loads switched on or off" },
	{ "pv", c_pv, "W", "PV the sun offers, split over the strings" },
	{ "pv1", c_pv, "W", "PV on string 1" },
	{ "pv2", c_pv, "W", "PV on string 2" },
	{ "load", c_load, "W", "house load (all of it, behind the CT)" },
	{ "critical", c_load, "W", "the part of the load wired to the LOAD (EPS) output" },
	{ "production", c_load, "W", "existing PV system read by the production meter" },
	{ "soc", c_soc, "PERCENT [slave=N]", "battery state of charge" },
	{ "speed", c_speed, "X", "simulated seconds per real second" },
	{ "fault", c_fault, "NAME on|off [ARG]", "switch a fault ('faults' lists them)" },
	{ "faults", c_faults, "", "list the faults and the manual check each trips" },
	{ "set", c_set, "NAME VALUE|auto [slave=N|meter=N]",
	  "force a register-map value (auto releases it)" },
	{ "setting", c_set, "NAME VALUE [slave=N]", "change a setting as on the keypad" },
	{ "get", c_get, "NAME [slave=N|meter=N]", "a register-map value" },
	{ "state", c_state, "", "the plant, one 'key value' a line" },
	{ "instruments", c_instruments, "",
	  "what an installer reads off the hardware: nameplates, DIP switches, LEDs, display, "
	  "clamp meter, meter display" },
	{ "rtu", c_rtu, "unplug|plug [meters]", "pull or plug the USB-RS485 adapter" },
	{ "drop", c_drop, "", "close the TCP clients" },
	{ "unserve", c_unserve, "NAME... [slave=N|meter=N]",
	  "the unit answers exception 02 for these registers" },
	{ "serve", c_unserve, "NAME... [slave=N|meter=N]", "serve un-served registers again" },
	{ "holes", c_holes, "strict|zeros [slave=N|meter=N]",
	  "addresses the map does not define: exception 02 (default) or 0" },
	{ "help", c_help, "", "this list" },
	{ "quit", c_quit, "", "stop the simulator" },
};

void sim_ctl_help(FILE *out)
{
	for (size_t i = 0; i < ZCS_ARRAY_LEN(commands); i++) {
		char head[64];

		snprintf(head, sizeof head, "%s %s", commands[i].name, commands[i].args);
		fprintf(out, "%-42s %s\n", head, commands[i].help);
	}
}

int sim_ctl_run(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err)
{
	const char *w = word(ln, 0);

	if (!w)
		return zcs_fail(err, ZCS_USAGE, "a command starts with a word: 'help' lists them");
	for (size_t i = 0; i < ZCS_ARRAY_LEN(commands); i++)
		if (!strcmp(commands[i].name, w)) {
			if (commands[i].run(x, ln, out, err) < 0)
				return -1;
			sim_plant_tick(&x->plant, x->now_ms);
			return 0;
		}
	return zcs_fail(err, ZCS_USAGE, "unknown command '%s': 'help' lists them", w);
}

int sim_ctl_line(struct sim_ctx *x, const char *line, FILE *out)
{
	struct zcs_err err = { 0 };
	struct lex_line ln;
	const char *why = NULL;
	char *copy = xstrdup(line);
	int rc;

	copy[strcspn(copy, "\r\n")] = 0;
	if (lex_split(copy, &ln, &why) < 0)
		rc = zcs_fail(&err, ZCS_USAGE, "%s", why ? why : "cannot read that line");
	else if (ln.n == 0)
		rc = 0;
	else
		rc = sim_ctl_run(x, &ln, out, &err);
	if (rc < 0)
		fprintf(out, "error: %s\n", err.msg);
	else
		fprintf(out, "ok\n");
	fflush(out);
	free(copy);
	return rc;
}
