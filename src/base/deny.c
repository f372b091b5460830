/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one C file that holds register addresses (tests/t0002-walls.sh lets
 * it): this list is the safety net under the maps, and data must not be able
 * to switch it off.  Addresses from the vendor's official SOFARSOLAR
 * Modbus-G3 protocol V1.38, chapter 5; they are only ever refused here,
 * never read or written. */
#include "base/deny.h"

#include <stddef.h>

#include "base/util.h"

static const struct deny_range denied[] = {
	{ 0x0800, 0x0A3F, "the grid-protection (safety) parameters" },
	{ 0x100B, 0x100F, "the RS485 block (address, baud rate, stop bits, parity, enable)" },
	{ 0x1022, 0x1022, "the safety-parameter import from a USB drive" },
	{ 0x1104, 0x1104, "remote power on/off" },
	{ 0x2004, 0x2005, "the safety country and version" },
	{ 0x2006, 0x2006, "the user-data (factory) reset" },
	{ 0x2007, 0x200C, "the safety country name" },
	{ 0x200D, 0x200D, "the communication protocol pairing" },
	{ 0x200E, 0x200F, "the safety database country and version" },
	{ 0x2034, 0x2056, "the firmware download and upgrade registers" },
	{ 0x508E, 0x508E, "the DC/DC factory restore" },
	{ 0x5160, 0x5161, "remote and forced power on/off (DC/DC)" },
	{ 0x6045, 0x6045, "DC module remote power on/off" },
};

const struct deny_range *deny_find(unsigned from, unsigned to)
{
	for (size_t i = 0; i < ZCS_ARRAY_LEN(denied); i++)
		if (from <= denied[i].to && denied[i].from <= to)
			return &denied[i];
	return NULL;
}
