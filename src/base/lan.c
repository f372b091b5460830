/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/lan.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/util.h"

int lan_parse_reply(const char *buf, size_t n, struct lan_logger *out, char *why, size_t nwhy)
{
	char s[96], *f[4], *save = NULL, *tok;
	int nf = 0;
	struct in_addr a;
	unsigned long long serial = 0;
	size_t k = 0;

	memset(out, 0, sizeof *out);
	if (nwhy)
		why[0] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == '\0'))
		n--;
	if (n == 0 || n >= sizeof s) {
		snprintf(why, nwhy, "a reply of %zu bytes is not IP,MAC,SERIAL", n);
		return -1;
	}
	memcpy(s, buf, n);
	s[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!isprint((unsigned char)s[i])) {
			snprintf(why, nwhy, "a reply with a control byte is not IP,MAC,SERIAL");
			return -1;
		}
	for (tok = strtok_r(s, ",", &save); tok && nf < 4; tok = strtok_r(NULL, ",", &save))
		f[nf++] = tok;
	if (nf != 3 || tok) {
		snprintf(why, nwhy, "'%.60s' is not IP,MAC,SERIAL", s);
		return -1;
	}
	if (inet_pton(AF_INET, f[0], &a) != 1) {
		snprintf(why, nwhy, "'%.20s' is not an IPv4 address", f[0]);
		return -1;
	}
	if (strlen(f[1]) != 12) {
		snprintf(why, nwhy, "MAC '%.20s' is not 12 hex digits", f[1]);
		return -1;
	}
	for (int i = 0; i < 12; i++) {
		if (!isxdigit((unsigned char)f[1][i])) {
			snprintf(why, nwhy, "MAC '%.20s' is not 12 hex digits", f[1]);
			return -1;
		}
		out->mac[k++] = (char)toupper((unsigned char)f[1][i]);
		if (i % 2 && i < 11)
			out->mac[k++] = ':';
	}
	out->mac[k] = '\0';
	if (!*f[2] || strlen(f[2]) > 10) {
		snprintf(why, nwhy, "serial '%.20s' is not a logger serial", f[2]);
		return -1;
	}
	for (const char *p = f[2]; *p; p++) {
		if (!isdigit((unsigned char)*p)) {
			snprintf(why, nwhy, "serial '%.20s' is not a logger serial", f[2]);
			return -1;
		}
		serial = serial * 10 + (unsigned)(*p - '0');
	}
	if (serial < 1 || serial > 4294967295ULL) {
		snprintf(why, nwhy, "serial '%.20s' is not a logger serial", f[2]);
		return -1;
	}
	out->serial = (uint32_t)serial;
	inet_ntop(AF_INET, &a, out->ip, sizeof out->ip);
	return 0;
}

/* The interface the default route leaves by (/proc/net/route), or -1. */
static int default_iface(char *name, size_t n)
{
	FILE *f = fopen("/proc/net/route", "r");
	char line[256], ifn[IF_NAMESIZE + 1];
	unsigned long dest, gw, flags, metric, best = (unsigned long)-1;
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		unsigned long refcnt, use;

		if (sscanf(line, "%16s %lx %lx %lx %lu %lu %lu", ifn, &dest, &gw, &flags, &refcnt,
			   &use, &metric) != 7)
			continue;
		if (dest == 0 && (flags & 1) && metric < best) {
			best = metric;
			zcs_strlcpy(name, ifn, n);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

static int cmp_logger(const void *a, const void *b)
{
	const struct lan_logger *x = a, *y = b;
	struct in_addr ax, ay;

	inet_pton(AF_INET, x->ip, &ax);
	inet_pton(AF_INET, y->ip, &ay);
	if (ntohl(ax.s_addr) != ntohl(ay.s_addr))
		return ntohl(ax.s_addr) < ntohl(ay.s_addr) ? -1 : 1;
	return x->serial < y->serial ? -1 : x->serial > y->serial;
}

/* The test targets of ZCS_LAN_TARGETS, sent to one by one. */
static int send_targets(int fd, const char *list, struct zcs_err *err)
{
	char *copy = xstrdup(list), *save = NULL;
	int sent = 0;

	for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		struct sockaddr_in to = { .sin_family = AF_INET };
		char *colon = strrchr(t, ':');
		long port;

		if (!colon || zcs_parse_long(colon + 1, &port) < 0 || port < 1 || port > 65535)
			break;
		*colon = '\0';
		if (inet_pton(AF_INET, t, &to.sin_addr) != 1)
			break;
		to.sin_port = htons((uint16_t)port);
		if (sendto(fd, LAN_DISCOVERY_QUESTION, strlen(LAN_DISCOVERY_QUESTION), 0,
			   (struct sockaddr *)&to, sizeof to) > 0)
			sent++;
	}
	free(copy);
	if (!sent)
		return zcs_fail(err, ZCS_USAGE, "ZCS_LAN_TARGETS='%s': give IPv4:PORT[,IPv4:PORT...]",
				list);
	return 0;
}

int lan_discover(const char *iface, int wait_ms, struct lan_logger **out, size_t *n, char *where,
		 size_t nwhere, struct zcs_err *err)
{
	const char *targets = getenv("ZCS_LAN_TARGETS");
	struct sockaddr_in local = { .sin_family = AF_INET }, bcast = { .sin_family = AF_INET };
	char ifn[IF_NAMESIZE + 1] = "";
	int fd, one = 1, ttl = 1;
	int64_t end;

	*out = NULL;
	*n = 0;
	if (targets && *targets) {
		local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		snprintf(where, nwhere, "the test targets %s (ZCS_LAN_TARGETS)", targets);
	} else {
		struct ifaddrs *ifs, *i;
		int have = 0, exists = 0;

		if (iface)
			zcs_strlcpy(ifn, iface, sizeof ifn);
		else if (default_iface(ifn, sizeof ifn) < 0)
			return zcs_fail(err, ZCS_USAGE, "no default route: name the LAN interface the "
					"sticks are on with --iface IF ('ip -brief addr' lists them)");
		if (getifaddrs(&ifs) < 0)
			return zcs_fail(err, ZCS_SYS, "cannot list the network interfaces: %s",
					strerror(errno));
		for (i = ifs; i; i = i->ifa_next) {
			if (strcmp(i->ifa_name, ifn) != 0)
				continue;
			exists = 1;
			if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
			    !(i->ifa_flags & IFF_UP) || !(i->ifa_flags & IFF_BROADCAST) ||
			    (i->ifa_flags & IFF_LOOPBACK) || !i->ifa_broadaddr)
				continue;
			local.sin_addr = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
			bcast.sin_addr = ((struct sockaddr_in *)i->ifa_broadaddr)->sin_addr;
			have = 1;
			break;
		}
		freeifaddrs(ifs);
		if (!have)
			return zcs_fail(err, ZCS_USAGE, exists
					? "%s has no IPv4 broadcast address (is it up, and a LAN, not "
					  "loopback or a tunnel?): name another with --iface IF"
					: "no network interface %s: 'ip -brief addr' lists them",
					ifn);
		{
			char a[16], b[16];

			inet_ntop(AF_INET, &local.sin_addr, a, sizeof a);
			inet_ntop(AF_INET, &bcast.sin_addr, b, sizeof b);
			snprintf(where, nwhere, "%s (%s, broadcast %s, UDP %d)", ifn, a, b,
				 LAN_DISCOVERY_PORT);
		}
		bcast.sin_port = htons(LAN_DISCOVERY_PORT);
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return zcs_fail(err, ZCS_SYS, "cannot create a UDP socket: %s", strerror(errno));
	/* never beyond this LAN: one hop, from this interface's own address */
	setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
	if (*ifn)
		setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifn, (socklen_t)strlen(ifn));
	if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) {
		int e = errno;

		close(fd);
		return zcs_fail(err, ZCS_SYS, "cannot bind the discovery socket on %s: %s", where,
				strerror(e));
	}
	if (targets && *targets) {
		if (send_targets(fd, targets, err) < 0) {
			close(fd);
			return -1;
		}
	} else {
		setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
		if (sendto(fd, LAN_DISCOVERY_QUESTION, strlen(LAN_DISCOVERY_QUESTION), 0,
			   (struct sockaddr *)&bcast, sizeof bcast) < 0) {
			int e = errno;

			close(fd);
			return zcs_fail(err, ZCS_SYS, "cannot broadcast on %s: %s", where, strerror(e));
		}
	}
	end = zcs_now_ms() + wait_ms;
	for (int64_t now = zcs_now_ms(); now < end; now = zcs_now_ms()) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		char buf[128], why[120];
		struct lan_logger lg;
		ssize_t r;
		int dup = 0;

		if (poll(&pf, 1, (int)(end - now)) <= 0)
			continue;
		r = recv(fd, buf, sizeof buf, 0);
		if (r <= 0 || lan_parse_reply(buf, (size_t)r, &lg, why, sizeof why) < 0)
			continue;       /* not a logger's answer: not ours to list */
		for (size_t k = 0; k < *n; k++)
			dup |= (*out)[k].serial == lg.serial;
		if (dup)
			continue;
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = lg;
	}
	close(fd);
	if (*n > 1)
		qsort(*out, *n, sizeof **out, cmp_logger);
	return 0;
}
