/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zcs-sim: a simulated ZCS Azzurro hybrid plant on Modbus TCP and RTU.
 * This file parses the command line and owns the one loop: Modbus
 * servers, control socket, stdin, plant ticks and signals. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/opt.h"
#include "base/util.h"
#include "sim/sim_ctl.h"
#include "sim/sim_batt.h"
#include "sim/sim_scn.h"

#define TICK_MS 200
#define MAX_CTL 8
#define MAX_FDS 64

enum { O_TCP = OPT_KEY(0), O_RTU, O_METERS_TCP, O_METERS_RTU, O_SCENARIO, O_CONTROL,
       O_WIRE, O_BAUD, O_BITS, O_TURNAROUND, O_WRITE_LOG, O_LIST, O_VERSION, O_V5,
       O_LOGGER_SERIAL, O_RTUTCP, O_DISCOVERY };

/* Each option's branch in parse() is found by its name, "--tcp". */
static const struct opt sim_opts[] = {
	{ "tcp", O_TCP, "PORT", N_("serve the inverter on Modbus TCP at PORT (0: a free one; the "
	  "default when nothing else is served)") },
	{ "rtu", O_RTU, NULL, N_("serve the inverter on Modbus RTU on a new pseudo-terminal") },
	{ "meters-tcp", O_METERS_TCP, "PORT", N_("serve the energy meters on Modbus TCP at PORT") },
	{ "meters-rtu", O_METERS_RTU, NULL, N_("serve the energy meters on RTU on a new "
	  "pseudo-terminal") },
	{ "scenario", O_SCENARIO, "NAME|FILE", N_("the plant to play (clean); --list-scenarios "
	  "lists them") },
	{ "control", O_CONTROL, "SOCKET", N_("take commands on this Unix socket too "
	  "(zcs-sim ctl SOCKET ...)") },
	{ "wire", O_WIRE, NULL, N_("RTU: answer at the pace of the real line (baud, bits, "
	  "turnaround)") },
	{ "baud", O_BAUD, "N", N_("RTU line speed for --wire, 300-921600 (9600)") },
	{ "bits", O_BITS, "10|11", N_("bits per character for --wire (10: 8N1)") },
	{ "turnaround", O_TURNAROUND, "MS", N_("the unit's think time before answering, "
	  "0-10000 ms") },
	{ "write-log", O_WRITE_LOG, "FILE", N_("append every write the simulator accepts to FILE") },
	{ "v5", O_V5, "PORT", N_("serve the inverter as a Solarman V5 data logger stick (the Wi-Fi "
	  "one) at PORT") },
	{ "logger-serial", O_LOGGER_SERIAL, "N", N_("the stick's serial number, 1-4294967295, that "
	  "V5 requests must carry") },
	{ "rtu-over-tcp", O_RTUTCP, "PORT", N_("serve RTU frames over TCP (the Ethernet stick) at "
	  "PORT") },
	{ "discovery", O_DISCOVERY, "PORT", N_("answer the sticks' LAN discovery on UDP PORT (with "
	  "--v5)") },
	{ "list-scenarios", O_LIST, NULL, N_("list the scenarios and exit") },
	{ "version", O_VERSION, NULL, N_("print the version and exit") },
	{ NULL, 0, NULL, NULL },
};

static const struct opt_cmd sim_cmd = {
	"zcs-sim", "[--tcp PORT] [--rtu] [--meters-tcp PORT] [--meters-rtu]\n"
	"[--scenario NAME|FILE] [--control SOCKET]\n"
	"[--wire] [--baud N] [--bits 10|11] [--turnaround MS] [--write-log FILE]\n"
	"[--v5 PORT] [--logger-serial N] [--rtu-over-tcp PORT] [--discovery PORT]\n"
	"--list-scenarios | --help | --version\n"
	"ctl SOCKET COMMAND...",
	N_("Serve a simulated inverter plant.  When ready it prints 'tcp 127.0.0.1:PORT',\n"
	"'rtu /dev/pts/N', 'meters-tcp ...', 'meters-rtu ...', 'v5 ...',\n"
	"'rtu-over-tcp ...', 'discovery ...', 'control PATH' and 'ready'.  Type 'help'\n"
	"on stdin or send it to the control socket for the commands.  See zcs-sim(1).\n"),
	sim_opts, NULL, NULL,
};

struct opts {
	int tcp, meters_tcp;         /* -1: not served */
	int v5, rtutcp, discovery;   /* -1: not served */
	int rtu, meters_rtu;
	const char *scenario, *control;
	struct sim_server_opts srv;
};

#define CTL_LINE_MAX 1023          /* the longest command line accepted */

struct ctl_client {
	int fd, out_fd;          /* the socket twice, or stdin and stdout */
	char buf[CTL_LINE_MAX + 1];
	size_t n;
	int overlong;            /* inside a line too long: refuse it whole */
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static int want_num(const char *opt, const char *arg, long lo, long hi, int *out)
{
	long v;

	if (!arg || zcs_parse_long(arg, &v) < 0 || v < lo || v > hi) {
		fprintf(stderr, "zcs-sim: %s takes a number from %ld to %ld\n", opt, lo, hi);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* 1: run; 0: done (help, list); -1: usage error. */
static int parse(int argc, char **argv, struct opts *o)
{
	struct zcs_err err = { 0 };
	struct opt_parser ps;
	int c;

	opt_begin(&ps, &sim_cmd, argc, argv);
	for (int i = 1; (c = opt_next(&ps, &err)) >= 0; i++) {
		char name[64];
		const char *a = name, *next = ps.arg;
		int rc = 0;

		snprintf(name, sizeof name, "--%s", ps.cur->name);
		if (!strcmp(a, "--version")) {
			printf("zcs-sim %s\n", ZCS_VERSION);
			return 0;
		} else if (!strcmp(a, "--list-scenarios")) {
			if (sim_scn_list(stdout, &err) < 0) {
				fprintf(stderr, "zcs-sim: %s\n", err.msg);
				return -1;
			}
			return 0;
		} else if (!strcmp(a, "--tcp")) {
			rc = want_num(a, next, 0, 65535, &o->tcp), i++;
		} else if (!strcmp(a, "--meters-tcp")) {
			rc = want_num(a, next, 0, 65535, &o->meters_tcp), i++;
		} else if (!strcmp(a, "--v5")) {
			rc = want_num(a, next, 0, 65535, &o->v5), i++;
		} else if (!strcmp(a, "--rtu-over-tcp")) {
			rc = want_num(a, next, 0, 65535, &o->rtutcp), i++;
		} else if (!strcmp(a, "--discovery")) {
			rc = want_num(a, next, 0, 65535, &o->discovery), i++;
		} else if (!strcmp(a, "--logger-serial")) {
			long long v;
			char *end;

			errno = 0;
			v = next ? strtoll(next, &end, 10) : -1;
			if (!next || !*next || errno || *end || v < 1 || v > 4294967295LL) {
				fprintf(stderr, "zcs-sim: --logger-serial takes a number from 1 to "
					"4294967295\n");
				return -1;
			}
			o->srv.logger_serial = (uint32_t)v;
			i++;
		} else if (!strcmp(a, "--rtu")) {
			o->rtu = 1;
		} else if (!strcmp(a, "--meters-rtu")) {
			o->meters_rtu = 1;
		} else if (!strcmp(a, "--scenario") && next) {
			o->scenario = next;
		} else if (!strcmp(a, "--control") && next) {
			o->control = next;
		} else if (!strcmp(a, "--write-log") && next) {
			o->srv.write_log = fopen(next, "a");
			if (!o->srv.write_log) {
				fprintf(stderr, "zcs-sim: cannot open the write log %s: %s\n",
					next, strerror(errno));
				return -1;
			}
		} else if (!strcmp(a, "--wire")) {
			o->srv.wire = 1;
		} else if (!strcmp(a, "--baud")) {
			rc = want_num(a, next, 300, 921600, &o->srv.baud), i++;
		} else if (!strcmp(a, "--bits")) {
			rc = want_num(a, next, 10, 11, &o->srv.char_bits), i++;
		} else if (!strcmp(a, "--turnaround")) {
			rc = want_num(a, next, 0, 10000, &o->srv.turnaround_ms), i++;
		} else {
			fprintf(stderr, "zcs-sim: %s is in the option table but not handled\n", a);
			return -1;
		}
		if (rc < 0)
			return -1;
		(void)i;
	}
	if (c == OPT_HELP)
		return 0;
	if (c == OPT_ERROR) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	if (ps.ind < argc) {
		fprintf(stderr, "zcs-sim: unexpected '%s': see zcs-sim --help\n", argv[ps.ind]);
		return -1;
	}
	if (o->tcp < 0 && !o->rtu && o->meters_tcp < 0 && !o->meters_rtu && o->v5 < 0 &&
	    o->rtutcp < 0)
		o->tcp = 0;
	if (o->discovery >= 0 && o->v5 < 0) {
		fprintf(stderr, "zcs-sim: --discovery answers for the Wi-Fi stick: give --v5 PORT "
			"too\n");
		return -1;
	}
	return 1;
}

/* ---- the control socket -------------------------------------------------- */

/* Remove `path` only when it is a socket nobody listens on any more (a
 * zcs-sim that died); never a file, nor a live simulator's socket. */
static int stale_socket(const char *path, struct zcs_err *err)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, live;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : zcs_fail(err, ZCS_SYS, "--control %s: %s", path,
						       strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return zcs_fail(err, ZCS_USAGE, "--control %s exists and is not a socket: it is "
				"left alone; give another path", path);
	zcs_strlcpy(a.sun_path, path, sizeof a.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	live = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	if (fd >= 0)
		close(fd);
	if (live)
		return zcs_fail(err, ZCS_USAGE, "--control %s: another zcs-sim listens there; "
				"give another path", path);
	unlink(path);
	return 0;
}

static int ctl_listen(const char *path, struct zcs_err *err)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof a.sun_path)
		return zcs_fail(err, ZCS_USAGE, "the control socket path %s is too long (%zu "
				"characters at most): give a shorter --control path", path,
				sizeof a.sun_path - 1);
	zcs_strlcpy(a.sun_path, path, sizeof a.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return zcs_fail(err, ZCS_SYS, "socket: %s", strerror(errno));
	if (stale_socket(path, err) < 0) {
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4) < 0) {
		int e = errno;

		close(fd);
		return zcs_fail(err, ZCS_SYS, "cannot listen on %s: %s", path, strerror(e));
	}
	return fd;
}

static char *default_control_path(void)
{
	const char *dir = getenv("XDG_RUNTIME_DIR");

	if (!dir || access(dir, W_OK) != 0)
		dir = "/tmp";
	return xasprintf("%s/zcs-sim-%ld.sock", dir, (long)getpid());
}

/* A reply that does not fit the client's socket now is dropped and the
 * client closed: a client that does not read never stops the plant. */
static void ctl_reply(struct ctl_client *c, const char *text, size_t len)
{
	while (len > 0 && c->fd >= 0) {
		ssize_t w = write(c->out_fd, text, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (c->fd != 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				close(c->fd);
				c->fd = -1;
			}
			return;     /* gone: its close is seen by poll */
		}
		text += w;
		len -= (size_t)w;
	}
}

/* Execute each complete line in the client's buffer; write the replies. */
static void ctl_lines(struct sim_ctx *x, struct ctl_client *c)
{
	char *nl;

	while (c->fd >= 0 && (nl = memchr(c->buf, '\n', c->n))) {
		char *text = NULL;
		size_t len = 0;
		FILE *out;

		*nl = 0;
		if (c->overlong) {      /* the end of a line too long: refused whole */
			static const char msg[] = "error: a command line is at most 1023 "
						  "characters: it was refused whole\n";
			c->overlong = 0;
			ctl_reply(c, msg, sizeof msg - 1);
			c->n -= (size_t)(nl + 1 - c->buf);
			memmove(c->buf, nl + 1, c->n);
			continue;
		}
		out = open_memstream(&text, &len);
		x->now_ms = zcs_now_ms();
		sim_ctl_line(x, c->buf, out);
		fclose(out);
		ctl_reply(c, text, len);
		free(text);
		c->n -= (size_t)(nl + 1 - c->buf);
		memmove(c->buf, nl + 1, c->n);
	}
}

static void ctl_accept(int lfd, struct ctl_client *cl)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	for (int i = 0; i < MAX_CTL; i++)
		if (cl[i].fd < 0) {
			cl[i].fd = cl[i].out_fd = fd;
			cl[i].n = 0;
			cl[i].overlong = 0;
			return;
		}
	close(fd);
}

static void ctl_input(struct sim_ctx *x, struct ctl_client *c)
{
	ssize_t r = read(c->fd, c->buf + c->n, sizeof c->buf - 1 - c->n);

	if (r <= 0) {
		if (c->fd > 0)
			close(c->fd);
		c->fd = -1;
		return;
	}
	c->n += (size_t)r;
	ctl_lines(x, c);
	if (c->fd >= 0 && c->n >= sizeof c->buf - 1) {
		c->n = 0;           /* a line too long to be a command: skip to its end */
		c->overlong = 1;
	}
}

/* ---- start-up ------------------------------------------------------------ */

static struct sim_dev *lookup(void *ctx, int bus, int slave)
{
	struct sim_ctx *x = ctx;
	struct sim_plant *p = &x->plant;

	if (bus == SIM_BUS_INVERTERS) {
		struct sim_inv *v = sim_plant_inverter(p, slave);

		return v ? v->dev : NULL;
	}
	if (p->meter_exch && (slave < 0 || p->meter_exch->slave == slave))
		return p->meter_exch;
	if (p->meter_prod && (slave < 0 || p->meter_prod->slave == slave))
		return p->meter_prod;
	return NULL;
}

static int start_servers(struct sim_ctx *x, const struct opts *o, struct zcs_err *err)
{
	const int ports[SIM_NBUS] = { o->tcp, o->meters_tcp };
	const int rtus[SIM_NBUS] = { o->rtu, o->meters_rtu };
	static const char *const names[SIM_NBUS][2] = { { "tcp", "rtu" },
							  { "meters-tcp", "meters-rtu" } };

	int bound;

	x->server = sim_server_new(&x->faults, lookup, x, &o->srv);
	for (int b = 0; b < SIM_NBUS; b++) {
		if (ports[b] >= 0) {
			if (sim_server_tcp(x->server, b, ports[b], &bound, err) < 0)
				return -1;
			printf("%s 127.0.0.1:%d\n", names[b][0], bound);
		}
		if (rtus[b]) {
			x->rtu_on[b] = 1;
			if (sim_server_rtu(x->server, b, x->rtu_path[b], sizeof x->rtu_path[b], err) < 0)
				return -1;
			printf("%s %s\n", names[b][1], x->rtu_path[b]);
		}
	}
	if (o->v5 >= 0) {
		if (sim_server_logger(x->server, 1, o->v5, &bound, err) < 0)
			return -1;
		printf("v5 127.0.0.1:%d logger-serial %lu\n", bound,
		       (unsigned long)o->srv.logger_serial);
	}
	if (o->rtutcp >= 0) {
		if (sim_server_logger(x->server, 0, o->rtutcp, &bound, err) < 0)
			return -1;
		printf("rtu-over-tcp 127.0.0.1:%d\n", bound);
	}
	if (o->discovery >= 0) {
		if (sim_server_discovery(x->server, o->discovery, &bound, err) < 0)
			return -1;
		printf("discovery 127.0.0.1:%d\n", bound);
	}
	return 0;
}

static void signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* ---- the loop ------------------------------------------------------------ */

static void loop(struct sim_ctx *x, int lfd, int use_stdin)
{
	struct ctl_client cl[MAX_CTL], in = { .fd = use_stdin ? 0 : -1, .out_fd = 1 };
	int64_t next_tick = zcs_now_ms();

	for (int i = 0; i < MAX_CTL; i++)
		cl[i].fd = -1;
	while (!x->quit && !stop_signal) {
		struct pollfd fds[MAX_FDS];
		int n = 0, timeout, st;
		unsigned long served;
		int64_t now = zcs_now_ms();

		sim_server_fds(x->server, fds, &n, MAX_FDS - MAX_CTL - 2);
		fds[n++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (int i = 0; i < MAX_CTL; i++)
			fds[n++] = (struct pollfd){ .fd = cl[i].fd, .events = POLLIN };
		fds[n++] = (struct pollfd){ .fd = in.fd, .events = POLLIN };
		timeout = (int)(next_tick > now ? next_tick - now : 0);
		st = sim_server_timeout(x->server, now);
		if (st >= 0 && st < timeout)
			timeout = st;
		if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
			break;
		now = zcs_now_ms();
		x->now_ms = now;
		served = sim_server_requests(x->server);
		sim_server_handle(x->server, fds, n, now);
		if (sim_server_requests(x->server) != served)
			next_tick = now;      /* a write takes effect at once */
		for (int i = 0; i < n; i++) {
			if (!fds[i].revents || fds[i].fd < 0)
				continue;
			if (fds[i].fd == lfd)
				ctl_accept(lfd, cl);
			else if (fds[i].fd == 0 && in.fd == 0)
				ctl_input(x, &in);
			else
				for (int k = 0; k < MAX_CTL; k++)
					if (cl[k].fd == fds[i].fd)
						ctl_input(x, &cl[k]);
		}
		if (now >= next_tick) {
			sim_plant_tick(&x->plant, now);
			next_tick = now + TICK_MS;
		}
	}
	for (int i = 0; i < MAX_CTL; i++)
		if (cl[i].fd >= 0)
			close(cl[i].fd);
}

static int run(const struct opts *o)
{
	static struct sim_ctx x;
	struct zcs_err err = { 0 };
	char *ctl_path = o->control ? xstrdup(o->control) : default_control_path();
	int lfd = -1, rc = ZCS_OK;

	sim_faults_init(&x.faults);
	sim_plant_init(&x.plant, &x.faults);
	x.now_ms = zcs_now_ms();
	signals();
	if (sim_scn_load(&x, o->scenario ? o->scenario : "clean", &err) < 0 ||
	    start_servers(&x, o, &err) < 0 || (lfd = ctl_listen(ctl_path, &err)) < 0) {
		fprintf(stderr, "zcs-sim: %s\n", err.msg);
		rc = err.code ? err.code : ZCS_SYS;
		goto out;
	}
	sim_plant_tick(&x.plant, zcs_now_ms());
	printf("control %s\nready\n", ctl_path);
	fflush(stdout);
	loop(&x, lfd, isatty(0));
out:
	if (lfd >= 0) {
		struct stat st;

		close(lfd);
		if (lstat(ctl_path, &st) == 0 && S_ISSOCK(st.st_mode))
			unlink(ctl_path);           /* our own socket, nothing else */
	}
	sim_server_free(x.server);
	if (o->srv.write_log)
		fclose(o->srv.write_log);
	sim_plant_free(&x.plant);
	sim_batt_release();
	free(ctl_path);
	return rc;
}

/* ---- zcs-sim ctl SOCKET COMMAND... --------------------------------------- */

static int ctl_client(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char *line = NULL, buf[4096];
	size_t len = 0;
	FILE *in;
	int fd, rc = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: zcs-sim ctl SOCKET COMMAND...\n");
		return ZCS_USAGE;
	}
	if (strlen(argv[1]) >= sizeof a.sun_path) {
		fprintf(stderr, "zcs-sim ctl: the socket path %s is too long (%zu characters at "
			"most): start zcs-sim with a shorter --control path\n", argv[1],
			sizeof a.sun_path - 1);
		return ZCS_USAGE;
	}
	zcs_strlcpy(a.sun_path, argv[1], sizeof a.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		fprintf(stderr, "zcs-sim ctl: cannot connect to %s: %s (is zcs-sim running?)\n",
			argv[1], strerror(errno));
		if (fd >= 0)
			close(fd);
		return ZCS_SYS;
	}
	for (int i = 2; i < argc; i++) {
		char *old = line;

		line = xasprintf("%s%s%s", old ? old : "", old ? " " : "", argv[i]);
		free(old);
	}
	if (strlen(line) > CTL_LINE_MAX) {
		fprintf(stderr, "zcs-sim ctl: the command is %zu characters long, %d at most: "
			"nothing was sent\n", strlen(line), CTL_LINE_MAX);
		free(line);
		close(fd);
		return ZCS_USAGE;
	}
	snprintf(buf, sizeof buf, "%s\n", line);
	free(line);
	{
		struct timeval tv = { 10, 0 };   /* never wait for ever on a reply */

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	}
	if (write(fd, buf, strlen(buf)) < 0 || !(in = fdopen(fd, "r"))) {
		fprintf(stderr, "zcs-sim ctl: cannot send the command to %s: %s (is zcs-sim "
			"still running?)\n", argv[1], strerror(errno));
		close(fd);
		return ZCS_SYS;
	}
	line = NULL;
	errno = 0;
	while (getline(&line, &len, in) > 0) {
		if (!strcmp(line, "ok\n")) {
			rc = 0;
			break;
		}
		if (!strncmp(line, "error: ", 7)) {
			fprintf(stderr, "zcs-sim ctl: %s", line + 7);
			rc = ZCS_USAGE;
			break;
		}
		fputs(line, stdout);
	}
	if (rc == 1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		fprintf(stderr, "zcs-sim ctl: no reply from %s within 10 s\n", argv[1]);
	else if (rc == 1)
		fprintf(stderr, "zcs-sim ctl: %s closed without a reply\n", argv[1]);
	free(line);
	fclose(in);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o = { .tcp = -1, .meters_tcp = -1, .v5 = -1, .rtutcp = -1, .discovery = -1,
			  .srv = { .baud = 9600, .char_bits = 10, .logger_serial = 2712345678u } };
	int rc;

	if (argc > 1 && !strcmp(argv[1], "ctl"))
		return ctl_client(argc - 1, argv + 1);
	rc = parse(argc, argv, &o);
	if (rc <= 0)
		return rc < 0 ? ZCS_USAGE : 0;
	return run(&o);
}
