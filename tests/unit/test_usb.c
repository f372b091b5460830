/* SPDX-License-Identifier: GPL-3.0-or-later */
/* USB adapters on fake sysfs trees: table, identities, enumeration, tty
 * mapping, diagnostics, resolving after a replug, the polling watcher and
 * the reconnect hook (on pseudo-terminals). */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "tap.h"
#include "usb/usb.h"

static char root[256];

static void mkdirs(const char *path)
{
	char buf[512];

	zcs_strlcpy(buf, path, sizeof buf);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(buf, 0755);
			*p = '/';
		}
	mkdir(buf, 0755);
}

static void put(const char *dir, const char *name, const char *val)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	if (f) {
		fprintf(f, "%s\n", val);
		fclose(f);
	}
	free(path);
}

/* Like tests/fake-usb.sh: device dir under devices/, a symlink in
 * bus/usb/devices, interface "S:1.0" with a driver link and the tty.
 * tty "-": none; "ttyACM*": tty/ttyACM*; else usb-serial ttyUSB*. */
static void add(const char *sys, unsigned vid, unsigned pid, const char *maker,
		const char *product, const char *serial, const char *driver, const char *tty,
		int latency)
{
	char *dev = xasprintf("%s/sys/devices/usb1/%s", root, sys);
	char *ifd = xasprintf("%s/%s:1.0", dev, sys);
	char *drv = xasprintf("%s/sys/bus/usb/drivers/%s", root, driver);
	char *bus = xasprintf("%s/sys/bus/usb/devices", root);
	char *lnk = xasprintf("%s/%s", bus, sys);
	char *dlnk = xasprintf("%s/driver", ifd);
	char hex[8];

	mkdirs(ifd);
	mkdirs(drv);
	mkdirs(bus);
	snprintf(hex, sizeof hex, "%04x", vid);
	put(dev, "idVendor", hex);
	snprintf(hex, sizeof hex, "%04x", pid);
	put(dev, "idProduct", hex);
	if (maker)
		put(dev, "manufacturer", maker);
	if (product)
		put(dev, "product", product);
	if (serial)
		put(dev, "serial", serial);
	put(ifd, "bInterfaceNumber", "00");
	if (symlink(drv, dlnk) < 0)
		perror("symlink");
	if (strcmp(tty, "-")) {
		char *t = strncmp(tty, "ttyACM", 6) == 0 ? xasprintf("%s/tty/%s", ifd, tty)
							 : xasprintf("%s/%s/tty/%s", ifd, tty, tty);

		mkdirs(t);
		free(t);
		if (latency >= 0) {
			char *ld = xasprintf("%s/%s", ifd, tty), v[16];

			snprintf(v, sizeof v, "%d", latency);
			put(ld, "latency_timer", v);
			free(ld);
		}
	}
	if (symlink(dev, lnk) < 0)
		perror("symlink");
	free(dev); free(ifd); free(drv); free(bus); free(lnk); free(dlnk);
}

static void del(const char *sys)
{
	char *cmd = xasprintf("rm -rf '%s/sys/devices/usb1/%s' '%s/sys/bus/usb/devices/%s'",
			      root, sys, root, sys);

	if (system(cmd) != 0)
		printf("# %s failed\n", cmd);
	free(cmd);
}

static void node(const char *tty, const char *target)
{
	char *p = xasprintf("%s/dev/%s", root, tty);

	unlink(p);
	if (!target)
		put(root, strstr(p, "dev/"), "");
	else if (symlink(target, p) < 0)
		perror("symlink");
	free(p);
}

static const struct usb_adapter *by_tty(const struct usb_list *l, const char *tty)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->a[i].tty, tty) == 0)
			return &l->a[i];
	return NULL;
}

static int has_diag(const struct usb_adapter *a, const char *needle)
{
	for (int i = 0; a && i < a->ndiag; i++)
		if (strstr(a->diag[i], needle))
			return 1;
	return 0;
}

static void test_table(struct usb_table *t)
{
	struct zcs_err err = { 0 };
	const struct usb_chip *c;
	char *bad = xasprintf("%s/bad.conf", root);
	struct usb_table b;
	FILE *f;

	ok(usb_table_load(t, NULL, &err) == 0, "data/usb-serial.conf loads: %s", err.msg);
	ok(t->n >= 10, "the table lists the usual bridges (%zu)", t->n);
	c = usb_table_find(t, 0x0403, 0x6001);
	ok(c && strstr(c->name, "FT232R") && c->latency_max > 0 && c->conf == 'H',
	   "FTDI 0403:6001 is an FT232R with a latency timer, confidence H");
	ok(usb_table_find(t, 0x1a86, 0x7523) && usb_table_find(t, 0x1a86, 0x7522) &&
	   usb_table_find(t, 0x1a86, 0x5523) && usb_table_find(t, 0x10c4, 0xea60) &&
	   usb_table_find(t, 0x067b, 0x2303) && usb_table_find(t, 0x0403, 0x6015),
	   "CH340 (7523, 7522, 5523), CP210x, PL2303 and FT-X are listed");
	ok(!usb_table_find(t, 0x046d, 0xc52b), "a mouse receiver is not");

	f = fopen(bad, "w");
	fprintf(f, "adapter 0403:6001 chip=x driver=y conf=H\nadapter 0403:6001 chip=x "
		   "driver=y conf=H\n");
	fclose(f);
	ok(usb_table_load(&b, bad, &err) < 0 && strstr(err.msg, "bad.conf:2:") &&
	   strstr(err.msg, "twice"), "a duplicate row is refused with file:line: %s", err.msg);
	f = fopen(bad, "w");
	fprintf(f, "adapter 403:6001 chip=x driver=y conf=H\n");
	fclose(f);
	ok(usb_table_load(&b, bad, &err) < 0 && strstr(err.msg, "bad.conf:1:"),
	   "a short vendor id is refused: %s", err.msg);
	f = fopen(bad, "w");
	fprintf(f, "adapter 0403:6001 chip=x driver=y\n");
	fclose(f);
	ok(usb_table_load(&b, bad, &err) < 0 && strstr(err.msg, "conf="),
	   "a row without confidence is refused: %s", err.msg);
	unlink(bad);
	free(bad);
}

static void test_ident(void)
{
	struct zcs_err err = { 0 };
	struct usb_ident id, have;
	char buf[200];

	ok(usb_ident_parse("0403:6001:A123", &id, &err) == 0 && id.vid == 0x403 &&
	   id.pid == 0x6001 && strcmp(id.serial, "A123") == 0 && id.iface == -1,
	   "vid:pid:serial parses");
	is_str(usb_ident_format(&id, buf, sizeof buf), "0403:6001:A123", "and formats back");
	ok(usb_ident_parse("1a86:7523@1-1.2", &id, &err) == 0 && strcmp(id.port, "1-1.2") == 0 &&
	   !*id.serial, "vid:pid@port parses");
	is_str(usb_ident_format(&id, buf, sizeof buf), "1a86:7523@1-1.2", "and formats back");
	ok(usb_ident_parse("0403:6010:FT99/1", &id, &err) == 0 && id.iface == 1 &&
	   strcmp(id.serial, "FT99") == 0, "an interface suffix parses");
	ok(usb_ident_parse("0403:6001", &id, &err) == 0 && !*id.serial && !*id.port,
	   "vid:pid alone parses");
	ok(usb_ident_parse("ttyUSB0", &id, &err) < 0 && err.code == ZCS_USAGE &&
	   strstr(err.msg, "VID:PID"), "a tty name is not an identity: %s", err.msg);
	ok(usb_ident_parse("0403-6001", &id, &err) < 0, "a dash is refused");
	ok(usb_ident_parse("0403:6001x", &id, &err) < 0, "trailing junk is refused");

	usb_ident_parse("0403:6001", &id, NULL);
	usb_ident_parse("0403:6001:ZZ", &have, NULL);
	ok(usb_ident_match(&id, &have), "a loose identity matches any serial");
	usb_ident_parse("0403:6001:A123", &id, NULL);
	ok(!usb_ident_match(&id, &have), "a serial must match");
}

static void build_tree(void)
{
	add("1-1", 0x0403, 0x6001, "FTDI", "FT232R USB UART", "A123", "ftdi_sio", "ttyUSB0", 16);
	add("1-2", 0x1a86, 0x7523, NULL, "USB Serial", NULL, "ch341", "ttyUSB1", -1);
	add("1-3.1", 0x10c4, 0xea60, "Silicon Labs", "CP2102 USB to UART Bridge Controller",
	    "0001", "cp210x", "ttyUSB2", -1);
	add("2-1", 0x2341, 0x0043, "Arduino", "Uno", "7563", "cdc_acm", "ttyACM0", -1);
	add("2-2", 0x067b, 0x2303, "Prolific", "USB-Serial Controller", NULL, "pl2303", "-", -1);
	add("2-3", 0x046d, 0xc52b, "Logitech", "USB Receiver", NULL, "usbhid", "-", -1);
	node("ttyUSB0", NULL);
	node("ttyUSB1", NULL);
	node("ttyACM0", NULL);
}

static void test_list(const struct usb_table *t)
{
	struct zcs_err err = { 0 };
	struct usb_list l;
	const struct usb_adapter *a;
	char buf[200];

	ok(usb_list(t, &l, &err) == 0, "the fake tree lists: %s", err.msg);
	is_int(l.n, 5, "four ttys and one adapter without a driver; the mouse is left out");
	ok(strstr(l.source, "sysfs tree") != NULL, "the fake tree is named as the source (%s)",
	   l.source);
	a = by_tty(&l, "ttyUSB0");
	ok(a && a->id.vid == 0x403 && strcmp(a->id.serial, "A123") == 0 && a->known &&
	   strcmp(a->maker, "FTDI") == 0 && strcmp(a->product, "FT232R USB UART") == 0,
	   "ttyUSB0 is the FTDI with serial A123");
	ok(a && strstr(a->dev, "/dev/ttyUSB0") &&
	   strncmp(a->dev, root, strlen(root)) == 0, "its device is under ZCS_DEV_ROOT");
	ok(a && a->latency_ms == 16 && has_diag(a, "latency timer 16 ms") &&
	   has_diag(a, "latency_timer"), "its 16 ms latency timer is flagged with the fix");
	is_str(a ? usb_ident_format(&a->id, buf, sizeof buf) : "", "0403:6001:A123",
	       "its identity is vendor:product:serial");
	{
		char d[400];

		is_str(a ? usb_adapter_describe(a, d, sizeof d) : "",
		       "FTDI FT232R USB UART (FTDI FT232R), serial A123",
		       "described by maker, product, chip and serial");
	}
	a = by_tty(&l, "ttyUSB1");
	ok(a && a->id.pid == 0x7523 && !*a->id.serial && strstr(a->chip.name, "CH340"),
	   "ttyUSB1 is the CH340 without a serial number");
	is_str(a ? usb_ident_format(&a->id, buf, sizeof buf) : "", "1a86:7523@1-2",
	       "its identity is pinned to its USB port");
	ok(a && !has_diag(a, "latency"), "no latency advice for a chip without a timer");
	{
		char d[400];

		has_str(a ? usb_adapter_describe(a, d, sizeof d) : "",
			"USB Serial (WCH CH340/CH341), no serial number, USB port 1-2",
			"without maker or serial, the USB port is named");
	}
	a = by_tty(&l, "ttyUSB2");
	ok(a && a->id.vid == 0x10c4 && strcmp(a->sysname, "1-3.1") == 0,
	   "ttyUSB2 is the CP210x behind a hub");
	ok(a && has_diag(a, "does not exist"), "its missing /dev node is reported");
	a = by_tty(&l, "ttyACM0");
	ok(a && !a->known && strcmp(a->driver, "cdc_acm") == 0 &&
	   has_diag(a, "not in data/usb-serial.conf"),
	   "ttyACM0 is listed, as unknown, with its cdc_acm driver");
	a = by_tty(&l, "");
	ok(a && a->id.vid == 0x067b && has_diag(a, "pl2303 driver"),
	   "the PL2303 without a tty says its driver did not take it");
	ok(l.n && *l.a[0].tty && !*l.a[l.n - 1].tty, "ports with a tty come first");
	usb_list_free(&l);
}

static void test_resolve(const struct usb_table *t)
{
	struct zcs_err err = { 0 };
	struct usb_ident id;
	struct usb_adapter a;
	char *dev = xasprintf("%s/dev/ttyUSB0", root);

	usb_ident_parse("0403:6001:A123", &id, NULL);
	ok(usb_resolve(t, &id, &a, &err) == 1 && strcmp(a.tty, "ttyUSB0") == 0,
	   "the FTDI resolves to ttyUSB0");
	ok(usb_find_device(t, dev, &a, &err) == 1 && strcmp(a.id.serial, "A123") == 0,
	   "ttyUSB0 is found to be the FTDI A123");
	ok(usb_find_device(t, "/dev/null", &a, &err) == 0, "/dev/null is no adapter");

	del("1-1");
	ok(usb_resolve(t, &id, &a, &err) == 0, "unplugged, it resolves to nothing");
	add("1-4", 0x0403, 0x6001, "FTDI", "FT232R USB UART", "A123", "ftdi_sio", "ttyUSB3", 1);
	ok(usb_resolve(t, &id, &a, &err) == 1 && strcmp(a.tty, "ttyUSB3") == 0 &&
	   strcmp(a.sysname, "1-4") == 0, "plugged into another port it is ttyUSB3");
	ok(a.ndiag == 0 || !has_diag(&a, "latency"), "a 1 ms latency timer is not flagged");

	usb_ident_parse("1a86:7523@1-2", &id, NULL);
	ok(usb_resolve(t, &id, &a, &err) == 1 && strcmp(a.tty, "ttyUSB1") == 0,
	   "the CH340 resolves by its port");
	add("1-5", 0x1a86, 0x7523, NULL, "USB Serial", NULL, "ch341", "ttyUSB4", -1);
	usb_ident_parse("1a86:7523", &id, NULL);
	ok(usb_resolve(t, &id, &a, &err) < 0 && strstr(err.msg, "two adapters"),
	   "two CH340s and a loose identity: asks which: %s", err.msg);
	usb_ident_parse("1a86:7523@1-5", &id, NULL);
	ok(usb_resolve(t, &id, &a, &err) == 1 && strcmp(a.tty, "ttyUSB4") == 0,
	   "the port path tells them apart");
	del("1-5");
	free(dev);
}

/* A second interface "S:1.1" with its own usb-serial tty. */
static void add_second_port(const char *sys, const char *driver, const char *tty)
{
	char *ifd = xasprintf("%s/sys/devices/usb1/%s/%s:1.1", root, sys, sys);
	char *t = xasprintf("%s/%s/tty/%s", ifd, tty, tty);
	char *drv = xasprintf("%s/sys/bus/usb/drivers/%s", root, driver);
	char *dlnk = xasprintf("%s/driver", ifd);

	mkdirs(t);
	put(ifd, "bInterfaceNumber", "01");
	if (symlink(drv, dlnk) < 0)
		perror("symlink");
	free(ifd); free(t); free(drv); free(dlnk);
}

static void test_two_ports(const struct usb_table *t)
{
	struct zcs_err err = { 0 };
	struct usb_list l;
	struct usb_ident id;
	struct usb_adapter a;
	const struct usb_adapter *p0, *p1;
	char buf[200];

	add("1-8", 0x0403, 0x6010, "FTDI", "Dual RS232-HS", "FT99", "ftdi_sio", "ttyUSB7", 16);
	add_second_port("1-8", "ftdi_sio", "ttyUSB8");
	ok(usb_list(t, &l, &err) == 0, "a two-port FT2232 lists");
	p0 = by_tty(&l, "ttyUSB7");
	p1 = by_tty(&l, "ttyUSB8");
	ok(p0 && p1 && p0->nports == 2 && p1->nports == 2, "as two ports of one device");
	is_str(p0 ? usb_ident_format(&p0->id, buf, sizeof buf) : "", "0403:6010:FT99/0",
	       "the first port's identity names interface 0");
	is_str(p1 ? usb_ident_format(&p1->id, buf, sizeof buf) : "", "0403:6010:FT99/1",
	       "the second port's identity names interface 1");
	usb_list_free(&l);
	usb_ident_parse("0403:6010:FT99/1", &id, NULL);
	ok(usb_resolve(t, &id, &a, &err) == 1 && strcmp(a.tty, "ttyUSB8") == 0,
	   "interface 1 resolves to ttyUSB8");
	usb_ident_parse("0403:6010:FT99", &id, NULL);
	ok(usb_resolve(t, &id, &a, &err) < 0 && strstr(err.msg, "two adapters"),
	   "without the interface it is ambiguous: %s", err.msg);
	del("1-8");
}

static void test_watch(void)
{
	struct zcs_err err = { 0 };
	struct usb_watch *w;

	ok(usb_watch_open(&w, &err) == 0, "a watcher opens");
	is_str(usb_watch_method(w), "sysfs polling", "on a fake tree it polls sysfs");
	is_int(usb_watch_wait(w, 0), 0, "nothing changed yet");
	add("1-6", 0x10c4, 0xea60, "Silicon Labs", "CP2102", "0002", "cp210x", "ttyUSB5", -1);
	is_int(usb_watch_wait(w, 5000), 1, "a plugged adapter is seen");
	is_int(usb_watch_wait(w, 0), 0, "once");
	del("1-6");
	is_int(usb_watch_wait(w, 5000), 1, "an unplugged adapter is seen");
	usb_watch_close(w);
}

/* A pseudo-terminal stands in for the adapter's tty. */
static int open_pty(char *name, size_t n)
{
	int fd = posix_openpt(O_RDWR | O_NOCTTY);

	if (fd < 0 || grantpt(fd) < 0 || unlockpt(fd) < 0 || ptsname_r(fd, name, n) != 0)
		return -1;
	return fd;
}

static void test_follow(void)
{
	struct zcs_err err = { 0 };
	struct usb_follow f;
	struct link_params p;
	struct link *l = NULL;
	char pts1[64], pts2[64];
	char *dev0 = xasprintf("%s/dev/ttyUSB3", root), *dev3;
	int m1 = open_pty(pts1, sizeof pts1), m2;

	ok(m1 >= 0, "a pseudo-terminal for the adapter (%s)", pts1);
	node("ttyUSB3", pts1);
	ok(usb_follow_device(&f, dev0, &err) == 1, "the link's tty belongs to an adapter: %s",
	   err.msg);
	is_str(f.label, "FTDI FT232R serial A123", "it is named for messages");
	link_params_default(&p);
	link_params_option(&p, "--port", dev0, NULL);
	ok(link_open(&p, &l, &err) == 0, "the link opens on it: %s", err.msg);

	/* unplug: the device leaves sysfs and its tty goes away */
	del("1-4");
	close(m1);
	ok(usb_follow_reconnect(&f, l, &err) < 0 && err.code == ZCS_LINK &&
	   strstr(err.msg, "unplugged") && strstr(err.msg, "A123"),
	   "reconnecting while unplugged says so: %s", err.msg);
	has_str(f.event, "unplugged", "the event says unplugged");
	ok(usb_follow_reconnect(&f, l, &err) < 0 && strstr(err.msg, "unplugged"),
	   "nothing plugged in since: still unplugged");

	/* plug back, as another tty on another port */
	m2 = open_pty(pts2, sizeof pts2);
	add("1-7", 0x0403, 0x6001, "FTDI", "FT232R USB UART", "A123", "ftdi_sio", "ttyUSB6", 1);
	node("ttyUSB6", pts2);
	dev3 = xasprintf("%s/dev/ttyUSB6", root);
	ok(usb_follow_reconnect(&f, l, &err) == 0, "back, it reconnects: %s", err.msg);
	is_str(link_params_of(l)->device, dev3, "the link now uses ttyUSB6");
	ok(link_connected(l), "and is connected");
	has_str(f.event, "back as", "the event says where it came back");
	link_close(l);
	close(m2);
	usb_follow_free(&f);

	{
		struct usb_follow g;

		ok(usb_follow_device(&g, "/dev/null", &err) == 0, "/dev/null is not followed");
	}
	free(dev0);
	free(dev3);
}

int main(void)
{
	char tmpl[] = "/tmp/zcs-usb.XXXXXX", *env;
	struct usb_table t;

	if (!mkdtemp(tmpl))
		return 1;
	zcs_strlcpy(root, tmpl, sizeof root);
	env = xasprintf("%s/sys", root);
	setenv("ZCS_SYSFS_ROOT", env, 1);
	free(env);
	env = xasprintf("%s/dev", root);
	mkdirs(env);
	setenv("ZCS_DEV_ROOT", env, 1);
	free(env);

	test_table(&t);
	test_ident();
	build_tree();
	test_list(&t);
	test_resolve(&t);
	test_two_ports(&t);
	test_watch();
	test_follow();
	usb_table_free(&t);
	{
		char *cmd = xasprintf("rm -rf '%s'", root);

		if (system(cmd) != 0)
			printf("# could not remove %s\n", root);
		free(cmd);
	}
	return tap_done();
}
