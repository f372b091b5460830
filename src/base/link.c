/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/link.h"

#include <errno.h>
#include <fcntl.h>
#include <modbus.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/lex.h"
#include "base/paths.h"
#include "base/rtutcp.h"
#include "base/util.h"
#include "base/v5.h"

/* Failures only the loggers have, as errno values beside libmodbus's. */
#define LINK_EWRONGSERIAL (MODBUS_ENOBASE + 200)  /* V5: another logger serial */
#define LINK_ELOGGER      (MODBUS_ENOBASE + 201)  /* V5: the logger's error frame */

struct link;

/* A transport: how one request and its reply travel.  read and write
 * return 0, or -1 with errno (libmodbus's values, or the two above). */
struct transport {
	const char *name;
	int (*connect)(struct link *l, struct zcs_err *err);
	void (*disconnect)(struct link *l);
	int (*read)(struct link *l, int fc, unsigned addr, unsigned n, uint16_t *dst);
	int (*write)(struct link *l, unsigned addr, unsigned n, const uint16_t *src);
	unsigned extra_tx, extra_rx;   /* bytes each frame adds to the PDU */
	int stream;                    /* our own TCP socket, not libmodbus */
};

struct hole {
	int slave, fc, confirmed;
	unsigned from, to;
};

struct link {
	struct link_params p;
	const struct transport *t;
	modbus_t *ctx;
	int fd;                     /* stream transports: the TCP socket */
	uint8_t rx[V5_MAX_FRAME * 2];
	size_t nrx;
	uint8_t seq;                /* V5: our sequence byte */
	uint32_t seen_serial;       /* V5: the serial a logger answered as */
	unsigned logger_code;       /* V5: the code of its error frame */
	char detect[200];           /* --framing auto: what each framing did */
	int connected;
	int64_t last_req_ms;
	struct link_stats st;
	struct hole *holes;         /* learned: not served by the unit at .slave */
	size_t nholes;
	unsigned tid;               /* TCP transaction id of the last read */
	char why[160];              /* what was wrong with the last reply */
};

void link_params_default(struct link_params *p)
{
	memset(p, 0, sizeof *p);
	p->kind = LINK_NONE;
	p->baud = 9600;
	p->parity = 'N';
	p->data_bits = 8;
	p->stop_bits = 1;
	p->port = 502;
	p->slave = 1;
	p->response_timeout_ms = 500;
	p->byte_timeout_ms = 50;
	p->framing = LINK_FRAMING_MBAP;
}

int link_framing_parse(const char *s)
{
	static const char *const names[] = { "mbap", "rtu", "v5", "auto" };

	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

const char *link_framing_name(const struct link_params *p)
{
	if (p->kind == LINK_RTU)
		return "Modbus RTU";
	switch (p->framing) {
	case LINK_FRAMING_RTU: return "RTU over TCP";
	case LINK_FRAMING_V5: return "Solarman V5";
	case LINK_FRAMING_AUTO: return "found by --framing auto";
	default: return "Modbus TCP (MBAP)";
	}
}

static int want_int(const char *opt, const char *arg, long lo, long hi, int *out,
		    struct zcs_err *err)
{
	long v;

	if (!arg || zcs_parse_long(arg, &v) < 0 || v < lo || v > hi)
		return zcs_fail(err, ZCS_USAGE, "%s needs a whole number from %ld to %ld, not '%s'",
				opt, lo, hi, arg ? arg : "");
	*out = (int)v;
	return 1;
}

static int parse_tcp(struct link_params *p, const char *opt, const char *arg,
		     struct zcs_err *err)
{
	const char *colon = strrchr(arg, ':');
	char what[40];

	p->kind = LINK_TCP;
	if (p->response_timeout_ms == 500)
		p->response_timeout_ms = 1000;
	if (!colon) {
		if (strlen(arg) >= sizeof p->host)
			return zcs_fail(err, ZCS_USAGE, "%s: the host name is too long", opt);
		zcs_strlcpy(p->host, arg, sizeof p->host);
		return 1;
	}
	if ((size_t)(colon - arg) >= sizeof p->host || colon == arg)
		return zcs_fail(err, ZCS_USAGE, "%s takes HOST[:PORT], not '%s'", opt, arg);
	memcpy(p->host, arg, (size_t)(colon - arg));
	p->host[colon - arg] = 0;
	snprintf(what, sizeof what, "%s PORT", opt);
	return want_int(what, colon + 1, 1, 65535, &p->port, err);
}

/* A data logger stick: port 8899 unless told, a longer timeout, and its
 * cloud-upload stalls tolerated as "busy". */
static void logger_defaults(struct link_params *p)
{
	if (p->port == 502)
		p->port = 8899;
	if (p->response_timeout_ms <= 1000)
		p->response_timeout_ms = 3000;
	if (p->byte_timeout_ms == 50)
		p->byte_timeout_ms = 200;
	if (!p->busy_ms)
		p->busy_ms = 20000;
}

int link_params_option(struct link_params *p, const char *opt, const char *arg,
		       struct zcs_err *err)
{
	if (strcmp(opt, "--port") == 0) {
		if (!arg || !*arg)
			return zcs_fail(err, ZCS_USAGE, "--port needs a device, e.g. /dev/ttyUSB0");
		p->kind = LINK_RTU;
		zcs_strlcpy(p->device, arg, sizeof p->device);
		return 1;
	}
	if (strcmp(opt, "--tcp") == 0) {
		if (!arg || !*arg)
			return zcs_fail(err, ZCS_USAGE, "--tcp needs HOST[:PORT]");
		return parse_tcp(p, opt, arg, err);
	}
	if (strcmp(opt, "--solarman") == 0 || strcmp(opt, "--rtu-over-tcp") == 0) {
		int v5 = opt[2] == 's';

		if (!arg || !*arg)
			return zcs_fail(err, ZCS_USAGE, "%s needs HOST[:PORT] (the stick's address; "
					"port 8899 unless told)%s", opt,
					v5 ? ": 'zcs-commission ports --lan' finds Wi-Fi sticks" : "");
		p->port = 502;
		if (parse_tcp(p, opt, arg, err) < 0)
			return -1;
		p->framing = v5 ? LINK_FRAMING_V5 : LINK_FRAMING_RTU;
		logger_defaults(p);
		return 1;
	}
	if (strcmp(opt, "--framing") == 0) {
		int f = link_framing_parse(arg);

		if (f < 0)
			return zcs_fail(err, ZCS_USAGE, "--framing is auto, mbap, rtu (RTU over TCP, "
					"the ETH stick) or v5 (Solarman V5, the Wi-Fi stick), not '%s'",
					arg ? arg : "");
		p->framing = (enum link_framing)f;
		if (f != LINK_FRAMING_MBAP)
			logger_defaults(p);
		return 1;
	}
	if (strcmp(opt, "--logger-serial") == 0) {
		long long v;
		char *end;

		errno = 0;
		v = arg ? strtoll(arg, &end, 10) : -1;
		if (!arg || !*arg || errno || *end || v < 1 || v > 4294967295LL)
			return zcs_fail(err, ZCS_USAGE, "--logger-serial is the Wi-Fi stick's serial, "
					"a whole number from 1 to 4294967295 (on its label, or found by "
					"'zcs-commission ports --lan'), not '%s'", arg ? arg : "");
		p->logger_serial = (uint32_t)v;
		p->logger_serial_set = 1;
		return 1;
	}
	if (strcmp(opt, "--baud") == 0)
		return want_int(opt, arg, 1200, 115200, &p->baud, err);
	if (strcmp(opt, "--slave") == 0)
		return want_int(opt, arg, 0, 247, &p->slave, err);
	if (strcmp(opt, "--stop") == 0)
		return want_int(opt, arg, 1, 2, &p->stop_bits, err);
	if (strcmp(opt, "--timeout") == 0)
		return want_int(opt, arg, 10, 60000, &p->response_timeout_ms, err);
	if (strcmp(opt, "--byte-timeout") == 0)
		return want_int(opt, arg, 1, 10000, &p->byte_timeout_ms, err);
	if (strcmp(opt, "--interval") == 0)
		return want_int(opt, arg, 0, 60000, &p->min_interval_ms, err);
	if (strcmp(opt, "--parity") == 0) {
		if (!arg || strlen(arg) != 1 || !strchr("NEOneo", arg[0]))
			return zcs_fail(err, ZCS_USAGE, "--parity is N, E or O, not '%s'",
					arg ? arg : "");
		p->parity = (char)(arg[0] & ~0x20);
		return 1;
	}
	if (strcmp(opt, "--preset") == 0) {
		if (!arg)
			return zcs_fail(err, ZCS_USAGE, "--preset needs a name from data/links.conf");
		return link_apply_preset(p, arg, err) < 0 ? -1 : 1;
	}
	return 0;
}

int link_params_check(const struct link_params *p, struct zcs_err *err)
{
	if (p->kind == LINK_NONE)
		return zcs_fail(err, ZCS_USAGE,
				"no connection given: use --port DEV (RS485 adapter) or "
				"--tcp HOST[:PORT] (HUB, logger or simulator)");
	if (p->kind == LINK_TCP && !*p->host)
		return zcs_fail(err, ZCS_USAGE, "--preset needs --tcp HOST too");
	if (p->kind == LINK_TCP && p->framing == LINK_FRAMING_V5 && !p->logger_serial_set)
		return zcs_fail(err, ZCS_USAGE, "a Solarman V5 link needs --logger-serial N: the "
				"Wi-Fi stick's serial, on its label, or found by 'zcs-commission "
				"ports --lan' (or try --tcp HOST:8899 --framing auto, which learns it)");
	if (p->kind != LINK_TCP && (p->framing != LINK_FRAMING_MBAP || p->logger_serial_set))
		return zcs_fail(err, ZCS_USAGE, "--framing and --logger-serial are for a TCP link "
				"(--tcp, --solarman, --rtu-over-tcp), not a serial port");
	if (p->slave == 0 && p->kind == LINK_RTU)
		return zcs_fail(err, ZCS_USAGE,
				"--slave 0 is the broadcast address: nobody answers it; the "
				"inverter's RS485 address is 1 unless it was changed");
	return 0;
}

const char *link_describe(const struct link_params *p, char *buf, size_t n)
{
	if (p->kind == LINK_RTU)
		snprintf(buf, n, "%s at %d %d%c%d", p->device, p->baud, p->data_bits, p->parity,
			 p->stop_bits);
	else if (p->kind == LINK_TCP && p->framing == LINK_FRAMING_V5)
		snprintf(buf, n, "%s:%d%s%s (Solarman V5, logger %lu)", p->host, p->port,
			 *p->preset ? " " : "", p->preset, (unsigned long)p->logger_serial);
	else if (p->kind == LINK_TCP && p->framing == LINK_FRAMING_RTU)
		snprintf(buf, n, "%s:%d%s%s (RTU over TCP)", p->host, p->port, *p->preset ? " " : "",
			 p->preset);
	else if (p->kind == LINK_TCP)
		snprintf(buf, n, "%s:%d%s%s", p->host, p->port, *p->preset ? " " : "", p->preset);
	else
		snprintf(buf, n, "(no connection)");
	return buf;
}

/* data/links.conf:  preset NAME port=N [timeout=MS] [interval=MS]
 *                   [framing=mbap|rtu|v5|auto] [busy=MS] note="..." */
int link_apply_preset(struct link_params *p, const char *name, struct zcs_err *err)
{
	char *path = paths_data_file("links.conf");
	struct lex_file lf;
	struct lex_line ln;
	int rc, found = 0;

	if (lex_open(&lf, path, err) < 0) {
		free(path);
		return -1;
	}
	free(path);
	while ((rc = lex_next(&lf, &ln, err)) > 0 && !found) {
		const char *fr;
		long v;

		if (ln.n < 2 || strcmp(ln.tok[0].val, "preset") || strcmp(ln.tok[1].val, name))
			continue;
		found = 1;
		v = p->port;
		if (lex_long(&lf, &ln, "port", &v, 1, err) < 0)
			break;
		p->port = (int)v;
		v = p->response_timeout_ms;
		if (lex_long(&lf, &ln, "timeout", &v, 0, err) < 0)
			break;
		p->response_timeout_ms = (int)v;
		v = p->min_interval_ms;
		if (lex_long(&lf, &ln, "interval", &v, 0, err) < 0)
			break;
		p->min_interval_ms = (int)v;
		if ((fr = lex_get(&ln, "framing"))) {
			int f = link_framing_parse(fr);

			if (f < 0) {
				rc = lex_fail(&lf, ln.lineno, err, "framing=%s: auto, mbap, rtu or v5",
					      fr);
				break;
			}
			p->framing = (enum link_framing)f;
			if (f != LINK_FRAMING_MBAP && !p->busy_ms)
				p->busy_ms = 20000;
		}
		v = p->busy_ms;
		if (lex_long(&lf, &ln, "busy", &v, 0, err) < 0)
			break;
		p->busy_ms = (int)v;
		p->kind = LINK_TCP;
		zcs_strlcpy(p->preset, name, sizeof p->preset);
		rc = 0;
	}
	lex_close(&lf);
	if (rc < 0)
		return -1;
	if (!found)
		return zcs_fail(err, ZCS_USAGE, "no preset '%s' in data/links.conf "
				"(hub-inverters, hub-meters, power-magic, eth-stick, wifi-stick)", name);
	return 0;
}

const char *link_exception_name(int code)
{
	switch (code) {
	case 1: return "illegal function";
	case 2: return "illegal data address";
	case 3: return "illegal data value";
	case 4: return "slave device failure";
	case 5: return "acknowledge (still processing)";
	case 6: return "slave device busy";
	case 8: return "memory parity error";
	case 10: return "gateway path unavailable";
	case 11: return "gateway target failed to respond";
	}
	return "unknown exception";
}

double link_wire_ms(const struct link_params *p, unsigned long long bytes)
{
	int bits = 1 + p->data_bits + (p->parity != 'N') + p->stop_bits;

	return p->baud > 0 ? (double)bytes * bits * 1000.0 / p->baud : 0;
}

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
				"%s is in use by another program: close it (another "
				"zcs-commission, a logger, mbpoll) and try again", l->p.device);
	return 0;
}

static int open_fail(struct link *l, int e, struct zcs_err *err)
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
		return zcs_fail(err, ZCS_LINK, "no serial device %s: is the USB-RS485 adapter "
				"plugged in? 'zcs-commission ports' lists the adapters it sees",
				l->p.device);
	case EACCES:
	case EPERM:
		return zcs_fail(err, ZCS_LINK, "permission denied on %s: join the dialout group "
				"(sudo usermod -aG dialout $USER), then log out and in again",
				l->p.device);
	case EBUSY:
		return zcs_fail(err, ZCS_LINK, "%s is busy: another program holds it", l->p.device);
	case ECONNREFUSED:
		return zcs_fail(err, ZCS_LINK, "nothing accepts %s connections at %s: "
				"check the address and port (HUB inverters 55400, meters 55401, "
				"Power Magic 502, ETH and Wi-Fi sticks 8899)",
				l->p.framing == LINK_FRAMING_MBAP ? "Modbus TCP" : "TCP", d);
	case EHOSTUNREACH:
	case ENETUNREACH:
	case ETIMEDOUT:
	case EINPROGRESS:
		return zcs_fail(err, ZCS_LINK, "cannot reach %s: check the network cable or Wi-Fi "
				"and that the laptop is on the HUB's network", d);
	}
	return zcs_fail(err, ZCS_LINK, "cannot open %s: %s", d, strerror(e));
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
		return open_fail(l, e, err);
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

/* ---- our own TCP stream (RTU over TCP, Solarman V5) ---------------------- */

static int stream_connect(struct link *l, struct zcs_err *err)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai, *r;
	char port[16];
	int fd = -1, e = ECONNREFUSED, one = 1, gai;

	snprintf(port, sizeof port, "%d", l->p.port);
	if ((gai = getaddrinfo(l->p.host, port, &hints, &ai)) != 0)
		return zcs_fail(err, ZCS_LINK, "cannot find the host %s: %s: check the address "
				"(the stick's IP address, 'zcs-commission ports --lan' lists Wi-Fi "
				"sticks)", l->p.host, gai_strerror(gai));
	for (r = ai; r && fd < 0; r = r->ai_next) {
		struct pollfd pf;
		socklen_t len = sizeof e;

		fd = socket(r->ai_family, r->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, r->ai_protocol);
		if (fd < 0) {
			e = errno;
			continue;
		}
		if (connect(fd, r->ai_addr, r->ai_addrlen) == 0)
			break;
		e = errno;
		if (e == EINPROGRESS) {
			pf = (struct pollfd){ .fd = fd, .events = POLLOUT };
			if (poll(&pf, 1, l->p.response_timeout_ms) == 1 &&
			    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == 0 && e == 0)
				break;
			if (e == EINPROGRESS)
				e = ETIMEDOUT;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd < 0)
		return open_fail(l, e, err);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	l->fd = fd;
	l->nrx = 0;
	return 0;
}

static void stream_disconnect(struct link *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	l->nrx = 0;
}

/* Throw away whatever arrived since the last exchange (a late reply, a
 * heartbeat): a request starts on a quiet line, as on RS485. */
static int stream_drain(struct link *l)
{
	uint8_t junk[256];
	ssize_t r;

	l->nrx = 0;
	while ((r = recv(l->fd, junk, sizeof junk, MSG_DONTWAIT)) > 0)
		;
	if (r == 0) {
		errno = ECONNRESET;
		return -1;
	}
	return 0;
}

static int stream_send(struct link *l, const uint8_t *p, size_t n)
{
	if (stream_drain(l) < 0)
		return -1;
	while (n > 0) {
		ssize_t w = send(l->fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pf = { .fd = l->fd, .events = POLLOUT };

			if (poll(&pf, 1, l->p.response_timeout_ms) <= 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			continue;
		}
		if (w <= 0) {
			if (w == 0 || errno == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* More bytes into l->rx before `deadline`; with a partial frame waiting,
 * no more than the byte timeout.  0, or -1 with errno (ETIMEDOUT, a gap in
 * a frame is EMBBADDATA, a closed connection ECONNRESET). */
static int stream_more(struct link *l, int64_t deadline)
{
	int64_t now = zcs_now_ms();
	int wait = (int)(deadline - now);
	struct pollfd pf = { .fd = l->fd, .events = POLLIN };
	ssize_t r;

	if (l->nrx > 0 && wait > l->p.byte_timeout_ms)
		wait = l->p.byte_timeout_ms;
	if (l->nrx >= sizeof l->rx) {
		errno = EMBBADDATA;
		return -1;
	}
	if (wait <= 0 || poll(&pf, 1, wait) == 0) {
		if (l->nrx > 0) {
			snprintf(l->why, sizeof l->why, "the reply stopped after %zu bytes", l->nrx);
			errno = EMBBADDATA;
		} else {
			errno = ETIMEDOUT;
		}
		return -1;
	}
	r = recv(l->fd, l->rx + l->nrx, sizeof l->rx - l->nrx, MSG_DONTWAIT);
	if (r == 0) {
		errno = ECONNRESET;
		return -1;
	}
	if (r < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	l->nrx += (size_t)r;
	return 0;
}

/* One RTU reply to function fc, whole, into l->rx[0..*len-1]. */
static int rtu_receive(struct link *l, int fc, int64_t deadline, size_t *len)
{
	for (;;) {
		long need = rtu_reply_len(l->rx, l->nrx, fc);

		if (need < 0) {
			snprintf(l->why, sizeof l->why, "a reply beginning %02X %02X to function %d",
				 l->rx[0], l->rx[1], fc);
			errno = EMBBADDATA;
			return -1;
		}
		if (need > 0 && l->nrx >= (size_t)need) {
			*len = (size_t)need;
			if (l->nrx > (size_t)need) {
				snprintf(l->why, sizeof l->why, "%zu bytes more than the reply's %ld",
					 l->nrx - (size_t)need, need);
				errno = EMBBADDATA;
				return -1;
			}
			if (!rtu_crc_ok(l->rx, (size_t)need)) {
				errno = EMBBADCRC;
				return -1;
			}
			return 0;
		}
		if (stream_more(l, deadline) < 0)
			return -1;
	}
}

/* One V5 reply to our request: the RTU frame it carries, checked by
 * CRC, in *rtu and *nrtu (pointing into l->rx).  Heartbeats, the logger's other
 * frames and late replies are skipped. */
static int v5_receive(struct link *l, int64_t deadline, const uint8_t **rtu, size_t *nrtu)
{
	for (;;) {
		long need = v5_frame_len(l->rx, l->nrx);
		struct v5_reply r;

		if (need < 0) {
			uint8_t *a = memchr(l->rx + 1, V5_START, l->nrx - 1);
			size_t drop = a ? (size_t)(a - l->rx) : l->nrx;

			memmove(l->rx, l->rx + drop, l->nrx - drop);   /* resynchronise */
			l->nrx -= drop;
			l->st.skipped++;
			continue;
		}
		if (need > 0 && l->nrx >= (size_t)need) {
			enum v5_kind k = v5_parse_reply(l->rx, (size_t)need, l->p.logger_serial, l->seq,
							&r, l->why, sizeof l->why);

			if (k == V5_SKIP) {
				l->st.skipped++;
				memmove(l->rx, l->rx + need, l->nrx - (size_t)need);
				l->nrx -= (size_t)need;
				continue;
			}
			if (k == V5_WRONG_SERIAL) {
				l->seen_serial = r.serial;
				errno = LINK_EWRONGSERIAL;
				return -1;
			}
			if (k == V5_LOGGER_ERROR) {
				/* a short payload whose code is a Modbus exception the
				 * inverter gave; any other code: the logger's own */
				l->logger_code = r.code;
				errno = r.code >= 1 && r.code <= 6 ? MODBUS_ENOBASE + (int)r.code
								   : LINK_ELOGGER;
				return -1;
			}
			if (k == V5_BAD) {
				errno = EMBBADDATA;
				return -1;
			}
			if (!rtu_crc_ok(r.rtu, r.nrtu)) {
				errno = EMBBADCRC;
				return -1;
			}
			*rtu = r.rtu;
			*nrtu = r.nrtu;
			return 0;
		}
		if (stream_more(l, deadline) < 0)
			return -1;
	}
}

/* Send one RTU request the transport's way and take its reply's RTU frame. */
static int stream_exchange(struct link *l, const uint8_t *req, size_t nreq, int fc,
			   const uint8_t **rsp, size_t *nrsp)
{
	int64_t deadline;

	if (l->p.framing == LINK_FRAMING_V5) {
		uint8_t f[V5_MAX_FRAME];
		size_t n;

		l->seq = (uint8_t)(l->seq + 1);
		n = v5_build_request(f, sizeof f, l->p.logger_serial, l->seq, req, nreq);
		if (stream_send(l, f, n) < 0)
			return -1;
		deadline = zcs_now_ms() + l->p.response_timeout_ms;
		return v5_receive(l, deadline, rsp, nrsp);
	}
	if (stream_send(l, req, nreq) < 0)
		return -1;
	deadline = zcs_now_ms() + l->p.response_timeout_ms;
	if (rtu_receive(l, fc, deadline, nrsp) < 0)
		return -1;
	*rsp = l->rx;
	return 0;
}

static int stream_read(struct link *l, int fc, unsigned addr, unsigned n, uint16_t *dst)
{
	uint8_t req[8];
	const uint8_t *rsp;
	size_t nrsp;
	int stale, e;

	l->why[0] = '\0';
	rtu_build_read(req, l->p.slave, fc, addr, n);
	if (stream_exchange(l, req, sizeof req, fc, &rsp, &nrsp) < 0)
		return -1;
	e = link_parse_reply(0, rsp, (int)nrsp, l->p.slave, 0, fc, n, dst, &stale, l->why,
			     sizeof l->why);
	if (e) {
		errno = e;
		return -1;
	}
	return 0;
}

static int stream_write(struct link *l, unsigned addr, unsigned n, const uint16_t *src)
{
	uint8_t req[RTU_MAX_ADU];
	const uint8_t *rsp;
	size_t nreq = rtu_build_write(req, sizeof req, l->p.slave, addr, n, src), nrsp;
	int e;

	l->why[0] = '\0';
	if (stream_exchange(l, req, nreq, 16, &rsp, &nrsp) < 0)
		return -1;
	e = rtu_parse_write_reply(rsp, nrsp, l->p.slave, addr, n, l->why, sizeof l->why);
	if (e) {
		errno = e;
		return -1;
	}
	return 0;
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
static const struct transport T_RTUTCP = { "RTU over TCP", stream_connect, stream_disconnect,
					   stream_read, stream_write, 3, 3, 1 };
static const struct transport T_V5 = { "Solarman V5", stream_connect, stream_disconnect,
				       stream_read, stream_write, 3 + V5_OVERHEAD_REQ,
				       3 + V5_OVERHEAD_REPLY, 1 };

static const struct transport *transport_of(const struct link_params *p)
{
	if (p->kind == LINK_RTU)
		return &T_RTU;
	if (p->framing == LINK_FRAMING_RTU)
		return &T_RTUTCP;
	if (p->framing == LINK_FRAMING_V5)
		return &T_V5;
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
	return zcs_fail(err, ZCS_LINK, "nothing at %s answered Modbus TCP (MBAP), RTU over TCP or "
			"Solarman V5 within %d ms each: check the address and port (sticks 8899), "
			"that the stick sits in the inverter's port and the inverter has power",
			d, timeout < 1500 ? timeout : 1500);
}

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
		zcs_fail(err, ZCS_LINK, "%s: the logger at %s is busy: no answer for %.0f s (a "
			 "stick stalls 10-15 s while it uploads to its cloud): waiting for it", what,
			 d, (double)(zcs_now_ms() - l->st.last_ok_ms) / 1000);
	} else if (e == LINK_EWRONGSERIAL)
		zcs_fail(err, ZCS_LOGGER_SERIAL, "%s: the logger at %s:%d is serial %lu, not %lu: "
			 "give --logger-serial %lu (the number on the stick's label; 'zcs-commission "
			 "ports --lan' lists the sticks)", what, p->host, p->port,
			 (unsigned long)l->seen_serial, (unsigned long)p->logger_serial,
			 (unsigned long)l->seen_serial);
	else if (e == LINK_ELOGGER)
		zcs_fail(err, ZCS_LOGGER_ALONE, "%s: the logger at %s answers, but the inverter "
			 "behind it does not (the logger's error frame, code 0x%02X): check the stick "
			 "sits firmly in the inverter's port, the inverter has power and its RS485 "
			 "address is %d (--slave)", what, d, l->logger_code, p->slave);
	else if (e == ETIMEDOUT && p->kind == LINK_TCP && p->framing == LINK_FRAMING_V5)
		zcs_fail(err, ZCS_LINK, "%s: no answer from the logger at %s within %d ms: a Wi-Fi "
			 "stick ignores a request naming another serial (check --logger-serial: its "
			 "label, or 'zcs-commission ports --lan'), or it is uploading to its cloud "
			 "(try again in 15 s)", what, d, p->response_timeout_ms);
	else if (e == ETIMEDOUT && p->kind == LINK_TCP && p->framing == LINK_FRAMING_RTU)
		zcs_fail(err, ZCS_LINK, "%s: no answer from slave %d through the logger at %s "
			 "within %d ms: the stick took the connection, so either the inverter behind "
			 "it is silent (the stick in its port? the inverter powered? its RS485 "
			 "address) or the stick does not speak RTU over TCP (try --framing auto)",
			 what, p->slave, d, p->response_timeout_ms);
	else if (exc == 2)
		zcs_fail(err, ZCS_DEVICE, "%s: slave %d answered 'illegal data address': this "
			 "register does not exist on this unit: wrong register map?", what, p->slave);
	else if (exc == 3)
		zcs_fail(err, ZCS_DEVICE, "%s: slave %d answered 'illegal data value': the unit "
			 "refuses that value or that many registers at once", what, p->slave);
	else if (exc == 1)
		zcs_fail(err, ZCS_DEVICE, "%s: slave %d answered 'illegal function': the unit does "
			 "not support this request: wrong register map?", what, p->slave);
	else if (exc == 6 || exc == 5)
		zcs_fail(err, ZCS_DEVICE, "%s: slave %d is busy (%s): wait a few seconds and try "
			 "again", what, p->slave, link_exception_name(exc));
	else if (exc == 10 || exc == 11)
		zcs_fail(err, ZCS_DEVICE, "%s: the gateway at %s cannot reach slave %d (%s): check "
			 "the RS485 wiring between the HUB or logger and the inverter, and the "
			 "inverter's address", what, d, p->slave, link_exception_name(exc));
	else if (exc)
		zcs_fail(err, ZCS_DEVICE, "%s: slave %d answered exception %d (%s)", what,
			 p->slave, exc, link_exception_name(exc));
	else if (e == ETIMEDOUT && p->kind == LINK_RTU)
		zcs_fail(err, ZCS_LINK, "%s: no answer from slave %d on %s within %d ms: check the "
			 "A/B wires, the inverter's RS485 address and the baud rate", what, p->slave,
			 d, p->response_timeout_ms);
	else if (e == ETIMEDOUT)
		zcs_fail(err, ZCS_LINK, "%s: no answer from slave %d at %s within %d ms: check the "
			 "unit id and that the HUB or logger reaches the inverter (it may be busy: "
			 "raise --timeout or --interval)", what, p->slave, d, p->response_timeout_ms);
	else if (e == EMBBADCRC)
		zcs_fail(err, ZCS_LINK, "%s: garbled reply from slave %d on %s (CRC error): check "
			 "the A/B wires and screen, a 120 ohm terminator on long lines, and that no "
			 "other master talks on the bus", what, p->slave, d);
	else if (e == EMBBADSLAVE)
		zcs_fail(err, ZCS_LINK, "%s: a different slave answered on %s%s%s: two devices share "
			 "address %d, or the gateway routes to the wrong one?", what, d,
			 *l->why ? ": " : "", l->why, p->slave);
	else if (e == EMBBADDATA || e == EMBMDATA || e == EMBBADEXC)
		zcs_fail(err, ZCS_LINK, "%s: malformed reply from slave %d on %s%s%s: wrong framing "
			 "(parity, stop bits) or a logger in the wrong mode; the reply was not used",
			 what, p->slave, d, *l->why ? ": " : "", l->why);
	else if (is_drop(e) && p->kind == LINK_TCP && p->framing != LINK_FRAMING_MBAP)
		zcs_fail(err, ZCS_LINK, "%s: the logger at %s closed the connection (another "
			 "client took it? a stick serves few at a time)", what, d);
	else if (is_drop(e) && p->kind == LINK_TCP)
		zcs_fail(err, ZCS_LINK, "%s: %s closed the connection (another client took the "
			 "HUB port? it serves one at a time)", what, d);
	else if (is_drop(e))
		zcs_fail(err, ZCS_LINK, "%s: the adapter on %s stopped answering: was it unplugged? "
			 "check the USB cable", what, p->device);
	else
		zcs_fail(err, ZCS_LINK, "%s: %s on %s", what, modbus_strerror(e), d);
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

	snprintf(what, sizeof what, "reading %u register%s at 0x%04X", n, n == 1 ? "" : "s", addr);
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

	snprintf(what, sizeof what, "writing %u register%s at 0x%04X", n, n == 1 ? "" : "s", addr);
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
