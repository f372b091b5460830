/* zcs-commission ports [--json] [--watch]: which USB-RS485 adapters are
 * plugged in, which tty each one is, and what is wrong with them. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ident.h"
#include "base/lan.h"
#include "base/termtext.h"
#include "base/util.h"
#include "cli/cli.h"
#include "usb/usb.h"

static const char usage[] =
	"usage: zcs-commission ports [--json] [--watch] [--probe [SERIAL OPTIONS]]\n"
	"List the USB-serial adapters plugged in: tty, adapter identity, chip, maker,\n"
	"product, serial number, and what to fix (permission, latency timer, driver).\n"
	"  --json    one JSON object, for scripts\n"
	"  --watch   then report adapters plugged in and unplugged until interrupted\n"
	"  --probe   ask on each adapter which unit answers (Modbus RTU, 9600 8N1,\n"
	"            slave 1 unless --baud, --parity, --stop, --slave, --timeout say)\n"
	"Use the ADAPTER column with --adapter in place of --port to pick an adapter\n"
	"whatever ttyUSB number it gets.\n"
	"       zcs-commission ports --lan [--iface IF] [--wait MS] [--json]\n"
	"Ask the Wi-Fi data logger sticks on the LAN who they are (UDP 48899, only on\n"
	"IF or the default route's interface) and print the --solarman options for each.\n";

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
		printf("    = answers: %s %s, serial %s (%s layout, slave %d)\n", esc(pr->id.family),
		       esc(pr->id.model), esc(pr->id.serial), esc(pr->id.layout), p->slave);
	else
		printf("    = nothing identified: %s\n", pr->error);
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
		printf("the unit answers on %s: use --adapter %s (or --port %s)\n", l->a[hit].dev,
		       usb_ident_format(&l->a[hit].id, id, sizeof id), l->a[hit].dev);
	else if (pr && n == 0)
		printf("no unit answered on any adapter: check the A/B wires, the inverter's "
		       "RS485 address (--slave) and baud rate (--baud)\n");
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
	printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", w[0], "TTY", w[1], "ADAPTER", w[2], "CHIP",
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
			printf("    note: %s\n", a->chip.note);
		print_probe(pr ? &pr[i] : NULL, p);
	}
	print_pick(l, pr);
}

static void json_str(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_field(const char *key, const char *val, int comma)
{
	printf("%s\"%s\":", comma ? "," : "", key);
	json_str(val);
}

static void json_probe(const struct probe *pr)
{
	if (!pr || !pr->tried)
		return;
	printf(",\"probe\":{\"ok\":%s", pr->ok ? "true" : "false");
	if (pr->ok) {
		json_field("serial", pr->id.serial, 1);
		json_field("layout", pr->id.layout, 1);
		json_field("family", pr->id.family, 1);
		json_field("model", pr->id.model, 1);
	} else {
		json_field("error", pr->error, 1);
	}
	putchar('}');
}

static void json_adapter(const struct usb_adapter *a)
{
	char id[200], hex[8], conf[2] = { a->chip.conf, 0 };

	json_field("tty", a->tty, 0);
	json_field("device", *a->tty ? a->dev : "", 1);
	json_field("adapter", usb_ident_format(&a->id, id, sizeof id), 1);
	snprintf(hex, sizeof hex, "%04x", a->id.vid);
	json_field("vendor_id", hex, 1);
	snprintf(hex, sizeof hex, "%04x", a->id.pid);
	json_field("product_id", hex, 1);
	json_field("chip", a->known ? a->chip.name : "", 1);
	json_field("confidence", a->known ? conf : "", 1);
	json_field("maker", a->maker, 1);
	json_field("product", a->product, 1);
	json_field("serial", a->id.serial, 1);
	json_field("usb_port", a->sysname, 1);
	json_field("driver", a->driver, 1);
	if (a->latency_ms >= 0)
		printf(",\"latency_ms\":%d", a->latency_ms);
	else
		printf(",\"latency_ms\":null");
	printf(",\"diagnostics\":[");
	for (int d = 0; d < a->ndiag; d++) {
		if (d)
			putchar(',');
		json_str(a->diag[d]);
	}
	printf("]");
	json_field("note", a->known ? a->chip.note : "", 1);
}

static void print_json(const struct usb_table *t, const struct usb_list *l,
		       const struct probe *pr)
{
	char advice[600];

	printf("{\"source\":");
	json_str(l->source);
	printf(",\"adapters\":[");
	for (size_t i = 0; i < l->n; i++) {
		printf("%s{", i ? "," : "");
		json_adapter(&l->a[i]);
		json_probe(pr ? &pr[i] : NULL);
		putchar('}');
	}
	printf("]");
	if (!l->n)
		json_field("advice", usb_none_advice(t, advice, sizeof advice), 1);
	printf("}\n");
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
			printf("%s unplugged   %s (was %s)\n", ts,
			       esc(usb_adapter_label(&was->a[i], label, sizeof label)),
			       dash(*was->a[i].tty ? was->a[i].dev : ""));
	for (size_t i = 0; i < now->n; i++)
		if (!in_list(was, &now->a[i]))
			printf("%s plugged in  %s as %s\n", ts,
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
	printf("watching for adapters (%s); Ctrl-C to stop\n", usb_watch_method(w));
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
		printf("{\"asked\":\"%s\",\"loggers\":[", esc(where));
		for (size_t i = 0; i < n; i++)
			printf("%s{\"ip\":\"%s\",\"mac\":\"%s\",\"serial\":%lu}", i ? "," : "",
			       lg[i].ip, lg[i].mac, (unsigned long)lg[i].serial);
		printf("]}\n");
		free(lg);
		return 0;
	}
	printf("asked on %s: %zu logger%s answered within %.1f s\n", where, n, n == 1 ? "" : "s",
	       wait_ms / 1000.0);
	if (!n) {
		printf("  none: is the laptop on the sticks' network (the router's, not the "
		       "stick's own hotspot)? an ETH stick may not answer this: try "
		       "'zcs-commission probe --tcp IP:8899 --framing auto'\n");
		return 0;
	}
	printf("%-12s %-16s %-18s %s\n", "LOGGER", "IP", "MAC", "CONNECT WITH");
	for (size_t i = 0; i < n; i++)
		printf("%-12lu %-16s %-18s --solarman %s --logger-serial %lu\n",
		       (unsigned long)lg[i].serial, lg[i].ip, lg[i].mac, lg[i].ip,
		       (unsigned long)lg[i].serial);
	free(lg);
	return 0;
}

/* --json, --watch, --probe and the serial options --probe uses. */
static int parse(int argc, char **argv, int *json, int *follow, int *probe,
		 struct link_params *p, int *lan_on, const char **iface, int *wait_ms)
{
	struct zcs_err err = { 0 };

	link_params_default(p);
	if ((argc = usb_take_link(argc, argv, p, &err)) < 0)
		return cli_report(&err);
	if (p->kind != LINK_NONE) {
		fprintf(stderr, "zcs-commission ports: --port, --adapter and --tcp do not apply: "
			"ports looks at every adapter\n");
		return ZCS_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			*json = 1;
		else if (strcmp(argv[i], "--watch") == 0)
			*follow = 1;
		else if (strcmp(argv[i], "--probe") == 0)
			*probe = 1;
		else if (strcmp(argv[i], "--lan") == 0)
			*lan_on = 1;
		else if (strcmp(argv[i], "--iface") == 0 && i + 1 < argc && *argv[i + 1])
			*iface = argv[++i];
		else if (strcmp(argv[i], "--wait") == 0 && i + 1 < argc) {
			long v;

			if (zcs_parse_long(argv[++i], &v) < 0 || v < 100 || v > 60000) {
				fprintf(stderr, "zcs-commission ports: --wait takes milliseconds from 100 "
					"to 60000, not '%s'\n", argv[i]);
				return ZCS_USAGE;
			}
			*wait_ms = (int)v;
		} else {
			fprintf(stderr, "zcs-commission ports: unexpected '%s'\n%s", argv[i], usage);
			return ZCS_USAGE;
		}
	}
	if (!*lan_on && (*iface || *wait_ms)) {
		fprintf(stderr, "zcs-commission ports: --iface and --wait go with --lan\n%s", usage);
		return ZCS_USAGE;
	}
	if (*lan_on && (*follow || *probe)) {
		fprintf(stderr, "zcs-commission ports: --lan looks for data loggers on the network: "
			"--watch and --probe are for USB adapters\n");
		return ZCS_USAGE;
	}
	return 0;
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

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if ((rc = parse(argc, argv, &json, &follow, &probe, &p, &lan_on, &iface, &wait_ms)) != 0)
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
