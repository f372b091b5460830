/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/lex.h"
#include "base/link_int.h"
#include "base/paths.h"
#include "base/util.h"

void link_params_default(struct link_params *p)
{
	memset(p, 0, sizeof *p);
	p->kind = LINK_NONE;
	p->baud = 9600;
	p->parity = 'N';
	p->data_bits = 8;
	p->stop_bits = 1;
	p->port = 502;
	p->slave = 1;
	p->response_timeout_ms = 500;
	p->byte_timeout_ms = 50;
	p->framing = LINK_FRAMING_MBAP;
}

int link_framing_parse(const char *s)
{
	static const char *const names[] = { "mbap", "rtu", "v5", "auto" };

	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

const char *link_framing_name(const struct link_params *p)
{
	if (p->kind == LINK_RTU)
		return "Modbus RTU";
	switch (p->framing) {
	case LINK_FRAMING_RTU: return "RTU over TCP";
	case LINK_FRAMING_V5: return "Solarman V5";
	case LINK_FRAMING_AUTO: return "found by --framing auto";
	default: return "Modbus TCP (MBAP)";
	}
}

static int want_int(const char *opt, const char *arg, long lo, long hi, int *out,
		    struct zcs_err *err)
{
	long v;

	if (!arg || zcs_parse_long(arg, &v) < 0 || v < lo || v > hi)
		return zcs_fail(err, ZCS_USAGE, _("%s needs a whole number from %ld to %ld, not '%s'"),
				opt, lo, hi, arg ? arg : "");
	*out = (int)v;
	return 1;
}

static int parse_tcp(struct link_params *p, const char *opt, const char *arg,
		     struct zcs_err *err)
{
	const char *colon = strrchr(arg, ':');
	char what[40];

	p->kind = LINK_TCP;
	if (p->response_timeout_ms == 500)
		p->response_timeout_ms = 1000;
	if (!colon) {
		if (strlen(arg) >= sizeof p->host)
			return zcs_fail(err, ZCS_USAGE, _("%s: the host name is too long"), opt);
		zcs_strlcpy(p->host, arg, sizeof p->host);
		return 1;
	}
	if ((size_t)(colon - arg) >= sizeof p->host || colon == arg)
		return zcs_fail(err, ZCS_USAGE, _("%s takes HOST[:PORT], not '%s'"), opt, arg);
	memcpy(p->host, arg, (size_t)(colon - arg));
	p->host[colon - arg] = 0;
	snprintf(what, sizeof what, "%s PORT", opt);
	return want_int(what, colon + 1, 1, 65535, &p->port, err);
}

/* A data logger stick: port 8899 unless told, a longer timeout, and its
 * cloud-upload stalls tolerated as "busy". */
static void logger_defaults(struct link_params *p)
{
	if (p->port == 502)
		p->port = 8899;
	if (p->response_timeout_ms <= 1000)
		p->response_timeout_ms = 3000;
	if (p->byte_timeout_ms == 50)
		p->byte_timeout_ms = 200;
	if (!p->busy_ms)
		p->busy_ms = 20000;
}

int link_params_option(struct link_params *p, const char *opt, const char *arg,
		       struct zcs_err *err)
{
	if (strcmp(opt, "--port") == 0) {
		if (!arg || !*arg)
			return zcs_fail(err, ZCS_USAGE, _("--port needs a device, e.g. /dev/ttyUSB0"));
		p->kind = LINK_RTU;
		zcs_strlcpy(p->device, arg, sizeof p->device);
		return 1;
	}
	if (strcmp(opt, "--tcp") == 0) {
		if (!arg || !*arg)
			return zcs_fail(err, ZCS_USAGE, _("--tcp needs HOST[:PORT]"));
		return parse_tcp(p, opt, arg, err);
	}
	if (strcmp(opt, "--solarman") == 0 || strcmp(opt, "--rtu-over-tcp") == 0) {
		int v5 = opt[2] == 's';

		if (!arg || !*arg)
			return zcs_fail(err, ZCS_USAGE, _("%s needs HOST[:PORT] (the stick's address; "
					"port 8899 unless told)%s"), opt,
					v5 ? ": 'zcs-commission ports --lan' finds Wi-Fi sticks" : "");
		p->port = 502;
		if (parse_tcp(p, opt, arg, err) < 0)
			return -1;
		p->framing = v5 ? LINK_FRAMING_V5 : LINK_FRAMING_RTU;
		logger_defaults(p);
		return 1;
	}
	if (strcmp(opt, "--framing") == 0) {
		int f = link_framing_parse(arg);

		if (f < 0)
			return zcs_fail(err, ZCS_USAGE, _("--framing is auto, mbap, rtu (RTU over TCP, "
					"the ETH stick) or v5 (Solarman V5, the Wi-Fi stick), not '%s'"),
					arg ? arg : "");
		p->framing = (enum link_framing)f;
		if (f != LINK_FRAMING_MBAP)
			logger_defaults(p);
		return 1;
	}
	if (strcmp(opt, "--logger-serial") == 0) {
		long long v;
		char *end;

		errno = 0;
		v = arg ? strtoll(arg, &end, 10) : -1;
		if (!arg || !*arg || errno || *end || v < 1 || v > 4294967295LL)
			return zcs_fail(err, ZCS_USAGE, _("--logger-serial is the Wi-Fi stick's serial, "
					"a whole number from 1 to 4294967295 (on its label, or found by "
					"'zcs-commission ports --lan'), not '%s'"), arg ? arg : "");
		p->logger_serial = (uint32_t)v;
		p->logger_serial_set = 1;
		return 1;
	}
	if (strcmp(opt, "--baud") == 0)
		return want_int(opt, arg, 1200, 115200, &p->baud, err);
	if (strcmp(opt, "--slave") == 0)
		return want_int(opt, arg, 0, 247, &p->slave, err);
	if (strcmp(opt, "--stop") == 0)
		return want_int(opt, arg, 1, 2, &p->stop_bits, err);
	if (strcmp(opt, "--timeout") == 0)
		return want_int(opt, arg, 10, 60000, &p->response_timeout_ms, err);
	if (strcmp(opt, "--byte-timeout") == 0)
		return want_int(opt, arg, 1, 10000, &p->byte_timeout_ms, err);
	if (strcmp(opt, "--interval") == 0)
		return want_int(opt, arg, 0, 60000, &p->min_interval_ms, err);
	if (strcmp(opt, "--parity") == 0) {
		if (!arg || strlen(arg) != 1 || !strchr("NEOneo", arg[0]))
			return zcs_fail(err, ZCS_USAGE, _("--parity is N, E or O, not '%s'"),
					arg ? arg : "");
		p->parity = (char)(arg[0] & ~0x20);
		return 1;
	}
	if (strcmp(opt, "--preset") == 0) {
		if (!arg)
			return zcs_fail(err, ZCS_USAGE, _("--preset needs a name from data/links.conf"));
		return link_apply_preset(p, arg, err) < 0 ? -1 : 1;
	}
	return 0;
}

int link_params_check(const struct link_params *p, struct zcs_err *err)
{
	if (p->kind == LINK_NONE)
		return zcs_fail(err, ZCS_USAGE,
				_("no connection given: use --port DEV (RS485 adapter) or "
				"--tcp HOST[:PORT] (HUB, logger or simulator)"));
	if (p->kind == LINK_TCP && !*p->host)
		return zcs_fail(err, ZCS_USAGE, _("--preset needs --tcp HOST too"));
	if (p->kind == LINK_TCP && p->framing == LINK_FRAMING_V5 && !p->logger_serial_set)
		return zcs_fail(err, ZCS_USAGE, _("a Solarman V5 link needs --logger-serial N: the "
				"Wi-Fi stick's serial, on its label, or found by 'zcs-commission "
				"ports --lan' (or try --tcp HOST:8899 --framing auto, which learns it)"));
	if (p->kind != LINK_TCP && (p->framing != LINK_FRAMING_MBAP || p->logger_serial_set))
		return zcs_fail(err, ZCS_USAGE, _("--framing and --logger-serial are for a TCP link "
				"(--tcp, --solarman, --rtu-over-tcp), not a serial port"));
	if (p->slave == 0 && p->kind == LINK_RTU)
		return zcs_fail(err, ZCS_USAGE,
				_("--slave 0 is the broadcast address: nobody answers it; the "
				"inverter's RS485 address is 1 unless it was changed"));
	return 0;
}

const char *link_describe(const struct link_params *p, char *buf, size_t n)
{
	if (p->kind == LINK_RTU)
		snprintf(buf, n, "%s at %d %d%c%d", p->device, p->baud, p->data_bits, p->parity,
			 p->stop_bits);
	else if (p->kind == LINK_TCP && p->framing == LINK_FRAMING_V5)
		snprintf(buf, n, "%s:%d%s%s (Solarman V5, logger %lu)", p->host, p->port,
			 *p->preset ? " " : "", p->preset, (unsigned long)p->logger_serial);
	else if (p->kind == LINK_TCP && p->framing == LINK_FRAMING_RTU)
		snprintf(buf, n, "%s:%d%s%s (RTU over TCP)", p->host, p->port, *p->preset ? " " : "",
			 p->preset);
	else if (p->kind == LINK_TCP)
		snprintf(buf, n, "%s:%d%s%s", p->host, p->port, *p->preset ? " " : "", p->preset);
	else
		snprintf(buf, n, "(no connection)");
	return buf;
}

/* data/links.conf:  preset NAME port=N [timeout=MS] [interval=MS]
 *                   [framing=mbap|rtu|v5|auto] [busy=MS] note="..." */
int link_apply_preset(struct link_params *p, const char *name, struct zcs_err *err)
{
	char *path = paths_data_file("links.conf");
	struct lex_file lf;
	struct lex_line ln;
	int rc, found = 0;

	if (lex_open(&lf, path, err) < 0) {
		free(path);
		return -1;
	}
	free(path);
	while ((rc = lex_next(&lf, &ln, err)) > 0 && !found) {
		const char *fr;
		long v;

		if (ln.n < 2 || strcmp(ln.tok[0].val, "preset") || strcmp(ln.tok[1].val, name))
			continue;
		found = 1;
		v = p->port;
		if (lex_long(&lf, &ln, "port", &v, 1, err) < 0)
			break;
		p->port = (int)v;
		v = p->response_timeout_ms;
		if (lex_long(&lf, &ln, "timeout", &v, 0, err) < 0)
			break;
		p->response_timeout_ms = (int)v;
		v = p->min_interval_ms;
		if (lex_long(&lf, &ln, "interval", &v, 0, err) < 0)
			break;
		p->min_interval_ms = (int)v;
		if ((fr = lex_get(&ln, "framing"))) {
			int f = link_framing_parse(fr);

			if (f < 0) {
				rc = lex_fail(&lf, ln.lineno, err, "framing=%s: auto, mbap, rtu or v5",
					      fr);
				break;
			}
			p->framing = (enum link_framing)f;
			if (f != LINK_FRAMING_MBAP && !p->busy_ms)
				p->busy_ms = 20000;
		}
		v = p->busy_ms;
		if (lex_long(&lf, &ln, "busy", &v, 0, err) < 0)
			break;
		p->busy_ms = (int)v;
		p->kind = LINK_TCP;
		zcs_strlcpy(p->preset, name, sizeof p->preset);
		rc = 0;
	}
	lex_close(&lf);
	if (rc < 0)
		return -1;
	if (!found)
		return zcs_fail(err, ZCS_USAGE, _("no preset '%s' in data/links.conf "
				"(hub-inverters, hub-meters, power-magic, eth-stick, wifi-stick)"), name);
	return 0;
}

const char *link_exception_name(int code)
{
	switch (code) {
	case 1: return "illegal function";
	case 2: return "illegal data address";
	case 3: return "illegal data value";
	case 4: return "slave device failure";
	case 5: return "acknowledge (still processing)";
	case 6: return "slave device busy";
	case 8: return "memory parity error";
	case 10: return "gateway path unavailable";
	case 11: return "gateway target failed to respond";
	}
	return "unknown exception";
}

double link_wire_ms(const struct link_params *p, unsigned long long bytes)
{
	int bits = 1 + p->data_bits + (p->parity != 'N') + p->stop_bits;

	return p->baud > 0 ? (double)bytes * bits * 1000.0 / p->baud : 0;
}
