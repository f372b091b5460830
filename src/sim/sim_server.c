/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sim/sim_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "base/rtutcp.h"
#include "base/util.h"
#include "base/v5.h"

#define MAX_CLIENTS 8
#define RX_MAX 600
#define MAX_HELD 64
#define RTU_GAP_MS 30          /* silence that ends a partial RTU frame */

enum conn_kind { CONN_NONE, CONN_TCP, CONN_RTU, CONN_V5, CONN_RTUTCP };

struct conn {
	enum conn_kind kind;
	int fd;
	int bus;
	unsigned gen;            /* changes when the slot is reused */
	uint8_t rx[RX_MAX];
	size_t nrx;
	int64_t last_rx_ms;
};

struct held {
	struct conn *c;
	unsigned gen;
	int64_t due_ms;
	size_t len;
	uint8_t data[300];
};

struct bus {
	int listen_fd;
	int v5_fd, rtutcp_fd;    /* the data logger's listeners (inverters' bus) */
	struct conn tcp[MAX_CLIENTS];
	struct conn rtu;
	int pty_slave_fd;        /* kept open so the master never sees EIO */
};

struct sim_server {
	struct bus bus[SIM_NBUS];
	struct sim_faults *faults;
	sim_server_lookup_fn lookup;
	void *ctx;
	struct sim_server_opts o;
	struct held held[MAX_HELD];
	unsigned gen;
	unsigned long requests;
	uint32_t rng;
	uint32_t logger_serial;  /* the simulated stick's */
	uint8_t logger_seq;
	unsigned v5_replies;
	int64_t stall_until;     /* logger-stall: nothing answered before this */
	int64_t upload_t0;       /* logger-upload: when its periods began */
	int disc_fd;             /* UDP discovery */
};


static void conn_reset(struct conn *c)
{
	c->kind = CONN_NONE;
	c->fd = -1;
	c->nrx = 0;
}

struct sim_server *sim_server_new(struct sim_faults *f, sim_server_lookup_fn lookup, void *ctx,
				  const struct sim_server_opts *o)
{
	struct sim_server *s = xcalloc(1, sizeof *s);

	s->faults = f;
	s->lookup = lookup;
	s->ctx = ctx;
	s->o = *o;
	s->rng = 12345;
	s->disc_fd = -1;
	s->logger_serial = o->logger_serial;
	for (int b = 0; b < SIM_NBUS; b++) {
		s->bus[b].listen_fd = -1;
		s->bus[b].v5_fd = s->bus[b].rtutcp_fd = -1;
		s->bus[b].pty_slave_fd = -1;
		conn_reset(&s->bus[b].rtu);
		for (int i = 0; i < MAX_CLIENTS; i++)
			conn_reset(&s->bus[b].tcp[i]);
	}
	return s;
}

static void conn_close(struct sim_server *s, struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	conn_reset(c);
	c->gen = ++s->gen;
}

void sim_server_rtu_close(struct sim_server *s, int bus)
{
	struct bus *b = &s->bus[bus];

	conn_close(s, &b->rtu);
	if (b->pty_slave_fd >= 0)
		close(b->pty_slave_fd);
	b->pty_slave_fd = -1;
}

void sim_server_free(struct sim_server *s)
{
	if (!s)
		return;
	if (s->disc_fd >= 0)
		close(s->disc_fd);
	for (int b = 0; b < SIM_NBUS; b++) {
		if (s->bus[b].listen_fd >= 0)
			close(s->bus[b].listen_fd);
		if (s->bus[b].v5_fd >= 0)
			close(s->bus[b].v5_fd);
		if (s->bus[b].rtutcp_fd >= 0)
			close(s->bus[b].rtutcp_fd);
		for (int i = 0; i < MAX_CLIENTS; i++)
			conn_close(s, &s->bus[b].tcp[i]);
		sim_server_rtu_close(s, b);
	}
	free(s);
}

static int listen_on(int type, int port, int *bound, struct zcs_err *err)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1;

	if (fd < 0)
		return zcs_fail(err, ZCS_SYS, "cannot create a socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 8) < 0)) {
		int e = errno;

		close(fd);
		return zcs_fail(err, ZCS_SYS, "cannot listen on 127.0.0.1:%d: %s%s", port,
				strerror(e), e == EADDRINUSE ? " (give port 0 for a free one)" : "");
	}
	getsockname(fd, (struct sockaddr *)&a, &len);
	*bound = ntohs(a.sin_port);
	return fd;
}

int sim_server_tcp(struct sim_server *s, int bus, int port, int *bound, struct zcs_err *err)
{
	int fd = listen_on(SOCK_STREAM, port, bound, err);

	if (fd < 0)
		return -1;
	s->bus[bus].listen_fd = fd;
	return 0;
}

int sim_server_logger(struct sim_server *s, int v5, int port, int *bound, struct zcs_err *err)
{
	int fd = listen_on(SOCK_STREAM, port, bound, err);

	if (fd < 0)
		return -1;
	if (v5)
		s->bus[SIM_BUS_INVERTERS].v5_fd = fd;
	else
		s->bus[SIM_BUS_INVERTERS].rtutcp_fd = fd;
	return 0;
}

int sim_server_discovery(struct sim_server *s, int port, int *bound, struct zcs_err *err)
{
	int fd = listen_on(SOCK_DGRAM, port, bound, err);

	if (fd < 0)
		return -1;
	s->disc_fd = fd;
	return 0;
}

int sim_server_rtu(struct sim_server *s, int bus, char *path, size_t n, struct zcs_err *err)
{
	struct bus *b = &s->bus[bus];
	struct termios t;
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), sl;
	const char *name;

	sim_server_rtu_close(s, bus);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || !(name = ptsname(m))) {
		if (m >= 0)
			close(m);
		return zcs_fail(err, ZCS_SYS, "cannot create a pseudo-terminal: %s", strerror(errno));
	}
	zcs_strlcpy(path, name, n);
	sl = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (sl < 0) {
		close(m);
		return zcs_fail(err, ZCS_SYS, "cannot open %s: %s", path, strerror(errno));
	}
	/* raw both ways, so a client that opens the line sees bytes untouched */
	if (tcgetattr(sl, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(sl, TCSANOW, &t);
	}
	fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK);
	b->pty_slave_fd = sl;
	b->rtu.kind = CONN_RTU;
	b->rtu.fd = m;
	b->rtu.bus = bus;
	b->rtu.nrx = 0;
	b->rtu.gen = ++s->gen;
	return 0;
}

int sim_server_has_rtu(const struct sim_server *s, int bus)
{
	return s->bus[bus].rtu.kind == CONN_RTU;
}

int sim_server_drop(struct sim_server *s)
{
	int n = 0;

	for (int b = 0; b < SIM_NBUS; b++)
		for (int i = 0; i < MAX_CLIENTS; i++)
			if (s->bus[b].tcp[i].kind != CONN_NONE) {
				conn_close(s, &s->bus[b].tcp[i]);
				n++;
			}
	return n;
}

static void add_fd(struct pollfd *fds, int *n, int max, int fd)
{
	if (fd >= 0 && *n < max) {
		fds[*n].fd = fd;
		fds[*n].events = POLLIN;
		fds[*n].revents = 0;
		(*n)++;
	}
}

void sim_server_fds(struct sim_server *s, struct pollfd *fds, int *n, int max)
{
	add_fd(fds, n, max, s->disc_fd);
	for (int b = 0; b < SIM_NBUS; b++) {
		add_fd(fds, n, max, s->bus[b].listen_fd);
		add_fd(fds, n, max, s->bus[b].v5_fd);
		add_fd(fds, n, max, s->bus[b].rtutcp_fd);
		add_fd(fds, n, max, s->bus[b].rtu.fd);
		for (int i = 0; i < MAX_CLIENTS; i++)
			add_fd(fds, n, max, s->bus[b].tcp[i].fd);
	}
}

static short revents_of(const struct pollfd *fds, int n, int fd)
{
	for (int i = 0; fd >= 0 && i < n; i++)
		if (fds[i].fd == fd)
			return fds[i].revents;
	return 0;
}

/* ---- the PDU ------------------------------------------------------------- */

static size_t exception(const uint8_t *req, int code, uint8_t *resp)
{
	resp[0] = (uint8_t)(req[0] | 0x80);
	resp[1] = (uint8_t)code;
	return 2;
}

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static size_t do_read(struct sim_dev *d, const uint8_t *req, size_t len, uint8_t *resp)
{
	uint16_t w[125];
	unsigned addr, qty;
	int rc;

	if (len != 5)
		return exception(req, 3, resp);
	addr = be16(req + 1);
	qty = be16(req + 3);
	if (qty < 1 || qty > 125)
		return exception(req, 3, resp);
	if ((rc = sim_dev_read(d, req[0], addr, qty, w)))
		return exception(req, rc, resp);
	resp[0] = req[0];
	resp[1] = (uint8_t)(2 * qty);
	for (unsigned i = 0; i < qty; i++) {
		resp[2 + 2 * i] = (uint8_t)(w[i] >> 8);
		resp[3 + 2 * i] = (uint8_t)w[i];
	}
	return 2 + 2 * qty;
}

static size_t do_write(struct sim_dev *d, const uint8_t *req, size_t len, uint8_t *resp)
{
	uint16_t w[123];
	unsigned addr, qty;
	int rc;

	if (len < 6)
		return exception(req, 3, resp);
	addr = be16(req + 1);
	qty = be16(req + 3);
	if (qty < 1 || qty > 123 || req[5] != 2 * qty || len != 6 + 2 * qty)
		return exception(req, 3, resp);
	for (unsigned i = 0; i < qty; i++)
		w[i] = (uint16_t)be16(req + 6 + 2 * i);
	if ((rc = sim_dev_write(d, addr, qty, w)))
		return exception(req, rc, resp);
	memcpy(resp, req, 5);
	return 5;
}

/* One line per FC 0x10 received: the request as slave + PDU in hex (the
 * frame `zcs-commission run` prints), then the answer. */
static void log_write(const struct sim_server *s, const struct sim_dev *d, const uint8_t *req,
		      size_t len, const uint8_t *resp)
{
	FILE *f = s->o.write_log;

	if (!f)
		return;
	fprintf(f, "%02X", (unsigned)d->slave & 0xFF);
	for (size_t i = 0; i < len; i++)
		fprintf(f, " %02X", req[i]);
	if (resp[0] & 0x80)
		fprintf(f, " -> exception %02X\n", resp[1]);
	else
		fprintf(f, " -> ok\n");
	fflush(f);
}

static size_t answer_pdu(struct sim_server *s, struct sim_dev *d, const uint8_t *req, size_t len,
			 uint8_t *resp);

static size_t serve_pdu(struct sim_server *s, struct sim_dev *d, const uint8_t *req, size_t len,
			uint8_t *resp)
{
	size_t n = answer_pdu(s, d, req, len, resp);

	if (len > 0 && req[0] == 16)
		log_write(s, d, req, len, resp);
	return n;
}

static size_t answer_pdu(struct sim_server *s, struct sim_dev *d, const uint8_t *req, size_t len,
			 uint8_t *resp)
{
	const struct sim_faults *f = s->faults;

	s->requests++;
	if (f->on[SIM_F_LINK_EXCEPTION])
		return exception(req, (int)f->arg[SIM_F_LINK_EXCEPTION], resp);
	if (f->on[SIM_F_LINK_BUSY])
		return exception(req, 6, resp);
	switch (req[0]) {
	case 3:
	case 4:
		return do_read(d, req, len, resp);
	case 16:
		return do_write(d, req, len, resp);
	}
	return exception(req, 1, resp);
}

/* ---- replies, held or not ------------------------------------------------ */

static void send_now(struct sim_server *s, struct conn *c, const uint8_t *p, size_t n)
{
	ssize_t w;

	(void)s;
	while (n > 0) {
		w = write(c->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;      /* a client that stopped reading loses its reply */
		p += w;
		n -= (size_t)w;
	}
}

static double hold_ms(const struct sim_server *s, size_t req_pdu, size_t resp_pdu)
{
	double ms = 0;

	if (s->faults->on[SIM_F_LINK_SLOW])
		ms += s->faults->arg[SIM_F_LINK_SLOW];
	/* RTU bytes: address + PDU + CRC; each of the two frames is followed by
	 * its 3.5-character silence (1.75 ms above 19200 baud) */
	if (s->o.wire && s->o.baud > 0)
		ms += (double)(req_pdu + 3 + resp_pdu + 3) * s->o.char_bits * 1000.0 / s->o.baud +
		      2 * (s->o.baud > 19200 ? 1.75 : 3.5 * s->o.char_bits * 1000.0 / s->o.baud) +
		      s->o.turnaround_ms;
	return ms;
}

static void reply(struct sim_server *s, struct conn *c, const uint8_t *p, size_t n,
		  double delay_ms, int64_t now)
{
	if (delay_ms < 0.5) {
		send_now(s, c, p, n);
		return;
	}
	for (int i = 0; i < MAX_HELD; i++) {
		struct held *h = &s->held[i];

		if (h->c)
			continue;
		h->c = c;
		h->gen = c->gen;
		h->due_ms = now + (int64_t)(delay_ms + 0.5);
		h->len = n < sizeof h->data ? n : sizeof h->data;
		memcpy(h->data, p, h->len);
		return;
	}
}

static uint32_t rnd(struct sim_server *s)
{
	s->rng = s->rng * 1103515245u + 12345u;
	return (s->rng >> 8) & 0xFFFF;
}

/* ---- TCP ----------------------------------------------------------------- */

static void tcp_accept(struct sim_server *s, int bus, int lfd, enum conn_kind kind)
{
	struct bus *b = &s->bus[bus];
	int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), one = 1;
	struct conn *slot = NULL;

	if (fd < 0)
		return;
	if (s->faults->on[SIM_F_LINK_ONE_CLIENT])
		for (int i = 0; i < MAX_CLIENTS; i++)
			if (b->tcp[i].kind == kind)
				conn_close(s, &b->tcp[i]);
	for (int i = 0; i < MAX_CLIENTS && !slot; i++)
		if (b->tcp[i].kind == CONN_NONE)
			slot = &b->tcp[i];
	if (!slot) {
		close(fd);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	slot->kind = kind;
	slot->fd = fd;
	slot->bus = bus;
	slot->nrx = 0;
	slot->gen = ++s->gen;
}

static struct sim_dev *tcp_target(struct sim_server *s, int bus, int unit)
{
	struct sim_dev *d = s->lookup(s->ctx, bus, unit);

	if (!d && (unit == 0 || unit == 255))
		d = s->lookup(s->ctx, bus, -1);
	return d && d->present && !d->unpowered ? d : NULL;
}

/* One MBAP frame at the start of c->rx: 1 served, 0 incomplete, -1 closed. */
static int tcp_frame(struct sim_server *s, struct conn *c, int64_t now)
{
	uint8_t out[300];
	size_t len, n;
	struct sim_dev *d;

	if (c->nrx < 8)
		return 0;
	len = be16(c->rx + 4);
	if (len < 2 || len > 254 || be16(c->rx + 2) != 0) {
		conn_close(s, c);
		return -1;
	}
	if (c->nrx < 6 + len)
		return 0;
	if (s->faults->on[SIM_F_LINK_DROP]) {
		conn_close(s, c);
		return -1;
	}
	if (!s->faults->on[SIM_F_LINK_SILENT]) {
		d = tcp_target(s, c->bus, c->rx[6]);
		if (d)
			n = serve_pdu(s, d, c->rx + 7, len - 1, out + 7);
		else
			n = exception(c->rx + 7, 11, out + 7);
		memcpy(out, c->rx, 4);
		out[4] = (uint8_t)((n + 1) >> 8);
		out[5] = (uint8_t)(n + 1);
		out[6] = c->rx[6];
		reply(s, c, out, n + 7, hold_ms(s, len - 1, n), now);
	}
	memmove(c->rx, c->rx + 6 + len, c->nrx - 6 - len);
	c->nrx -= 6 + len;
	return 1;
}

static void v5_frames(struct sim_server *s, struct conn *c, int64_t now);
static void rtutcp_frames(struct sim_server *s, struct conn *c, int64_t now);

static void tcp_input(struct sim_server *s, struct conn *c, int64_t now)
{
	ssize_t r = read(c->fd, c->rx + c->nrx, sizeof c->rx - c->nrx);

	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
		conn_close(s, c);
		return;
	}
	if (r < 0)
		return;
	c->nrx += (size_t)r;
	if (c->kind == CONN_V5) {
		v5_frames(s, c, now);
		return;
	}
	if (c->kind == CONN_RTUTCP) {
		rtutcp_frames(s, c, now);
		return;
	}
	while (c->kind == CONN_TCP && tcp_frame(s, c, now) > 0)
		;
	if (c->kind == CONN_TCP && c->nrx == sizeof c->rx)
		conn_close(s, c);
}

/* ---- RTU ----------------------------------------------------------------- */

/* Length of the request frame at p (with CRC), 0 when more bytes are needed
 * to tell, -1 for a function this server cannot frame. */
static long rtu_len(const uint8_t *p, size_t n)
{
	if (n < 2)
		return 0;
	switch (p[1]) {
	case 1: case 2: case 3: case 4: case 5: case 6:
		return 8;
	case 15: case 16:
		return n < 7 ? 0 : 9 + p[6];
	}
	return -1;
}

static void rtu_serve(struct sim_server *s, struct conn *c, const uint8_t *f, size_t len,
		      int64_t now)
{
	uint8_t out[300];
	struct sim_dev *d;
	size_t n;
	uint16_t crc;

	if (s->faults->on[SIM_F_LINK_SILENT] || f[0] == 0)
		return;                  /* broadcast: nobody answers */
	d = s->lookup(s->ctx, c->bus, f[0]);
	if (!d || !d->present || d->unpowered || d->rtu_mute)
		return;
	n = serve_pdu(s, d, f + 1, len - 3, out + 1);
	out[0] = f[0];
	crc = rtu_crc16(out, n + 1);
	out[n + 1] = (uint8_t)crc;
	out[n + 2] = (uint8_t)(crc >> 8);
	if (s->faults->on[SIM_F_LINK_CRC_NOISE] &&
	    rnd(s) < s->faults->arg[SIM_F_LINK_CRC_NOISE] * 65536)
		out[n + 2] ^= 0x5A;
	reply(s, c, out, n + 3, hold_ms(s, len - 3, n), now);
}

static void rtu_frames(struct sim_server *s, struct conn *c, int64_t now)
{
	while (c->nrx > 0) {
		long need = rtu_len(c->rx, c->nrx);

		if (need < 0 && now - c->last_rx_ms >= RTU_GAP_MS) {
			c->nrx = 0;       /* unknown function: drop it after the gap */
			return;
		}
		if (need <= 0 || c->nrx < (size_t)need)
			return;
		if (rtu_crc16(c->rx, (size_t)need - 2) ==
		    (c->rx[need - 2] | (unsigned)c->rx[need - 1] << 8))
			rtu_serve(s, c, c->rx, (size_t)need, now);
		else
			need = (long)c->nrx;   /* garbage: discard what we have */
		memmove(c->rx, c->rx + need, c->nrx - (size_t)need);
		c->nrx -= (size_t)need;
	}
}

static void rtu_input(struct sim_server *s, struct conn *c, int64_t now)
{
	ssize_t r;

	if (c->nrx > 0 && now - c->last_rx_ms > RTU_GAP_MS)
		c->nrx = 0;              /* silence ended the old partial frame */
	if (c->nrx == sizeof c->rx)
		c->nrx = 0;
	r = read(c->fd, c->rx + c->nrx, sizeof c->rx - c->nrx);
	if (r <= 0)
		return;
	c->nrx += (size_t)r;
	c->last_rx_ms = now;
	rtu_frames(s, c, now);
}

/* ---- the data logger: RTU over TCP and Solarman V5 ---------------------- */

/* logger-upload: silent for the last 15 s of every ARG s period. */
static int logger_uploading(struct sim_server *s, int64_t now)
{
	int64_t period = (int64_t)(s->faults->arg[SIM_F_LOGGER_UPLOAD] * 1000);

	if (!s->faults->on[SIM_F_LOGGER_UPLOAD] || period < 16000) {
		s->upload_t0 = 0;
		return 0;
	}
	if (!s->upload_t0)
		s->upload_t0 = now;
	return (now - s->upload_t0) % period >= period - 15000;
}

/* logger-stall: from when it is switched on, ARG s of silence, then off. */
static int logger_stalled(struct sim_server *s, int64_t now)
{
	if (logger_uploading(s, now))
		return 1;
	if (!s->faults->on[SIM_F_LOGGER_STALL]) {
		s->stall_until = 0;
		return 0;
	}
	if (!s->stall_until)
		s->stall_until = now + (int64_t)(s->faults->arg[SIM_F_LOGGER_STALL] * 1000);
	if (now < s->stall_until)
		return 1;
	s->faults->on[SIM_F_LOGGER_STALL] = 0;
	s->stall_until = 0;
	return 0;
}

/* What the inverter behind the logger answers to the RTU request f (len
 * bytes, CRC checked): its whole RTU reply in out, 0 when it says nothing. */
static size_t logger_rtu(struct sim_server *s, int bus, const uint8_t *f, size_t len,
			 uint8_t *out)
{
	struct sim_dev *d;
	size_t n;
	uint16_t crc;

	if (s->faults->on[SIM_F_LINK_SILENT] || s->faults->on[SIM_F_LOGGER_NO_INVERTER] ||
	    f[0] == 0 || rtu_len(f, len) != (long)len)
		return 0;
	d = s->lookup(s->ctx, bus, f[0]);
	if (!d || !d->present || d->unpowered || d->rtu_mute)
		return 0;
	n = serve_pdu(s, d, f + 1, len - 3, out + 1);
	out[0] = f[0];
	crc = rtu_crc16(out, n + 1);
	out[n + 1] = (uint8_t)crc;
	out[n + 2] = (uint8_t)(crc >> 8);
	return n + 3;
}

/* RTU frames on a TCP stream: what is not a whole request with its CRC is
 * dropped, as the RS485 line behind the stick would drop it. */
static void rtutcp_frames(struct sim_server *s, struct conn *c, int64_t now)
{
	uint8_t out[300];

	while (c->nrx > 0) {
		long need = rtu_len(c->rx, c->nrx);
		size_t n;

		if (need < 0 || need > RX_MAX) {
			c->nrx = 0;
			return;
		}
		if (need == 0 || c->nrx < (size_t)need)
			return;
		if (rtu_crc_ok(c->rx, (size_t)need)) {
			if (!logger_stalled(s, now) &&
			    (n = logger_rtu(s, c->bus, c->rx, (size_t)need, out)) > 0)
				reply(s, c, out, n, hold_ms(s, (size_t)need - 3, n - 3), now);
		} else {
			need = (long)c->nrx;      /* garbage: discard what we have */
		}
		memmove(c->rx, c->rx + need, c->nrx - (size_t)need);
		c->nrx -= (size_t)need;
	}
}

/* The logger's short reply: no RTU frame, two bytes, the first a code
 * (0x0B, as Modbus names a gateway whose target did not answer). */
static const uint8_t logger_error[2] = { 0x0B, 0x00 };

static void v5_answer(struct sim_server *s, struct conn *c, const struct v5_request *q,
		      int64_t now)
{
	uint8_t rtu[300], f[V5_MAX_FRAME];
	size_t n, len;

	if (q->serial != s->logger_serial) {
		if (s->faults->on[SIM_F_LOGGER_IGNORE_SERIAL])
			return;
		len = v5_build_reply(f, sizeof f, s->logger_serial, q->seq, ++s->logger_seq, 0,
				     logger_error, sizeof logger_error);
		reply(s, c, f, len, 0, now);
		return;
	}
	if (++s->v5_replies % 8 == 0) {        /* now and then, a heartbeat first */
		len = v5_build_heartbeat(f, sizeof f, s->logger_serial, ++s->logger_seq);
		send_now(s, c, f, len);
	}
	n = rtu_crc_ok(q->rtu, q->nrtu) ? logger_rtu(s, c->bus, q->rtu, q->nrtu, rtu) : 0;
	if (!n) {               /* the logger waits for the inverter, then says so */
		len = v5_build_reply(f, sizeof f, s->logger_serial, q->seq, ++s->logger_seq, 0,
				     logger_error, sizeof logger_error);
		reply(s, c, f, len, 500, now);
		return;
	}
	len = v5_build_reply(f, sizeof f, s->logger_serial, q->seq, ++s->logger_seq, 1, rtu, n);
	reply(s, c, f, len, hold_ms(s, q->nrtu - 3, n - 3), now);
}

static void v5_frames(struct sim_server *s, struct conn *c, int64_t now)
{
	while (c->nrx > 0) {
		long need = v5_frame_len(c->rx, c->nrx);
		struct v5_request q;
		char why[120];

		if (need < 0 || need > RX_MAX) {
			c->nrx = 0;             /* not V5: the logger ignores it */
			return;
		}
		if (need == 0 || c->nrx < (size_t)need)
			return;
		if (v5_parse_request(c->rx, (size_t)need, &q, why, sizeof why) == 0 &&
		    !logger_stalled(s, now))
			v5_answer(s, c, &q, now);
		memmove(c->rx, c->rx + need, c->nrx - (size_t)need);
		c->nrx -= (size_t)need;
	}
}

/* "WIFIKIT-214028-READ" on the discovery port: "IP,MAC,SERIAL". */
static void discovery(struct sim_server *s)
{
	struct sockaddr_in from;
	socklen_t flen = sizeof from;
	char buf[64], ans[80];
	ssize_t r = recvfrom(s->disc_fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &flen);
	int n;

	if (r <= 0)
		return;
	buf[r] = '\0';
	if (strcmp(buf, "WIFIKIT-214028-READ") != 0)
		return;
	n = snprintf(ans, sizeof ans, "127.0.0.1,ACCF23%06X,%lu",
		     (unsigned)(s->logger_serial & 0xFFFFFF), (unsigned long)s->logger_serial);
	sendto(s->disc_fd, ans, (size_t)n, 0, (struct sockaddr *)&from, flen);
}

/* ---- loop hooks ---------------------------------------------------------- */

static void release_held(struct sim_server *s, int64_t now)
{
	for (int i = 0; i < MAX_HELD; i++) {
		struct held *h = &s->held[i];

		if (!h->c || h->due_ms > now)
			continue;
		if (h->c->gen == h->gen && h->c->kind != CONN_NONE)
			send_now(s, h->c, h->data, h->len);
		h->c = NULL;
	}
}

void sim_server_handle(struct sim_server *s, const struct pollfd *fds, int n, int64_t now_ms)
{
	logger_stalled(s, now_ms);
	if (revents_of(fds, n, s->disc_fd) & POLLIN)
		discovery(s);
	for (int b = 0; b < SIM_NBUS; b++) {
		struct bus *bus = &s->bus[b];

		if (revents_of(fds, n, bus->listen_fd) & POLLIN)
			tcp_accept(s, b, bus->listen_fd, CONN_TCP);
		if (revents_of(fds, n, bus->v5_fd) & POLLIN)
			tcp_accept(s, b, bus->v5_fd, CONN_V5);
		if (revents_of(fds, n, bus->rtutcp_fd) & POLLIN)
			tcp_accept(s, b, bus->rtutcp_fd, CONN_RTUTCP);
		if (bus->rtu.kind == CONN_RTU) {
			if (revents_of(fds, n, bus->rtu.fd) & POLLIN)
				rtu_input(s, &bus->rtu, now_ms);
			else if (bus->rtu.nrx && now_ms - bus->rtu.last_rx_ms >= RTU_GAP_MS)
				rtu_frames(s, &bus->rtu, now_ms);
		}
		for (int i = 0; i < MAX_CLIENTS; i++) {
			struct conn *c = &bus->tcp[i];

			if (c->kind != CONN_NONE &&
			    (revents_of(fds, n, c->fd) & (POLLIN | POLLHUP | POLLERR)))
				tcp_input(s, c, now_ms);
		}
	}
	release_held(s, now_ms);
}

int sim_server_timeout(const struct sim_server *s, int64_t now_ms)
{
	int64_t best = -1;

	for (int i = 0; i < MAX_HELD; i++)
		if (s->held[i].c) {
			int64_t d = s->held[i].due_ms - now_ms;

			if (best < 0 || d < best)
				best = d < 0 ? 0 : d;
		}
	for (int b = 0; b < SIM_NBUS; b++)
		if (s->bus[b].rtu.kind == CONN_RTU && s->bus[b].rtu.nrx) {
			int64_t d = s->bus[b].rtu.last_rx_ms + RTU_GAP_MS - now_ms;

			if (d < 0)
				d = 0;
			if (best < 0 || d < best)
				best = d;
		}
	return (int)best;
}

unsigned long sim_server_requests(const struct sim_server *s)
{
	return s->requests;
}

unsigned long sim_server_feed(struct sim_server *s, int bus, int rtu, int fd_out,
			      const uint8_t *in, size_t n, int64_t now_ms)
{
	static const enum conn_kind kinds[] = { CONN_TCP, CONN_RTU, CONN_V5, CONN_RTUTCP };
	struct conn c = { .kind = kinds[rtu & 3], .fd = dup(fd_out), .bus = bus };
	unsigned long before = s->requests;

	if (c.fd < 0)
		return 0;
	while (n > 0 && c.kind != CONN_NONE) {
		size_t k = n < sizeof c.rx - c.nrx ? n : sizeof c.rx - c.nrx;

		memcpy(c.rx + c.nrx, in, k);
		c.nrx += k;
		in += k;
		n -= k;
		c.last_rx_ms = now_ms;
		if (c.kind == CONN_V5 || c.kind == CONN_RTUTCP) {
			if (c.kind == CONN_V5)
				v5_frames(s, &c, now_ms);
			else
				rtutcp_frames(s, &c, now_ms);
			if (c.nrx == sizeof c.rx)
				c.nrx = 0;
		} else if (rtu) {
			rtu_frames(s, &c, now_ms);
			if (c.nrx == sizeof c.rx)
				c.nrx = 0;
		} else {
			while (c.kind == CONN_TCP && tcp_frame(s, &c, now_ms) > 0)
				;
			if (c.kind == CONN_TCP && c.nrx == sizeof c.rx)
				break;
		}
	}
	for (int i = 0; i < MAX_HELD; i++)      /* nothing held for a gone conn */
		if (s->held[i].c == &c)
			s->held[i].c = NULL;
	if (c.kind != CONN_NONE)
		close(c.fd);                    /* else conn_close closed it */
	return s->requests - before;
}
