/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mbraw HOST:PORT UNIT HEX-PDU
 * Send one Modbus TCP request whose PDU is given in hex (spaces allowed,
 * e.g. "06 1023 0001") and print the reply's PDU in hex ("90 03" for an
 * exception), "closed" when the server closed the connection, "timeout"
 * after 2 s.  For testing a server's framing and exception codes without a
 * client library that would refuse to send the odd request. */
#include <arpa/inet.h>
#include <ctype.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int hex_pdu(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0;
	int half = -1;

	for (; *s; s++) {
		int v;

		if (isspace((unsigned char)*s))
			continue;
		if (!isxdigit((unsigned char)*s))
			return -1;
		v = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
		if (half < 0) {
			half = v;
		} else {
			if (n == max)
				return -1;
			out[n++] = (unsigned char)(half << 4 | v);
			half = -1;
		}
	}
	return half < 0 ? (int)n : -1;
}

static int connect_to(const char *hostport)
{
	char host[64];
	const char *colon = strrchr(hostport, ':');
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd;

	if (!colon || (size_t)(colon - hostport) >= sizeof host)
		return -1;
	memcpy(host, hostport, (size_t)(colon - hostport));
	host[colon - hostport] = 0;
	a.sin_port = htons((unsigned short)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &a.sin_addr) != 1)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
		return -1;
	return fd;
}

int main(int argc, char **argv)
{
	unsigned char req[300], resp[300];
	struct pollfd pfd;
	size_t got = 0;
	int n, fd;

	if (argc != 4 || (n = hex_pdu(argv[3], req + 7, 250)) < 1) {
		fprintf(stderr, "usage: mbraw HOST:PORT UNIT HEX-PDU\n");
		return 2;
	}
	if ((fd = connect_to(argv[1])) < 0) {
		fprintf(stderr, "mbraw: cannot connect to %s\n", argv[1]);
		return 3;
	}
	req[0] = 0x12; req[1] = 0x34; req[2] = 0; req[3] = 0;
	req[4] = (unsigned char)((n + 1) >> 8);
	req[5] = (unsigned char)(n + 1);
	req[6] = (unsigned char)atoi(argv[2]);
	if (write(fd, req, (size_t)n + 7) != n + 7)
		return 3;
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got < 7 || got < 6 + (size_t)(resp[4] << 8 | resp[5])) {
		ssize_t r;

		if (poll(&pfd, 1, 2000) <= 0) {
			puts("timeout");
			return 1;
		}
		r = read(fd, resp + got, sizeof resp - got);
		if (r <= 0) {
			puts("closed");
			return 1;
		}
		got += (size_t)r;
	}
	for (size_t i = 7; i < got; i++)
		printf("%s%02x", i > 7 ? " " : "", resp[i]);
	putchar('\n');
	close(fd);
	return 0;
}
