/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim_dev: one simulated Modbus slave serving a register map.
 *
 * A device holds the 16-bit image of its map (FC 0x03 and FC 0x04 spaces)
 * and answers reads and writes with the rules a real unit follows:
 *  - a read touching an `unreadable` range, an address no register of the
 *    map defines, or a register the instructor un-served (sim_dev_unserve)
 *    gets exception 02, as a strict G3 unit does; in the zeros hole mode
 *    (holes_zeros) undefined addresses in a 0x100-page that holds a register
 *    read 0 instead (pages with no register still answer 02);
 *  - writes (FC 0x10) go only to access=rw registers (02 otherwise, unless
 *    the word is written back unchanged inside a group write); a value
 *    outside min..max gets 03; a grouped register must be written with its
 *    whole group in one request, with the commit register at commit_value
 *    (03 otherwise).  A register sent back unchanged inside a group write
 *    must still lie within its own min..max (03 otherwise).  Nothing in the
 *    code's deny list (base/deny.h) is ever written (02).  A write is
 *    applied whole or not at all; the commit register then reads the
 *    write's status as the protocol says (0 successful), or commit_fail.
 * The plant puts values by register name (sim_dev_put); the instructor can
 * force a value (sim_dev_force), which then wins over the plant until
 * released. */
#ifndef ZCS_SIM_DEV_H
#define ZCS_SIM_DEV_H

#include <stdint.h>

#include "base/err.h"
#include "base/regmap.h"

struct sim_dev {
	struct regmap *map;
	int slave;              /* address it answers on its bus */
	int present;            /* 0: never answers (unplugged meter ...) */
	int unpowered;          /* 1: an inverter with no grid, battery or PV: dark */
	uint16_t *img[2];       /* [0] FC 0x03 space, [1] FC 0x04 space */
	uint8_t page_used[2][256];
	uint8_t *defined[2];    /* per address: a register of the map covers it */
	uint8_t *unserved[2];   /* per address: un-served by the instructor */
	int holes_zeros;        /* 1: undefined addresses in a used page read 0 */
	uint8_t *forced;        /* per register of the map */
	int rtu_mute;           /* 1: RS485 address 0, ignores the RTU bus */
	int lenient;            /* puts of names the map lacks are ignored */
	unsigned long writes;   /* accepted write requests */
	int store_other;        /* fault: changed registers store one step less */
	unsigned commit_fail;   /* fault: commits store nothing, status reads this */
	unsigned commit_busy;   /* fault: status reads 1 (in operation) this many times */
	unsigned busy_left, busy_addr;  /* reads of busy_addr still answering 1 */
	/* called after an accepted write, with the written range */
	void (*on_write)(void *ctx, struct sim_dev *d, unsigned addr, unsigned n);
	void *ctx;
};

struct sim_dev *sim_dev_new(const char *mapname, int slave, struct zcs_err *err);
void sim_dev_free(struct sim_dev *d);

/* Modbus exception code (0 = served).  `out` gets n words. */
int sim_dev_read(struct sim_dev *d, int fc, unsigned addr, unsigned n, uint16_t *out);
int sim_dev_write(struct sim_dev *d, unsigned addr, unsigned n, const uint16_t *src);

/* Make register `name` answer exception 02 (on=1) or serve it again. */
int sim_dev_unserve(struct sim_dev *d, const char *name, int on, struct zcs_err *err);

/* Plant side: engineering value or text by register name; ignored when the
 * register is forced.  Unknown names are a programming error: reported on
 * stderr once and ignored. */
void sim_dev_put(struct sim_dev *d, const char *name, double v);
void sim_dev_put_text(struct sim_dev *d, const char *name, const char *text);
/* Set or clear bit item `id` of a bits register. */
void sim_dev_put_bit(struct sim_dev *d, const char *name, long id, int on);
/* Engineering value of a register (0 when unknown). */
double sim_dev_get(const struct sim_dev *d, const char *name);
/* Instructor: value given as a number, an enum key or (ascii) text; the
 * value stays until sim_dev_release.  ZCS_USAGE errors. */
int sim_dev_force(struct sim_dev *d, const char *name, const char *value, struct zcs_err *err);
int sim_dev_release(struct sim_dev *d, const char *name, struct zcs_err *err);
/* Same as force but without pinning: a setting changed as if by the keypad. */
int sim_dev_setting(struct sim_dev *d, const char *name, const char *value, struct zcs_err *err);
/* "3.20 kW" style text of a register for `get`. */
int sim_dev_format(const struct sim_dev *d, const char *name, char *buf, size_t n,
		   struct zcs_err *err);

#endif
