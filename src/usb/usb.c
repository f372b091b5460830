/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "usb/usb.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <libusb.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/lex.h"
#include "base/paths.h"
#include "base/util.h"

#define USB_POLL_MS 1000

/* ---- the table ---------------------------------------------------------- */

/* "0403:6001" at the start of s: exactly four hex digits each side. */
static int parse_vidpid(const char *s, unsigned *vid, unsigned *pid, const char **end)
{
	unsigned v = 0, p = 0;
	int i;

	for (i = 0; i < 4; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		v = v * 16 + (unsigned)(isdigit((unsigned char)s[i]) ? s[i] - '0'
								: (tolower((unsigned char)s[i]) - 'a' + 10));
	}
	if (s[4] != ':')
		return -1;
	for (i = 5; i < 9; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		p = p * 16 + (unsigned)(isdigit((unsigned char)s[i]) ? s[i] - '0'
								: (tolower((unsigned char)s[i]) - 'a' + 10));
	}
	*vid = v;
	*pid = p;
	*end = s + 9;
	return 0;
}

static int chip_from_line(const struct lex_file *lf, const struct lex_line *ln,
			  struct usb_chip *c, struct zcs_err *err)
{
	static const char *const keys[] = { "chip", "driver", "conf", "latency", "note", NULL };
	const char *bad = lex_unknown_key(ln, keys), *end, *conf;
	long lat = 0;

	memset(c, 0, sizeof *c);
	if (bad)
		return lex_fail(lf, ln->lineno, err, "unknown key '%s' (chip, driver, conf, "
				"latency, note)", bad);
	if (ln->n < 2 || ln->tok[1].key || parse_vidpid(ln->tok[1].val, &c->vid, &c->pid, &end) < 0
	    || *end)
		return lex_fail(lf, ln->lineno, err, "adapter needs VID:PID in hex first, "
				"e.g. 'adapter 0403:6001'");
	if (!lex_get(ln, "chip") || !lex_get(ln, "driver"))
		return lex_fail(lf, ln->lineno, err, "adapter %04x:%04x needs chip= and driver=",
				c->vid, c->pid);
	conf = lex_get(ln, "conf");
	if (!conf || strlen(conf) != 1 || !strchr("HML", conf[0]))
		return lex_fail(lf, ln->lineno, err, "adapter %04x:%04x needs conf=H, M or L",
				c->vid, c->pid);
	if (lex_long(lf, ln, "latency", &lat, 0, err) < 0)
		return -1;
	if (lat < 0 || lat > 255)
		return lex_fail(lf, ln->lineno, err, "latency=%ld: a latency timer is 0..255 ms",
				lat);
	zcs_strlcpy(c->name, lex_get(ln, "chip"), sizeof c->name);
	zcs_strlcpy(c->driver, lex_get(ln, "driver"), sizeof c->driver);
	zcs_strlcpy(c->note, lex_get(ln, "note") ? lex_get(ln, "note") : "", sizeof c->note);
	c->latency_max = (int)lat;
	c->conf = conf[0];
	return 0;
}

static int table_add(struct usb_table *t, const struct lex_file *lf, const struct lex_line *ln,
		     struct zcs_err *err)
{
	struct usb_chip c;

	if (chip_from_line(lf, ln, &c, err) < 0)
		return -1;
	if (usb_table_find(t, c.vid, c.pid))
		return lex_fail(lf, ln->lineno, err, "adapter %04x:%04x is listed twice",
				c.vid, c.pid);
	t->rows = xrealloc(t->rows, (t->n + 1) * sizeof *t->rows);
	t->rows[t->n++] = c;
	return 0;
}

int usb_table_load(struct usb_table *t, const char *path, struct zcs_err *err)
{
	char *own = path ? NULL : paths_data_file("usb-serial.conf");
	struct lex_file lf;
	struct lex_line ln;
	int rc;

	memset(t, 0, sizeof *t);
	rc = lex_open(&lf, path ? path : own, err);
	free(own);
	if (rc < 0)
		return -1;
	while ((rc = lex_next(&lf, &ln, err)) > 0) {
		if (ln.tok[0].key || strcmp(ln.tok[0].val, "adapter")) {
			rc = lex_fail(&lf, ln.lineno, err, "expected 'adapter VID:PID ...'");
			break;
		}
		if ((rc = table_add(t, &lf, &ln, err)) < 0)
			break;
	}
	lex_close(&lf);
	if (rc < 0)
		usb_table_free(t);
	return rc < 0 ? -1 : 0;
}

const struct usb_chip *usb_table_find(const struct usb_table *t, unsigned vid, unsigned pid)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (t->rows[i].vid == vid && t->rows[i].pid == pid)
			return &t->rows[i];
	return NULL;
}

void usb_table_free(struct usb_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}

/* ---- identities --------------------------------------------------------- */

int usb_ident_parse(const char *s, struct usb_ident *id, struct zcs_err *err)
{
	const char *p, *slash;
	long ifn;

	memset(id, 0, sizeof *id);
	id->iface = -1;
	if (!s || parse_vidpid(s, &id->vid, &id->pid, &p) < 0)
		goto bad;
	slash = strrchr(p, '/');
	if (slash) {
		if (zcs_parse_long(slash + 1, &ifn) < 0 || ifn < 0 || ifn > 255)
			goto bad;
		id->iface = (int)ifn;
	} else {
		slash = p + strlen(p);
	}
	if (*p == ':' && slash - p > 1 && (size_t)(slash - p) <= sizeof id->serial)
		memcpy(id->serial, p + 1, (size_t)(slash - p - 1));
	else if (*p == '@' && slash - p > 1 && (size_t)(slash - p) <= sizeof id->port)
		memcpy(id->port, p + 1, (size_t)(slash - p - 1));
	else if (p != slash)
		goto bad;
	return 0;
bad:
	return zcs_fail(err, ZCS_USAGE, _("'%s' is not an adapter: write VID:PID[:SERIAL] in hex "
			"(e.g. 0403:6001:A123), or VID:PID@USBPORT for one without a serial "
			"number, as 'zcs-commission ports' shows them"), s ? s : "");
}

const char *usb_ident_format(const struct usb_ident *id, char *buf, size_t n)
{
	char ifs[8] = "";

	if (id->iface >= 0)
		snprintf(ifs, sizeof ifs, "/%d", id->iface);
	if (*id->serial)
		snprintf(buf, n, "%04x:%04x:%s%s", id->vid, id->pid, id->serial, ifs);
	else if (*id->port)
		snprintf(buf, n, "%04x:%04x@%s%s", id->vid, id->pid, id->port, ifs);
	else
		snprintf(buf, n, "%04x:%04x%s", id->vid, id->pid, ifs);
	return buf;
}

int usb_ident_match(const struct usb_ident *want, const struct usb_ident *have)
{
	if (want->vid != have->vid || want->pid != have->pid)
		return 0;
	if (*want->serial && strcmp(want->serial, have->serial))
		return 0;
	if (*want->port && strcmp(want->port, have->port))
		return 0;
	return want->iface < 0 || want->iface == have->iface;
}

/* ---- where things are ---------------------------------------------------- */

static const char *sysfs_root(void)
{
	const char *r = getenv("ZCS_SYSFS_ROOT");

	return r && *r ? r : "/sys";
}

static int sysfs_faked(void)
{
	const char *r = getenv("ZCS_SYSFS_ROOT");

	return r && *r;
}

static const char *dev_root(void)
{
	const char *r = getenv("ZCS_DEV_ROOT");

	return r && *r ? r : "/dev";
}

/* Read a one-line sysfs attribute, trailing white space removed. */
static int read_attr(const char *dir, const char *name, char *buf, size_t n)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	size_t len;

	free(path);
	buf[0] = 0;
	if (!f)
		return -1;
	if (!fgets(buf, (int)n, f))
		buf[0] = 0;
	fclose(f);
	len = strlen(buf);
	while (len && isspace((unsigned char)buf[len - 1]))
		buf[--len] = 0;
	return 0;
}

static int read_hex_attr(const char *dir, const char *name, unsigned *out)
{
	char buf[32];
	char *end;
	unsigned long v;

	if (read_attr(dir, name, buf, sizeof buf) < 0 || !*buf)
		return -1;
	v = strtoul(buf, &end, 16);
	if (*end)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* The last path component of the symlink dir/name ("ftdi_sio"), or "". */
static void link_base(const char *dir, const char *name, char *buf, size_t n)
{
	char *path = xasprintf("%s/%s", dir, name);
	char target[PATH_MAX];
	ssize_t len = readlink(path, target, sizeof target - 1);
	const char *slash;

	free(path);
	buf[0] = 0;
	if (len <= 0)
		return;
	target[len] = 0;
	slash = strrchr(target, '/');
	zcs_strlcpy(buf, slash ? slash + 1 : target, n);
}

/* ---- diagnostics --------------------------------------------------------- */

static void add_diag(struct usb_adapter *a, const char *fmt, ...) ZCS_PRINTF(2, 3);

static void add_diag(struct usb_adapter *a, const char *fmt, ...)
{
	va_list ap;

	if (a->ndiag >= USB_MAX_DIAG)
		return;
	va_start(ap, fmt);
	vsnprintf(a->diag[a->ndiag++], sizeof a->diag[0], fmt, ap);
	va_end(ap);
}

static int process_has_group(gid_t gid)
{
	gid_t groups[256];
	int n = getgroups((int)ZCS_ARRAY_LEN(groups), groups);

	if (getegid() == gid)
		return 1;
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

static int user_listed_in(const struct group *g)
{
	struct passwd *pw = getpwuid(getuid());

	for (char **m = g->gr_mem; pw && m && *m; m++)
		if (strcmp(*m, pw->pw_name) == 0)
			return 1;
	return 0;
}

static void diag_permission(struct usb_adapter *a)
{
	struct stat st;
	struct group *g;
	char gname[64];

	if (stat(a->dev, &st) < 0) {
		if (errno == ENOENT)
			add_diag(a, _("%s does not exist although the kernel named the port %s: "
				   "udev has not made the device node (wait a second, check udev "
				   "rules)"), a->dev, a->tty);
		return;
	}
	if (access(a->dev, R_OK | W_OK) == 0 || errno != EACCES)
		return;
	g = getgrgid(st.st_gid);
	if (g)
		zcs_strlcpy(gname, g->gr_name, sizeof gname);
	else
		snprintf(gname, sizeof gname, "%u", (unsigned)st.st_gid);
	if (g && user_listed_in(g) && !process_has_group(st.st_gid))
		add_diag(a, _("permission denied on %s (group %s, mode %03o): you were added to "
			   "group %s but this login started before that: log out and in again "
			   "(or run 'newgrp %s')"), a->dev, gname, (unsigned)(st.st_mode & 0777),
			 gname, gname);
	else
		add_diag(a, _("permission denied on %s (group %s, mode %03o): join the %s group "
			   "(sudo usermod -aG %s $USER), then log out and in again"), a->dev, gname,
			 (unsigned)(st.st_mode & 0777), gname, gname);
}

static void diag_latency(struct usb_adapter *a)
{
	if (!a->known || a->chip.latency_max <= 0 || a->latency_ms < 0 ||
	    a->latency_ms <= a->chip.latency_max)
		return;
	add_diag(a, _("latency timer %d ms: replies wait up to %d ms in the adapter, slowing "
		   "every request; lower it to 1 ms: echo 1 | sudo tee "
		   "/sys/bus/usb-serial/devices/%s/latency_timer (until unplugged), or for good "
		   "with a udev rule (see zcs-commission(1), PORTS)"), a->latency_ms,
		 a->latency_ms, a->tty);
}

static void diagnose(struct usb_adapter *a)
{
	if (!*a->tty) {
		add_diag(a, _("no serial port: the %s driver has not taken the adapter: run "
			   "'dmesg | tail' right after plugging it in; 'sudo modprobe %s'; "
			   "try another USB port"), a->chip.driver, a->chip.driver);
		return;
	}
	if (!a->known)
		add_diag(a, _("not in data/usb-serial.conf: a serial port, but maybe not an "
			   "RS485 adapter (a modem, a phone, a board)"));
	diag_permission(a);
	diag_latency(a);
}

/* ---- enumeration ---------------------------------------------------------- */

struct scan {
	const struct usb_table *t;
	struct usb_list *out;
};

static struct usb_adapter *new_row(struct scan *s)
{
	struct usb_list *l = s->out;

	l->a = xrealloc(l->a, (l->n + 1) * sizeof *l->a);
	memset(&l->a[l->n], 0, sizeof l->a[0]);
	return &l->a[l->n++];
}

/* The tty names an interface carries: usb-serial "ttyUSB0" children, or a
 * "tty" class directory ("tty/ttyACM0").  Returns how many were put in. */
static int iface_ttys(const char *ifdir, char names[][32], int max)
{
	DIR *d = opendir(ifdir);
	struct dirent *de;
	int n = 0;
	char *ttydir;

	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max)
		if (strncmp(de->d_name, "ttyUSB", 6) == 0)
			zcs_strlcpy(names[n++], de->d_name, 32);
	closedir(d);
	ttydir = xasprintf("%s/tty", ifdir);
	d = opendir(ttydir);
	free(ttydir);
	if (!d)
		return n;
	while ((de = readdir(d)) && n < max)
		if (strncmp(de->d_name, "tty", 3) == 0)
			zcs_strlcpy(names[n++], de->d_name, 32);
	closedir(d);
	return n;
}

static void fill_port(struct usb_adapter *a, const char *ifdir, const char *tty, int ifnum,
		      const char *driver)
{
	char *ttydir = xasprintf("%s/%s", ifdir, tty);
	char buf[32];

	zcs_strlcpy(a->tty, tty, sizeof a->tty);
	snprintf(a->dev, sizeof a->dev, "%s/%s", dev_root(), tty);
	zcs_strlcpy(a->driver, driver, sizeof a->driver);
	a->id.iface = ifnum;
	a->latency_ms = -1;
	if (read_attr(ttydir, "latency_timer", buf, sizeof buf) == 0 && *buf) {
		long v;

		if (zcs_parse_long(buf, &v) == 0)
			a->latency_ms = (int)v;
	}
	free(ttydir);
}

/* Every interface "<sysname>:C.I" of the device directory. */
static int scan_ifaces(struct scan *s, const char *devdir, const struct usb_adapter *base)
{
	DIR *d = opendir(devdir);
	struct dirent *de;
	size_t first = s->out->n;
	int ports = 0;
	size_t plen = strlen(base->sysname);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char ttys[8][32], driver[32];
		char *ifdir;
		unsigned ifnum;
		int n;

		if (strncmp(de->d_name, base->sysname, plen) || de->d_name[plen] != ':')
			continue;
		ifdir = xasprintf("%s/%s", devdir, de->d_name);
		if (read_hex_attr(ifdir, "bInterfaceNumber", &ifnum) < 0) {
			const char *dot = strrchr(de->d_name, '.');

			ifnum = dot ? (unsigned)atoi(dot + 1) : 0;
		}
		link_base(ifdir, "driver", driver, sizeof driver);
		n = iface_ttys(ifdir, ttys, 8);
		for (int i = 0; i < n; i++) {
			struct usb_adapter *a = new_row(s);

			*a = *base;
			fill_port(a, ifdir, ttys[i], (int)ifnum, driver);
			ports++;
		}
		free(ifdir);
	}
	closedir(d);
	for (size_t i = first; i < s->out->n; i++)
		s->out->a[i].nports = ports;
	return ports;
}

/* One USB device: its sysfs directory gives strings and ttys.  `vid`/`pid`
 * come from libusb or from the directory itself. */
static void scan_device(struct scan *s, const char *sysname, const char *devdir,
			unsigned vid, unsigned pid)
{
	struct usb_adapter base;
	const struct usb_chip *c = usb_table_find(s->t, vid, pid);

	memset(&base, 0, sizeof base);
	base.id.vid = vid;
	base.id.pid = pid;
	base.id.iface = -1;
	base.latency_ms = -1;
	zcs_strlcpy(base.sysname, sysname, sizeof base.sysname);
	zcs_strlcpy(base.id.port, sysname, sizeof base.id.port);
	read_attr(devdir, "manufacturer", base.maker, sizeof base.maker);
	read_attr(devdir, "product", base.product, sizeof base.product);
	read_attr(devdir, "serial", base.id.serial, sizeof base.id.serial);
	if (c) {
		base.chip = *c;
		base.known = 1;
	}
	if (scan_ifaces(s, devdir, &base) == 0 && c) {
		struct usb_adapter *a = new_row(s);

		*a = base;
	}
}

static int is_device_name(const char *name)
{
	/* "1-1", "1-1.2": devices; "usb1": root hubs; "1-1:1.0": interfaces */
	return isdigit((unsigned char)name[0]) && strchr(name, '-') && !strchr(name, ':');
}

static int scan_sysfs(struct scan *s, struct zcs_err *err)
{
	char *dir = xasprintf("%s/bus/usb/devices", sysfs_root());
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		int e = errno;

		if (e == ENOENT && !sysfs_faked()) {
			free(dir);
			return 0;   /* no USB bus at all: nothing plugged in */
		}
		zcs_fail(err, ZCS_SYS, "cannot list USB devices in %s: %s", dir, strerror(e));
		free(dir);
		return -1;
	}
	while ((de = readdir(d))) {
		char *devdir;
		unsigned vid, pid;

		if (!is_device_name(de->d_name))
			continue;
		devdir = xasprintf("%s/%s", dir, de->d_name);
		if (read_hex_attr(devdir, "idVendor", &vid) == 0 &&
		    read_hex_attr(devdir, "idProduct", &pid) == 0)
			scan_device(s, de->d_name, devdir, vid, pid);
		free(devdir);
	}
	closedir(d);
	free(dir);
	return 0;
}

/* Strings straight from the device when sysfs has none (needs permission). */
static void libusb_strings(libusb_device *dev, const struct libusb_device_descriptor *dd,
			   struct usb_adapter *a)
{
	libusb_device_handle *h;

	if (libusb_open(dev, &h) != 0)
		return;
	if (dd->iManufacturer && !*a->maker)
		libusb_get_string_descriptor_ascii(h, dd->iManufacturer, (unsigned char *)a->maker,
						   sizeof a->maker);
	if (dd->iProduct && !*a->product)
		libusb_get_string_descriptor_ascii(h, dd->iProduct, (unsigned char *)a->product,
						   sizeof a->product);
	if (dd->iSerialNumber && !*a->id.serial)
		libusb_get_string_descriptor_ascii(h, dd->iSerialNumber,
						   (unsigned char *)a->id.serial,
						   sizeof a->id.serial);
	libusb_close(h);
}

/* "1-1.2" from the bus and port numbers, as the kernel names it in sysfs. */
static int libusb_sysname(libusb_device *dev, char *buf, size_t n)
{
	uint8_t ports[8];
	int np = libusb_get_port_numbers(dev, ports, (int)sizeof ports);
	size_t len;

	if (np <= 0)
		return -1;      /* a root hub */
	len = (size_t)snprintf(buf, n, "%u-%u", libusb_get_bus_number(dev), ports[0]);
	for (int i = 1; i < np && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, ".%u", ports[i]);
	return 0;
}

static void libusb_device_scan(struct scan *s, libusb_device *dev)
{
	struct libusb_device_descriptor dd;
	char sysname[32], *devdir;
	size_t first = s->out->n;

	if (libusb_get_device_descriptor(dev, &dd) != 0 ||
	    libusb_sysname(dev, sysname, sizeof sysname) < 0)
		return;
	devdir = xasprintf("%s/bus/usb/devices/%s", sysfs_root(), sysname);
	scan_device(s, sysname, devdir, dd.idVendor, dd.idProduct);
	free(devdir);
	for (size_t i = first; i < s->out->n; i++)
		if (!*s->out->a[i].maker || !*s->out->a[i].product)
			libusb_strings(dev, &dd, &s->out->a[i]);
}

/* 0 when libusb listed the devices, -1 when it has no usable context or
 * sees no device at all (a container without /dev/bus/usb: sysfs may). */
static int scan_libusb(struct scan *s)
{
	libusb_context *ctx;
	libusb_device **devs;
	ssize_t n;

	if (libusb_init(&ctx) != 0)
		return -1;
	n = libusb_get_device_list(ctx, &devs);
	if (n <= 0) {
		if (n == 0)
			libusb_free_device_list(devs, 1);
		libusb_exit(ctx);
		return -1;
	}
	for (ssize_t i = 0; i < n; i++)
		libusb_device_scan(s, devs[i]);
	libusb_free_device_list(devs, 1);
	libusb_exit(ctx);
	return 0;
}

static int by_tty(const void *pa, const void *pb)
{
	const struct usb_adapter *a = pa, *b = pb;
	size_t la = strlen(a->tty), lb = strlen(b->tty);

	if (!*a->tty != !*b->tty)
		return *a->tty ? -1 : 1;
	/* ttyUSB2 before ttyUSB10 */
	if (la != lb && strncmp(a->tty, b->tty, 6) == 0)
		return la < lb ? -1 : 1;
	if (strcmp(a->tty, b->tty))
		return strcmp(a->tty, b->tty);
	return strcmp(a->sysname, b->sysname);
}

/* Identities: the port path is kept only when the serial number cannot tell
 * the adapter apart, the interface only on multi-port chips. */
static void settle_ident(struct usb_adapter *a)
{
	if (*a->id.serial)
		a->id.port[0] = 0;
	if (a->nports <= 1)
		a->id.iface = -1;
}

static int list_quiet(const struct usb_table *t, struct usb_list *out, struct zcs_err *err)
{
	struct scan s = { t, out };

	memset(out, 0, sizeof *out);
	if (sysfs_faked()) {
		snprintf(out->source, sizeof out->source, "sysfs tree %.30s", sysfs_root());
		if (scan_sysfs(&s, err) < 0)
			return -1;
	} else if (scan_libusb(&s) == 0) {
		zcs_strlcpy(out->source, "libusb", sizeof out->source);
	} else {
		zcs_strlcpy(out->source, "sysfs", sizeof out->source);
		if (scan_sysfs(&s, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < out->n; i++)
		settle_ident(&out->a[i]);
	if (out->n)
		qsort(out->a, out->n, sizeof *out->a, by_tty);
	return 0;
}

int usb_list(const struct usb_table *t, struct usb_list *out, struct zcs_err *err)
{
	if (list_quiet(t, out, err) < 0) {
		usb_list_free(out);
		return -1;
	}
	for (size_t i = 0; i < out->n; i++)
		diagnose(&out->a[i]);
	return 0;
}

void usb_list_free(struct usb_list *l)
{
	free(l->a);
	l->a = NULL;
	l->n = 0;
}

const char *usb_none_advice(const struct usb_table *t, char *buf, size_t n)
{
	char drivers[200] = "";
	size_t len = 0;

	for (size_t i = 0; t && i < t->n; i++) {
		const char *d = t->rows[i].driver;
		int seen = 0;

		for (size_t j = 0; j < i; j++)
			seen |= strcmp(t->rows[j].driver, d) == 0;
		if (!seen && len < sizeof drivers)
			len += (size_t)snprintf(drivers + len, sizeof drivers - len, "%s%s",
						len ? "|" : "", d);
	}
	snprintf(buf, n, "no USB-serial adapter found. Check: the adapter is plugged in and "
		 "its LED lit; the USB cable (try another USB port, avoid unpowered hubs); "
		 "'dmesg | tail' right after plugging it in should name a ttyUSB or ttyACM; "
		 "the driver is loaded: lsmod | grep -E '%s'", drivers);
	return buf;
}

const char *usb_adapter_label(const struct usb_adapter *a, char *buf, size_t n)
{
	const char *what = a->known ? a->chip.name : *a->product ? a->product : "USB serial";

	if (*a->id.serial)
		snprintf(buf, n, "%s serial %s", what, a->id.serial);
	else
		snprintf(buf, n, "%s in USB port %s", what, a->sysname);
	return buf;
}

const char *usb_adapter_describe(const struct usb_adapter *a, char *buf, size_t n)
{
	char who[260], port[64];

	snprintf(who, sizeof who, "%s%s%s", a->maker, *a->maker && *a->product ? " " : "",
		 a->product);
	if (*a->id.serial)
		snprintf(port, sizeof port, "serial %s", a->id.serial);
	else
		snprintf(port, sizeof port, "no serial number, USB port %s", a->sysname);
	snprintf(buf, n, "%s (%s), %s", *who ? who : "USB device", a->known ? a->chip.name : "not a known RS485 chip",
		 port);
	return buf;
}

/* ---- finding one --------------------------------------------------------- */

int usb_resolve(const struct usb_table *t, const struct usb_ident *id,
		struct usb_adapter *out, struct zcs_err *err)
{
	struct usb_list l;
	int found = 0;
	char want[200], a1[200], a2[200];

	if (list_quiet(t, &l, err) < 0) {
		usb_list_free(&l);
		return -1;
	}
	for (size_t i = 0; i < l.n; i++) {
		struct usb_ident have = l.a[i].id;

		zcs_strlcpy(have.port, l.a[i].sysname, sizeof have.port);
		if (!usb_ident_match(id, &have))
			continue;
		if (found++ == 0) {
			*out = l.a[i];
			continue;
		}
		zcs_fail(err, ZCS_USAGE, _("%s matches two adapters (%s and %s): name one of them "
			 "as 'zcs-commission ports' shows it"), usb_ident_format(id, want, sizeof want),
			 usb_ident_format(&out->id, a1, sizeof a1),
			 usb_ident_format(&l.a[i].id, a2, sizeof a2));
		usb_list_free(&l);
		return -1;
	}
	usb_list_free(&l);
	if (found)
		diagnose(out);
	return found;
}

static int same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

int usb_find_device(const struct usb_table *t, const char *dev, struct usb_adapter *out,
		    struct zcs_err *err)
{
	struct usb_list l;
	int found = 0;

	if (list_quiet(t, &l, err) < 0) {
		usb_list_free(&l);
		return -1;
	}
	for (size_t i = 0; i < l.n && !found; i++)
		if (*l.a[i].tty && strcmp(dev, l.a[i].dev) == 0) {
			*out = l.a[i];
			found = 1;
		}
	for (size_t i = 0; i < l.n && !found; i++)
		if (*l.a[i].tty && same_file(dev, l.a[i].dev)) {
			*out = l.a[i];
			found = 1;
		}
	usb_list_free(&l);
	if (found)
		diagnose(out);
	return found;
}

/* ---- watching ------------------------------------------------------------- */

struct usb_watch {
	libusb_context *ctx;            /* NULL: polling sysfs */
	libusb_hotplug_callback_handle cb;
	int changed;
	char *print;                    /* polling: what the tree looked like */
};

/* What identifies the set of adapters: identity and tty of each. */
static char *fingerprint(void)
{
	struct usb_list l;
	char *s = xstrdup(""), id[200];

	if (list_quiet(NULL, &l, NULL) < 0) {
		usb_list_free(&l);
		return s;
	}
	for (size_t i = 0; i < l.n; i++) {
		char *t = xasprintf("%s%s@%s=%s;", s, usb_ident_format(&l.a[i].id, id, sizeof id),
				    l.a[i].sysname, l.a[i].tty);

		free(s);
		s = t;
	}
	usb_list_free(&l);
	return s;
}

static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *dev,
				  libusb_hotplug_event ev, void *user)
{
	((struct usb_watch *)user)->changed = 1;
	return 0;
}

static int hotplug_open(struct usb_watch *w)
{
	if (sysfs_faked() || !libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) ||
	    libusb_init(&w->ctx) != 0) {
		w->ctx = NULL;
		return -1;
	}
	if (libusb_hotplug_register_callback(w->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
					     LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
					     LIBUSB_HOTPLUG_NO_FLAGS, LIBUSB_HOTPLUG_MATCH_ANY,
					     LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
					     on_hotplug, w, &w->cb) != LIBUSB_SUCCESS) {
		libusb_exit(w->ctx);
		w->ctx = NULL;
		return -1;
	}
	return 0;
}

int usb_watch_open(struct usb_watch **out, struct zcs_err *err)
{
	struct usb_watch *w = xcalloc(1, sizeof *w);

	if (hotplug_open(w) < 0)
		w->print = fingerprint();
	*out = w;
	return 0;
}

static int hotplug_wait(struct usb_watch *w, int timeout_ms)
{
	int64_t end = zcs_now_ms() + timeout_ms;

	/* events are handled at least once, even with no time to wait */
	do {
		int64_t left = end - zcs_now_ms();
		struct timeval tv;

		if (left < 0)
			left = 0;
		tv.tv_sec = left / 1000;
		tv.tv_usec = (left % 1000) * 1000;
		if (libusb_handle_events_timeout_completed(w->ctx, &tv, &w->changed) < 0)
			break;
	} while (!w->changed && zcs_now_ms() < end);
	if (!w->changed)
		return 0;
	w->changed = 0;
	return 1;
}

static int poll_wait(struct usb_watch *w, int timeout_ms)
{
	int64_t end = zcs_now_ms() + timeout_ms;

	for (;;) {
		char *now = fingerprint();
		int64_t left;

		if (strcmp(now, w->print)) {
			free(w->print);
			w->print = now;
			return 1;
		}
		free(now);
		left = end - zcs_now_ms();
		if (left <= 0)
			return 0;
		zcs_sleep_ms(left < USB_POLL_MS ? left : USB_POLL_MS);
	}
}

int usb_watch_wait(struct usb_watch *w, int timeout_ms)
{
	return w->ctx ? hotplug_wait(w, timeout_ms) : poll_wait(w, timeout_ms);
}

const char *usb_watch_method(const struct usb_watch *w)
{
	return w->ctx ? "libusb hotplug" : "sysfs polling";
}

void usb_watch_close(struct usb_watch *w)
{
	if (!w)
		return;
	if (w->ctx) {
		libusb_hotplug_deregister_callback(w->ctx, w->cb);
		libusb_exit(w->ctx);
	}
	free(w->print);
	free(w);
}

/* ---- following one adapter ------------------------------------------------ */

static void follow_set(struct usb_follow *f, const struct usb_adapter *a)
{
	f->id = a->id;
	if (!*f->id.serial)
		zcs_strlcpy(f->id.port, a->sysname, sizeof f->id.port);
	usb_adapter_label(a, f->label, sizeof f->label);
	zcs_strlcpy(f->dev, a->dev, sizeof f->dev);
}

int usb_follow_device(struct usb_follow *f, const char *dev, struct zcs_err *err)
{
	struct usb_adapter a;
	int rc;

	memset(f, 0, sizeof *f);
	if (usb_table_load(&f->table, NULL, err) < 0)
		return -1;
	rc = usb_find_device(&f->table, dev, &a, err);
	if (rc <= 0) {
		usb_table_free(&f->table);
		return rc;
	}
	follow_set(f, &a);
	return 1;
}

int usb_follow_ident(struct usb_follow *f, const struct usb_ident *id, struct zcs_err *err)
{
	struct usb_adapter a;
	char want[200];
	int rc;

	memset(f, 0, sizeof *f);
	if (usb_table_load(&f->table, NULL, err) < 0)
		return -1;
	rc = usb_resolve(&f->table, id, &a, err);
	if (rc == 0)
		zcs_fail(err, ZCS_LINK, "no adapter %s is plugged in: 'zcs-commission ports' "
			 "lists the adapters it sees", usb_ident_format(id, want, sizeof want));
	else if (rc > 0 && !*a.tty)
		rc = zcs_fail(err, ZCS_LINK, "adapter %s has no serial port: %s",
			      usb_ident_format(id, want, sizeof want), a.ndiag ? a.diag[0] : "");
	if (rc <= 0) {
		usb_table_free(&f->table);
		return -1;
	}
	follow_set(f, &a);
	return 0;
}

static int still_absent(struct usb_follow *f, struct zcs_err *err)
{
	if (!f->watch && usb_watch_open(&f->watch, NULL) < 0)
		f->watch = NULL;
	if (!f->absent || !f->watch || usb_watch_wait(f->watch, 0))
		return 0;
	return zcs_fail(err, ZCS_LINK, "the USB-RS485 adapter %s is unplugged (it was %s): "
			"plug it back in; the session waits", f->label, f->dev);
}

int usb_follow_reconnect(void *ctx, struct link *l, struct zcs_err *err)
{
	struct usb_follow *f = ctx;
	struct usb_adapter a;
	int rc;

	if (still_absent(f, err) < 0)
		return -1;
	rc = usb_resolve(&f->table, &f->id, &a, err);
	if (rc < 0)
		return -1;
	f->absent = rc == 0;
	if (rc == 0) {
		snprintf(f->event, sizeof f->event, "adapter %s is unplugged (it was %s)",
			 f->label, f->dev);
		return zcs_fail(err, ZCS_LINK, "the USB-RS485 adapter %s is unplugged (it was "
				"%s): plug it back in; the session waits", f->label, f->dev);
	}
	if (!*a.tty) {
		snprintf(f->event, sizeof f->event, "adapter %s is back without a serial port",
			 f->label);
		return zcs_fail(err, ZCS_LINK, "the adapter %s is back but has no serial port "
				"yet: %s", f->label, a.ndiag ? a.diag[0] : "wait a second");
	}
	if (strcmp(a.dev, link_params_of(l)->device)) {
		snprintf(f->event, sizeof f->event, "adapter %s is back as %s (it was %s)",
			 f->label, a.dev, f->dev);
		link_set_device(l, a.dev);
	} else {
		snprintf(f->event, sizeof f->event, "adapter %s is back as %s", f->label, a.dev);
	}
	zcs_strlcpy(f->dev, a.dev, sizeof f->dev);
	return link_reconnect(l, err);
}

void usb_follow_free(struct usb_follow *f)
{
	usb_watch_close(f->watch);
	f->watch = NULL;
	usb_table_free(&f->table);
}

