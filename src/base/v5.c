/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/v5.h"

#include <stdio.h>
#include <string.h>

uint8_t v5_checksum(const uint8_t *f, size_t len)
{
	unsigned sum = 0;

	for (size_t i = 1; i + 2 < len; i++)
		sum += f[i];
	return (uint8_t)sum;
}

static void le16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t frame(uint8_t *out, size_t max, unsigned control, uint8_t seq0, uint8_t seq1,
		    uint32_t serial, const uint8_t *payload_head, size_t nhead, const uint8_t *rtu,
		    size_t n)
{
	size_t len = V5_HEADER + nhead + n + 2;

	if (len > max || nhead + n > 0xFFFF)
		return 0;
	out[0] = V5_START;
	le16(out + 1, (unsigned)(nhead + n));
	le16(out + 3, control);
	out[5] = seq0;
	out[6] = seq1;
	le32(out + 7, serial);
	memcpy(out + V5_HEADER, payload_head, nhead);
	if (n)
		memcpy(out + V5_HEADER + nhead, rtu, n);
	out[len - 1] = V5_END;
	out[len - 2] = v5_checksum(out, len);
	return len;
}

size_t v5_build_request(uint8_t *out, size_t max, uint32_t serial, uint8_t seq,
			const uint8_t *rtu, size_t n)
{
	uint8_t head[V5_REQ_PREFIX] = { 2 };    /* frame type 02, the rest zero */

	return frame(out, max, V5_CTRL_REQUEST, seq, 0, serial, head, sizeof head, rtu, n);
}

size_t v5_build_reply(uint8_t *out, size_t max, uint32_t serial, uint8_t seq, uint8_t logger_seq,
		      uint8_t status, const uint8_t *rtu, size_t n)
{
	uint8_t head[V5_REPLY_PREFIX] = { 2, status };

	return frame(out, max, V5_CTRL_REPLY, seq, logger_seq, serial, head, sizeof head, rtu, n);
}

size_t v5_build_heartbeat(uint8_t *out, size_t max, uint32_t serial, uint8_t logger_seq)
{
	uint8_t head[1] = { 0 };

	return frame(out, max, V5_CTRL_HEARTBEAT, logger_seq, 0, serial, head, sizeof head, NULL, 0);
}

long v5_frame_len(const uint8_t *p, size_t n)
{
	unsigned plen;

	if (n < 1)
		return 0;
	if (p[0] != V5_START)
		return -1;
	if (n < 3)
		return 0;
	plen = p[1] | (unsigned)p[2] << 8;
	if (plen > V5_MAX_FRAME - V5_HEADER - 2)
		return -1;
	return (long)(V5_HEADER + plen + 2);
}

/* The logger's own frames: handshake, data, info, heartbeat, report
 * (control 0x41..0x48 in the high byte, 0x10 in the low one). */
static int control_known(unsigned c)
{
	unsigned hi = c >> 8;

	return (c & 0xFF) == 0x10 && (hi == 0x41 || hi == 0x42 || hi == 0x43 || hi == 0x47 ||
				      hi == 0x48);
}

enum v5_kind v5_parse_reply(const uint8_t *f, size_t len, uint32_t serial, uint8_t seq,
			    struct v5_reply *r, char *why, size_t nwhy)
{
	long want = f ? v5_frame_len(f, len) : -1;

	memset(r, 0, sizeof *r);
	if (nwhy)
		why[0] = '\0';
	r->kind = V5_BAD;
	if (want < 0 || (size_t)want != len || len < V5_HEADER + 2) {
		snprintf(why, nwhy, "not a Solarman V5 frame (start 0x%02X, %zu bytes)",
			 f && len ? f[0] : 0, len);
		return r->kind;
	}
	if (f[len - 1] != V5_END) {
		snprintf(why, nwhy, "V5 frame ends in 0x%02X instead of 0x15", f[len - 1]);
		return r->kind;
	}
	if (f[len - 2] != v5_checksum(f, len)) {
		snprintf(why, nwhy, "V5 checksum 0x%02X, the frame sums to 0x%02X", f[len - 2],
			 v5_checksum(f, len));
		return r->kind;
	}
	r->control = (uint16_t)(f[3] | f[4] << 8);
	r->seq = f[5];
	r->serial = get_le32(f + 7);
	if (r->control != V5_CTRL_REPLY) {
		if (control_known(r->control)) {
			r->kind = V5_SKIP;      /* heartbeat, data, info...: not ours */
			snprintf(why, nwhy, "the logger's own frame, control 0x%04X", r->control);
		} else {
			snprintf(why, nwhy, "V5 control code 0x%04X, neither a reply (0x1510) nor "
				 "one of the logger's own frames", r->control);
		}
		return r->kind;
	}
	if (r->seq != seq) {
		r->kind = V5_SKIP;              /* a late reply to an earlier request */
		snprintf(why, nwhy, "V5 sequence %u, the request's was %u", r->seq, seq);
		return r->kind;
	}
	if (r->serial != serial) {
		r->kind = V5_WRONG_SERIAL;
		snprintf(why, nwhy, "the logger answers as serial %lu, the request named %lu",
			 (unsigned long)r->serial, (unsigned long)serial);
		return r->kind;
	}
	if (len < V5_OVERHEAD_REPLY) {
		snprintf(why, nwhy, "a V5 reply of %zu bytes has no room for its payload", len);
		return r->kind;
	}
	if (f[V5_HEADER] != 2) {
		snprintf(why, nwhy, "V5 frame type %u instead of 2 (the inverter)", f[V5_HEADER]);
		return r->kind;
	}
	r->rtu = f + V5_HEADER + V5_REPLY_PREFIX;
	r->nrtu = len - V5_OVERHEAD_REPLY;
	if (r->nrtu < 5) {
		r->kind = V5_LOGGER_ERROR;
		r->code = r->nrtu ? r->rtu[0] : 0;
		snprintf(why, nwhy, "the logger's error frame (code 0x%02X): no reply from the "
			 "inverter", r->code);
		r->rtu = NULL;
		r->nrtu = 0;
		return r->kind;
	}
	r->kind = V5_REPLY;
	return r->kind;
}

int v5_parse_request(const uint8_t *f, size_t len, struct v5_request *q, char *why, size_t nwhy)
{
	long want = f ? v5_frame_len(f, len) : -1;

	memset(q, 0, sizeof *q);
	if (nwhy)
		why[0] = '\0';
	if (want < 0 || (size_t)want != len || len < V5_OVERHEAD_REQ) {
		snprintf(why, nwhy, "not a V5 request (%zu bytes)", len);
		return -1;
	}
	if (f[len - 1] != V5_END || f[len - 2] != v5_checksum(f, len)) {
		snprintf(why, nwhy, "bad V5 end or checksum");
		return -1;
	}
	if ((f[3] | f[4] << 8) != V5_CTRL_REQUEST || f[V5_HEADER] != 2) {
		snprintf(why, nwhy, "control 0x%04X frame type %u: not a request to the inverter",
			 (unsigned)(f[3] | f[4] << 8), f[V5_HEADER]);
		return -1;
	}
	q->seq = f[5];
	q->serial = get_le32(f + 7);
	q->rtu = f + V5_HEADER + V5_REQ_PREFIX;
	q->nrtu = len - V5_OVERHEAD_REQ;
	return 0;
}
