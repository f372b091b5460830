/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "engine/trainnet.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/util.h"

struct client {
	int fd;
	char in[1024];
	size_t len;
	int fresh;              /* connected, not yet announced */
};

struct trainnet {
	int fd;
	char path[108];
	struct client c[TRAINNET_MAX_CLIENTS];
};

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

struct trainnet *trainnet_listen(const char *path, struct zcs_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct trainnet *n;
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		zcs_fail(err, ZCS_USAGE, "the instructor's socket path '%s' is too long (at most "
			 "%zu characters)", path, sizeof sa.sun_path - 1);
		return NULL;
	}
	/* a socket left by a wizard that died is replaced; anything else is not */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			zcs_fail(err, ZCS_USAGE, "%s exists and is not a socket: choose another "
				 "path for the instructor's socket", path);
			return NULL;
		}
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	zcs_strlcpy(sa.sun_path, path, sizeof sa.sun_path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 4) < 0 ||
	    set_nonblock(fd) < 0) {
		zcs_fail(err, ZCS_SYS, "cannot listen on the instructor's socket %s: %s", path,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	chmod(path, 0600);
	n = xcalloc(1, sizeof *n);
	n->fd = fd;
	zcs_strlcpy(n->path, path, sizeof n->path);
	for (int i = 0; i < TRAINNET_MAX_CLIENTS; i++)
		n->c[i].fd = -1;
	return n;
}

static void drop(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->len = 0;
	c->fresh = 0;
}

void trainnet_close(struct trainnet *n)
{
	if (!n)
		return;
	for (int i = 0; i < TRAINNET_MAX_CLIENTS; i++)
		drop(&n->c[i]);
	close(n->fd);
	unlink(n->path);
	free(n);
}

static void accept_all(struct trainnet *n)
{
	int fd;

	while ((fd = accept4(n->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		int i;

		for (i = 0; i < TRAINNET_MAX_CLIENTS && n->c[i].fd >= 0; i++)
			;
		if (i == TRAINNET_MAX_CLIENTS) {
			static const char full[] = "error: too many consoles\n";

			(void)!write(fd, full, sizeof full - 1);
			close(fd);
			continue;
		}
		n->c[i].fd = fd;
		n->c[i].len = 0;
		n->c[i].fresh = 1;
	}
}

int trainnet_poll(struct trainnet *n, int *client, char *line, size_t len)
{
	if (!n)
		return 0;
	accept_all(n);
	for (int i = 0; i < TRAINNET_MAX_CLIENTS; i++) {
		struct client *c = &n->c[i];
		char *nl;

		if (c->fd < 0)
			continue;
		if (c->fresh) {
			c->fresh = 0;
			*client = i;
			return 2;
		}
		if (!(nl = memchr(c->in, '\n', c->len))) {
			ssize_t r;

			if (c->len == sizeof c->in) {
				drop(c);            /* a line too long: not a console */
				continue;
			}
			r = read(c->fd, c->in + c->len, sizeof c->in - c->len);
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
				drop(c);
				continue;
			}
			if (r > 0)
				c->len += (size_t)r;
			nl = memchr(c->in, '\n', c->len);
		}
		if (nl) {
			size_t l = (size_t)(nl - c->in);

			snprintf(line, len, "%.*s", (int)l, c->in);
			line[strcspn(line, "\r")] = 0;
			memmove(c->in, nl + 1, c->len - l - 1);
			c->len -= l + 1;
			*client = i;
			return 1;
		}
	}
	return 0;
}

void trainnet_send(struct trainnet *n, int client, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int len;

	if (!n)
		return;
	va_start(ap, fmt);
	len = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if (len > (int)sizeof line - 2)
		len = (int)sizeof line - 2;
	for (int i = 0; i < len; i++)       /* one line: no control characters */
		if ((unsigned char)line[i] < 0x20)
			line[i] = ' ';
	line[len++] = '\n';
	for (int i = 0; i < TRAINNET_MAX_CLIENTS; i++) {
		struct client *c = &n->c[i];

		if (c->fd < 0 || (client >= 0 && client != i))
			continue;
		if (send(c->fd, line, (size_t)len, MSG_NOSIGNAL | MSG_DONTWAIT) != len)
			drop(c);            /* gone, or not reading */
	}
}

int trainnet_connect(const char *path, struct zcs_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof sa.sun_path)
		return zcs_fail(err, ZCS_USAGE, "the socket path '%s' is too long", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	zcs_strlcpy(sa.sun_path, path, sizeof sa.sun_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		zcs_fail(err, ZCS_SYS, "cannot reach a training wizard on %s: %s (start it with "
			 "'zcs-commission --training --instructor %s')", path, strerror(errno), path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int trainnet_read_line(int fd, struct trainnet_reader *r, char *line, size_t n, int ms)
{
	for (;;) {
		char *nl = memchr(r->buf, '\n', r->len);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t got;

		if (nl) {
			size_t l = (size_t)(nl - r->buf);

			snprintf(line, n, "%.*s", (int)l, r->buf);
			memmove(r->buf, nl + 1, r->len - l - 1);
			r->len -= l + 1;
			return 1;
		}
		if (r->len == sizeof r->buf)
			r->len = 0;
		if (poll(&p, 1, ms) <= 0)
			return 0;
		got = read(fd, r->buf + r->len, sizeof r->buf - r->len);
		if (got <= 0)
			return -1;
		r->len += (size_t)got;
	}
}
