/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/rtutcp.h"

#include <modbus.h>
#include <stdio.h>

uint16_t rtu_crc16(const uint8_t *p, size_t n)
{
	uint16_t crc = 0xFFFF;

	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
	}
	return crc;
}

int rtu_crc_ok(const uint8_t *p, size_t n)
{
	if (n < 3)
		return 0;
	return rtu_crc16(p, n - 2) == (p[n - 2] | (unsigned)p[n - 1] << 8);
}

static size_t put_crc(uint8_t *out, size_t n)
{
	uint16_t crc = rtu_crc16(out, n);

	out[n] = (uint8_t)crc;
	out[n + 1] = (uint8_t)(crc >> 8);
	return n + 2;
}

size_t rtu_build_read(uint8_t *out, int slave, int fc, unsigned addr, unsigned n)
{
	out[0] = (uint8_t)slave;
	out[1] = (uint8_t)fc;
	out[2] = (uint8_t)(addr >> 8);
	out[3] = (uint8_t)addr;
	out[4] = (uint8_t)(n >> 8);
	out[5] = (uint8_t)n;
	return put_crc(out, 6);
}

size_t rtu_build_write(uint8_t *out, size_t max, int slave, unsigned addr, unsigned n,
		       const uint16_t *src)
{
	if (n < 1 || n > 123 || max < 9 + 2 * (size_t)n)
		return 0;
	out[0] = (uint8_t)slave;
	out[1] = 16;
	out[2] = (uint8_t)(addr >> 8);
	out[3] = (uint8_t)addr;
	out[4] = (uint8_t)(n >> 8);
	out[5] = (uint8_t)n;
	out[6] = (uint8_t)(2 * n);
	for (unsigned i = 0; i < n; i++) {
		out[7 + 2 * i] = (uint8_t)(src[i] >> 8);
		out[8 + 2 * i] = (uint8_t)src[i];
	}
	return put_crc(out, 7 + 2 * (size_t)n);
}

long rtu_reply_len(const uint8_t *p, size_t n, int fc)
{
	if (n < 2)
		return 0;
	if (p[1] == ((unsigned)fc | 0x80))
		return 5;                       /* address, function, code, CRC */
	if (p[1] != (unsigned)fc)
		return -1;
	if (fc == 16 || fc == 6)
		return 8;
	if (n < 3)
		return 0;
	if (p[2] == 0 || p[2] > 250 || (p[2] & 1))
		return -1;
	return 5 + (long)p[2];
}

int rtu_parse_write_reply(const uint8_t *f, size_t len, int slave, unsigned addr, unsigned n,
			  char *why, size_t nwhy)
{
	if (nwhy)
		why[0] = '\0';
	if (!f || len < 5) {
		snprintf(why, nwhy, "a frame of %zu bytes is too short", len);
		return EMBBADDATA;
	}
	if (!rtu_crc_ok(f, len))
		return EMBBADCRC;
	if (f[0] != slave) {
		snprintf(why, nwhy, "unit id %u answered a request to %d", f[0], slave);
		return EMBBADSLAVE;
	}
	if (f[1] == (16 | 0x80)) {
		if (len != 5) {
			snprintf(why, nwhy, "an exception reply of %zu bytes", len);
			return EMBBADDATA;
		}
		if (f[2] >= 1 && f[2] <= 11)
			return MODBUS_ENOBASE + f[2];
		snprintf(why, nwhy, "exception code %u, which Modbus does not define", f[2]);
		return EMBBADEXC;
	}
	if (f[1] != 16 || len != 8) {
		snprintf(why, nwhy, "function %u, %zu bytes, in reply to a write (16)", f[1], len);
		return EMBBADDATA;
	}
	if (((unsigned)f[2] << 8 | f[3]) != addr || ((unsigned)f[4] << 8 | f[5]) != n) {
		snprintf(why, nwhy, "the write's echo names %u registers at 0x%04X, not %u at 0x%04X",
			 (unsigned)f[4] << 8 | f[5], (unsigned)f[2] << 8 | f[3], n, addr);
		return EMBBADDATA;
	}
	return 0;
}
