/* SPDX-License-Identifier: GPL-3.0-or-later */
/* link_int.h: the link's insides, shared by its files only (link.c: the
 * link and libmodbus's transports; link_stream.c: RTU over TCP and Solarman
 * V5 on a TCP stream of our own; link_params.c: the connection options). */
#ifndef ZCS_LINK_INT_H
#define ZCS_LINK_INT_H

#include <modbus.h>
#include <stdint.h>

#include "base/link.h"
#include "base/v5.h"

/* Failures only the loggers have, as errno values beside libmodbus's. */
#define LINK_EWRONGSERIAL (MODBUS_ENOBASE + 200)  /* V5: another logger serial */
#define LINK_ELOGGER      (MODBUS_ENOBASE + 201)  /* V5: the logger's error frame */

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

/* "cannot open ...": one sentence for a connection that failed with errno e. */
int link_open_fail(struct link *l, int e, struct zcs_err *err);

extern const struct transport link_t_rtutcp, link_t_v5;

#endif
