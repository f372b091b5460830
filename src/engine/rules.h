/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rules: the pure verdicts the checklist's rule steps ask for.
 *
 * Usage (the engine, or any test):
 *
 *   struct kb *kb = kb_load(&err);                 // once, at start-up
 *   struct rules_result r;
 *   const char *bank[] = { "zsx5000s", "zsx5000" };
 *   rules_mix(kb, bank, 2, 1, &r);                 // 1 = new installation
 *   // r.level == RULES_WARN, r.text = installer words, r.section = "10.1.2",
 *   // r.conf = weakest confidence of the facts used, r.kit = "ZSP-CAB-RJ45-PRO/S"
 *
 * Every function fills `r` completely and returns r->level.  Nothing here
 * reads a device, a file or the clock: the caller passes what it read or
 * what the installer answered, and the knowledge catalogue (base/kb.h)
 * supplies the limits.  RULES_BAD_INPUT means the caller's values make no
 * sense (re-ask the installer); it is never a verdict on the plant.
 * RULES_UNVERIFIED means the sources hold nothing to compare against: the
 * value is recorded and another check must carry the weight (for DIP
 * switches: the capacity check, rules_capacity). */
#ifndef ZCS_RULES_H
#define ZCS_RULES_H

#include <stddef.h>

#include "base/kb.h"

enum rules_level {
	RULES_OK,          /* passes */
	RULES_KIT,         /* passes on condition: r->kit must be fitted */
	RULES_WARN,        /* allowed, but the installer must read r->text */
	RULES_FAIL,        /* refused: fix it before going on */
	RULES_UNVERIFIED,  /* nothing in the sources to check against */
	RULES_BAD_INPUT    /* the values given cannot be judged */
};

struct rules_result {
	enum rules_level level;
	char text[640];         /* sentences in installer words */
	char section[160];       /* manual section(s) or source the verdict rests on */
	char conf;              /* weakest confidence of the facts used: H, M or L */
	double expected, got;   /* the main figures, NAN when the rule has none */
	int proposal;           /* value to propose (DoD %), -1 when none */
	int missing;            /* batteries the inverter does not see (capacity) */
	char kit[48];           /* kit code for RULES_KIT, "" otherwise */
};

/* "ok", "ok-with-kit", "warning", "refused", "unverified", "bad-input". */
const char *rules_level_name(enum rules_level l);

/* Can these batteries share one bank?  models[0] is the master (wired to
 * the inverter), then the chain in order.  new_install: 1 for a new system,
 * 0 when extending an installed bank (some mixes are only for that). */
enum rules_level rules_mix(const struct kb *kb, const char *const *models, size_t n,
			   int new_install, struct rules_result *r);

/* Number of batteries within 1..the model's maximum in parallel. */
enum rules_level rules_count(const struct kb_battery *b, int count, struct rules_result *r);

/* On-grid depth of discharge within the model's maximum; proposes the
 * recommended value (80 %) in r->proposal. */
enum rules_level rules_dod(const struct kb_battery *b, int dod, struct rules_result *r);

/* On-grid DoD must not exceed the EPS DoD (eps.conf dod_within_eps_dod). */
enum rules_level rules_dod_eps(const struct kb *kb, int dod, int eps_dod, struct rules_result *r);

/* The inverter's Battery Info capacity (the sum over the batteries it
 * sees, 15.2) against count x module Ah.  r->missing says how many are
 * not seen. */
enum rules_level rules_capacity(const struct kb *kb, const struct kb_battery *b, int count,
				double read_ah, struct rules_result *r);

/* Voltages of the batteries measured one by one before paralleling: the
 * spread must stay under the model's limit (Azzurro 0.5 V).  For a model
 * with no stated limit, the strictest limit in the catalogue is advisory:
 * above it is a warning, not a refusal. */
enum rules_level rules_voltage_spread(const struct kb *kb, const struct kb_battery *b,
				      const double *volts, size_t n, struct rules_result *r);

/* Critical load on the LOAD port against what `count` batteries of the
 * model can deliver in EPS (18.4) and the inverter's battery power. */
enum rules_level rules_eps_load(const struct kb *kb, const struct kb_battery *b, int count,
				double load_w, struct rules_result *r);

/* DTSU power factor of each phase (pf[0] phase a/R ...) within 0.8-1.0. */
enum rules_level rules_power_factor(const struct kb *kb, const double *pf, size_t nphases,
				   struct rules_result *r);

/* Meter power sign with the inverter and PV off and the loads on:
 * exchange meter negative, production meter positive, every phase above
 * the minimum load.  production: 0 exchange meter, 1 production meter. */
enum rules_level rules_meter_sign(const struct kb *kb, int production, const double *power_w,
				  size_t nphases, struct rules_result *r);

/* The inverter's grid reading against a clamp or meter reading (W). */
enum rules_level rules_clamp(const struct kb *kb, double inverter_w, double clamp_w,
			     struct rules_result *r);

/* One inverter of a parallel system as read or declared. */
struct rules_unit {
	const char *serial;
	int enabled;            /* parallel control on */
	int primary;            /* 1 primary, 0 replica */
	int address;            /* parallel address */
	int power_w;            /* nameplate power */
	const char *country;    /* country code or name as read */
	const char *firmware;
	const char *battery;    /* battery settings in one string, NULL when none */
};

/* Parallel consistency (20): one primary at address 00, replicas with
 * their own addresses, everything enabled; same size when the LOAD outputs
 * are joined; country, firmware and battery settings alike. */
enum rules_level rules_parallel(const struct kb *kb, const struct rules_unit *units, size_t n,
				int load_joined, struct rules_result *r);

/* DIP positions the installer recorded on one battery ("0110..": switch 1
 * first, 1 = ON) against what the data holds for that model, bank size,
 * position (0 master, k slave k) and other model in the bank (or NULL). */
enum rules_level rules_dip(const struct kb *kb, const char *model, int count, int position,
			   const char *mix, const char *recorded, struct rules_result *r);

#endif
