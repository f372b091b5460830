/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The link's own TCP stream, for the data logger sticks: RTU frames as
 * they are (RTU over TCP, the ETH stick) or inside Solarman V5 frames (the
 * Wi-Fi stick).  A request starts on a quiet stream (what came since the
 * last exchange is dropped, as on RS485), a reply is cut by its own length,
 * a pause inside it longer than the byte timeout ends it. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/link_int.h"
#include "base/rtutcp.h"
#include "base/util.h"

static int stream_connect(struct link *l, struct zcs_err *err)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai, *r;
	char port[16];
	int fd = -1, e = ECONNREFUSED, one = 1, gai;

	snprintf(port, sizeof port, "%d", l->p.port);
	if ((gai = getaddrinfo(l->p.host, port, &hints, &ai)) != 0)
		return zcs_fail(err, ZCS_LINK, _("cannot find the host %s: %s: check the address "
				  "(the stick's IP address, 'zcs-commission ports --lan' lists Wi-Fi "
				  "sticks)"), l->p.host, gai_strerror(gai));
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
		return link_open_fail(l, e, err);
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

const struct transport link_t_rtutcp = { "RTU over TCP", stream_connect, stream_disconnect,
					   stream_read, stream_write, 3, 3, 1 };
const struct transport link_t_v5 = { "Solarman V5", stream_connect, stream_disconnect,
				       stream_read, stream_write, 3 + V5_OVERHEAD_REQ,
				       3 + V5_OVERHEAD_REPLY, 1 };
