/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rules: every verdict the checklist's rule steps use, passing and failing,
 * judged against the real knowledge files. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/kb.h"
#include "engine/rules.h"
#include "tap.h"

static struct kb *kb;
static struct rules_result r;

static const struct kb_battery *bat(const char *id)
{
	return kb_battery(kb, id);
}

#define MIX(newi, ...)                                                               \
	({                                                                           \
		const char *m_[] = { __VA_ARGS__ };                                  \
		rules_mix(kb, m_, sizeof m_ / sizeof m_[0], newi, &r);               \
	})

static void test_mix(void)
{
	is_int(MIX(1, "us2000", "us2000", "us2000"), RULES_OK, "three US2000: ok");
	has_str(r.section, "8.1.2", "  cites the parallel section");

	is_int(MIX(1, "zsx5000", "zsx5000-pro"), RULES_OK, "ZSX5000 + PRO: ok");
	has_str(r.section, "10.1.2", "  cites 10.1.2");

	is_int(MIX(0, "zsx5000", "zsx5000s"), RULES_KIT, "extending 5000 with 5000S: ok with kit");
	is_str(r.kit, "ZSP-CAB-RJ45-PRO/S", "  names the kit");
	is_int(MIX(1, "zsx5000s", "zsx5000-pro"), RULES_WARN, "new 5000S + PRO: warning");
	is_str(r.kit, "ZSP-CAB-RJ45-PRO/S", "  still names the kit");
	has_str(r.text, "new installation should not", "  says why");

	is_int(MIX(1, "zsx5000", "zsx5120"), RULES_FAIL, "5120 with 5000: refused");
	has_str(r.text, "never in the same bank", "  in installer words");
	is_int(MIX(0, "zsx5120", "zsx5000s", "zsx5120"), RULES_FAIL, "5120 with 5000S: refused");

	is_int(MIX(1, "us2000", "zsx5000"), RULES_FAIL, "Pylontech with Azzurro: refused");
	has_str(r.text, "different makes", "  families never mix");
	is_int(MIX(1, "weco-4k4", "us5000"), RULES_FAIL, "WeCo with Pylontech: refused");

	is_int(MIX(1, "weco-4k4-lt", "weco-4k4-pro"), RULES_WARN, "new 4K4-LT + 4K4 PRO: warning");
	is_int(MIX(0, "weco-4k4-lt", "weco-4k4-lt", "weco-4k4-pro"), RULES_OK,
	       "existing bank, 4K4-LT first then PRO: ok");
	is_int(MIX(0, "weco-4k4-pro", "weco-4k4-lt"), RULES_FAIL, "PRO before 4K4-LT: refused");
	has_str(r.text, "4K4-LT batteries are installed first", "  says the order");
	is_int(MIX(0, "weco-4k4-lt", "weco-4k4-pro", "weco-4k4-lt"), RULES_FAIL,
	       "a 4K4-LT after a PRO: refused");

	is_int(MIX(1, "weco-5k3-xp", "weco-5k3-xp", "weco-5k3", "weco-5k3"), RULES_OK,
	       "5K3 XP master, XP first slave, then 5K3: ok");
	has_str(r.section, "9.7", "  cites 9.7");
	is_int(MIX(1, "weco-5k3", "weco-5k3-xp"), RULES_FAIL, "5K3 as master over a 5K3 XP: refused");
	is_int(MIX(1, "weco-5k3-xp", "weco-5k3", "weco-5k3-xp"), RULES_FAIL,
	       "a 5K3 XP after a 5K3: refused");

	is_int(MIX(1, "weco-4k4", "weco-5k3"), RULES_WARN, "4K4 with 5K3: not covered, warning");
	has_str(r.text, "ask ZCS technical support", "  sends to support");
	is_int(r.conf, 'L', "  and says the ground is thin (L)");

	is_int(MIX(1, "us2000", "lead-acid"), RULES_BAD_INPUT, "an unknown model is bad input");
	is_int(rules_mix(kb, NULL, 0, 1, &r), RULES_BAD_INPUT, "no models is bad input");
}

static void test_count_dod(void)
{
	is_int(rules_count(bat("zsx5000s"), 4, &r), RULES_OK, "four ZSX5000S: ok");
	is_int(rules_count(bat("zsx5000s"), 5, &r), RULES_FAIL, "five ZSX5000S: refused");
	has_str(r.text, "remove 1", "  says how many to remove");
	is_int(rules_count(bat("weco-4k4"), 5, &r), RULES_OK, "five WeCo: ok");
	is_int(rules_count(bat("us2000"), 8, &r), RULES_OK, "eight US2000: ok");
	is_int(r.conf, 'L', "  on an unconfirmed maximum (L: 8 is assumed, no source gives it)");
	is_int(rules_count(bat("us2000"), 0, &r), RULES_BAD_INPUT, "zero batteries: bad input");

	is_int(rules_dod(bat("us2000"), 80, &r), RULES_OK, "US2000 DoD 80: ok");
	is_int(rules_dod(bat("us2000"), 90, &r), RULES_FAIL, "US2000 DoD 90: refused");
	is_int(r.proposal, 80, "  proposes 80");
	has_str(r.section, "8.1.3", "  cites the settings section");
	is_int(rules_dod(bat("weco-5k3"), 90, &r), RULES_OK, "WeCo DoD 90: ok");
	has_str(r.text, "recommends 80", "  but recommends 80");
	is_int(rules_dod(bat("zsx5000"), 95, &r), RULES_FAIL, "Azzurro DoD 95: refused");
	is_int(rules_dod(bat("zsx5000"), 0, &r), RULES_BAD_INPUT, "DoD 0: bad input");

	is_int(rules_dod_eps(kb, 50, 80, &r), RULES_OK, "DoD 50 under EPS DoD 80: ok");
	is_int(rules_dod_eps(kb, 80, 80, &r), RULES_OK, "DoD equal to EPS DoD: ok");
	is_int(rules_dod_eps(kb, 90, 80, &r), RULES_FAIL, "DoD 90 over EPS DoD 80: refused");
	is_int(r.proposal, 80, "  proposes the EPS DoD");
	is_int(rules_dod_eps(kb, 90, 0, &r), RULES_BAD_INPUT, "EPS DoD 0: bad input");
}

static void test_capacity(void)
{
	is_int(rules_capacity(kb, bat("us2000"), 3, 150, &r), RULES_OK, "3 x 50 Ah = 150: ok");
	is_int(rules_capacity(kb, bat("us2000"), 3, 100, &r), RULES_FAIL, "100 of 150 Ah: refused");
	is_int(r.missing, 1, "  one battery not seen");
	has_str(r.text, "check its DIP switches and the link cable", "  points at DIP and cable");
	is_num(r.expected, 150, 0, "  expected 150");
	is_int(rules_capacity(kb, bat("weco-4k4"), 4, 172, &r), RULES_FAIL, "172 of 344 Ah: refused");
	is_int(r.missing, 2, "  two batteries not seen");
	has_str(r.text, "2 batteries are not seen: check their DIP switches", "  in words");
	is_int(rules_capacity(kb, bat("zsx5000s"), 2, 100, &r), RULES_FAIL, "ZSX5000S 100 of 200 Ah");
	has_str(r.text, "Link Out", "  no DIP: points at the link cables");
	is_int(rules_capacity(kb, bat("us5000"), 2, 100, &r), RULES_WARN,
	       "US5000 short: warning only, its Ah is unconfirmed");
	has_str(r.text, "unconfirmed", "  says so");
	is_int(r.conf, 'L', "  conf L");
	is_int(rules_capacity(kb, bat("zsx5000"), 2, 300, &r), RULES_WARN, "more than expected: warning");
	is_int(rules_capacity(kb, bat("zsx5000"), 2, 180, &r), RULES_WARN, "20 Ah short: warning");
	is_int(rules_capacity(kb, bat("zsx5000"), 0, 100, &r), RULES_BAD_INPUT, "zero count: bad input");
	is_int(rules_capacity(kb, bat("zsx5000"), 1, -1, &r), RULES_BAD_INPUT, "negative Ah: bad input");
}

static void test_voltages(void)
{
	double ok_v[] = { 52.1, 52.3, 52.4 }, bad_v[] = { 52.1, 52.8, 52.3 }, one[] = { 51 };
	double silly[] = { 52, -3 };

	is_int(rules_voltage_spread(kb, bat("zsx5000"), ok_v, 3, &r), RULES_OK, "0.3 V apart: ok");
	is_int(rules_voltage_spread(kb, bat("zsx5000s"), bad_v, 3, &r), RULES_FAIL,
	       "0.7 V apart on Azzurro: refused");
	has_str(r.text, "technical support", "  contact support");
	has_str(r.text, "Battery 2", "  names the highest battery");
	is_num(r.got, 0.7, 1e-9, "  spread 0.7 V");
	is_int(rules_voltage_spread(kb, bat("weco-5k3-xp"), bad_v, 3, &r), RULES_WARN,
	       "0.7 V apart on WeCo (no stated limit): warning");
	has_str(r.text, "2 V", "  mentions the other source's figure");
	is_int(rules_voltage_spread(kb, bat("weco-4k4"), ok_v, 3, &r), RULES_OK, "WeCo 0.3 V: ok");
	is_int(rules_voltage_spread(kb, bat("us2000"), one, 1, &r), RULES_OK, "one battery: ok");
	is_int(rules_voltage_spread(kb, bat("us2000"), silly, 2, &r), RULES_BAD_INPUT,
	       "a negative voltage: bad input");
	is_int(rules_voltage_spread(kb, bat("us2000"), silly, 0, &r), RULES_BAD_INPUT, "no voltages");
}

static void test_eps(void)
{
	is_int(rules_eps_load(kb, bat("us2000"), 1, 900, &r), RULES_OK, "900 W on one Pylontech: ok");
	is_int(rules_eps_load(kb, bat("us2000"), 1, 1500, &r), RULES_FAIL, "1500 W on one Pylontech: refused");
	has_str(r.text, "1100 W", "  names the limit");
	has_str(r.section, ", 18.4", "  cites 18.4 on its own");
	is_int(rules_eps_load(kb, bat("zsx5000"), 1, 2600, &r), RULES_FAIL, "2600 W on one Azzurro: refused");
	is_int(rules_eps_load(kb, bat("weco-4k4"), 3, 4800, &r), RULES_OK, "4800 W on WeCo: ok");
	is_int(rules_eps_load(kb, bat("weco-4k4"), 3, 5200, &r), RULES_FAIL, "5200 W on WeCo: refused");
	is_int(rules_eps_load(kb, bat("us5000"), 3, 1000, &r), RULES_OK,
	       "1000 W on three Pylontech: within one battery's figure");
	is_int(rules_eps_load(kb, bat("us5000"), 3, 3000, &r), RULES_WARN,
	       "3000 W on three Pylontech: not stated, warning");
	is_int(r.conf, 'L', "  conf L");
	is_int(rules_eps_load(kb, bat("us5000"), 3, 6000, &r), RULES_FAIL,
	       "6000 W: beyond the inverter's battery power");
	is_int(rules_eps_load(kb, bat("us5000"), 1, -5, &r), RULES_BAD_INPUT, "negative load: bad input");
}

static void test_meters(void)
{
	double good[] = { 0.95, 0.91, 0.99 }, bad[] = { 0.95, 0.45, 0.99 }, over[] = { 1.4 };
	double neg[] = { -1200, -1500, -1100 }, rev[] = { -1200, 1500, -1100 };
	double weak[] = { -1200, -300, -1100 }, prod[] = { 800 }, none[] = { 0 };

	is_int(rules_power_factor(kb, good, 3, &r), RULES_OK, "PF 0.91-0.99: ok");
	is_int(rules_power_factor(kb, bad, 3, &r), RULES_FAIL, "PF 0.45 on phase b: refused");
	has_str(r.text, "Phase b (S)", "  names the phase");
	has_str(r.text, "other two phases", "  says to move the CT");
	is_num(r.got, 0.45, 1e-9, "  lowest PF");
	is_int(rules_power_factor(kb, (double[]){ -0.92 }, 1, &r), RULES_OK, "a signed PF -0.92: ok");
	is_int(rules_power_factor(kb, over, 1, &r), RULES_BAD_INPUT, "PF 1.4: bad input");
	is_int(rules_power_factor(kb, good, 0, &r), RULES_BAD_INPUT, "no phases: bad input");

	is_int(rules_meter_sign(kb, 0, neg, 3, &r), RULES_OK, "exchange DTSU negative on all phases: ok");
	is_int(rules_meter_sign(kb, 0, rev, 3, &r), RULES_FAIL, "phase b positive: refused");
	has_str(r.text, "Turn round the CT", "  says to turn the CT");
	is_int(rules_meter_sign(kb, 0, weak, 3, &r), RULES_UNVERIFIED, "300 W on a phase: cannot judge");
	has_str(r.text, "1000 W on each phase", "  asks for more load");
	is_int(rules_meter_sign(kb, 1, prod, 1, &r), RULES_OK, "production DDSU positive: ok");
	is_int(rules_meter_sign(kb, 1, (double[]){ -800 }, 1, &r), RULES_FAIL,
	       "production DDSU negative: refused");
	has_str(r.text, "pin 3", "  single phase: check the meter's direction");
	is_int(rules_meter_sign(kb, 1, none, 1, &r), RULES_UNVERIFIED, "no production: cannot judge");

	is_int(rules_clamp(kb, 1050, 1000, &r), RULES_OK, "1050 W against 1000 W: ok");
	is_int(rules_clamp(kb, 600, 1000, &r), RULES_FAIL, "600 W against 1000 W: refused");
	has_str(r.text, "every phase conductor", "  points at the CT");
	is_int(r.conf, 'L', "  the tolerance is the tool's choice (L)");
	is_int(rules_clamp(kb, 560, 500, &r), RULES_OK, "small loads: 100 W floor");
	is_int(rules_clamp(kb, NAN, 500, &r), RULES_BAD_INPUT, "a missing reading: bad input");
}

static void test_parallel(void)
{
	struct rules_unit good[] = {
		{ "ZM2E1", 1, 1, 0, 6000, "it", "V1", "pylon/80" },
		{ "ZM2E2", 1, 0, 1, 6000, "it", "V1", "pylon/80" },
		{ "ZM2E3", 1, 0, 2, 6000, "it", "V1", "pylon/80" },
	};
	struct rules_unit u[3];

	is_int(rules_parallel(kb, good, 3, 1, &r), RULES_OK, "three alike units: ok");
	has_str(r.section, "20.2", "  cites 20.2");

	memcpy(u, good, sizeof u);
	u[1].primary = 1;
	is_int(rules_parallel(kb, u, 3, 0, &r), RULES_FAIL, "two primaries: refused");
	has_str(r.text, "2 units are set as Primary", "  says so");

	memcpy(u, good, sizeof u);
	u[2].address = 1;
	is_int(rules_parallel(kb, u, 3, 0, &r), RULES_FAIL, "shared address: refused");
	has_str(r.text, "ZM2E2 and ZM2E3 share parallel address 01", "  names both");

	memcpy(u, good, sizeof u);
	u[0].address = 3;
	is_int(rules_parallel(kb, u, 3, 0, &r), RULES_FAIL, "primary not at 00: refused");

	memcpy(u, good, sizeof u);
	u[1].address = 11;
	is_int(rules_parallel(kb, u, 3, 0, &r), RULES_FAIL, "replica at 11: refused");

	memcpy(u, good, sizeof u);
	u[2].enabled = 0;
	is_int(rules_parallel(kb, u, 3, 0, &r), RULES_FAIL, "parallel control off: refused");

	memcpy(u, good, sizeof u);
	u[2].power_w = 3000;
	is_int(rules_parallel(kb, u, 3, 1, &r), RULES_FAIL, "different sizes, LOAD joined: refused");
	is_int(rules_parallel(kb, u, 3, 0, &r), RULES_OK, "different sizes, LOAD apart: ok");

	memcpy(u, good, sizeof u);
	u[1].firmware = "V2";
	is_int(rules_parallel(kb, u, 3, 0, &r), RULES_WARN, "different firmware: warning (inference)");
	has_str(r.text, "firmware", "  names what differs");
	memcpy(u, good, sizeof u);
	u[2].country = "de";
	is_int(rules_parallel(kb, u, 3, 0, &r), RULES_WARN, "different country: warning");
	memcpy(u, good, sizeof u);
	u[2].battery = "pylon/90";
	is_int(rules_parallel(kb, u, 3, 0, &r), RULES_WARN, "different battery settings: warning");
	u[2].battery = NULL;
	is_int(rules_parallel(kb, u, 3, 0, &r), RULES_OK, "battery settings not read: not judged");

	is_int(rules_parallel(kb, good, 1, 0, &r), RULES_BAD_INPUT, "one unit: bad input");
}

static void test_dip(void)
{
	is_int(rules_dip(kb, "us2000", 1, 0, NULL, "00000", &r), RULES_OK, "single US2000 00000: ok");
	is_int(r.conf, 'H', "  confirmed (H)");
	is_int(rules_dip(kb, "us2000", 1, 0, NULL, "01000", &r), RULES_FAIL, "single US2000 01000: refused");
	has_str(r.text, "Switch 2 is ON, the manual wants OFF", "  names the switch");
	is_int(rules_dip(kb, "us5000", 1, 0, NULL, "0000", &r), RULES_BAD_INPUT, "four of five switches: bad input");
	is_int(rules_dip(kb, "us5000", 1, 0, NULL, "00a00", &r), RULES_BAD_INPUT, "not 0/1: bad input");
	is_int(rules_dip(kb, "weco-4k4", 3, 1, NULL, "100000", &r), RULES_UNVERIFIED,
	       "WeCo slave: unverified, recorded");
	has_str(r.text, "9.1.2", "  shows the manual's figure");
	is_int(rules_dip(kb, "weco-5k3", 4, 3, "weco-5k3-xp", "110001", &r), RULES_UNVERIFIED,
	       "last 5K3 in an XP mix with DIP 6 ON: unverified but consistent");
	is_int(rules_dip(kb, "weco-5k3", 4, 3, "weco-5k3-xp", "110000", &r), RULES_FAIL,
	       "last 5K3 with DIP 6 OFF: refused");
	has_str(r.text, "Switch 6 must be ON", "  says switch 6");
	is_int(rules_dip(kb, "weco-5k3", 4, 3, "weco-5k3-xp", "1100", &r), RULES_BAD_INPUT,
	       "fewer than 6 switches recorded: bad input");
	is_int(rules_dip(kb, "zsx5000s", 3, 2, NULL, "", &r), RULES_OK, "ZSX5000S: no DIP switches");
	has_str(r.text, "codes the batteries itself", "  auto-coding");
	is_int(rules_dip(kb, "weco-4k4", 1, 0, NULL, "", &r), RULES_BAD_INPUT, "nothing recorded: bad input");
	is_int(rules_dip(kb, "weco-4k4", 3, 3, NULL, "1", &r), RULES_BAD_INPUT, "position 3 of 3: bad input");
	is_int(rules_dip(kb, "nope", 1, 0, NULL, "1", &r), RULES_BAD_INPUT, "unknown model: bad input");
}

int main(void)
{
	struct zcs_err e = { 0 };
	const char *dir = getenv("ZCS_DATA_DIR");

	kb = kb_load_dir(dir && *dir ? dir : "data", &e);
	if (!ok(kb != NULL, "knowledge loads")) {
		printf("# %s\n", e.msg);
		return tap_done();
	}
	test_mix();
	test_count_dod();
	test_capacity();
	test_voltages();
	test_eps();
	test_meters();
	test_parallel();
	test_dip();
	is_str(rules_level_name(RULES_KIT), "ok-with-kit", "level names");
	kb_free(kb);
	return tap_done();
}
