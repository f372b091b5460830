/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim_meter: the grid-point measurement and the meter line.
 *
 * The CT or the exchange meter reads the true flow at the exchange point
 * (+ export / - import) through the CT faults (reversed, partial); Chint
 * DDSU666 / DTSU666 meters answer on the meter line at the addresses the
 * knowledge catalogue gives (exchange 001, production 002) unless a fault
 * moves, silences or swaps them; the inverter's own reading of its grid
 * point follows what it can reach on that line. */
#ifndef ZCS_SIM_METER_H
#define ZCS_SIM_METER_H

#include "base/err.h"
#include "sim/sim_plant.h"

/* Create the meters of `mode` (none for a CT), with a production meter
 * when asked. */
int sim_meter_create(struct sim_plant *p, enum sim_meter_mode mode, int production,
		     struct zcs_err *err);
/* The CT's or exchange meter's view of a true flow (W). */
double sim_meter_measure(const struct sim_plant *p, double true_w);
/* Refresh the meters from p->grid_w and the production `prod` (W); set what
 * the inverter reads as grid point and as external PV. */
void sim_meter_update(struct sim_plant *p, double prod, double *grid_meas, double *ext_meas);

#endif
