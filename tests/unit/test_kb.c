/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kb: the real knowledge files load and say what the manuals say; every
 * class of mistake in a file is reported with its file and line. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/kb.h"
#include "base/util.h"
#include "tap.h"

static const char *const files[] = { "batteries.conf", "dip.conf", "compat.conf", "eps.conf",
	"meters.conf", "parallel.conf", "countries.conf", NULL };

static const char *data_dir(void)
{
	const char *d = getenv("ZCS_DATA_DIR");

	return d && *d ? d : "data";
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = xmalloc((size_t)n + 1);
	s[fread(s, 1, (size_t)n, f)] = 0;
	fclose(f);
	return s;
}

static void spit(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	fputs(s, f);
	fclose(f);
}

/* A copy of the real knowledge files in a fresh temporary directory. */
static char *copy_data(void)
{
	char *dir = xstrdup("/tmp/zcs-kb-XXXXXX");

	if (!mkdtemp(dir))
		abort();
	for (int i = 0; files[i]; i++) {
		char *src = xasprintf("%s/%s", data_dir(), files[i]);
		char *dst = xasprintf("%s/%s", dir, files[i]);
		char *s = slurp(src);

		spit(dst, s ? s : "");
		free(s);
		free(src);
		free(dst);
	}
	{	/* the register map, so protocol keys are checked too */
		char *src = xasprintf("%s/maps/g3.map", data_dir());
		char *maps = xasprintf("%s/maps", dir), *dst = xasprintf("%s/g3.map", maps);
		char *s = slurp(src);

		mkdir(maps, 0700);
		spit(dst, s ? s : "");
		free(s);
		free(src);
		free(dst);
		free(maps);
	}
	return dir;
}

static void remove_data(char *dir)
{
	for (int i = 0; files[i]; i++) {
		char *p = xasprintf("%s/%s", dir, files[i]);

		unlink(p);
		free(p);
	}
	{
		char *p = xasprintf("%s/maps/g3.map", dir), *m = xasprintf("%s/maps", dir);

		unlink(p);
		rmdir(m);
		free(p);
		free(m);
	}
	rmdir(dir);
	free(dir);
}

static int count_lines(const char *s, const char *upto)
{
	int n = 1;

	for (; *s && s < upto; s++)
		n += *s == '\n';
	return n;
}

/* Append `line` to `file`; returns its line number. */
static int append(const char *dir, const char *file, const char *line)
{
	char *p = xasprintf("%s/%s", dir, file);
	char *s = slurp(p), *t = xasprintf("%s%s\n", s, line);
	int n = count_lines(t, t + strlen(s));

	spit(p, t);
	free(s);
	free(t);
	free(p);
	return n;
}

/* Replace the first `old` in `file` by `new`; returns the line it was on. */
static int replace(const char *dir, const char *file, const char *old, const char *new)
{
	char *p = xasprintf("%s/%s", dir, file);
	char *s = slurp(p), *at = strstr(s, old), *t;
	int n;

	if (!at) {
		printf("# '%s' not found in %s\n", old, file);
		free(s);
		free(p);
		return -1;
	}
	n = count_lines(s, at);
	t = xasprintf("%.*s%s%s", (int)(at - s), s, new, at + strlen(old));
	spit(p, t);
	free(s);
	free(t);
	free(p);
	return n;
}

/* Load `dir`, expect failure whose message names file:line and says `what`. */
static void expect_error(const char *dir, const char *file, int line, const char *what,
			 const char *name)
{
	struct zcs_err e = { 0 };
	struct kb *kb = kb_load_dir(dir, &e);
	char *where = xasprintf("%s/%s:%d: ", dir, file, line);

	ok(kb == NULL && e.code == ZCS_DATA, "%s: refused", name);
	has_str(e.msg, where, "%s: names %s line %d", name, file, line);
	has_str(e.msg, what, "%s: says what is wrong", name);
	kb_free(kb);
	free(where);
}

/* One error case: fresh copy, one edit, expected message. */
#define CASE_APPEND(file, line_text, what, name)                                \
	do {                                                                    \
		char *d_ = copy_data();                                         \
		int n_ = append(d_, file, line_text);                           \
		expect_error(d_, file, n_, what, name);                         \
		remove_data(d_);                                                \
	} while (0)
#define CASE_REPLACE(file, old, new, what, name)                                \
	do {                                                                    \
		char *d_ = copy_data();                                         \
		int n_ = replace(d_, file, old, new);                           \
		expect_error(d_, file, n_, what, name);                         \
		remove_data(d_);                                                \
	} while (0)

static void test_real_catalogue(void)
{
	static const char *const ids[] = { "us2000", "us5000", "weco-4k4", "weco-4k4-pro",
		"weco-4k4-lt", "weco-5k3", "weco-5k3-xp", "zsx5000", "zsx5000-pro", "zsx5120",
		"zsx5000s" };
	struct zcs_err e = { 0 };
	struct kb *kb = kb_load_dir(data_dir(), &e);
	const struct kb_battery *b;

	if (!ok(kb != NULL, "the real data loads"))
		printf("# %s\n", e.msg);
	if (!kb)
		return;
	is_int(kb_battery_count(kb), 11, "eleven battery models");
	for (size_t i = 0; i < ZCS_ARRAY_LEN(ids); i++) {
		b = kb_battery(kb, ids[i]);
		ok(b && b->fam && b->info && b->startup && b->recommended_dod == 80,
		   "%s is complete, recommends DoD 80", ids[i]);
	}
	ok(kb_battery(kb, "nope") == NULL, "an unknown id finds nothing");

	b = kb_battery(kb, "us2000");
	is_str(b->family, "pylontech", "US2000 is Pylontech");
	is_str(b->type_shown, "Pylon", "US2000 shows as Pylon");
	is_str(b->protocol_key, "pylon", "US2000 protocol key");
	is_num(b->module_ah, 50, 0, "US2000 50 Ah");
	is_int(b->max_dod, 80, "US2000 max DoD 80");
	is_num(b->info->chg_bms, 25, 0, "Pylontech BMS charge current 25 A");
	is_num(b->info->overvolt, 54.0, 1e-9, "Pylontech overvoltage 54.0 V");
	is_str(b->sec_settings, "8.1.3", "US2000 settings section");

	b = kb_battery(kb, "us5000");
	is_num(b->module_ah, 100, 0, "US5000 100 Ah");
	is_int(b->ah_conf, 'L', "US5000 capacity is unconfirmed");
	is_str(kb_battery_prov(b, "module_ah")->src,
	       "unconfirmed: the Pylontech rating, in no checked source; the guide (15.2) shows only the US2000",
	       "and says why");

	b = kb_battery(kb, "weco-4k4-lt");
	is_str(b->sec_startup, "9.3.4", "4K4-LT start-up section");
	is_int(b->startup->nsteps, 6, "4K4-LT start-up has six steps");
	is_str(b->protocol_key, "weco", "WeCo protocol key");
	is_str(b->info->bms, "WeCoHeSU V0.3.54", "4K4 BMS string");

	b = kb_battery(kb, "weco-5k3");
	ok(b->nnotes >= 2 && strstr(b->notes[1].text, "LOW VOLTAGE"), "5K3: low-voltage section only");

	b = kb_battery(kb, "zsx5000s");
	ok(b->protocol_key == NULL, "Azzurro protocol key unknown");
	is_int(kb_battery_prov(b, "protocol")->conf, 'L', "and marked L");
	is_num(b->align_v, 0.5, 1e-9, "Azzurro voltage alignment 0.5 V");
	is_int(b->max_count, 4, "ZSX5000S up to 4");
	is_str(b->startup->id, "zsx5000s", "ZSX5000S auto-coding start-up");
	is_str(b->info->type, "AZZURRO", "Azzurro shows as AZZURRO");
	is_num(b->info->chg_bms, 50, 0, "Azzurro BMS current 50 A");
	ok(kb_battery_prov(b, "nope") == NULL, "provenance of an unknown key is NULL");
	is_num(kb_battery(kb, "weco-4k4")->align_v, 0, 0, "WeCo: no alignment figure stated");

	kb_free(kb);
}

static void test_real_rules_data(void)
{
	struct kb *kb = kb_load_dir(data_dir(), NULL);
	struct kb_dip_answer a;
	const struct kb_pair *p;
	const struct kb_eps_limit *l;
	const struct kb_meters *m;
	const struct kb_parallel *par;
	const struct kb_country *c;

	if (!ok(kb != NULL, "the real data loads again"))
		return;
	a = kb_dip(kb, "us2000", 1, 0, NULL);
	ok(a.kind == KB_DIP_PATTERN && !strcmp(a.pattern, "00000"), "single US2000: 00000");
	is_int(a.prov->conf, 'H', "  with confidence H");
	a = kb_dip(kb, "weco-4k4", 3, 2, NULL);
	ok(a.kind == KB_DIP_UNCONFIRMED && strstr(a.figure, "9.1.2"), "WeCo slave 2 of 3: unconfirmed, figure 9.1.2");
	a = kb_dip(kb, "weco-5k3", 4, 3, "weco-5k3-xp");
	ok(a.kind == KB_DIP_UNCONFIRMED && a.known_on == 1u << 5, "last 5K3 after a 5K3 XP: DIP 6 ON");
	a = kb_dip(kb, "weco-5k3", 4, 1, "weco-5k3-xp");
	ok(a.kind == KB_DIP_UNCONFIRMED && a.known_on == 0 && strstr(a.figure, "9.7"), "other 5K3 in a mix: 9.7 figure");
	a = kb_dip(kb, "weco-4k4-pro", 3, 1, "weco-4k4-lt");
	ok(a.kind == KB_DIP_UNCONFIRMED && strstr(a.figure, "9.2.2"), "a mix without its own table uses the model's");
	a = kb_dip(kb, "zsx5000s", 2, 1, NULL);
	ok(a.kind == KB_DIP_NO_SWITCHES && strstr(a.figure, "codes"), "ZSX5000S: no DIP, auto-coding");
	a = kb_dip(kb, "weco-4k4", 7, 0, NULL);
	is_int(a.kind, KB_DIP_NONE, "7 WeCo: nothing known");

	p = kb_pair(kb, "zsx5000s", "zsx5000");
	ok(p && p->verdict == KB_COMPAT_KIT && !strcmp(p->kit, "ZSP-CAB-RJ45-PRO/S") && p->new_install_warn,
	   "5000S with 5000: kit, warn on new installs (either order)");
	p = kb_pair(kb, "zsx5000-pro", "zsx5120");
	ok(p && p->verdict == KB_COMPAT_NO, "5120 never with 5000 PRO");
	ok(kb_pair(kb, "us2000", "zsx5000") == NULL, "no pair line across families");
	ok(kb_families_rule(kb)->prov.line > 0, "the families rule is there");
	is_int(kb_order_count(kb), 1, "one order rule");
	is_str(kb_order_at(kb, 0)->first, "weco-4k4-lt", "4K4-LT first");
	is_str(kb_master_at(kb, 0)->model, "weco-5k3-xp", "5K3 XP is master");

	l = kb_eps_limit(kb, "pylontech", 1);
	ok(l && l->power == 1100 && l->current == 5, "one Pylontech: 5 A, 1100 W");
	ok(kb_eps_limit(kb, "pylontech", 2) == NULL, "two Pylontech: not stated");
	l = kb_eps_limit(kb, "weco", 3);
	ok(l && l->power == 5000 && !strcmp(l->current_kind, "DC"), "WeCo, any count: 21 A DC, 5000 W");
	l = kb_eps_limit(kb, "azzurro", 1);
	ok(l && l->power == 2500, "one Azzurro: 2500 W");
	is_num(kb_eps(kb)->bat_power_max, 5000, 0, "inverter battery power 5000 W");
	ok(isnan(kb_eps(kb)->switch_time), "EPS switch time: not stated");
	ok(kb_advice_count(kb, "eps") >= 5, "EPS advice lines");
	ok(kb_advice(kb, "eps", "load_always_on") != NULL, "advice by name");

	m = kb_meters(kb);
	ok(m->ct_pin_minus == 13 && m->ct_pin_plus == 14, "CT on pins 13/14");
	ok(m->ddsu_addr_exchange == 1 && m->ddsu_addr_production == 2, "DDSU 001 / 002");
	ok(m->dtsu_code == 701 && m->dtsu_ct_ratio == 40, "DTSU code 701, CT 40");
	ok(m->dtsu_pf_min == 0.8 && m->dtsu_pf_max == 1.0, "DTSU PF 0.8-1.0");
	ok(m->exchange_sign == -1 && m->production_sign == 1, "signs");
	ok(m->terminator_distance == 100 && m->terminator_ohm == 120, "120 ohm beyond 100 m");
	is_int(kb_fact(kb, "meters", "clamp_tol_pct")->prov.conf, 'L', "clamp tolerance is a tool choice (L)");

	par = kb_parallel(kb);
	ok(par->primary_address == 0 && par->first_replica_address == 1, "parallel 00 / 01..");
	is_num(par->link_cable_m, 3, 0, "3 m parallel cable");
	is_int(par->max_units, -1, "max units not stated");
	ok(par->consistent[KB_CONS_COUNTRY].prov.conf == 'L', "same country across units: inference (L)");

	c = kb_country(kb, "Italy");
	ok(c && c->is_default && !strcmp(c->standard, "CEI 0-21"), "Italy default CEI 0-21");
	ok(c && c->code_g3 && kb_country_word(c->code_g3) == 0x0100 &&
	   kb_country_prov(c, "code_g3")->conf == 'H',
	   "G3 code 001-000, the word 0x0100 (15.1 screen and protocol V1.38 5.4.9: H)");
	ok(c && c->selftest == KB_UNKNOWN, "self-test requirement not stated");
	ok(c == kb_country_default(kb), "default country is Italy");
	c = kb_country(kb, "au");
	ok(c && c->logic == 1, "Australia: logic interface (DRM) on");
	c = kb_country(kb, "de");
	ok(c && c->logic == 0, "Germany: logic interface off");
	ok(kb_country(kb, "Narnia") == NULL, "unlisted country: NULL");
	ok(kb_country_other(kb)->text != NULL, "what to do for other countries");
	kb_free(kb);
}

static void test_loader_errors(void)
{
	CASE_APPEND("batteries.conf", "battery us2000 colour=red conf=H src=x", "unknown key 'colour'",
		    "unknown key");
	CASE_APPEND("batteries.conf", "battery us2000 name=\"Again\" conf=H src=x",
		    "duplicate battery id 'us2000'", "duplicate battery id");
	CASE_APPEND("batteries.conf", "battery us2000 module_ah=60 conf=H src=x",
		    "module_ah= is already given", "the same fact twice");
	CASE_APPEND("batteries.conf", "battery us9 module_ah=60 conf=H src=x",
		    "battery 'us9' is not declared", "facts for an undeclared model");
	CASE_REPLACE("batteries.conf", "module_ah=86 conf=H", "module_ah=eighty conf=H",
		     "module_ah=eighty is not a number", "bad number");
	CASE_REPLACE("batteries.conf", "max_count=5 conf=H src=\"9.1.2", "max_count=5.5 conf=H src=\"9.1.2",
		     "max_count=5.5 is not a whole number", "bad whole number");
	CASE_REPLACE("batteries.conf", "module_ah=86 conf=H", "module_ah=86 conf=X",
		     "confidence must be H, M or L", "bad conf");
	CASE_REPLACE("batteries.conf", "module_ah=86 conf=H src=15.2", "module_ah=86 conf=H",
		     "src= is missing", "missing source");
	CASE_APPEND("batteries.conf", "info azzurro type=X ah=1 dod=1 chg_bms=1 chg_set=1 overvolt=50 max_chg_v=50 dis_bms=1 dis_set=1 min_dis_v=40 eps_dod=1 eps_buffer=1 conf=H src=x",
		    "duplicate info id 'azzurro'", "duplicate info id");
	CASE_APPEND("batteries.conf", "info x type=X ah=1 conf=H src=x", "dod= is missing",
		    "info line missing a field");
	CASE_APPEND("batteries.conf", "startup pylontech step=5 text=x conf=H src=x",
		    "number the steps", "start-up steps out of order");
	CASE_APPEND("batteries.conf", "wombat x conf=H src=x", "unknown line kind 'wombat'",
		    "unknown line kind");
	CASE_APPEND("batteries.conf", "battery us2000 note=\"unterminated conf=H", "not closed",
		    "lexer error keeps file and line");
	{
		/* a required fact nobody gives: reported at the declaring line */
		char *d = copy_data();
		int n = replace(d, "batteries.conf", "battery us2000 max_count=8 conf=L",
				"battery us2000 conf=L");
		int decl;

		(void)n;
		decl = replace(d, "batteries.conf", "battery us2000 name=", "battery us2000 name=");
		expect_error(d, "batteries.conf", decl, "us2000: max_count= is missing", "missing field");
		remove_data(d);
	}
	CASE_REPLACE("batteries.conf", "family=weco info=weco-4k4", "family=weko info=weco-4k4",
		     "family=weko is not a family line", "unknown family reference");
	CASE_REPLACE("batteries.conf", "protocol=pylon conf=M", "protocol=pylonx conf=M",
		     "protocol=pylonx is not a key", "protocol key checked against g3.map (when present)");

	CASE_APPEND("dip.conf", "dip us3000 count=1 position=master pattern=00000 conf=H src=x",
		    "unknown battery model 'us3000'", "unknown model in dip.conf");
	CASE_APPEND("dip.conf", "dip us2000 count=1 position=master pattern=11111 conf=H src=x",
		    "duplicate DIP entry", "duplicate DIP entry");
	CASE_APPEND("dip.conf", "dip us2000 count=9 position=master pattern=00000 conf=H src=x",
		    "count=9 is outside 1..8", "count above the model's maximum");
	CASE_APPEND("dip.conf", "dip weco-4k4 count=6-5 position=all pattern=unconfirmed figure=x conf=H src=x",
		    "outside", "count range beyond the maximum");
	CASE_APPEND("dip.conf", "dip us2000 count=2 position=slave1 pattern=00x00 conf=H src=x",
		    "pattern=00x00", "bad pattern");
	CASE_APPEND("dip.conf", "dip us2000 count=2 position=slave1 pattern=unconfirmed conf=H src=x",
		    "needs figure=", "unconfirmed without figure");
	CASE_APPEND("dip.conf", "dip zsx5000s count=1 position=master pattern=0000 conf=H src=x",
		    "has a nodip line", "DIP for a model without switches");
	{
		struct zcs_err e = { 0 };
		char *d = copy_data();

		replace(d, "dip.conf", "nodip zsx5120 ", "# nodip zsx5120 ");
		ok(kb_load_dir(d, &e) == NULL, "a model without DIP knowledge is refused");
		has_str(e.msg, "dip.conf:", "  names dip.conf");
		has_str(e.msg, "battery zsx5120 has no dip or nodip line (declared at batteries.conf:",
			"  and where the model is declared");
		remove_data(d);
	}

	CASE_APPEND("compat.conf", "pair zsx5000 zsx9000 verdict=yes reason=x conf=H src=x",
		    "unknown battery model 'zsx9000'", "unknown model in compat.conf");
	CASE_APPEND("compat.conf", "pair zsx5000-pro zsx5000 verdict=yes reason=x conf=H src=x",
		    "duplicate pair", "duplicate pair (either order)");
	CASE_APPEND("compat.conf", "pair zsx5000 us2000 verdict=no reason=x conf=H src=x",
		    "different families", "pair across families");
	CASE_APPEND("compat.conf", "pair weco-5k3 weco-4k4 verdict=kit reason=x conf=H src=x",
		    "verdict=kit needs kit=", "kit verdict without kit");
	CASE_APPEND("compat.conf", "pair weco-5k3 weco-4k4 verdict=maybe reason=x conf=H src=x",
		    "verdict=maybe", "bad verdict");

	CASE_APPEND("eps.conf", "limit family=lead count=1 current=1 current_kind=DC power=1 conf=H src=x",
		    "unknown battery family 'lead'", "EPS limit for an unknown family");
	CASE_APPEND("eps.conf", "limit family=weco count=any current=1 current_kind=DC power=1 conf=H src=x",
		    "duplicate EPS limit", "duplicate EPS limit");
	CASE_APPEND("eps.conf", "fact bat_power_max value=6000 conf=H src=x", "duplicate fact",
		    "duplicate fact");
	CASE_APPEND("eps.conf", "fact colour value=1 conf=H src=x", "unknown fact 'colour'",
		    "unknown fact");
	CASE_APPEND("meters.conf", "limit family=weco count=2 current=1 current_kind=DC power=1 conf=H src=x",
		    "belongs in eps.conf", "a line in the wrong file");
	CASE_REPLACE("meters.conf", "fact dtsu_code value=701", "fact dtsu_code value=seven",
		     "value=seven is not a number", "bad fact number");
	CASE_REPLACE("meters.conf", "fact exchange_sign value=-1", "fact exchange_sign value=-2",
		     "a sign is 1 or -1", "bad sign");
	CASE_REPLACE("parallel.conf", "consistent firmware reason", "consistent firmwear reason",
		     "unknown consistency 'firmwear'", "unknown consistency name");
	CASE_APPEND("countries.conf", "country it name=Italia default=no conf=H src=x",
		    "duplicate country id 'it'", "duplicate country");
	CASE_APPEND("countries.conf", "country fr selftest=maybe conf=H src=x",
		    "country 'fr' is not declared", "country facts before its name");
	CASE_REPLACE("countries.conf", "selftest=unknown \\", "selftest=perhaps \\",
		     "say yes, no or unknown", "bad yes/no/unknown");
	CASE_REPLACE("countries.conf", "code_g3=001-000", "code_g3=1",
		     "code_g3=1: give the country-region pair as the display shows it (Italy 001-000)",
		     "a bare G3 country number is refused: the word is country-region");
}

static void test_missing_things(void)
{
	struct zcs_err e = { 0 };
	char *d = copy_data();
	char *p = xasprintf("%s/eps.conf", d);
	char *s = slurp(p), *cut = strstr(s, "fact switch_time");

	/* drop the switch_time fact: reported at the end of the file */
	*cut = 0;
	spit(p, s);
	ok(kb_load_dir(d, &e) == NULL, "a missing fact refuses the data");
	has_str(e.msg, "fact switch_time is missing", "and names the fact");
	has_str(e.msg, "eps.conf:", "and the file");
	free(s);
	free(p);
	remove_data(d);

	d = copy_data();
	p = xasprintf("%s/parallel.conf", d);
	unlink(p);
	free(p);
	ok(kb_load_dir(d, &e) == NULL, "a missing file refuses the data");
	has_str(e.msg, "parallel.conf", "and names the file");
	remove_data(d);
}

int main(void)
{
	test_real_catalogue();
	test_real_rules_data();
	test_loader_errors();
	test_missing_things();
	return tap_done();
}
