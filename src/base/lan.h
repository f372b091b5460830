/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lan: finding the Wi-Fi data logger sticks on the installer's LAN.
 *
 * The sticks answer a UDP datagram "WIFIKIT-214028-READ" on port 48899
 * with "IP,MAC,SERIAL" (the logger serial that Solarman V5 needs).  The
 * question is broadcast only on one interface: the one named, or the one
 * the default route leaves by; the socket is bound to that interface's
 * address, with a time-to-live of 1, so it never goes beyond the LAN.
 *
 * Tests have no LAN: ZCS_LAN_TARGETS="HOST:PORT,HOST:PORT" sends the
 * question to those addresses (loopback simulators) instead of
 * broadcasting. */
#ifndef ZCS_LAN_H
#define ZCS_LAN_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define LAN_DISCOVERY_PORT 48899
#define LAN_DISCOVERY_QUESTION "WIFIKIT-214028-READ"

struct lan_logger {
	char ip[16];
	char mac[18];
	uint32_t serial;
};

/* Parse one reply (n bytes, not NUL-terminated): 0, or -1 with `why`. */
int lan_parse_reply(const char *buf, size_t n, struct lan_logger *out, char *why, size_t nwhy);

/* Ask on `iface` (NULL: the default route's) and collect the answers for
 * wait_ms, each serial once, sorted by address.  `where` says where it
 * asked ("eth0 (192.168.1.20, broadcast 192.168.1.255)").  0, or -1
 * (ZCS_USAGE for a wrong interface, ZCS_SYS). */
int lan_discover(const char *iface, int wait_ms, struct lan_logger **out, size_t *n, char *where,
		 size_t nwhere, struct zcs_err *err);

#endif
