/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rtutcp: Modbus RTU frames as pure functions, for RTU over a TCP stream
 * (the ZSM-ETH-USB stick's "Modbus TCP/IP over RTU" on port 8899) and for
 * the RTU frame a Solarman V5 frame carries.
 *
 * Builders write a whole request (address, PDU, CRC-16/MODBUS low byte
 * first).  On a stream there is no silence to end a frame, so
 * rtu_reply_len() tells from its first bytes how long a reply to function
 * `fc` is; the checks of its content are link_parse_reply()'s (reads) and
 * rtu_parse_write_reply()'s (FC 0x10).  No I/O here: the fuzzing harness
 * drives these directly. */
#ifndef ZCS_RTUTCP_H
#define ZCS_RTUTCP_H

#include <stddef.h>
#include <stdint.h>

#define RTU_MAX_ADU 256

/* CRC-16/MODBUS of n bytes. */
uint16_t rtu_crc16(const uint8_t *p, size_t n);
/* 1 when the last two bytes of p[0..n-1] are the CRC of the rest. */
int rtu_crc_ok(const uint8_t *p, size_t n);

/* FC 0x03/0x04 read request: 8 bytes written to out. */
size_t rtu_build_read(uint8_t *out, int slave, int fc, unsigned addr, unsigned n);
/* FC 0x10 write request of n registers (1..123): 9 + 2n bytes, 0 when it
 * does not fit in `max`. */
size_t rtu_build_write(uint8_t *out, size_t max, int slave, unsigned addr, unsigned n,
		       const uint16_t *src);

/* Length of the reply frame starting at p (n bytes so far) to a request
 * with function fc: 0 when more bytes are needed to tell, -1 when the
 * bytes cannot start a reply to it (another function, an impossible byte
 * count). */
long rtu_reply_len(const uint8_t *p, size_t n, int fc);

/* Check a whole reply (CRC included) to an FC 0x10 write of n registers at
 * addr to `slave`.  0 when it is the echo, else an errno value as libmodbus
 * reports it (MODBUS_ENOBASE + code for an exception, EMBBADCRC,
 * EMBBADSLAVE, EMBBADDATA, EMBBADEXC) with `why` saying what was wrong. */
int rtu_parse_write_reply(const uint8_t *f, size_t len, int slave, unsigned addr, unsigned n,
			  char *why, size_t nwhy);

#endif
