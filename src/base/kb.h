/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kb: the battery, DIP, mixing, EPS, meter, country and parallel knowledge,
 * loaded from data/ and checked at start-up.
 *
 * Files (all in the line format of base/lex.h, described in zcs-data(5)): batteries.conf, dip.conf,
 * compat.conf, eps.conf, meters.conf, countries.conf, parallel.conf.
 *
 * Promise: kb_load() either returns a catalogue in which every battery has
 * every required fact, every reference resolves (family, Battery Info
 * column, start-up sequence, models named by DIP and mixing lines) and every
 * fact carries its confidence (H, M, L) and source; or it returns NULL with
 * "file:line: what is wrong" in err.  Nothing here talks to a device and
 * nothing decides whether a commissioning step passes: the verdicts live in
 * src/engine/rules.h.  The catalogue is read-only once loaded. */
#ifndef ZCS_KB_H
#define ZCS_KB_H

#include <stddef.h>

#include "base/err.h"

/* Where a fact comes from. */
struct kb_prov {
	char conf;              /* 'H', 'M' or 'L'; 0 when the fact is absent */
	const char *src;        /* "8.1.1" = installer guide section; else named */
	const char *file;       /* data file it was read from */
	int line;               /* 0 when the fact is absent */
};

/* A sentence with its provenance (notes, advice, start-up steps). */
struct kb_text {
	const char *name;       /* advice name; NULL for notes and steps */
	const char *text;
	struct kb_prov prov;
};

/* Yes / no / the sources do not say. */
enum kb_tri { KB_UNKNOWN = -1, KB_NO = 0, KB_YES = 1 };

struct kb_family {
	char *id;               /* pylontech, weco, azzurro */
	char *name;
	char *pinout_battery, *pinout_inverter;
	struct kb_prov prov;
};

/* One column of the Battery Info table (15.2). */
struct kb_info {
	char *id;
	char *type;             /* battery type on the screen: Pylon, WeCo, AZZURRO */
	char *bms;              /* BMS string, "" when the screen shows none */
	double ah;              /* capacity of one module */
	int dod, eps_dod, eps_buffer;          /* % */
	double chg_bms, chg_set, dis_bms, dis_set;  /* A */
	double overvolt, max_chg_v, min_dis_v;     /* V */
	struct kb_prov prov;
};

struct kb_startup {
	char *id;
	struct kb_text *steps;
	size_t nsteps;
};

enum kb_battery_field {
	KB_B_NAME, KB_B_FAMILY, KB_B_INFO, KB_B_TYPE_SHOWN, KB_B_MENU, KB_B_PROTOCOL,
	KB_B_MODULE_AH, KB_B_MAX_DOD, KB_B_RECOMMENDED_DOD, KB_B_MAX_COUNT, KB_B_PORT,
	KB_B_PORT_MULTI, KB_B_CHAIN, KB_B_POWER, KB_B_SEC_SINGLE, KB_B_SEC_PARALLEL,
	KB_B_SEC_SETTINGS, KB_B_SEC_STARTUP, KB_B_STARTUP, KB_B_ALIGN_V, KB_B_ALIGN_NOTE,
	KB_B_NOMINAL_V, KB_B_MAX_CURRENT, KB_B_PINOUT_NOTE, KB_B_NOTE,
	KB_B__N
};

struct kb_battery {
	char *id;               /* us2000 ... zsx5000s */
	char *name;             /* "Pylontech US2000" */
	char *family;           /* family id */
	char *info_id, *startup_id;
	char *type_shown;       /* battery type chosen on the inverter */
	char *menu;             /* the menu entry, e.g. "Pylon-AH US2000" */
	char *protocol_key;     /* G3 bat_protocol enum key; NULL when unknown */
	double module_ah;
	char ah_conf;           /* confidence of module_ah */
	int max_dod, recommended_dod, max_count;
	char *port;             /* battery port to the inverter COM (single) */
	char *port_multi;       /* with several batteries (= port when not given) */
	char *chain, *power;    /* battery-to-battery link, power connectors */
	char *sec_single, *sec_parallel, *sec_settings, *sec_startup;
	double align_v;         /* max voltage spread before paralleling; 0: none stated */
	char *align_note;       /* "" when none */
	double nominal_v, max_current;   /* 0 when not given */
	char *pinout_note;      /* "" when none */
	struct kb_text *notes;
	size_t nnotes;
	const struct kb_family *fam;
	const struct kb_info *info;
	const struct kb_startup *startup;
	struct kb_prov prov[KB_B__N];
	int line;               /* the line that declared it (name=) */
};

/* DIP switches (dip.conf). */
struct kb_dip {
	char *model;
	int count_lo, count_hi;
	int position;           /* 0 master, k slave k; KB_DIP_LAST, KB_DIP_ALL */
	char *mix;              /* other model in the bank, or NULL */
	char *pattern;          /* "00000" (switch 1 first, 1 = ON); NULL = unconfirmed */
	unsigned known_on;      /* bit k-1 set: switch k known ON */
	char *figure;           /* where the manual shows it, "" when none */
	struct kb_prov prov;
};
#define KB_DIP_LAST (-1)
#define KB_DIP_ALL  (-2)

struct kb_nodip {
	char *model;
	char *reason;
	struct kb_prov prov;
};

/* What a DIP lookup found. */
struct kb_dip_answer {
	enum { KB_DIP_NONE, KB_DIP_NO_SWITCHES, KB_DIP_PATTERN, KB_DIP_UNCONFIRMED } kind;
	const char *pattern;    /* KB_DIP_PATTERN */
	unsigned known_on;      /* switches known ON (any kind) */
	const char *figure;     /* manual figure reference, or the no-DIP reason */
	const struct kb_prov *prov;   /* NULL for KB_DIP_NONE */
};

/* Mixing (compat.conf). */
enum kb_compat { KB_COMPAT_YES, KB_COMPAT_KIT, KB_COMPAT_NO };
struct kb_pair {
	char *a, *b;
	enum kb_compat verdict;
	char *kit;              /* NULL unless KB_COMPAT_KIT */
	int new_install_warn;
	char *reason;
	struct kb_prov prov;
};
struct kb_order {
	char *first, *then, *reason;
	struct kb_prov prov;
};
struct kb_master {
	char *model, *over, *reason;
	struct kb_prov prov;
};

/* EPS (eps.conf). */
struct kb_eps_limit {
	char *family;
	int count;              /* 0 = any count */
	double current;         /* A */
	char *current_kind;     /* "AC" or "DC" as the guide states it */
	double power;           /* W */
	struct kb_prov prov;
};

/* A named fact of eps.conf, meters.conf or parallel.conf. */
struct kb_fact {
	char *name;
	double value;           /* NAN when the sources do not say */
	char *unit, *text;      /* "" when none */
	struct kb_prov prov;
};

struct kb_eps {
	double bat_power_max;   /* W */
	double switch_time;     /* s; NAN: not stated */
	int dod_within_eps_dod; /* 1: the on-grid DoD may not exceed the EPS DoD */
};

struct kb_meters {
	int ct_pin_minus, ct_pin_plus;
	double ct_max_distance;                 /* m */
	int rs485_inv16_meter, rs485_inv15_meter;
	double terminator_distance, terminator_ohm;
	int ddsu_addr_exchange, ddsu_addr_production;
	int dtsu_code, dtsu_ct_ratio, dtsu_addr_exchange;
	int dtsu_addr_production_min, dtsu_addr_production_max;
	double dtsu_pf_min, dtsu_pf_max;
	double sign_check_load_min;             /* W */
	int exchange_sign, production_sign, pcc_export_sign;   /* +1 / -1 */
	double first_check_load_min;            /* W */
	double clamp_tol_pct, clamp_tol_w, load_steady_tol_pct, production_tol_pct;
};

/* Parallel inverters (parallel.conf). */
enum kb_consistent {
	KB_CONS_ENABLE, KB_CONS_ROLE, KB_CONS_ADDRESS, KB_CONS_POWER, KB_CONS_COUNTRY,
	KB_CONS_FIRMWARE, KB_CONS_BATTERY, KB_CONS__N
};
struct kb_parallel {
	int primary_address, first_replica_address, max_address;
	int max_units;          /* -1: not stated */
	double link_cable_m;
	struct kb_text consistent[KB_CONS__N];   /* reason + provenance */
};

struct kb_country {
	char *id;               /* it, au, de, ua */
	char *name;
	char *standard;         /* NULL when unknown */
	int is_default;
	char *code_g3;          /* NULL when unknown */
	int code_legacy;        /* -1 when unknown */
	enum kb_tri selftest;
	int logic;              /* logic interface (DRM) on */
	struct kb_text *notes;
	size_t nnotes;
	struct kb_prov prov[8];  /* by field, see kb_country_prov() */
	int line;
};

struct kb;

/* Load every knowledge file from paths_data_dir(), or from `dir`. */
struct kb *kb_load(struct zcs_err *err);
struct kb *kb_load_dir(const char *dir, struct zcs_err *err);
void kb_free(struct kb *kb);

/* Batteries, in file order. */
size_t kb_battery_count(const struct kb *kb);
const struct kb_battery *kb_battery_at(const struct kb *kb, size_t i);
const struct kb_battery *kb_battery(const struct kb *kb, const char *id);
/* Provenance of one fact by its key in batteries.conf ("module_ah"); the
 * returned prov has line 0 when the fact is not given; NULL for a bad key. */
const struct kb_prov *kb_battery_prov(const struct kb_battery *b, const char *key);
const struct kb_family *kb_family(const struct kb *kb, const char *id);
const struct kb_info *kb_info(const struct kb *kb, const char *id);
const struct kb_startup *kb_startup(const struct kb *kb, const char *id);

/* DIP switches of `model` at `position` (0 master, k slave k) in a bank of
 * `count`; `mix` is the other model in the bank or NULL.  Always answers:
 * KB_DIP_NONE when the sources have nothing for that case. */
struct kb_dip_answer kb_dip(const struct kb *kb, const char *model, int count, int position,
			    const char *mix);

/* Mixing facts.  kb_pair() is symmetric; NULL when the pair is not listed. */
const struct kb_pair *kb_pair(const struct kb *kb, const char *a, const char *b);
size_t kb_order_count(const struct kb *kb);
const struct kb_order *kb_order_at(const struct kb *kb, size_t i);
size_t kb_master_count(const struct kb *kb);
const struct kb_master *kb_master_at(const struct kb *kb, size_t i);
/* The rule that families never mix (reason + provenance). */
const struct kb_text *kb_families_rule(const struct kb *kb);

/* EPS limit for `count` batteries of `family`: the line for that count, else
 * the count=any line; NULL when the guide states none. */
const struct kb_eps_limit *kb_eps_limit(const struct kb *kb, const char *family, int count);
const struct kb_eps *kb_eps(const struct kb *kb);

const struct kb_meters *kb_meters(const struct kb *kb);
const struct kb_parallel *kb_parallel(const struct kb *kb);

/* Any named fact: file is "eps", "meters" or "parallel". */
const struct kb_fact *kb_fact(const struct kb *kb, const char *file, const char *name);
/* Advice lines of one file, in file order. */
size_t kb_advice_count(const struct kb *kb, const char *file);
const struct kb_text *kb_advice_at(const struct kb *kb, const char *file, size_t i);
const struct kb_text *kb_advice(const struct kb *kb, const char *file, const char *name);

/* "001-000" (country-region, as the display shows it) -> 0x0100, the word
 * G3 keeps at 0x2004 and 0x200E.  -1 when the text is no such pair. */
long kb_country_word(const char *pair);
size_t kb_country_count(const struct kb *kb);
const struct kb_country *kb_country_at(const struct kb *kb, size_t i);
/* By id ("it") or by name, case-insensitive ("Italy"). */
const struct kb_country *kb_country(const struct kb *kb, const char *id_or_name);
const struct kb_country *kb_country_default(const struct kb *kb);
/* What to do for a country not listed. */
const struct kb_text *kb_country_other(const struct kb *kb);
const struct kb_prov *kb_country_prov(const struct kb_country *c, const char *key);

/* "H", "M", "L" in words: "several sources agree" ... */
const char *kb_conf_words(char conf);

#endif
