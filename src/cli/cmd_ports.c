/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zcs-commission ports [--json] [--watch]: which USB-RS485 adapters are
 * plugged in, which tty each one is, and what is wrong with them. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ident.h"
#include "base/json.h"
#include "base/lan.h"
#include "base/termtext.h"
#include "base/util.h"
#include "cli/cli.h"
#include "usb/usb.h"

enum { O_JSON = OPT_KEY(0), O_WATCH, O_PROBE, O_LAN, O_IFACE, O_WAIT };

static const struct opt ports_opts[] = {
	{ "json", O_JSON, NULL, N_("one JSON object, for scripts") },
	{ "watch", O_WATCH, NULL, N_("then report adapters plugged in and unplugged until "
	  "interrupted") },
	{ "probe", O_PROBE, NULL, N_("ask on each adapter which unit answers (Modbus RTU, 9600 8N1, "
	  "slave 1 unless the serial options say)") },
	{ "lan", O_LAN, NULL, N_("ask the Wi-Fi data logger sticks on the LAN who they are (UDP "
	  "48899)") },
	{ "iface", O_IFACE, "IF", N_("with --lan: ask on interface IF (default: the default "
	  "route's)") },
	{ "wait", O_WAIT, "MS", N_("with --lan: wait MS milliseconds for answers, 100-60000 "
	  "(1500)") },
	{ NULL, 0, NULL, NULL },
};

/* The serial options --probe uses: the connection options but those that
 * name one device (ports looks at every adapter). */
static const struct opt *serial_opts(void)
{
	static struct opt mine[32];
	static int built;

	if (!built) {
		size_t k = 0;

		for (const struct opt *o = usb_link_opts(); o->name && k + 1 < ZCS_ARRAY_LEN(mine); o++)
			if (strcmp(o->name, "port") && strcmp(o->name, "adapter") &&
			    strcmp(o->name, "tcp") && strcmp(o->name, "preset") &&
			    strcmp(o->name, "solarman") && strcmp(o->name, "rtu-over-tcp") &&
			    strcmp(o->name, "logger-serial") && strcmp(o->name, "framing"))
				mine[k++] = *o;
		built = 1;
	}
	return mine;
}

const struct opt_cmd cli_ports_cmd = {
	"zcs-commission ports", "[--json] [--watch] [--probe [SERIAL OPTIONS]]\n"
	"--lan [--iface IF] [--wait MS] [--json]",
	N_("List the USB-serial adapters plugged in: tty, adapter identity, chip, maker,\n"
	"product, serial number, and what to fix (permission, latency timer, driver).\n"),
	ports_opts, serial_opts,
	"Use the ADAPTER column with --adapter in place of --port to pick an adapter\n"
	"whatever ttyUSB number it gets.  --lan asks the Wi-Fi data logger sticks on\n"
	"the LAN who they are (UDP 48899, only on IF or the default route's interface)\n"
	"and prints the --solarman options for each.\n",
};

static const char *esc(const char *s);

/* What answered on one adapter (--probe). */
struct probe {
	int tried, ok;
	struct unit_ident id;
	char error[512];
};

static void probe_one(const struct link_params *base, const struct usb_adapter *a,
		      struct probe *pr)
{
	struct link_params p = *base;
	struct zcs_err err = { 0 };
	struct link *l;

	memset(pr, 0, sizeof *pr);
	if (!*a->tty)
		return;
	pr->tried = 1;
	p.kind = LINK_RTU;
	zcs_strlcpy(p.device, a->dev, sizeof p.device);
	if (link_open(&p, &l, &err) == 0) {
		pr->ok = ident_probe(l, &pr->id, &err) == 0;
		link_close(l);
	}
	if (pr->ok)
		regmap_free(pr->id.map);
	else
		zcs_strlcpy(pr->error, err.msg, sizeof pr->error);
}

static struct probe *probe_all(const struct link_params *p, const struct usb_list *l)
{
	struct probe *pr = xcalloc(l->n ? l->n : 1, sizeof *pr);

	for (size_t i = 0; i < l->n; i++)
		probe_one(p, &l->a[i], &pr[i]);
	return pr;
}

static void print_probe(const struct probe *pr, const struct link_params *p)
{
	if (!pr || !pr->tried)
		return;
	if (pr->ok)
		printf(_("    = answers: %s %s, serial %s (%s layout, slave %d)\n"), esc(pr->id.family),
		       esc(pr->id.model), esc(pr->id.serial), esc(pr->id.layout), p->slave);
	else
		printf(_("    = nothing identified: %s\n"), pr->error);
}

/* One adapter answered: name it for --adapter. */
static void print_pick(const struct usb_list *l, const struct probe *pr)
{
	size_t hit = 0, n = 0;
	char id[200];

	for (size_t i = 0; pr && i < l->n; i++)
		if (pr[i].ok) {
			hit = i;
			n++;
		}
	if (n == 1)
		printf(_("the unit answers on %s: use --adapter %s (or --port %s)\n"), l->a[hit].dev,
		       usb_ident_format(&l->a[hit].id, id, sizeof id), l->a[hit].dev);
	else if (pr && n == 0)
		printf(_("no unit answered on any adapter: check the A/B wires, the inverter's "
		       "RS485 address (--slave) and baud rate (--baud)\n"));
}

/* USB strings come from the device: shown, never obeyed by the terminal
 * (termtext.h).  Eight rotating buffers: one printf may use several. */
static const char *esc(const char *s)
{
	static char buf[8][400];
	static int k;

	k = (k + 1) % 8;
	return term_text(s, 0, buf[k], sizeof buf[k]);
}

static const char *dash(const char *s)
{
	return s && *s ? esc(s) : "-";
}

static void widen(int *w, const char *s)
{
	int n = (int)strlen(dash(s));

	if (n > *w)
		*w = n;
}

static void print_table(const struct usb_table *t, const struct usb_list *l,
			const struct probe *pr, const struct link_params *p)
{
	int w[5] = { 3, 7, 4, 5, 7 };
	char id[200], advice[600];

	if (!l->n) {
		printf("%s\n", usb_none_advice(t, advice, sizeof advice));
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct usb_adapter *a = &l->a[i];

		widen(&w[0], *a->tty ? a->dev : "");
		widen(&w[1], esc(usb_ident_format(&a->id, id, sizeof id)));
		widen(&w[2], a->known ? a->chip.name : "unknown");
		widen(&w[3], a->maker);
		widen(&w[4], a->product);
	}
	printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", w[0], _("TTY"), w[1], _("ADAPTER"), w[2], _("CHIP"),
	       w[3], "MAKER", w[4], "PRODUCT", "SERIAL");
	for (size_t i = 0; i < l->n; i++) {
		const struct usb_adapter *a = &l->a[i];

		printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", w[0], dash(*a->tty ? a->dev : ""),
		       w[1], esc(usb_ident_format(&a->id, id, sizeof id)), w[2],
		       a->known ? a->chip.name : "unknown", w[3], dash(a->maker), w[4],
		       dash(a->product), dash(a->id.serial));
		for (int d = 0; d < a->ndiag; d++)
			printf("    ! %s\n", esc(a->diag[d]));
		if (a->known && *a->chip.note)
			printf(_("    note: %s\n"), a->chip.note);
		print_probe(pr ? &pr[i] : NULL, p);
	}
	print_pick(l, pr);
}

static void json_probe(struct json *j, const struct probe *pr)
{
	if (!pr || !pr->tried)
		return;
	json_obj(j, "probe");
	json_bool(j, "ok", pr->ok);
	if (pr->ok) {
		json_str(j, "serial", pr->id.serial);
		json_str(j, "layout", pr->id.layout);
		json_str(j, "family", pr->id.family);
		json_str(j, "model", pr->id.model);
	} else {
		json_str(j, "error", pr->error);
	}
	json_end(j);
}

static void json_adapter(struct json *j, const struct usb_adapter *a)
{
	char id[200], hex[8], conf[2] = { a->chip.conf, 0 };

	json_str(j, "tty", a->tty);
	json_str(j, "device", *a->tty ? a->dev : "");
	json_str(j, "adapter", usb_ident_format(&a->id, id, sizeof id));
	snprintf(hex, sizeof hex, "%04x", a->id.vid);
	json_str(j, "vendor_id", hex);
	snprintf(hex, sizeof hex, "%04x", a->id.pid);
	json_str(j, "product_id", hex);
	json_str(j, "chip", a->known ? a->chip.name : "");
	json_str(j, "confidence", a->known ? conf : "");
	json_str(j, "maker", a->maker);
	json_str(j, "product", a->product);
	json_str(j, "serial", a->id.serial);
	json_str(j, "usb_port", a->sysname);
	json_str(j, "driver", a->driver);
	if (a->latency_ms >= 0)
		json_int(j, "latency_ms", a->latency_ms);
	else
		json_null(j, "latency_ms");
	json_arr(j, "diagnostics");
	for (int d = 0; d < a->ndiag; d++)
		json_str(j, NULL, a->diag[d]);
	json_end(j);
	json_str(j, "note", a->known ? a->chip.note : "");
}

/* Version 2: "schema" named. */
#define PORTS_JSON_VERSION 2

static void print_json(const struct usb_table *t, const struct usb_list *l,
		       const struct probe *pr)
{
	char advice[600];
	struct json j;

	json_doc(&j, stdout, "zcs-commission-ports", PORTS_JSON_VERSION);
	json_str(&j, "source", l->source);
	json_arr(&j, "adapters");
	for (size_t i = 0; i < l->n; i++) {
		json_obj(&j, NULL);
		json_adapter(&j, &l->a[i]);
		json_probe(&j, pr ? &pr[i] : NULL);
		json_end(&j);
	}
	json_end(&j);
	if (!l->n)
		json_str(&j, "advice", usb_none_advice(t, advice, sizeof advice));
	json_doc_end(&j);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int in_list(const struct usb_list *l, const struct usb_adapter *a)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->a[i].sysname, a->sysname) == 0 &&
		    strcmp(l->a[i].tty, a->tty) == 0 && l->a[i].id.vid == a->id.vid &&
		    l->a[i].id.pid == a->id.pid && strcmp(l->a[i].id.serial, a->id.serial) == 0)
			return 1;
	return 0;
}

static void print_changes(const struct usb_list *was, const struct usb_list *now)
{
	char label[200], ts[32];

	zcs_iso_time(zcs_wall_ms(), ts, sizeof ts);
	for (size_t i = 0; i < was->n; i++)
		if (!in_list(now, &was->a[i]))
			printf(_("%s unplugged   %s (was %s)\n"), ts,
			       esc(usb_adapter_label(&was->a[i], label, sizeof label)),
			       dash(*was->a[i].tty ? was->a[i].dev : ""));
	for (size_t i = 0; i < now->n; i++)
		if (!in_list(was, &now->a[i]))
			printf(_("%s plugged in  %s as %s\n"), ts,
			       esc(usb_adapter_label(&now->a[i], label, sizeof label)),
			       dash(*now->a[i].tty ? now->a[i].dev : ""));
	fflush(stdout);
}

static int watch(const struct usb_table *t, struct usb_list *l, struct zcs_err *err)
{
	struct usb_watch *w;

	if (usb_watch_open(&w, err) < 0)
		return -1;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf(_("watching for adapters (%s); Ctrl-C to stop\n"), usb_watch_method(w));
	fflush(stdout);
	while (!stop) {
		struct usb_list now;

		if (usb_watch_wait(w, 500) <= 0)
			continue;
		if (usb_list(t, &now, err) < 0)
			break;
		print_changes(l, &now);
		usb_list_free(l);
		*l = now;
	}
	usb_watch_close(w);
	return stop ? 0 : -1;
}

/* ports --lan: the Wi-Fi sticks that answer the discovery question. */
static int lan(const char *iface, int wait_ms, int json)
{
	struct zcs_err err = { 0 };
	struct lan_logger *lg;
	size_t n;
	char where[200];

	if (lan_discover(iface, wait_ms, &lg, &n, where, sizeof where, &err) < 0)
		return cli_report(&err);
	if (json) {
		struct json j;

		json_doc(&j, stdout, "zcs-commission-ports-lan", 1);
		json_str(&j, "asked", where);
		json_arr(&j, "loggers");
		for (size_t i = 0; i < n; i++) {
			json_obj(&j, NULL);
			json_str(&j, "ip", lg[i].ip);
			json_str(&j, "mac", lg[i].mac);
			json_int(&j, "serial", (long long)lg[i].serial);
			json_end(&j);
		}
		json_doc_end(&j);
		free(lg);
		return 0;
	}
	printf(n == 1 ? _("asked on %s: %zu logger answered within %.1f s\n")
		      : _("asked on %s: %zu loggers answered within %.1f s\n"), where, n,
	       wait_ms / 1000.0);
	if (!n) {
		printf(_("  none: is the laptop on the sticks' network (the router's, not the "
		       "stick's own hotspot)? an ETH stick may not answer this: try "
		       "'zcs-commission probe --tcp IP:8899 --framing auto'\n"));
		return 0;
	}
	printf("%-12s %-16s %-18s %s\n", _("LOGGER"), "IP", "MAC", _("CONNECT WITH"));
	for (size_t i = 0; i < n; i++)
		printf("%-12lu %-16s %-18s --solarman %s --logger-serial %lu\n",
		       (unsigned long)lg[i].serial, lg[i].ip, lg[i].mac, lg[i].ip,
		       (unsigned long)lg[i].serial);
	free(lg);
	return 0;
}

struct ports_args {
	int json, follow, probe, lan, wait_ms;
	const char *iface;
};

static int take(void *ctx, int key, const char *arg, struct zcs_err *err)
{
	struct ports_args *a = ctx;

	long v;

	switch (key) {
	case O_JSON: a->json = 1; break;
	case O_WATCH: a->follow = 1; break;
	case O_PROBE: a->probe = 1; break;
	case O_LAN: a->lan = 1; break;
	case O_IFACE:
		if (!*arg)
			return zcs_fail(err, ZCS_USAGE, _("--iface needs a network interface, e.g. "
					"wlan0"));
		a->iface = arg;
		break;
	case O_WAIT:
		if (zcs_parse_long(arg, &v) < 0 || v < 100 || v > 60000)
			return zcs_fail(err, ZCS_USAGE, _("--wait takes milliseconds from 100 to "
					"60000, not '%s'"), arg);
		a->wait_ms = (int)v;
		break;
	}
	return 0;
}

/* --json, --watch, --probe and the serial options --probe uses. */
static int parse(int argc, char **argv, int *json, int *follow, int *probe,
		 struct link_params *p, int *lan_on, const char **iface, int *wait_ms)
{
	struct zcs_err err = { 0 };
	struct ports_args a = { 0, 0, 0, 0, 0, NULL };
	int rc;

	link_params_default(p);
	if ((rc = cli_parse(&cli_ports_cmd, argc, argv, p, take, &a, &err)) != 1)
		return rc;
	if (optind < argc) {
		opt_fail(&cli_ports_cmd, &err, _("unexpected '%s'"), argv[optind]);
		return cli_report(&err);
	}
	if (!a.lan && (a.iface || a.wait_ms))
		return opt_fail(&cli_ports_cmd, &err, _("--iface and --wait go with --lan")),
		       cli_report(&err);
	if (a.lan && (a.follow || a.probe))
		return opt_fail(&cli_ports_cmd, &err, _("--lan looks for data loggers on the network: "
				"--watch and --probe are for USB adapters")), cli_report(&err);
	*json = a.json;
	*follow = a.follow;
	*probe = a.probe;
	*lan_on = a.lan;
	*iface = a.iface;
	*wait_ms = a.wait_ms;
	return 1;
}

int cmd_ports(int argc, char **argv)
{
	struct zcs_err err = { 0 };
	struct link_params p;
	struct usb_table t;
	struct usb_list l;
	struct probe *pr = NULL;
	int json = 0, follow = 0, probe = 0, rc, lan_on = 0, wait_ms = 0;
	const char *iface = NULL;

	if ((rc = parse(argc, argv, &json, &follow, &probe, &p, &lan_on, &iface, &wait_ms)) != 1)
		return rc;
	if (lan_on)
		return lan(iface, wait_ms ? wait_ms : 1500, json);
	if (usb_table_load(&t, NULL, &err) < 0)
		return cli_report(&err);
	if (usb_list(&t, &l, &err) < 0) {
		usb_table_free(&t);
		return cli_report(&err);
	}
	if (probe)
		pr = probe_all(&p, &l);
	if (json)
		print_json(&t, &l, pr);
	else
		print_table(&t, &l, pr, &p);
	fflush(stdout);
	free(pr);
	if (follow)
		rc = watch(&t, &l, &err);
	usb_list_free(&l);
	usb_table_free(&t);
	return rc < 0 ? cli_report(&err) : 0;
}
