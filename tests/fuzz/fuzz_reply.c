/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The link's own check of a read reply (link_parse_reply), TCP and RTU:
 * the first input bytes pick the framing and what was asked. */
#include "base/link.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint16_t dst[125];
	char why[160];
	int stale;

	if (size < 4)
		return 0;
	link_parse_reply(data[0] & 1, data + 4, (int)size - 4, data[1], data[2] | (data[0] & 0xF0) << 4,
			 (data[0] & 2) ? 4 : 3, 1 + data[3] % 125, dst, &stale, why, sizeof why);
	return 0;
}
