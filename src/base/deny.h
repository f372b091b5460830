/* SPDX-License-Identifier: GPL-3.0-or-later */
/* deny: holding registers this tool never writes, whatever a map says.
 *
 * Promises:
 *  - the list lives in code, not in data/: an edited map cannot switch it
 *    off (regmap_load refuses a map that marks one of them writable, or a
 *    write group that spans one, naming file and line);
 *  - write_apply and zcs-sim check every FC 0x10 span against it as well.
 * Listed: the user-data (factory) reset, the RS485 link settings, the safety
 * country, version and database, the protocol pairing, the grid-protection
 * (safety) parameters, the safety import from USB, remote and forced on/off,
 * and the upgrade and firmware registers of the official G3 protocol. */
#ifndef ZCS_DENY_H
#define ZCS_DENY_H

struct deny_range {
	unsigned from, to;          /* inclusive holding-register addresses */
	const char *what;           /* words for people */
};

/* The entry touching from..to, or NULL when none does. */
const struct deny_range *deny_find(unsigned from, unsigned to);

#endif
