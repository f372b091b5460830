/* SPDX-License-Identifier: GPL-3.0-or-later */
/* usb: USB-RS485 adapters, known by what they are rather than by the
 * ttyUSB number they happened to get.
 *
 * Promises:
 *  - usb_list() lists every USB device that has a serial tty (ttyUSBn,
 *    ttyACMn), one entry per tty, plus every device of data/usb-serial.conf
 *    that has none (its driver is missing), with maker, product, serial
 *    number, tty and diagnostics in words (permission, FTDI latency timer,
 *    missing driver);
 *  - on a real machine libusb lists the devices and sysfs gives their tty and
 *    strings without opening them; without a usable libusb context, sysfs
 *    alone.  $ZCS_SYSFS_ROOT replaces /sys and then only that tree is read
 *    (libusb cannot be redirected), $ZCS_DEV_ROOT replaces /dev: tests build
 *    fake trees whose ttyUSBn are symlinks to pseudo-terminals;
 *  - an adapter's identity (vendor:product and serial number, or the USB port
 *    path when it has no serial number) survives an unplug: usb_resolve()
 *    finds its tty now, whatever number it got;
 *  - a watcher tells when the set of adapters changed: libusb hotplug where
 *    the platform has it (and no fake tree is in use), sysfs polling otherwise;
 *  - what is known about chips lives in data/usb-serial.conf, none in C. */
#ifndef ZCS_USB_H
#define ZCS_USB_H

#include <stddef.h>

#include "base/err.h"
#include "base/link.h"
#include "base/opt.h"

/* One row of data/usb-serial.conf. */
struct usb_chip {
	unsigned vid, pid;
	char name[64];
	char driver[32];
	char note[256];
	int latency_max;        /* ms above which to warn; 0: no latency timer */
	char conf;              /* 'H', 'M' or 'L' */
};

struct usb_table {
	struct usb_chip *rows;
	size_t n;
};

/* Load the table; `path` NULL means data/usb-serial.conf in the data dir. */
int usb_table_load(struct usb_table *t, const char *path, struct zcs_err *err);
const struct usb_chip *usb_table_find(const struct usb_table *t, unsigned vid, unsigned pid);
void usb_table_free(struct usb_table *t);

/* Who an adapter is.  Written "0403:6001:A123" (serial number),
 * "1a86:7523@1-1.2" (USB port path, for chips without a serial number) or
 * "0403:6001" (the only one of its kind), with "/N" after it for interface N
 * of a multi-port chip. */
struct usb_ident {
	unsigned vid, pid;
	char serial[128];       /* "" when none */
	char port[32];          /* USB port path, "" when not pinned to a port */
	int iface;              /* interface number, -1: any */
};

int usb_ident_parse(const char *s, struct usb_ident *id, struct zcs_err *err);
const char *usb_ident_format(const struct usb_ident *id, char *buf, size_t n);
/* 1 when adapter identity `have` (complete) is what `want` asks for. */
int usb_ident_match(const struct usb_ident *want, const struct usb_ident *have);

#define USB_MAX_DIAG 6

struct usb_adapter {
	struct usb_ident id;    /* serial and port both filled when known */
	char sysname[32];       /* sysfs name of the USB device, "1-1.2" */
	char maker[128], product[128];
	char tty[32];           /* "ttyUSB0"; "" when the device has none */
	char dev[256];          /* "/dev/ttyUSB0" (under $ZCS_DEV_ROOT) */
	char driver[32];        /* driver bound to the interface, "" when none */
	struct usb_chip chip;   /* the table row, or name "" when not listed */
	int known;              /* 1: in data/usb-serial.conf */
	int latency_ms;         /* FTDI latency timer, -1 when not readable */
	int nports;             /* ttys on the same USB device */
	char diag[USB_MAX_DIAG][400];
	int ndiag;
};

struct usb_list {
	struct usb_adapter *a;
	size_t n;
	char source[48];        /* "libusb", "sysfs" or "sysfs tree <root>" */
};

int usb_list(const struct usb_table *t, struct usb_list *out, struct zcs_err *err);
void usb_list_free(struct usb_list *l);
/* What to check when no adapter is found (names the table's drivers). */
const char *usb_none_advice(const struct usb_table *t, char *buf, size_t n);
/* "FTDI FT232R serial A123" for messages. */
const char *usb_adapter_label(const struct usb_adapter *a, char *buf, size_t n);
/* What an installer needs to pick it, beside its tty, on one line:
 * "FTDI FT232R USB UART (FTDI FT232R), serial A123" (maker, product, chip,
 * serial number or, without one, the USB port). */
const char *usb_adapter_describe(const struct usb_adapter *a, char *buf, size_t n);

/* Find the adapter now: 1 found (out filled), 0 not plugged in, -1 error
 * (two adapters match a loose identity: say which to pick). */
int usb_resolve(const struct usb_table *t, const struct usb_ident *id,
		struct usb_adapter *out, struct zcs_err *err);
/* The adapter whose tty `dev` is (symlinks such as /dev/serial/by-id/...
 * followed): 1 found, 0 `dev` is no adapter's tty, -1 error. */
int usb_find_device(const struct usb_table *t, const char *dev, struct usb_adapter *out,
		    struct zcs_err *err);

/* Watching for plug and unplug. */
struct usb_watch;

int usb_watch_open(struct usb_watch **out, struct zcs_err *err);
/* Wait up to `timeout_ms` for the set of adapters to change: 1 it changed,
 * 0 it did not. */
int usb_watch_wait(struct usb_watch *w, int timeout_ms);
const char *usb_watch_method(const struct usb_watch *w);
void usb_watch_close(struct usb_watch *w);

/* Following one adapter through unplug and replug, for a session's link. */
struct usb_follow {
	struct usb_table table;
	struct usb_ident id;
	char label[200];        /* "FTDI FT232R serial A123" */
	char dev[256];          /* its tty when last seen */
	char event[400];        /* what the last reconnect attempt found, in words */
	struct usb_watch *watch;        /* opened at the first reconnect */
	int absent;             /* the last attempt found it unplugged */
};

/* Follow the adapter whose tty `dev` is: 1 it is one (f ready), 0 it is not
 * an adapter's tty (f unused), -1 error. */
int usb_follow_device(struct usb_follow *f, const char *dev, struct zcs_err *err);
/* Follow a given identity (it must be plugged in now): 0 or -1. */
int usb_follow_ident(struct usb_follow *f, const struct usb_ident *id, struct zcs_err *err);
/* The reconnect hook for a lost link (ctx is a struct usb_follow *): find
 * the adapter again, point the link at its tty if that changed, reconnect.
 * While it stays unplugged, the watcher (hotplug or polling) spares a
 * search until something is plugged in.  f->event says what happened
 * ("back as /dev/ttyUSB3"). */
int usb_follow_reconnect(void *ctx, struct link *l, struct zcs_err *err);
void usb_follow_free(struct usb_follow *f);

/* The connection options (--port, --adapter, --tcp, ...) as an option
 * table for opt_begin (keys OPT_LINK + n): the ones link_params_option
 * knows, and --adapter VID:PID[:SERIAL], whose tty becomes the port.  The
 * command line and the wizard share it. */
const struct opt *usb_link_opts(void);
/* Apply one of them (o from the parser, its value arg): 0, or -1 with a
 * ZCS_USAGE error. */
int usb_link_option(struct link_params *p, const struct opt *o, const char *arg,
		    struct zcs_err *err);

#endif
