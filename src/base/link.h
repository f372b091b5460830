/* SPDX-License-Identifier: GPL-3.0-or-later */
/* link: one Modbus conversation with a device, RTU on a serial port or TCP.
 *
 * Under the link a transport frames the requests (an ops table each):
 * libmodbus's RTU on a serial port, libmodbus's Modbus TCP (MBAP), RTU
 * frames on a TCP stream (the ZSM-ETH-USB stick, base/rtutcp.h) and RTU
 * frames inside Solarman V5 frames (the ZSM-WIFI-USB stick, base/v5.h).
 * Everything above (planner, identification, messages, reconnection) is
 * the same over each.  `--framing auto` tries MBAP, RTU over TCP and V5 in
 * turn with short timeouts and keeps the first that answers.
 *
 * Promises:
 *  - a serial port is locked (flock) against a second program;
 *  - libmodbus's own error recovery stays off (it loops forever on an
 *    unplugged adapter): a failed request returns, and reconnecting is the
 *    caller's choice (link_reconnect), made automatically once per request
 *    when a TCP peer dropped the connection;
 *  - a configurable minimum time passes between requests (the HUB's
 *    "minimum operation time");
 *  - every failure becomes one sentence for an installer, naming the slave,
 *    the port and its settings and what to check; exception replies are
 *    named (ZCS_DEVICE, err->exception set), all else is ZCS_LINK;
 *  - reads use FC 0x03/0x04, writes FC 0x10 only;
 *  - a read's reply is checked whole (link_parse_reply) before a word of it
 *    is used: over TCP the transaction id, protocol id, MBAP length and
 *    unit id; on both the function, byte count and frame length.  A reply
 *    to an earlier request (a late or duplicated one) is skipped;
 *    anything else wrong is a "malformed reply" (ZCS_LINK);
 *  - transactions, bytes and the wire time those bytes need at the line's
 *    baud rate are counted, with the 3.5-character silence that ends each
 *    frame (for TCP, the RTU line behind a HUB or logger, at params.baud). */
#ifndef ZCS_LINK_H
#define ZCS_LINK_H

#include <stdint.h>

#include <stddef.h>

#include "base/err.h"

enum link_kind { LINK_NONE, LINK_RTU, LINK_TCP };

/* How requests are framed on a TCP link. */
enum link_framing { LINK_FRAMING_MBAP, LINK_FRAMING_RTU, LINK_FRAMING_V5, LINK_FRAMING_AUTO };

struct link_params {
	enum link_kind kind;
	char device[256];           /* RTU */
	int baud;
	char parity;                /* 'N', 'E', 'O' */
	int data_bits, stop_bits;
	char host[256];             /* TCP */
	int port;
	int slave;
	int response_timeout_ms;
	int byte_timeout_ms;
	int min_interval_ms;
	char preset[48];            /* named preset used, "" when none */
	enum link_framing framing;  /* TCP: MBAP unless told */
	uint32_t logger_serial;     /* V5: the stick's serial (its label) */
	int logger_serial_set;
	int busy_ms;                /* a logger's stall shorter than this is "busy", 0: none */
};

struct link_stats {
	unsigned long transactions;    /* requests sent */
	unsigned long failures;
	unsigned long long bytes_tx, bytes_rx;
	double wire_ms;                /* time those bytes take on the line */
	int64_t last_ok_ms;            /* monotonic time of the last good reply */
	char last_error[256];
	int busy;                      /* the last request found the logger busy */
	int64_t busy_since_ms;         /* when the logger stopped answering */
	unsigned long skipped;         /* V5 frames skipped (heartbeats, late replies) */
};

struct link;

void link_params_default(struct link_params *p);
/* Apply one connection option (--port, --tcp, --solarman, --rtu-over-tcp,
 * --framing, --logger-serial, --baud, --parity, --stop, --slave, --timeout,
 * --byte-timeout, --interval, --preset).  Returns 1 when
 * `opt` is one (its argument consumed), 0 when it is not, -1 on a bad
 * argument (ZCS_USAGE). */
int link_params_option(struct link_params *p, const char *opt, const char *arg,
		       struct zcs_err *err);
/* Check a complete set of parameters (ZCS_USAGE). */
int link_params_check(const struct link_params *p, struct zcs_err *err);
/* "/dev/ttyUSB0 at 9600 8N1" or "192.168.1.5:55400". */
const char *link_describe(const struct link_params *p, char *buf, size_t n);
/* Apply a named preset from data/links.conf (port, timeouts, interval). */
int link_apply_preset(struct link_params *p, const char *name, struct zcs_err *err);

/* "Modbus TCP (MBAP)", "RTU over TCP", "Solarman V5", "Modbus RTU". */
const char *link_framing_name(const struct link_params *p);
/* Parse "auto", "mbap", "rtu", "v5"; -1 when none. */
int link_framing_parse(const char *s);

/* Open the link; with --framing auto the framing is found first (each tried
 * with a short timeout) and link_params_of() then names the one that
 * answered, link_detect_note() what each did. */
int link_open(const struct link_params *p, struct link **out, struct zcs_err *err);
const char *link_detect_note(const struct link *l);
/* 1 while a data logger stalls (no answer, connection kept, within
 * params.busy_ms of its last answer): "logger busy", not a lost link. */
int link_busy(const struct link *l);
void link_close(struct link *l);
int link_reconnect(struct link *l, struct zcs_err *err);
int link_connected(const struct link *l);

int link_read(struct link *l, int fc, unsigned addr, unsigned n, uint16_t *dst,
	      struct zcs_err *err);
int link_write(struct link *l, unsigned addr, unsigned n, const uint16_t *src,
	       struct zcs_err *err);

void link_set_slave(struct link *l, int slave);
/* Point an RTU link at another serial device (an adapter that came back
 * under another name); it is closed now and opens there on the next request
 * or link_reconnect(). */
void link_set_device(struct link *l, const char *dev);
const struct link_params *link_params_of(const struct link *l);
const struct link_stats *link_stats_of(const struct link *l);
void link_stats_reset(struct link *l);
/* Wire time of `bytes` bytes at the params' baud rate and framing. */
double link_wire_ms(const struct link_params *p, unsigned long long bytes);
/* The silence that ends an RTU frame: 3.5 characters (1.75 ms above 19200
 * baud).  A request and its reply are two frames, so two silences. */
double link_silence_ms(const struct link_params *p);
/* Wire time of `frames` RTU frames holding `bytes` bytes in all, their
 * silences included: what a request and its reply really hold the line. */
double link_frame_ms(const struct link_params *p, unsigned long long bytes, unsigned long frames);

/* Addresses the unit at the current slave does not serve, learned from
 * exception 02 (illegal data address) and kept for the life of the link:
 * the poll planner never merges a block read across them again.  A range
 * is `confirmed` when it was read alone (a register that is not there); a
 * gap between registers is not: it holds some address the unit refused. */
void link_unserved_add(struct link *l, int fc, unsigned from, unsigned to, int confirmed);
/* 1 when any address of from..to (inclusive) lies in a learned range
 * (only confirmed ones when `confirmed`), 2 when one range holds it all. */
int link_unserved_any(const struct link *l, int fc, unsigned from, unsigned to, int confirmed);

/* Check one reply to a read of `n` registers with function `fc` from
 * `slave`: `adu` is the whole frame as received (TCP: MBAP header first,
 * `tid` the transaction id sent; RTU: address first, CRC already checked).
 * Returns 0 with dst[0..n-1] filled, else an errno value as libmodbus
 * reports it (MODBUS_ENOBASE + code for an exception reply, EMBBADSLAVE,
 * EMBBADDATA, EMBBADEXC) with `why` saying what was wrong.  *stale is set
 * when the reply answers another transaction. */
int link_parse_reply(int tcp, const uint8_t *adu, int len, int slave, unsigned tid, int fc,
		     unsigned n, uint16_t *dst, int *stale, char *why, size_t nwhy);

/* Name of a Modbus exception code ("illegal data address"). */
const char *link_exception_name(int code);

#endif
