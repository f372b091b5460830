/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The RTU-over-TCP reply parsers (base/rtutcp.h) as the link drives them:
 * rtu_reply_len cuts the stream for the function the first byte names,
 * then the CRC, then link_parse_reply (a read) or rtu_parse_write_reply
 * (FC 0x10). */
#include "base/link.h"
#include "base/rtutcp.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fc, slave;
	unsigned n;
	char why[160];

	if (size < 4)
		return 0;
	fc = (data[0] & 3) == 0 ? 16 : (data[0] & 1) ? 3 : 4;
	slave = data[1];
	n = 1 + data[2] % 125;
	data += 3;
	size -= 3;
	while (size > 0) {
		long need = rtu_reply_len(data, size, fc);
		uint16_t dst[125];
		int stale;

		if (need <= 0 || (size_t)need > size)
			break;
		if (fc == 16)
			rtu_parse_write_reply(data, (size_t)need, slave, 0x10, n, why, sizeof why);
		else if (rtu_crc_ok(data, (size_t)need))
			link_parse_reply(0, data, (int)need, slave, 0, fc, n, dst, &stale, why,
					 sizeof why);
		data += need;
		size -= (size_t)need;
	}
	return 0;
}
