/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/link.h"

#include <errno.h>
#include <modbus.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/link_int.h"
#include "base/util.h"

double link_silence_ms(const struct link_params *p)
{
	int bits = 1 + p->data_bits + (p->parity != 'N') + p->stop_bits;

	if (p->baud <= 0)
		return 0;
	/* Modbus over serial line V1.02, 2.5.1.1: 3.5 characters, fixed at
	 * 1.75 ms above 19200 baud */
	return p->baud > 19200 ? 1.75 : 3.5 * bits * 1000.0 / p->baud;
}

double link_frame_ms(const struct link_params *p, unsigned long long bytes, unsigned long frames)
{
	return link_wire_ms(p, bytes) + (double)frames * link_silence_ms(p);
}

static int lock_serial(struct link *l, struct zcs_err *err)
{
	int fd = modbus_get_socket(l->ctx);

	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0)
		return zcs_fail(err, ZCS_LINK,
				_("%s is in use by another program: close it (another "
				  "zcs-commission, a logger, mbpoll) and try again"), l->p.device);
	return 0;
}

int link_open_fail(struct link *l, int e, struct zcs_err *err)
{
	char d[300];
	struct zcs_err scratch = { 0 };

	if (!err)       /* a caller that only wants to know whether it worked */
		err = &scratch;
	link_describe(&l->p, d, sizeof d);
	err->sys_errno = e;
	switch (e) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return zcs_fail(err, ZCS_LINK, _("no serial device %s: is the USB-RS485 adapter "
				  "plugged in? 'zcs-commission ports' lists the adapters it sees"),
				l->p.device);
	case EACCES:
	case EPERM:
		return zcs_fail(err, ZCS_LINK, _("permission denied on %s: join the dialout group "
				  "(sudo usermod -aG dialout $USER), then log out and in again"),
				l->p.device);
	case EBUSY:
		return zcs_fail(err, ZCS_LINK, _("%s is busy: another program holds it"), l->p.device);
	case ECONNREFUSED:
		return zcs_fail(err, ZCS_LINK, _("nothing accepts %s connections at %s: "
				  "check the address and port (HUB inverters 55400, meters 55401, "
				  "Power Magic 502, ETH and Wi-Fi sticks 8899)"),
				l->p.framing == LINK_FRAMING_MBAP ? "Modbus TCP" : "TCP", d);
	case EHOSTUNREACH:
	case ENETUNREACH:
	case ETIMEDOUT:
	case EINPROGRESS:
		return zcs_fail(err, ZCS_LINK, _("cannot reach %s: check the network cable or Wi-Fi "
				  "and that the laptop is on the HUB's network"), d);
	}
	return zcs_fail(err, ZCS_LINK, _("cannot open %s: %s"), d, strerror(e));
}

static int mb_connect(struct link *l, struct zcs_err *err)
{
	const struct link_params *p = &l->p;

	if (p->kind == LINK_RTU) {
		l->ctx = modbus_new_rtu(p->device, p->baud, p->parity, p->data_bits, p->stop_bits);
	} else {
		char port[16];

		snprintf(port, sizeof port, "%d", p->port);
		l->ctx = modbus_new_tcp_pi(p->host, port);
	}
	if (!l->ctx)
		return zcs_fail(err, ZCS_USAGE, "cannot set up a Modbus context for %s: %s",
				p->kind == LINK_RTU ? p->device : p->host, modbus_strerror(errno));
	modbus_set_error_recovery(l->ctx, MODBUS_ERROR_RECOVERY_NONE);
	modbus_set_slave(l->ctx, p->slave);
	modbus_set_response_timeout(l->ctx, (uint32_t)(p->response_timeout_ms / 1000),
				    (uint32_t)(p->response_timeout_ms % 1000) * 1000);
	modbus_set_byte_timeout(l->ctx, (uint32_t)(p->byte_timeout_ms / 1000),
				(uint32_t)(p->byte_timeout_ms % 1000) * 1000);
	if (modbus_connect(l->ctx) < 0) {
		int e = errno;

		modbus_free(l->ctx);
		l->ctx = NULL;
		return link_open_fail(l, e, err);
	}
	if (p->kind == LINK_RTU && lock_serial(l, err) < 0) {
		modbus_close(l->ctx);
		modbus_free(l->ctx);
		l->ctx = NULL;
		return -1;
	}
	return 0;
}

static void mb_disconnect(struct link *l)
{
	if (l->ctx) {
		modbus_close(l->ctx);
		modbus_free(l->ctx);
	}
	l->ctx = NULL;
}

static int mb_read(struct link *l, int fc, unsigned addr, unsigned n, uint16_t *dst);

static int mb_write(struct link *l, unsigned addr, unsigned n, const uint16_t *src)
{
	l->why[0] = '\0';
	return modbus_write_registers(l->ctx, (int)addr, (int)n, src) < 0 ? -1 : 0;
}

/* The transports: bytes each request and reply add to the RTU PDU. */
static const struct transport T_RTU = { "Modbus RTU", mb_connect, mb_disconnect, mb_read,
					mb_write, 3, 3, 0 };
static const struct transport T_MBAP = { "Modbus TCP (MBAP)", mb_connect, mb_disconnect,
					 mb_read, mb_write, 7, 7, 0 };
static const struct transport *transport_of(const struct link_params *p)
{
	if (p->kind == LINK_RTU)
		return &T_RTU;
	if (p->framing == LINK_FRAMING_RTU)
		return &link_t_rtutcp;
	if (p->framing == LINK_FRAMING_V5)
		return &link_t_v5;
	return &T_MBAP;
}

static int do_connect(struct link *l, struct zcs_err *err)
{
	l->t = transport_of(&l->p);
	if (l->t->connect(l, err) < 0)
		return -1;
	l->connected = 1;
	return 0;
}

static void disconnect(struct link *l)
{
	if (l->t)
		l->t->disconnect(l);
	l->connected = 0;
}

/* --framing auto: each framing in turn, with a short timeout, on a fresh
 * connection, asks one register (FC 0x03, the first address, 1 word):
 * any well-framed answer, an exception too, says the framing is right.  A
 * V5 logger without --logger-serial answers as its own serial, which is
 * then used.  0 with l->p.framing set, or -1. */
static int detect_framing(struct link *l, struct zcs_err *err)
{
	static const enum link_framing order[] = { LINK_FRAMING_MBAP, LINK_FRAMING_RTU,
						   LINK_FRAMING_V5 };
	int timeout = l->p.response_timeout_ms, busy = l->p.busy_ms;
	size_t len = 0;
	char d[300];

	l->detect[0] = '\0';
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		uint16_t w;
		int rc, e, learned;

		l->p.framing = order[i];
		l->p.response_timeout_ms = timeout < 1500 ? timeout : 1500;
		if (do_connect(l, err) < 0) {
			l->p.response_timeout_ms = timeout;
			return -1;          /* nothing listens: no framing will do */
		}
		rc = l->t->read(l, 3, 0, 1, &w);
		e = errno;
		learned = 0;
		if (rc < 0 && e == LINK_EWRONGSERIAL && !l->p.logger_serial_set) {
			l->p.logger_serial = l->seen_serial;
			l->p.logger_serial_set = learned = 1;
			rc = l->t->read(l, 3, 0, 1, &w);
			e = errno;
		}
		if (len < sizeof l->detect)
			len += (size_t)snprintf(l->detect + len, sizeof l->detect - len, "%s%s %s%s",
						i ? ", " : "", l->t->name,
						rc == 0 || (e > MODBUS_ENOBASE && e < MODBUS_ENOBASE + 12)
						? "answered" : e == LINK_ELOGGER ? "answered (the logger)"
						: "no answer",
						learned ? ", giving its serial" : "");
		if (rc == 0 || (e > MODBUS_ENOBASE && e < MODBUS_ENOBASE + 12) ||
		    e == LINK_ELOGGER) {
			l->p.response_timeout_ms = timeout;
			if (!l->p.busy_ms && l->p.framing != LINK_FRAMING_MBAP)
				l->p.busy_ms = busy ? busy : 20000;
			return 0;
		}
		disconnect(l);
	}
	l->p.response_timeout_ms = timeout;
	l->p.framing = LINK_FRAMING_AUTO;
	snprintf(d, sizeof d, "%s:%d", l->p.host, l->p.port);
	return zcs_fail(err, ZCS_LINK, _("nothing at %s answered Modbus TCP (MBAP), RTU over TCP or "
			  "Solarman V5 within %d ms each: check the address and port (sticks 8899), "
			  "that the stick sits in the inverter's port and the inverter has power"),
			d, timeout < 1500 ? timeout : 1500);
}

static int request_fail(struct link *l, int e, const char *what, struct zcs_err *err);

int link_open(const struct link_params *p, struct link **out, struct zcs_err *err)
{
	struct link *l;

	*out = NULL;
	if (link_params_check(p, err) < 0)
		return -1;
	l = xcalloc(1, sizeof *l);
	l->p = *p;
	l->fd = -1;
	l->seq = (uint8_t)(zcs_now_ms() & 0xFF);
	if (p->kind == LINK_TCP && p->framing == LINK_FRAMING_AUTO ? detect_framing(l, err) < 0
								    : do_connect(l, err) < 0) {
		free(l);
		return -1;
	}
	if (p->framing == LINK_FRAMING_V5 && p->kind == LINK_TCP) {
		/* a V5 logger answers another serial with its own, inverter on or
		 * off: a wrong --logger-serial is said now, not at the first step
		 * that reads (any other outcome is the requests' to report) */
		uint16_t w;

		if (l->t->read(l, 3, 0, 1, &w) < 0 && errno == LINK_EWRONGSERIAL) {
			request_fail(l, LINK_EWRONGSERIAL, "checking the logger serial", err);
			link_close(l);
			return -1;
		}
		l->st.failures = 0;
		l->st.last_error[0] = '\0';
	}
	*out = l;
	return 0;
}

const char *link_detect_note(const struct link *l)
{
	return l->detect;
}

int link_busy(const struct link *l)
{
	return l && l->st.busy;
}

void link_close(struct link *l)
{
	if (!l)
		return;
	disconnect(l);
	free(l->holes);
	free(l);
}

void link_unserved_add(struct link *l, int fc, unsigned from, unsigned to, int confirmed)
{
	if (from > to || link_unserved_any(l, fc, from, to, confirmed) == 2)
		return;
	l->holes = xrealloc(l->holes, (l->nholes + 1) * sizeof *l->holes);
	l->holes[l->nholes++] = (struct hole){ l->p.slave, fc, confirmed, from, to };
}

int link_unserved_any(const struct link *l, int fc, unsigned from, unsigned to, int confirmed)
{
	int any = 0;

	for (size_t i = 0; i < l->nholes; i++) {
		const struct hole *h = &l->holes[i];

		if (h->slave != l->p.slave || h->fc != fc || h->to < from || h->from > to ||
		    (confirmed && !h->confirmed))
			continue;
		if (h->from <= from && h->to >= to)
			return 2;
		any = 1;
	}
	return any;
}

int link_reconnect(struct link *l, struct zcs_err *err)
{
	disconnect(l);
	return do_connect(l, err);
}

int link_connected(const struct link *l)
{
	return l && l->connected;
}

void link_set_slave(struct link *l, int slave)
{
	l->p.slave = slave;
	if (l->ctx)
		modbus_set_slave(l->ctx, slave);
}

void link_set_device(struct link *l, const char *dev)
{
	disconnect(l);
	zcs_strlcpy(l->p.device, dev, sizeof l->p.device);
}

const struct link_params *link_params_of(const struct link *l)
{
	return &l->p;
}

const struct link_stats *link_stats_of(const struct link *l)
{
	return &l->st;
}

void link_stats_reset(struct link *l)
{
	memset(&l->st, 0, sizeof l->st);
}

static void pace(struct link *l)
{
	if (l->p.min_interval_ms > 0 && l->last_req_ms)
		zcs_sleep_ms(l->last_req_ms + l->p.min_interval_ms - zcs_now_ms());
}

static int is_drop(int e)
{
	return e == ECONNRESET || e == EPIPE || e == ENOTCONN || e == ECONNABORTED ||
	       e == EBADF || e == EIO || e == ENXIO || e == ENODEV;
}

/* Translate the errno of a failed request; `what` names it. */
static int request_fail(struct link *l, int e, const char *what, struct zcs_err *err)
{
	char d[300];
	const struct link_params *p = &l->p;
	int exc = e > MODBUS_ENOBASE && e < MODBUS_ENOBASE + 12 ? e - MODBUS_ENOBASE : 0;
	struct zcs_err scratch = { 0 };

	if (!err)       /* the failure is still counted and kept in last_error */
		err = &scratch;
	link_describe(p, d, sizeof d);
	err->sys_errno = e;
	err->exception = exc;
	l->st.failures++;
	l->st.busy = 0;
	if (e == ETIMEDOUT && l->t && l->t->stream && p->busy_ms > 0 && l->st.last_ok_ms &&
	    zcs_now_ms() - l->st.last_ok_ms < p->busy_ms) {
		/* a logger that answered a moment ago and keeps the connection:
		 * busy (its cloud upload), not gone */
		l->st.busy = 1;
		l->st.busy_since_ms = l->st.last_ok_ms;
		zcs_fail(err, ZCS_LINK, _("%s: the logger at %s is busy: no answer for %.0f s (a "
			   "stick stalls 10-15 s while it uploads to its cloud): waiting for it"), what,
			 d, (double)(zcs_now_ms() - l->st.last_ok_ms) / 1000);
	} else if (e == LINK_EWRONGSERIAL)
		zcs_fail(err, ZCS_LOGGER_SERIAL, _("%s: the logger at %s:%d is serial %lu, not %lu: "
			   "give --logger-serial %lu (the number on the stick's label; 'zcs-commission "
			   "ports --lan' lists the sticks)"), what, p->host, p->port,
			 (unsigned long)l->seen_serial, (unsigned long)p->logger_serial,
			 (unsigned long)l->seen_serial);
	else if (e == LINK_ELOGGER)
		zcs_fail(err, ZCS_LOGGER_ALONE, _("%s: the logger at %s answers, but the inverter "
			   "behind it does not (the logger's error frame, code 0x%02X): check the stick "
			   "sits firmly in the inverter's port, the inverter has power and its RS485 "
			   "address is %d (--slave)"), what, d, l->logger_code, p->slave);
	else if (e == ETIMEDOUT && p->kind == LINK_TCP && p->framing == LINK_FRAMING_V5)
		zcs_fail(err, ZCS_LINK, _("%s: no answer from the logger at %s within %d ms: a Wi-Fi "
			   "stick ignores a request naming another serial (check --logger-serial: its "
			   "label, or 'zcs-commission ports --lan'), or it is uploading to its cloud "
			   "(try again in 15 s)"), what, d, p->response_timeout_ms);
	else if (e == ETIMEDOUT && p->kind == LINK_TCP && p->framing == LINK_FRAMING_RTU)
		zcs_fail(err, ZCS_LINK, _("%s: no answer from slave %d through the logger at %s "
			   "within %d ms: the stick took the connection, so either the inverter behind "
			   "it is silent (the stick in its port? the inverter powered? its RS485 "
			   "address) or the stick does not speak RTU over TCP (try --framing auto)"),
			 what, p->slave, d, p->response_timeout_ms);
	else if (exc == 2)
		zcs_fail(err, ZCS_DEVICE, _("%s: slave %d answered 'illegal data address': this "
			   "register does not exist on this unit: wrong register map?"), what, p->slave);
	else if (exc == 3)
		zcs_fail(err, ZCS_DEVICE, _("%s: slave %d answered 'illegal data value': the unit "
			   "refuses that value or that many registers at once"), what, p->slave);
	else if (exc == 1)
		zcs_fail(err, ZCS_DEVICE, _("%s: slave %d answered 'illegal function': the unit does "
			   "not support this request: wrong register map?"), what, p->slave);
	else if (exc == 6 || exc == 5)
		zcs_fail(err, ZCS_DEVICE, _("%s: slave %d is busy (%s): wait a few seconds and try "
			   "again"), what, p->slave, link_exception_name(exc));
	else if (exc == 10 || exc == 11)
		zcs_fail(err, ZCS_DEVICE, _("%s: the gateway at %s cannot reach slave %d (%s): check "
			   "the RS485 wiring between the HUB or logger and the inverter, and the "
			   "inverter's address"), what, d, p->slave, link_exception_name(exc));
	else if (exc)
		zcs_fail(err, ZCS_DEVICE, _("%s: slave %d answered exception %d (%s)"), what,
			 p->slave, exc, link_exception_name(exc));
	else if (e == ETIMEDOUT && p->kind == LINK_RTU)
		zcs_fail(err, ZCS_LINK, _("%s: no answer from slave %d on %s within %d ms: check the "
			   "A/B wires, the inverter's RS485 address and the baud rate"), what, p->slave,
			 d, p->response_timeout_ms);
	else if (e == ETIMEDOUT)
		zcs_fail(err, ZCS_LINK, _("%s: no answer from slave %d at %s within %d ms: check the "
			   "unit id and that the HUB or logger reaches the inverter (it may be busy: "
			   "raise --timeout or --interval)"), what, p->slave, d, p->response_timeout_ms);
	else if (e == EMBBADCRC)
		zcs_fail(err, ZCS_LINK, _("%s: garbled reply from slave %d on %s (CRC error): check "
			   "the A/B wires and screen, a 120 ohm terminator on long lines, and that no "
			   "other master talks on the bus"), what, p->slave, d);
	else if (e == EMBBADSLAVE)
		zcs_fail(err, ZCS_LINK, _("%s: a different slave answered on %s%s%s: two devices share "
			   "address %d, or the gateway routes to the wrong one?"), what, d,
			 *l->why ? ": " : "", l->why, p->slave);
	else if (e == EMBBADDATA || e == EMBMDATA || e == EMBBADEXC)
		zcs_fail(err, ZCS_LINK, _("%s: malformed reply from slave %d on %s%s%s: wrong framing "
			   "(parity, stop bits) or a logger in the wrong mode; the reply was not used"),
			 what, p->slave, d, *l->why ? ": " : "", l->why);
	else if (is_drop(e) && p->kind == LINK_TCP && p->framing != LINK_FRAMING_MBAP)
		zcs_fail(err, ZCS_LINK, _("%s: the logger at %s closed the connection (another "
			   "client took it? a stick serves few at a time)"), what, d);
	else if (is_drop(e) && p->kind == LINK_TCP)
		zcs_fail(err, ZCS_LINK, _("%s: %s closed the connection (another client took the "
			   "HUB port? it serves one at a time)"), what, d);
	else if (is_drop(e))
		zcs_fail(err, ZCS_LINK, _("%s: the adapter on %s stopped answering: was it unplugged? "
			   "check the USB cable"), what, p->device);
	else
		zcs_fail(err, ZCS_LINK, _("%s: %s on %s"), what, modbus_strerror(e), d);
	zcs_strlcpy(l->st.last_error, err->msg, sizeof l->st.last_error);
	if (is_drop(e))
		disconnect(l);
	else if (!exc && l->ctx)
		modbus_flush(l->ctx);
	return -1;
}

int link_parse_reply(int tcp, const uint8_t *adu, int len, int slave, unsigned tid, int fc,
		     unsigned n, uint16_t *dst, int *stale, char *why, size_t nwhy)
{
	int off = tcp ? 7 : 1, tail = tcp ? 0 : 2;
	unsigned f, bc;

	*stale = 0;
	if (nwhy)
		why[0] = '\0';
	if (!adu || len < off + 2 + tail) {
		snprintf(why, nwhy, "a frame of %d bytes is too short", len);
		return EMBBADDATA;
	}
	if (tcp) {
		unsigned rtid = (unsigned)adu[0] << 8 | adu[1];
		unsigned proto = (unsigned)adu[2] << 8 | adu[3];
		unsigned mlen = (unsigned)adu[4] << 8 | adu[5];

		if (proto != 0) {
			snprintf(why, nwhy, "protocol id %u instead of 0 (Modbus)", proto);
			return EMBBADDATA;
		}
		if (mlen != (unsigned)(len - 6)) {
			snprintf(why, nwhy, "its header says %u bytes follow, %d did", mlen, len - 6);
			return EMBBADDATA;
		}
		if (rtid != tid) {
			/* a reply to one of the last requests came late or twice */
			*stale = ((tid - rtid) & 0xFFFF) < 16;
			snprintf(why, nwhy, "transaction id %u, the request's was %u", rtid, tid);
			return EMBBADDATA;
		}
	}
	if (adu[off - 1] != slave) {
		snprintf(why, nwhy, "unit id %u answered a request to %d", adu[off - 1], slave);
		return EMBBADSLAVE;
	}
	f = adu[off];
	if (f == ((unsigned)fc | 0x80)) {
		unsigned code = adu[off + 1];

		if (len != off + 2 + tail) {
			snprintf(why, nwhy, "an exception reply of %d bytes", len);
			return EMBBADDATA;
		}
		if (code >= 1 && code <= 11)
			return MODBUS_ENOBASE + (int)code;
		snprintf(why, nwhy, "exception code %u, which Modbus does not define", code);
		return EMBBADEXC;
	}
	if (f != (unsigned)fc) {
		snprintf(why, nwhy, "function %u in reply to function %d", f, fc);
		return EMBBADDATA;
	}
	bc = adu[off + 1];
	if (bc != 2 * n) {
		snprintf(why, nwhy, "byte count %u for %u registers", bc, n);
		return EMBBADDATA;
	}
	if (len != off + 2 + (int)(2 * n) + tail) {
		snprintf(why, nwhy, "a frame of %d bytes for %u registers", len, n);
		return EMBBADDATA;
	}
	for (unsigned i = 0; i < n; i++)
		dst[i] = (uint16_t)(adu[off + 2 + 2 * i] << 8 | adu[off + 3 + 2 * i]);
	return 0;
}

/* One read request and its reply through libmodbus, checked whole.  0, or
 * -1 with errno. */
static int mb_read(struct link *l, int fc, unsigned addr, unsigned n, uint16_t *dst)
{
	uint8_t rsp[MODBUS_TCP_MAX_ADU_LENGTH];
	int tcp = l->p.kind == LINK_TCP;

	l->why[0] = '\0';
	modbus_flush(l->ctx);           /* nothing left from an earlier exchange */
	if (tcp) {
		uint8_t req[12];
		int fd = modbus_get_socket(l->ctx);

		l->tid = (l->tid + 1) & 0xFFFF;
		req[0] = (uint8_t)(l->tid >> 8);
		req[1] = (uint8_t)l->tid;
		req[2] = req[3] = req[4] = 0;
		req[5] = 6;
		req[6] = (uint8_t)l->p.slave;
		req[7] = (uint8_t)fc;
		req[8] = (uint8_t)(addr >> 8);
		req[9] = (uint8_t)addr;
		req[10] = (uint8_t)(n >> 8);
		req[11] = (uint8_t)n;
		if (send(fd, req, sizeof req, MSG_NOSIGNAL) != (ssize_t)sizeof req) {
			if (errno == EAGAIN || errno == 0)
				errno = EIO;
			return -1;
		}
	} else {
		uint8_t req[6] = { (uint8_t)l->p.slave, (uint8_t)fc, (uint8_t)(addr >> 8),
				   (uint8_t)addr, (uint8_t)(n >> 8), (uint8_t)n };

		if (modbus_send_raw_request(l->ctx, req, (int)sizeof req) < 0)
			return -1;
	}
	for (int tries = 0; tries < 4; tries++) {
		int len = modbus_receive_confirmation(l->ctx, rsp), stale, e;

		if (len < 0)
			return -1;
		if (len == 0) {         /* libmodbus's RTU filter: another address */
			snprintf(l->why, sizeof l->why, "a frame for another address");
			errno = EMBBADSLAVE;
			return -1;
		}
		e = link_parse_reply(tcp, rsp, len, l->p.slave, l->tid, fc, n, dst, &stale,
				     l->why, sizeof l->why);
		if (e == 0)
			return 0;
		if (!stale) {
			errno = e;
			return -1;
		}
	}
	errno = EMBBADDATA;
	return -1;
}

static void count(struct link *l, unsigned req_pdu, unsigned resp_pdu)
{
	/* RTU: address + PDU + CRC; MBAP has its 7-byte header instead; V5
	 * wraps the whole RTU frame in its header, payload head and trailer.
	 * The wire time is the RTU line's behind the gateway or logger. */
	unsigned long long tx = req_pdu + l->t->extra_tx, rx = resp_pdu + l->t->extra_rx;

	l->st.bytes_tx += tx;
	l->st.bytes_rx += rx;
	/* the request and the reply, each followed by its 3.5-character silence */
	l->st.wire_ms += link_frame_ms(&l->p, (req_pdu + 3) + (resp_pdu + 3), 2);
}

static void answered(struct link *l)
{
	l->st.last_ok_ms = l->last_req_ms;
	l->st.busy = 0;
	l->st.busy_since_ms = 0;
}

static int ensure_connected(struct link *l, struct zcs_err *err)
{
	if (l->connected)
		return 0;
	return link_reconnect(l, err);
}

int link_read(struct link *l, int fc, unsigned addr, unsigned n, uint16_t *dst,
	      struct zcs_err *err)
{
	char what[64];
	int rc, e;

	if (n == 1)
		snprintf(what, sizeof what, _("reading 1 register at 0x%04X"), addr);
	else
		snprintf(what, sizeof what, _("reading %u registers at 0x%04X"), n, addr);
	if (n < 1 || n > 125 || (fc != 3 && fc != 4))
		return zcs_fail(err, ZCS_USAGE, "%s: a read takes 1..125 registers with FC 3 or 4",
				what);
	if (ensure_connected(l, err) < 0)
		return -1;
	pace(l);
	l->st.transactions++;
	rc = l->t->read(l, fc, addr, n, dst);
	e = errno;
	l->last_req_ms = zcs_now_ms();
	if (rc < 0) {
		count(l, 5, 2);
		if (is_drop(e) && l->p.kind == LINK_TCP && link_reconnect(l, NULL) == 0) {
			l->st.transactions++;
			rc = l->t->read(l, fc, addr, n, dst);
			e = errno;
			l->last_req_ms = zcs_now_ms();
		}
		if (rc < 0)
			return request_fail(l, e, what, err);
	}
	count(l, 5, 2 + 2 * n);
	answered(l);
	return 0;
}

int link_write(struct link *l, unsigned addr, unsigned n, const uint16_t *src,
	       struct zcs_err *err)
{
	char what[64];
	int rc, e;

	if (n == 1)
		snprintf(what, sizeof what, _("writing 1 register at 0x%04X"), addr);
	else
		snprintf(what, sizeof what, _("writing %u registers at 0x%04X"), n, addr);
	if (n < 1 || n > 123)
		return zcs_fail(err, ZCS_USAGE, "%s: one write takes 1..123 registers", what);
	if (ensure_connected(l, err) < 0)
		return -1;
	pace(l);
	l->st.transactions++;
	rc = l->t->write(l, addr, n, src);
	e = errno;
	l->last_req_ms = zcs_now_ms();
	if (rc < 0) {
		count(l, 6 + 2 * n, 2);
		return request_fail(l, e, what, err);
	}
	count(l, 6 + 2 * n, 5);
	answered(l);
	return 0;
}
