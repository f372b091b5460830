/* SPDX-License-Identifier: GPL-3.0-or-later */
/* v5: the Solarman V5 frame of the ZSM-WIFI-USB stick (TCP 8899), as pure
 * functions: build a request around an RTU frame, find a frame's end on the
 * stream, and check a reply.
 *
 *   A5 | length (2, LE) | control (2, LE) | sequence (2) | logger serial (4, LE)
 *   | payload | checksum (1) | 15
 *
 * The length counts the payload only.  A request's payload is the frame
 * type 02 (the inverter), the sensor type (2 bytes), three 4-byte times (all
 * zero when sent) and the whole RTU frame: 15 bytes + RTU.  A reply's
 * payload is the frame type, a status byte, the three times and the RTU
 * frame: 14 bytes + RTU.  The checksum is the sum, modulo 256, of every
 * byte between the start and the checksum.  Control 0x4510 is a request,
 * 0x1510 its reply; the logger's own frames (0x4110 handshake, 0x4210 data,
 * 0x4310 info, 0x4710 heartbeat, 0x4810 report) come unasked and are
 * skipped.  The first sequence byte is the client's, echoed in the reply;
 * the second is the logger's own counter.
 *
 * The logger answers by itself in two cases the reply names: a request
 * carrying another logger's serial gets a reply with the logger's own
 * serial (V5_WRONG_SERIAL, r->serial the logger's), and a request the
 * inverter did not answer gets a reply whose RTU part is shorter than any
 * Modbus frame, its first byte an error code (V5_LOGGER_ERROR; the link
 * reads codes 1-6 as the inverter's Modbus exception passed on short, any
 * other as the logger's own "no answer from the inverter").
 * Sources: pysolarmanv5's protocol notes and decoder, the openHAB solarman
 * binding's error frame (29 bytes, serial mismatch); the error codes
 * themselves are undocumented (confidence L). */
#ifndef ZCS_V5_H
#define ZCS_V5_H

#include <stddef.h>
#include <stdint.h>

#define V5_START 0xA5
#define V5_END 0x15
#define V5_CTRL_REQUEST 0x4510
#define V5_CTRL_REPLY 0x1510
#define V5_CTRL_HEARTBEAT 0x4710
#define V5_HEADER 11
#define V5_REQ_PREFIX 15         /* payload bytes before the RTU frame */
#define V5_REPLY_PREFIX 14
#define V5_OVERHEAD_REQ (V5_HEADER + V5_REQ_PREFIX + 2)
#define V5_OVERHEAD_REPLY (V5_HEADER + V5_REPLY_PREFIX + 2)
#define V5_MAX_FRAME (V5_HEADER + V5_REQ_PREFIX + 300 + 2)

/* The checksum of a whole frame of `len` bytes (start to end). */
uint8_t v5_checksum(const uint8_t *f, size_t len);

/* A request carrying `rtu` (n bytes, CRC included); its length, or 0 when
 * it does not fit in `max`. */
size_t v5_build_request(uint8_t *out, size_t max, uint32_t serial, uint8_t seq,
			const uint8_t *rtu, size_t n);
/* A reply (the simulator's): frame type 02, `status`, the times, `rtu`. */
size_t v5_build_reply(uint8_t *out, size_t max, uint32_t serial, uint8_t seq, uint8_t logger_seq,
		      uint8_t status, const uint8_t *rtu, size_t n);
/* A heartbeat the logger sends unasked (control 0x4710, one byte payload). */
size_t v5_build_heartbeat(uint8_t *out, size_t max, uint32_t serial, uint8_t logger_seq);

/* Length of the frame at p (n bytes so far): 0 when more bytes are needed,
 * -1 when p does not start a V5 frame (no 0xA5, or a length no logger
 * sends). */
long v5_frame_len(const uint8_t *p, size_t n);

enum v5_kind {
	V5_REPLY,              /* the reply to our request: rtu/nrtu is the RTU frame */
	V5_SKIP,               /* a heartbeat or other unasked frame, or a late reply */
	V5_WRONG_SERIAL,       /* the logger says it is another serial (r->serial) */
	V5_LOGGER_ERROR,       /* the logger's error frame: r->code */
	V5_BAD,                /* not a frame we can use: `why` says what */
};

struct v5_reply {
	enum v5_kind kind;
	uint16_t control;
	uint8_t seq;
	uint32_t serial;
	unsigned code;         /* V5_LOGGER_ERROR: first byte of the short payload */
	const uint8_t *rtu;    /* V5_REPLY: points into the frame */
	size_t nrtu;
};

/* Check one whole frame (len bytes, as v5_frame_len measured) received
 * after a request with `serial` and sequence byte `seq`.  Returns r->kind. */
enum v5_kind v5_parse_reply(const uint8_t *f, size_t len, uint32_t serial, uint8_t seq,
			    struct v5_reply *r, char *why, size_t nwhy);

struct v5_request {
	uint8_t seq;
	uint32_t serial;
	const uint8_t *rtu;
	size_t nrtu;
};

/* Check one whole request frame (the simulator's side): start, end,
 * checksum, control 0x4510, frame type 02.  0, or -1 with `why`. */
int v5_parse_request(const uint8_t *f, size_t len, struct v5_request *q, char *why, size_t nwhy);

#endif
