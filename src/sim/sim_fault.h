/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim_fault: the faults a scenario or an instructor can switch on, each
 * with the check of the installer guide it should trip.  One list gives the
 * enum, the names, the default argument and the help text, so `faults` and
 * the manual page cannot disagree with the code. */
#ifndef ZCS_SIM_FAULT_H
#define ZCS_SIM_FAULT_H

#include <stddef.h>

/* X(enum, name, default argument, what it does, the manual check it trips) */
#define SIM_FAULT_LIST(X) \
	X(CT_REVERSED, "ct-reversed", 0, \
	  "the CT (or the exchange meter's CT) is on backwards: grid-point power has the wrong sign", \
	  "11.7/14: with PV off and loads over 1 kW the grid-point power must be negative " \
	  "(import); house consumption must stay constant as PV rises") \
	X(CT_PARTIAL, "ct-partial", 0.5, \
	  "the CT is not around every phase conductor: it reads ARG of the flow", \
	  "11.1/14: grid-point power must match the meter or a clamp reading; house " \
	  "consumption must stay constant as PV rises") \
	X(METER_ADDRESS, "meter-address", 3, \
	  "the exchange meter answers at address ARG instead of 001", \
	  "11.3/11.9: meter address 001; the inverter shows ID176 meter communication " \
	  "failure and no grid-point power") \
	X(METER_MISSING, "meter-missing", 0, \
	  "the exchange meter does not answer at all (unpowered, A/B open)", \
	  "11.2/11.8: ID176 meter communication failure, no grid-point power") \
	X(METERS_SWAPPED, "meters-swapped", 0, \
	  "meters 001 and 002 have each other's address", \
	  "11.6/11.7: the exchange meter (001) must read negative when importing, the " \
	  "production meter (002) positive when producing; ID105 power meter error") \
	X(BAT_COMM_LOST, "bat-comm-lost", 0, \
	  "the BMS does not talk to the inverter (CAN cable, pinout, battery off)", \
	  "15.2: ID157 lithium battery communication error; no SOC, no battery power") \
	X(FEWER_BATTERIES, "fewer-batteries", 1, \
	  "the inverter sees ARG battery module(s) fewer than installed (DIP or link cable)", \
	  "15.2: total capacity must equal count x module Ah") \
	X(BAT_TYPE_WRONG, "bat-type-wrong", 0, \
	  "the battery type set on the inverter does not match the bank", \
	  "13/15.2: battery type must be the bank's family; the BMS then fails (ID157)") \
	X(DOD_TOO_HIGH, "dod-too-high", 0, \
	  "DoD set above the battery model's maximum", \
	  "8-10 settings, 15.2: DoD at most the model's maximum (Pylontech 80 %)") \
	X(PV_MODE_SINGLE, "pv-mode-single", 0, \
	  "PV input mode independent with a single string", \
	  "6/13: input mode must match the strings; ID044 input mode setting error") \
	X(RS485_ADDRESS_0, "rs485-address-0", 0, \
	  "the inverter's RS485 address is 0 (broadcast): it answers nobody on RS485", \
	  "13 Commun. address: 1-247; with 0 no RS485 master gets an answer") \
	X(LOGIC_INTERFACE, "logic-interface", 0, \
	  "the logic interface (DRM0) is enabled with nothing wired: the inverter stays waiting", \
	  "17: logic interface must be disabled; state stays waiting, no output, all load imported") \
	X(WRONG_COUNTRY, "wrong-country", 0, \
	  "the country (safety) code is not the site's standard", \
	  "12/15.1: country code must be the site's (CEI 0-21 in Italy)") \
	X(LOW_INSULATION, "low-insulation", 30, \
	  "PV insulation resistance down to ARG kohm: the inverter will not connect", \
	  "14/15.1: insulation resistance; below the limit the inverter stays in fault") \
	X(PAR_DUP_ADDRESS, "parallel-duplicate-address", 0, \
	  "two replicas share a parallel address", \
	  "20.2: every inverter a distinct parallel address 00..0n; the system will not start") \
	X(PAR_TWO_PRIMARIES, "parallel-two-primaries", 0, \
	  "a second inverter is set as primary", \
	  "20.2: exactly one primary (address 00); the system will not start") \
	X(PAR_REPLICA_BATTERY, "parallel-replica-battery", 0, \
	  "a replica's battery settings (DoD) differ from the primary's", \
	  "20.2: battery settings must be the same on every inverter") \
	X(WRITE_STORES_OTHER, "write-stores-other", 0, \
	  "a write is acknowledged, but every register it changes stores one step less than sent", \
	  "writes: the whole block read back after a write must equal what was sent") \
	X(COMMIT_BUSY, "commit-busy", 3, \
	  "after a write with a commit register, the commit reads 1 (in operation) for ARG reads, " \
	  "then 0", \
	  "writes: a commit in operation is read again, a bounded number of times") \
	X(COMMIT_REFUSED, "commit-refused", 65534, \
	  "a write with a commit register is acknowledged, nothing is stored, and the commit " \
	  "register then reads status ARG (65534 = 0xFFFE, parameter storage failed)", \
	  "writes: after a commit, its status must read 0 (operation successful)") \
	X(LINK_SLOW, "link-slow", 1500, \
	  "every reply comes ARG ms late (over a 500 ms timeout)", \
	  "link: no answer within the timeout; raise --timeout") \
	X(LINK_EXCEPTION, "link-exception", 4, \
	  "every request is answered with exception ARG", \
	  "link: the device refuses requests") \
	X(LINK_BUSY, "link-busy", 0, \
	  "every request is answered with exception 06 (slave device busy)", \
	  "link: wait and retry") \
	X(LINK_CRC_NOISE, "link-crc-noise", 0.5, \
	  "RTU: a fraction ARG of the replies arrive with a broken CRC", \
	  "link: A/B wiring, screen, terminator") \
	X(LINK_DROP, "link-drop", 0, \
	  "TCP: the connection is closed at each request, without a reply", \
	  "link: the gateway drops the connection") \
	X(LINK_ONE_CLIENT, "link-one-client", 0, \
	  "TCP: a new client closes the previous one (the HUB's one-client rule)", \
	  "link: another program took the HUB port") \
	X(LINK_SILENT, "link-silent", 0, \
	  "no slave answers at all (RTU and TCP)", \
	  "link: A/B wires, address, baud rate") \
	X(LOGGER_STALL, "logger-stall", 15, \
	  "the data logger uploads to its cloud: it answers nothing for ARG s from now (V5 and " \
	  "RTU over TCP), keeping the connection, then the fault switches itself off", \
	  "link: a 10-15 s stall is 'logger busy': the run pauses, no step fails") \
	X(LOGGER_UPLOAD, "logger-upload", 60, \
	  "the data logger uploads to its cloud every ARG s: silent for the last 15 s of each " \
	  "period (the first from ARG-15 s after the fault is switched on)", \
	  "link: each stall is 'logger busy': the run pauses, no step fails") \
	X(LOGGER_NO_INVERTER, "logger-no-inverter", 0, \
	  "the data logger's RS485 side is cut: V5 answers its error frame, RTU over TCP " \
	  "nothing; MBAP is not affected", \
	  "link: the logger answers but the inverter behind it is silent (exit 10)") \
	X(LOGGER_IGNORE_SERIAL, "logger-ignore-serial", 0, \
	  "a V5 request naming another logger serial is ignored instead of answered with the " \
	  "logger's own serial", \
	  "link: a wrong --logger-serial may only show as no answer")

enum sim_fault_id {
#define X(e, name, arg, what, check) SIM_F_##e,
	SIM_FAULT_LIST(X)
#undef X
	SIM_NFAULTS
};

struct sim_faults {
	int on[SIM_NFAULTS];
	double arg[SIM_NFAULTS];
};

/* -1 when unknown. */
int sim_fault_find(const char *name);
const char *sim_fault_name(int id);
const char *sim_fault_what(int id);
const char *sim_fault_check(int id);
double sim_fault_default_arg(int id);
void sim_faults_init(struct sim_faults *f);

#endif
