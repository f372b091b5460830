/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/paths.h"
#include "base/util.h"
#include "engine/training.h"

#define START_WAIT_MS 8000
#define CTL_WAIT_MS 3000

static char *sim_path(struct zcs_err *err)
{
	const char *env = getenv("ZCS_SIM");
	char *p = env && *env ? xstrdup(env) : paths_sibling_exe("zcs-sim");

	if (!p)
		zcs_fail(err, ZCS_SYS, "the simulator zcs-sim is not installed beside zcs-commission: "
			 "build it with 'make' or connect to a real unit with --port or --tcp");
	return p;
}

/* Run `argv` with stdout to `out` (and stderr to `log` when given). */
static pid_t spawn(char *const argv[], const char *out, const char *log, struct zcs_err *err)
{
	pid_t pid = fork();

	if (pid < 0) {
		zcs_fail(err, ZCS_SYS, "cannot start the simulator: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fe = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fi = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (fo < 0 || fe < 0 || fi < 0)
			_exit(127);
		dup2(fi, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	return pid;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = xmalloc(65536);
	n = fread(buf, 1, 65535, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static int wait_child(pid_t pid, int ms)
{
	int st;

	for (int waited = 0; waited <= ms; waited += 20) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD))
			return 0;
		zcs_sleep_ms(20);
	}
	return -1;
}

int training_scenarios(char names[][64], char descr[][160], int max, struct zcs_err *err)
{
	char *exe = sim_path(err), tmpl[] = "/tmp/zcs-scn.XXXXXX", *out, *text, *line, *save;
	int fd, n = 0;
	pid_t pid;

	if (!exe)
		return -1;
	fd = mkstemp(tmpl);
	if (fd < 0) {
		free(exe);
		return zcs_fail(err, ZCS_SYS, "cannot create a temporary file: %s", strerror(errno));
	}
	close(fd);
	out = xstrdup(tmpl);
	{
		char *argv[] = { exe, "--list-scenarios", NULL };

		pid = spawn(argv, out, NULL, err);
	}
	if (pid > 0 && wait_child(pid, START_WAIT_MS) < 0) {
		kill(-pid, SIGKILL);
		wait_child(pid, 1000);
	}
	text = slurp(out);
	unlink(out);
	free(out);
	free(exe);
	if (pid < 0 || !text) {
		free(text);
		return pid < 0 ? -1 : zcs_fail(err, ZCS_SYS, "zcs-sim --list-scenarios gave nothing");
	}
	for (line = strtok_r(text, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save)) {
		char *p = line + strspn(line, " \t"), *q;

		if (!*p || *p == '#')
			continue;
		q = p + strcspn(p, " \t");
		if (*q)
			*q++ = 0;
		q += strspn(q, " \t-");
		zcs_strlcpy(names[n], p, 64);
		zcs_strlcpy(descr[n], q, 160);
		n++;
	}
	free(text);
	return n;
}

/* Fill port/control from the simulator's start-up lines.  1 when "ready". */
static int parse_ready(struct training *t, char *text)
{
	char *save, *line;
	int ready = 0;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char host[64];
		int port;

		if (sscanf(line, "tcp %63[^:]:%d", host, &port) == 2) {
			zcs_strlcpy(t->host, host, sizeof t->host);
			t->port = port;
		} else if (strncmp(line, "control ", 8) == 0) {
			zcs_strlcpy(t->control, line + 8, sizeof t->control);
		} else if (strcmp(line, "ready") == 0) {
			ready = 1;
		}
	}
	return ready && t->port > 0;
}

static int await_ready(struct training *t, const char *out, const char *log, struct zcs_err *err)
{
	for (int waited = 0; waited < START_WAIT_MS; waited += 20) {
		char *text = slurp(out);
		int ok = text && parse_ready(t, text);

		free(text);
		if (ok)
			return 0;
		if (!training_alive(t)) {
			char *why = slurp(log);

			if (why)
				why[strcspn(why, "\n")] = 0;
			zcs_fail(err, ZCS_SYS, "the simulator stopped at start-up%s%s",
				 why && *why ? ": " : "", why ? why : "");
			free(why);
			return -1;
		}
		zcs_sleep_ms(20);
	}
	return zcs_fail(err, ZCS_SYS, "the simulator did not say it was ready within %d s",
			START_WAIT_MS / 1000);
}

int training_start(struct training *t, const char *scenario, struct zcs_err *err)
{
	char *exe, *out, *log, *sock;
	int rc;

	memset(t, 0, sizeof *t);
	zcs_strlcpy(t->scenario, scenario && *scenario ? scenario : "clean", sizeof t->scenario);
	zcs_strlcpy(t->dir, "/tmp/zcs-train.XXXXXX", sizeof t->dir);
	if (!mkdtemp(t->dir))
		return zcs_fail(err, ZCS_SYS, "cannot create a temporary directory: %s", strerror(errno));
	exe = sim_path(err);
	if (!exe) {
		rmdir(t->dir);
		*t->dir = 0;
		return -1;
	}
	out = xasprintf("%s/sim.out", t->dir);
	log = xasprintf("%s/sim.log", t->dir);
	sock = xasprintf("%s/control.sock", t->dir);
	{
		char *argv[] = { exe, "--tcp", "0", "--scenario", t->scenario, "--control", sock, NULL };

		t->pid = spawn(argv, out, log, err);
	}
	rc = t->pid > 0 ? await_ready(t, out, log, err) : -1;
	if (rc == 0 && !*t->control)
		zcs_strlcpy(t->control, sock, sizeof t->control);
	free(exe);
	free(out);
	free(log);
	free(sock);
	if (rc < 0)
		training_stop(t);
	return rc;
}

int training_alive(struct training *t)
{
	int st;

	if (t->pid <= 0)
		return 0;
	if (waitpid(t->pid, &st, WNOHANG) == t->pid) {
		t->pid = 0;
		return 0;
	}
	return 1;
}

static void remove_dir(const char *dir)
{
	static const char *const files[] = { "sim.out", "sim.log", "control.sock" };

	for (size_t i = 0; i < ZCS_ARRAY_LEN(files); i++) {
		char *p = xasprintf("%s/%s", dir, files[i]);

		unlink(p);
		free(p);
	}
	rmdir(dir);
}

void training_stop(struct training *t)
{
	if (t->pid > 0) {
		kill(-t->pid, SIGTERM);
		if (wait_child(t->pid, 2000) < 0) {
			kill(-t->pid, SIGKILL);
			wait_child(t->pid, 1000);
		}
		t->pid = 0;
	}
	if (*t->dir) {
		remove_dir(t->dir);
		*t->dir = 0;
	}
}

static int ctl_connect(const struct training *t, struct zcs_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return zcs_fail(err, ZCS_SYS, "control socket: %s", strerror(errno));
	zcs_strlcpy(sa.sun_path, t->control, sizeof sa.sun_path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		zcs_fail(err, ZCS_SYS, "cannot reach the simulator's control socket %s: %s",
			 t->control, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int read_line(int fd, char *buf, size_t n, struct zcs_err *err)
{
	size_t len = 0;

	while (len + 1 < n) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, CTL_WAIT_MS) <= 0)
			return zcs_fail(err, ZCS_SYS, "the simulator did not answer the control command");
		r = read(fd, buf + len, 1);
		if (r <= 0) {
			if (len == 0)
				return zcs_fail(err, ZCS_SYS, "the simulator closed the control socket");
			break;
		}
		if (buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = 0;
	return 0;
}

/* The reply: lines, then "ok" or "error: ...".  `reply` gets the first
 * line (or "ok"), or with `all` every line before "ok", one a line; an
 * error becomes ZCS_REFUSED with its text. */
static int read_reply(int fd, const char *cmd, char *reply, size_t n, int all,
		      struct zcs_err *err)
{
	char line[512];
	size_t len = 0;
	int first = 1;

	if (all && n)
		*reply = 0;
	for (;;) {
		if (read_line(fd, line, sizeof line, err) < 0)
			return -1;
		if (strncmp(line, "error", 5) == 0)
			return zcs_fail(err, ZCS_REFUSED, "the simulator refused '%s': %s", cmd,
					line[5] == ':' ? line + 7 : line);
		if (strcmp(line, "ok") == 0) {
			if (first && !all)
				zcs_strlcpy(reply, line, n);
			return 0;
		}
		if (all && len < n)
			len += (size_t)snprintf(reply + len, n - len, "%s\n", line);
		else if (first)
			zcs_strlcpy(reply, line, n);
		first = 0;
	}
}

static int ctl(const struct training *t, const char *cmd, char *reply, size_t n, int all,
	       struct zcs_err *err)
{
	char line[512];
	int fd = ctl_connect(t, err), rc;
	size_t len;

	if (fd < 0)
		return -1;
	len = (size_t)snprintf(line, sizeof line, "%s\n", cmd);
	if (write(fd, line, len) != (ssize_t)len) {
		close(fd);
		return zcs_fail(err, ZCS_SYS, "cannot send to the simulator: %s", strerror(errno));
	}
	rc = read_reply(fd, cmd, reply, n, all, err);
	close(fd);
	return rc;
}

int training_ctl(const struct training *t, const char *cmd, char *reply, size_t n,
		 struct zcs_err *err)
{
	return ctl(t, cmd, reply, n, 0, err);
}

int training_ctl_all(const struct training *t, const char *cmd, char *reply, size_t n,
		     struct zcs_err *err)
{
	return ctl(t, cmd, reply, n, 1, err);
}
