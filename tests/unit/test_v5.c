/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The data logger frames as pure functions: Solarman V5 (base/v5.h) against
 * a frame decoded by pysolarmanv5's own decoder utility, the replies a
 * logger sends (its own, wrong serial, error frame, heartbeat, a late one),
 * RTU over TCP (base/rtutcp.h) and the discovery reply (base/lan.h). */
#include <modbus.h>

#include "base/lan.h"
#include "base/rtutcp.h"
#include "base/v5.h"
#include "tap.h"

int main(void)
{
	/* pysolarmanv5 utils/solarman_decoder.py's example: serial 1782345394,
	 * sequence 0xBB, read 5 holding registers at 3 from slave 1 */
	static const uint8_t known[] = { 0xa5, 0x17, 0x00, 0x10, 0x45, 0xbb, 0x00, 0xb2, 0x6e,
					 0x3c, 0x6a, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
					 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
					 0x03, 0x00, 0x03, 0x00, 0x05, 0x75, 0xc9, 0x39, 0x15 };
	uint8_t rtu[8], f[V5_MAX_FRAME], g[V5_MAX_FRAME];
	struct v5_request q;
	struct v5_reply r;
	struct lan_logger lg;
	char why[200];
	size_t n, m;

	n = rtu_build_read(rtu, 1, 3, 3, 5);
	is_int(n, 8, "an RTU read request is 8 bytes");
	ok(rtu[6] == 0x75 && rtu[7] == 0xc9, "its CRC is the one pysolarmanv5's example carries");
	n = v5_build_request(f, sizeof f, 1782345394u, 0xbb, rtu, 8);
	is_int(n, sizeof known, "the V5 request is %zu bytes", sizeof known);
	ok(n == sizeof known && memcmp(f, known, n) == 0,
	   "byte for byte the frame pysolarmanv5 decodes (length, control, serial, checksum 0x39)");
	is_int(v5_frame_len(f, 3), (long)sizeof known, "its length is known from 3 bytes");
	is_int(v5_frame_len(f, 2), 0, "not from 2");
	ok(v5_parse_request(f, n, &q, why, sizeof why) == 0 && q.seq == 0xbb &&
	   q.serial == 1782345394u && q.nrtu == 8, "the simulator's side reads it back");

	/* replies */
	static const uint8_t rrtu[] = { 0x01, 0x03, 0x02, 0x00, 0x3c, 0xb8, 0x55 };
	ok(rtu_crc_ok(rrtu, sizeof rrtu), "an RTU reply with its CRC");
	m = v5_build_reply(g, sizeof g, 1782345394u, 0xbb, 7, 1, rrtu, sizeof rrtu);
	is_int(v5_parse_reply(g, m, 1782345394u, 0xbb, &r, why, sizeof why), V5_REPLY,
	       "our reply: the RTU frame");
	ok(r.nrtu == sizeof rrtu && memcmp(r.rtu, rrtu, sizeof rrtu) == 0, "... whole");
	is_int(v5_parse_reply(g, m, 1782345394u, 0xbc, &r, why, sizeof why), V5_SKIP,
	       "another sequence: a late reply, skipped");
	is_int(v5_parse_reply(g, m, 42, 0xbb, &r, why, sizeof why), V5_WRONG_SERIAL,
	       "the logger answering as another serial");
	is_int(r.serial, 1782345394u, "... names its own serial");
	g[m - 2] ^= 1;
	is_int(v5_parse_reply(g, m, 1782345394u, 0xbb, &r, why, sizeof why), V5_BAD,
	       "a wrong checksum is refused");
	ok(strstr(why, "checksum") != NULL, "... saying so: %s", why);
	g[m - 2] ^= 1;
	g[m - 1] = 0x16;
	is_int(v5_parse_reply(g, m, 1782345394u, 0xbb, &r, why, sizeof why), V5_BAD,
	       "a wrong end byte is refused");
	static const uint8_t err2[] = { 0x0b, 0x00 };
	m = v5_build_reply(g, sizeof g, 1782345394u, 0xbb, 8, 0, err2, 2);
	is_int(m, 29, "the logger's error frame is 29 bytes");
	is_int(v5_parse_reply(g, m, 1782345394u, 0xbb, &r, why, sizeof why), V5_LOGGER_ERROR,
	       "a payload too short for Modbus: the logger's error");
	is_int(r.code, 0x0b, "... with its code");
	m = v5_build_heartbeat(g, sizeof g, 1782345394u, 9);
	is_int(v5_parse_reply(g, m, 1782345394u, 0xbb, &r, why, sizeof why), V5_SKIP,
	       "a heartbeat (0x4710) is skipped");
	g[4] = 0x99;
	g[m - 2] = v5_checksum(g, m);
	is_int(v5_parse_reply(g, m, 1782345394u, 0xbb, &r, why, sizeof why), V5_BAD,
	       "an unknown control code is refused");
	uint8_t junk[4] = { 0x01, 0x03, 0x00, 0x00 };
	is_int(v5_frame_len(junk, 4), -1, "bytes that do not start with 0xA5 are no frame");

	/* RTU over TCP */
	is_int(rtu_reply_len(rrtu, 2, 3), 0, "a read reply's length needs its byte count");
	is_int(rtu_reply_len(rrtu, 3, 3), 7, "then it is known");
	is_int(rtu_reply_len((const uint8_t[]){ 1, 0x83 }, 2, 3), 5, "an exception is 5 bytes");
	is_int(rtu_reply_len((const uint8_t[]){ 1, 0x04 }, 2, 3), -1, "another function: no reply");
	uint16_t w[2] = { 80, 1 };
	uint8_t wr[32], echo[8] = { 1, 16, 0, 0x20, 0, 2 };
	n = rtu_build_write(wr, sizeof wr, 1, 0x20, 2, w);
	is_int(n, 13, "FC 0x10 of 2 registers is 13 bytes");
	ok(rtu_crc_ok(wr, n), "... with its CRC");
	uint16_t c = rtu_crc16(echo, 6);
	echo[6] = (uint8_t)c;
	echo[7] = (uint8_t)(c >> 8);
	is_int(rtu_parse_write_reply(echo, 8, 1, 0x20, 2, why, sizeof why), 0, "the write's echo");
	is_int(rtu_parse_write_reply(echo, 8, 1, 0x21, 2, why, sizeof why), EMBBADDATA,
	       "an echo of another address is refused");
	is_int(rtu_parse_write_reply(echo, 8, 2, 0x20, 2, why, sizeof why), EMBBADSLAVE,
	       "an echo from another slave is refused");
	echo[7] ^= 1;
	is_int(rtu_parse_write_reply(echo, 8, 1, 0x20, 2, why, sizeof why), EMBBADCRC,
	       "a broken CRC is refused");

	/* discovery */
	static const char rep[] = "192.168.1.115,ACCF23AB1C4E,1782345394";
	ok(lan_parse_reply(rep, sizeof rep - 1, &lg, why, sizeof why) == 0 &&
	   !strcmp(lg.ip, "192.168.1.115") && !strcmp(lg.mac, "AC:CF:23:AB:1C:4E") &&
	   lg.serial == 1782345394u, "a discovery reply: IP, MAC, serial");
	ok(lan_parse_reply("1.2.3.4,ACCF23AB1C4E,4294967296", 31, &lg, why, sizeof why) < 0,
	   "a serial beyond 32 bits is no logger's");
	ok(lan_parse_reply("1.2.3,ACCF23AB1C4E,5", 20, &lg, why, sizeof why) < 0,
	   "nor a broken address");
	ok(lan_parse_reply("1.2.3.4,ACCF23,5", 16, &lg, why, sizeof why) < 0, "nor a short MAC");
	ok(lan_parse_reply("1.2.3.4,ACCF23AB1C4E,5,6", 24, &lg, why, sizeof why) < 0,
	   "nor a fourth field");
	return tap_done();
}
