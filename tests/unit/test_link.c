/* SPDX-License-Identifier: GPL-3.0-or-later */
/* link_parse_reply: a read's reply is checked whole before a word of it is
 * used (transaction id, protocol id, MBAP length, unit id, function, byte
 * count, frame length); exception replies are named. */
#include <errno.h>
#include <modbus.h>
#include <string.h>

#include "base/link.h"
#include "tap.h"

static int parse(int tcp, const uint8_t *adu, int len, unsigned n, uint16_t *dst, int *stale,
		 char *why)
{
	return link_parse_reply(tcp, adu, len, 1, 7, 3, n, dst, stale, why, 160);
}

int main(void)
{
	uint16_t w[4] = { 0 };
	char why[160];
	int stale;
	const uint8_t good[] = { 0, 7, 0, 0, 0, 7, 1, 3, 4, 0x12, 0x34, 0xAB, 0xCD };
	uint8_t f[sizeof good];

	ok(parse(1, good, sizeof good, 2, w, &stale, why) == 0 && w[0] == 0x1234 && w[1] == 0xABCD,
	   "a good TCP reply gives its words");
	memcpy(f, good, sizeof f); f[1] = 6;
	ok(parse(1, f, sizeof f, 2, w, &stale, why) == EMBBADDATA && stale,
	   "a reply to the previous request is stale (skipped, read on)");
	memcpy(f, good, sizeof f); f[1] = 8;
	ok(parse(1, f, sizeof f, 2, w, &stale, why) == EMBBADDATA && !stale,
	   "a transaction id never sent is rejected: %s", why);
	memcpy(f, good, sizeof f); f[3] = 1;
	ok(parse(1, f, sizeof f, 2, w, &stale, why) == EMBBADDATA && strstr(why, "protocol id 1"),
	   "a protocol id other than 0 is rejected: %s", why);
	memcpy(f, good, sizeof f); f[5] = 9;
	ok(parse(1, f, sizeof f, 2, w, &stale, why) == EMBBADDATA && strstr(why, "header says 9"),
	   "a wrong MBAP length is rejected: %s", why);
	memcpy(f, good, sizeof f); f[6] = 2;
	ok(parse(1, f, sizeof f, 2, w, &stale, why) == EMBBADSLAVE, "a wrong unit id is rejected");
	memcpy(f, good, sizeof f); f[7] = 4;
	ok(parse(1, f, sizeof f, 2, w, &stale, why) == EMBBADDATA && strstr(why, "function 4"),
	   "another function is rejected: %s", why);
	memcpy(f, good, sizeof f); f[8] = 6;
	ok(parse(1, f, sizeof f, 2, w, &stale, why) == EMBBADDATA && strstr(why, "byte count 6"),
	   "a wrong byte count is rejected: %s", why);
	ok(parse(1, good, sizeof good, 3, w, &stale, why) == EMBBADDATA,
	   "a reply with fewer registers than asked is rejected");
	ok(parse(1, good, 8, 2, w, &stale, why) == EMBBADDATA, "a short frame is rejected");
	ok(parse(1, NULL, 0, 2, w, &stale, why) == EMBBADDATA, "no frame at all is rejected");
	const uint8_t exc[] = { 0, 7, 0, 0, 0, 3, 1, 0x83, 2 };
	ok(parse(1, exc, sizeof exc, 2, w, &stale, why) == MODBUS_ENOBASE + 2,
	   "exception 02 is returned as libmodbus names it");
	memcpy(f, exc, sizeof exc); f[8] = 0x0F;
	ok(parse(1, f, sizeof exc, 2, w, &stale, why) == EMBBADEXC && strstr(why, "does not define"),
	   "an exception code Modbus does not define is named: %s", why);
	const uint8_t rtu[] = { 1, 3, 2, 0x00, 0x2A, 0xFF, 0xFF };
	ok(parse(0, rtu, sizeof rtu, 1, w, &stale, why) == 0 && w[0] == 42,
	   "a good RTU reply (CRC checked before) gives its word");
	ok(parse(0, rtu, sizeof rtu - 1, 1, w, &stale, why) == EMBBADDATA, "a short RTU frame is rejected");
	/* wire time: the bytes, and the 3.5-character silence after each frame */
	struct link_params lp;

	link_params_default(&lp);
	lp.baud = 9600;
	is_num(link_silence_ms(&lp), 3.5 * 10 * 1000.0 / 9600, 1e-9,
	       "at 9600 8N1 a frame ends in 3.5 characters of silence (3.65 ms)");
	is_num(link_frame_ms(&lp, 8 + 7, 2), (15 + 7) * 10 * 1000.0 / 9600, 1e-9,
	       "a read of one register holds the line for 15 bytes and two silences (22.9 ms)");
	lp.baud = 115200;
	is_num(link_silence_ms(&lp), 1.75, 1e-9, "above 19200 baud the silence is 1.75 ms");
	return tap_done();
}
