/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim_server: Modbus server framing for the simulator, written here so it
 * can serve several slave ids on one line and misbehave on purpose.
 *
 * Two buses (inverters, meters), each reachable over Modbus TCP (MBAP) on a
 * loopback port and over Modbus RTU on a pseudo-terminal.  Requests go to
 * the device with the addressed slave id (sim_server_lookup_fn).  FC 0x03,
 * 0x04 read, FC 0x10 writes; anything else gets exception 01.  On RTU an
 * unknown slave id gets no answer, on TCP exception 0x0B (a gateway whose
 * target does not answer).  The link faults of sim_fault.h are applied here,
 * as is the optional wire-speed hold of each reply.  With a write log every
 * FC 0x10 received is logged: "01 10 10 44 00 18 30 ... -> ok" (slave, the
 * PDU, then "ok" or "exception NN").
 *
 * The server never blocks: sim_server_fds() lists what to poll(),
 * sim_server_handle() serves what is ready, sim_server_timeout() says how
 * long until a held reply is due. */
#ifndef ZCS_SIM_SERVER_H
#define ZCS_SIM_SERVER_H

#include <poll.h>
#include <stdio.h>
#include <stdint.h>

#include "base/err.h"
#include "sim/sim_dev.h"
#include "sim/sim_fault.h"

enum sim_bus_id { SIM_BUS_INVERTERS, SIM_BUS_METERS, SIM_NBUS };

typedef struct sim_dev *(*sim_server_lookup_fn)(void *ctx, int bus, int slave);

struct sim_server;

struct sim_server_opts {
	int wire;              /* hold replies for their wire time */
	int baud;
	int char_bits;         /* 10 (8N1) or 11 (parity or 2 stop bits) */
	int turnaround_ms;
	FILE *write_log;       /* every FC 0x10 received, one line each (or NULL) */
	uint32_t logger_serial; /* the simulated data logger's serial (V5) */
};

struct sim_server *sim_server_new(struct sim_faults *f, sim_server_lookup_fn lookup, void *ctx,
				  const struct sim_server_opts *o);
void sim_server_free(struct sim_server *s);

/* Listen on 127.0.0.1:port (0 picks a free one); *bound gets the port. */
int sim_server_tcp(struct sim_server *s, int bus, int port, int *bound, struct zcs_err *err);
/* The data logger stick in the inverter's port, on 127.0.0.1:port (0 picks
 * a free one): Solarman V5 (v5 1, the Wi-Fi stick, serial
 * opts.logger_serial) or RTU over TCP (v5 0, the ETH stick).  Both reach
 * the inverters' bus.  A V5 request naming another serial is answered with
 * the logger's own serial and a short error payload (or ignored, fault
 * logger-ignore-serial); one the inverter does not answer gets the short
 * error payload after 500 ms; a heartbeat precedes every 8th reply. */
int sim_server_logger(struct sim_server *s, int v5, int port, int *bound, struct zcs_err *err);
/* Answer the loggers' UDP discovery ("WIFIKIT-214028-READ") on
 * 127.0.0.1:port with "127.0.0.1,MAC,SERIAL". */
int sim_server_discovery(struct sim_server *s, int port, int *bound, struct zcs_err *err);
/* Create (or re-create) the bus's pseudo-terminal; its path in `path`. */
int sim_server_rtu(struct sim_server *s, int bus, char *path, size_t n, struct zcs_err *err);
/* Tear the pseudo-terminal down, as if the USB adapter was pulled. */
void sim_server_rtu_close(struct sim_server *s, int bus);
int sim_server_has_rtu(const struct sim_server *s, int bus);
/* Close every TCP client of every bus. Returns how many. */
int sim_server_drop(struct sim_server *s);

/* Append the descriptors to poll to fds[*n] (at most max). */
void sim_server_fds(struct sim_server *s, struct pollfd *fds, int *n, int max);
/* Serve whatever the poll() result says is ready, and replies now due. */
void sim_server_handle(struct sim_server *s, const struct pollfd *fds, int n, int64_t now_ms);
/* Milliseconds until the next held reply or RTU gap is due; -1 if none. */
int sim_server_timeout(const struct sim_server *s, int64_t now_ms);

/* Requests served, for `state`. */
unsigned long sim_server_requests(const struct sim_server *s);

/* Serve `in` as if it arrived on a TCP connection (rtu 0), on the RTU
 * line (rtu 1), on the logger's V5 port (2) or its RTU-over-TCP port (3) of
 * `bus`, writing the replies to `fd_out`: the framing
 * without a socket, for the fuzzing harnesses.  Returns the requests
 * served. */
unsigned long sim_server_feed(struct sim_server *s, int bus, int rtu, int fd_out,
			      const uint8_t *in, size_t n, int64_t now_ms);

#endif
