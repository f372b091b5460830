/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim_ctl: the simulator's control language, one command a line.
 *
 * The same words drive the plant from a scenario file, the control socket,
 * stdin and `zcs-sim ctl SOCKET COMMAND`:
 *   grid on|off  breaker on|off  dc on|off  battery on|off  loads on|off
 *   pv W  pv1 W  pv2 W  load W  critical W  production W  soc PERCENT [slave=N]
 *   speed X  fault NAME on|off [ARG]  faults
 *   set NAME VALUE|auto [slave=N|meter=N]  setting NAME VALUE [slave=N]
 *   get NAME [slave=N|meter=N]  state  rtu unplug|plug [meters]  drop
 *   unserve|serve NAME... [slave=N|meter=N]  holes strict|zeros [slave=N|meter=N]
 *   help  quit
 * A reply is zero or more lines, then `ok` or `error: message`. */
#ifndef ZCS_SIM_CTL_H
#define ZCS_SIM_CTL_H

#include <stdio.h>

#include "base/err.h"
#include "base/lex.h"
#include "sim/sim_plant.h"
#include "sim/sim_server.h"

/* Everything a command can act on. */
struct sim_ctx {
	struct sim_plant plant;
	struct sim_faults faults;
	struct sim_server *server;
	int rtu_on[SIM_NBUS];       /* a pseudo-terminal was asked for */
	char rtu_path[SIM_NBUS][64];
	int quit;
	int64_t now_ms;
};

/* Run one tokenised command; output lines go to `out`.  0, or -1 with a
 * ZCS_USAGE error (the message is the `error:` text). */
int sim_ctl_run(struct sim_ctx *x, const struct lex_line *ln, FILE *out, struct zcs_err *err);
/* Run one text line and write the whole reply, `ok` or `error: ...`
 * included.  Returns 0 or -1 like sim_ctl_run. */
int sim_ctl_line(struct sim_ctx *x, const char *line, FILE *out);
/* The help text. */
void sim_ctl_help(FILE *out);

/* The device that `slave=N` / `meter=N` on the line names (the first
 * inverter without either). */
struct sim_dev *sim_ctl_device(struct sim_ctx *x, const struct lex_line *ln,
			       struct zcs_err *err);

#endif
