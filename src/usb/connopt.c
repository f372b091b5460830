/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The connection options: one table for every command and the wizard.
 * An option is offered only when link_params_option (or --adapter here)
 * knows it, so that a transport added to the link brings its option by
 * adding its line here and its case there. */
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "usb/usb.h"

static const struct opt all[] = {
	{ "port", 0, "DEV", N_("the RS485 adapter's serial device, e.g. /dev/ttyUSB0") },
	{ "adapter", 0, "VID:PID[:SERIAL]",
	  N_("the RS485 adapter as 'zcs-commission ports' lists it; followed through unplug and "
	  "replug") },
	{ "baud", 0, "N", N_("serial speed, 1200-115200 (9600)") },
	{ "parity", 0, "N|E|O", N_("serial parity (N)") },
	{ "stop", 0, "1|2", N_("stop bits (1)") },
	{ "tcp", 0, "HOST[:PORT]", N_("Modbus TCP: a HUB, a data logger or zcs-sim (port 502)") },
	{ "solarman", 0, "HOST[:PORT]", N_("Solarman V5 data logger stick, the Wi-Fi one (port 8899)") },
	{ "rtu-over-tcp", 0, "HOST[:PORT]", N_("RTU frames over TCP, the Ethernet stick (port 8899)") },
	{ "logger-serial", 0, "N", N_("the Solarman stick's serial number, on its label") },
	{ "framing", 0, "auto|mbap|rtu|v5", N_("how requests are framed on a TCP link (mbap)") },
	{ "preset", 0, "NAME", N_("a link preset of data/links.conf: hub-inverters, hub-meters, ...") },
	{ "slave", 0, "N", N_("the unit's Modbus address, 1-247 (1)") },
	{ "timeout", 0, "MS", N_("how long to wait for an answer, 10-60000 ms (500; TCP 1000)") },
	{ "byte-timeout", 0, "MS", N_("the longest gap inside one answer, 1-10000 ms (50)") },
	{ "interval", 0, "MS", N_("the least time between two requests, 0-60000 ms (0)") },
	{ NULL, 0, NULL, NULL },
};

const struct opt *usb_link_opts(void)
{
	static struct opt known[ZCS_ARRAY_LEN(all)];
	static int built;

	if (!built) {
		size_t k = 0;

		for (size_t i = 0; all[i].name; i++) {
			struct link_params p;
			struct zcs_err err;
			char opt[64];

			snprintf(opt, sizeof opt, "--%s", all[i].name);
			link_params_default(&p);
			/* without a value every option it knows fails (-1); 0: not one */
			if (strcmp(all[i].name, "adapter") && link_params_option(&p, opt, NULL, &err) == 0)
				continue;
			known[k] = all[i];
			known[k].key = OPT_LINK + (int)i;
			k++;
		}
		built = 1;
	}
	return known;
}

static int take_adapter(struct link_params *p, const char *arg, struct zcs_err *err)
{
	struct usb_follow f;
	struct usb_ident id;

	if (usb_ident_parse(arg, &id, err) < 0 || usb_follow_ident(&f, &id, err) < 0)
		return -1;
	p->kind = LINK_RTU;
	zcs_strlcpy(p->device, f.dev, sizeof p->device);
	usb_follow_free(&f);
	return 0;
}

int usb_link_option(struct link_params *p, const struct opt *o, const char *arg,
		    struct zcs_err *err)
{
	char opt[64];

	if (!strcmp(o->name, "adapter"))
		return take_adapter(p, arg, err);
	snprintf(opt, sizeof opt, "--%s", o->name);
	return link_params_option(p, opt, arg, err) < 0 ? -1 : 0;
}
