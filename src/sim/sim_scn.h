/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim_scn: scenario files, data/scenarios/NAME.scn (the line format of base/lex.h).
 *
 *   describe "what the trainee meets"
 *   inverter slave=1 model=HYD6000-ZSS-HP serial=ZM2ES060M1E00001 \
 *       fw_com=V110 fw_master=V120 fw_slave=V120 hw=V1 country=1 \
 *       [parallel=on role=primary|replica paddr=N] \
 *       [layout=hyd-es power=W]     (a legacy unit: served with hyd-es.map)
 *   battery model=zsx5000 count=2 [slave=N]
 *   strings 1|2 [slave=N]
 *   meter mode=ct|ddsu|dtsu [production=yes]
 *   ... then any control command of sim_ctl (pv 3000, load 800, soc 60,
 *   setting eps_control on, fault ct-reversed on ...).
 * Declarations without slave= apply to the last inverter declared.  Errors
 * name the file and line. */
#ifndef ZCS_SIM_SCN_H
#define ZCS_SIM_SCN_H

#include <stdio.h>

#include "base/err.h"
#include "sim/sim_ctl.h"

/* NAME (data/scenarios/NAME.scn) or a path (contains '/' or ends .scn). */
int sim_scn_load(struct sim_ctx *x, const char *name_or_path, struct zcs_err *err);
/* Print "NAME  description" for every scenario in the data directory. */
int sim_scn_list(FILE *out, struct zcs_err *err);

#endif
