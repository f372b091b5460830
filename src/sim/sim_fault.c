/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sim/sim_fault.h"

#include <string.h>

static const struct {
	const char *name;
	double arg;
	const char *what, *check;
} faults[] = {
#define X(e, name, arg, what, check) { name, arg, what, check },
	SIM_FAULT_LIST(X)
#undef X
};

int sim_fault_find(const char *name)
{
	for (int i = 0; i < SIM_NFAULTS; i++)
		if (strcmp(faults[i].name, name) == 0)
			return i;
	return -1;
}

const char *sim_fault_name(int id)
{
	return faults[id].name;
}

const char *sim_fault_what(int id)
{
	return faults[id].what;
}

const char *sim_fault_check(int id)
{
	return faults[id].check;
}

double sim_fault_default_arg(int id)
{
	return faults[id].arg;
}

void sim_faults_init(struct sim_faults *f)
{
	memset(f, 0, sizeof *f);
	for (int i = 0; i < SIM_NFAULTS; i++)
		f->arg[i] = faults[i].arg;
}
