/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Solarman V5 reply parser (base/v5.h) as the link drives it: the
 * stream is cut into frames by v5_frame_len, resynchronised on garbage,
 * each frame checked by v5_parse_reply against a serial and sequence taken
 * from the first input bytes; a reply's RTU frame then goes through the
 * link's own read check.  The discovery reply parser rides along on the
 * same bytes. */
#include "base/lan.h"
#include "base/link.h"
#include "base/rtutcp.h"
#include "base/v5.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t serial;
	uint8_t seq;
	struct v5_reply r;
	struct v5_request q;
	struct lan_logger lg;
	char why[160];

	if (size < 6)
		return 0;
	serial = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
		 (uint32_t)data[3] << 24;
	seq = data[4];
	data += 5;
	size -= 5;
	lan_parse_reply((const char *)data, size, &lg, why, sizeof why);
	while (size > 0) {
		long need = v5_frame_len(data, size);

		if (need < 0) {
			data++;
			size--;
			continue;
		}
		if (need == 0 || (size_t)need > size)
			break;
		v5_parse_request(data, (size_t)need, &q, why, sizeof why);
		if (v5_parse_reply(data, (size_t)need, serial, seq, &r, why, sizeof why) == V5_REPLY) {
			uint16_t dst[125];
			int stale;

			if (rtu_crc_ok(r.rtu, r.nrtu))
				link_parse_reply(0, r.rtu, (int)r.nrtu, 1, 0, 3, 1 + seq % 125, dst,
						 &stale, why, sizeof why);
		}
		data += need;
		size -= (size_t)need;
	}
	return 0;
}
