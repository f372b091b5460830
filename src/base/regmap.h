/* SPDX-License-Identifier: GPL-3.0-or-later */
/* regmap: register maps loaded from data/maps/NAME.map.
 *
 * A map file is a list of lines in the line format of base/lex.h:
 *
 *   map name=g3 layout=G3 describe="1PH HYD3000-6000-ZSS-HP (Sofar G3)"
 *   reg grid_power fc=3 addr=0x0488 type=s16 scale=0.01 unit=kW conf=H \
 *       label="Grid-point power" note="+ export, - import"
 *   reg dod fc=3 addr=0x104D type=u16 unit=% access=rw min=1 max=90 group=battery conf=H
 *   enum g3_state 2 on_grid "on-grid" conf=H
 *   group battery fc=3 addr=0x1044 words=19 commit=battery_commit commit_value=1 conf=H
 *   unreadable fc=3 from=0x0411 to=0x0417 note="..."
 *
 * Types: u16 s16 u32 s32 f32 (32-bit: order=abcd high word first, the
 * default, or order=cdab), ascii (words=N, two characters per word), bits
 * (words=N; bit b of word w is item base+16w+b, labels from enum=NAME).
 * A u16 with enum=NAME is an enumeration.  value = raw * scale.
 * Writes are allowed only to access=rw registers (access=r or ro: read
 * only), and only inside min..max (engineering units) when given; a register
 * with group= must be written with its whole group, whose commit register is
 * set to commit_value.  A read-only register of a group may carry min..max:
 * it is then the range its echoed value must lie in.
 *
 * The loader checks everything and reports "file:line: what is wrong":
 * unknown type or key, duplicate name, overlapping registers, bad numbers
 * (NaN and infinity included), incomplete write groups, enumerations or
 * values that are not listed, and a writable register or a write group that
 * touches the code's deny list (base/deny.h). */
#ifndef ZCS_REGMAP_H
#define ZCS_REGMAP_H

#include <stddef.h>

#include "base/err.h"

#define REG_MAX_WORDS 16

enum reg_type { REG_U16, REG_S16, REG_U32, REG_S32, REG_F32, REG_ASCII, REG_BITS };

struct reg_enum_item {
	long value;
	char *key;          /* machine word, e.g. on_grid */
	char *label;        /* words for people */
	char conf;
	char *note;
	char *src;          /* where the fact comes from; "" when not given */
};

struct reg_enum {
	char *name;
	struct reg_enum_item *items;
	size_t n;
	int line;
};

struct reg_group {
	char *name;
	int fc;
	unsigned addr, words;
	char *commit;       /* name of the commit register, or NULL */
	long commit_value;
	char conf;
	char *note;
	int line;
};

struct reg_hole {
	int fc;
	unsigned from, to;  /* inclusive */
	char *note;
	int line;
};

struct reg_def {
	char *name;
	char *label;        /* for people; defaults to the name */
	int fc;             /* read function: 3 holding, 4 input */
	unsigned addr, words;
	enum reg_type type;
	int swap_words;     /* 32-bit values with the low word first */
	double scale;
	char *unit;         /* "" when none */
	int writable;       /* access=rw */
	int is_static;      /* marked `static`: cannot change during a session except
	                       through this tool's writes (identity, settings) */
	int has_range;
	double min, max;    /* write whitelist range, engineering units */
	const struct reg_enum *enm;
	long bits_base;
	int group;          /* index into regmap.groups, or -1 */
	char conf;          /* H, M or L */
	char *note;
	char *src;          /* source note: protocol section, integrations; "" when none */
	int line;
};

struct regmap {
	char *path;
	char *name, *layout, *describe;
	struct reg_def *regs;
	size_t nregs;
	struct reg_enum *enums;
	size_t nenums;
	struct reg_group *groups;
	size_t ngroups;
	struct reg_hole *holes;
	size_t nholes;
};

/* Load and validate one map file; NULL with a "file:line:" error. */
struct regmap *regmap_load(const char *path, struct zcs_err *err);
/* Load data/maps/<name>.map from the data directory. */
struct regmap *regmap_open(const char *name, struct zcs_err *err);
void regmap_free(struct regmap *m);

const struct reg_def *regmap_find(const struct regmap *m, const char *name);
/* The register covering (fc, addr), or NULL. */
const struct reg_def *regmap_at(const struct regmap *m, int fc, unsigned addr);
const struct reg_enum *regmap_enum(const struct regmap *m, const char *name);
const struct reg_enum_item *regmap_enum_item(const struct reg_enum *e, long value);
const struct reg_enum_item *regmap_enum_key(const struct reg_enum *e, const char *key);
const struct reg_group *regmap_group_of(const struct regmap *m, const struct reg_def *r);
const struct reg_group *regmap_group(const struct regmap *m, const char *name);
/* 1 when no unreadable range of function `fc` touches from..to. */
int regmap_readable(const struct regmap *m, int fc, unsigned from, unsigned to);
const char *regmap_type_name(enum reg_type t);

#endif
