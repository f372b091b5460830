/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decode: register words <-> values, for every type of regmap(5).
 * Big-endian words; in 32-bit values the high word comes first unless the
 * register says order=cdab.  float32 is decoded here, not by libmodbus
 * (its float helpers are broken in the 3.1.6 shipped by Debian 12). */
#ifndef ZCS_DECODE_H
#define ZCS_DECODE_H

#include <stdint.h>

#include "base/err.h"
#include "base/regmap.h"

struct reg_value {
	const struct reg_def *def;
	int ok;                   /* 1 when read and decoded */
	int unserved;             /* 1: the unit answers exception 02 for it */
	int sentinel;             /* 1: read, but the words mean "not available"
	                             (ok is 0): 0xFFFF in a u16, 0x7FFF or 0x8000
	                             in an s16, the same in 32 bits, NaN or an
	                             infinite float */
	double num;               /* engineering value: raw * scale; bits: how many set */
	int64_t raw_int;          /* the integer before scaling (0 for ascii/f32) */
	char text[128];           /* ascii text, enum label, or the set bits' labels */
	uint16_t raw[REG_MAX_WORDS];
	unsigned nraw;
	int cached;               /* 1: not read now, from the session cache of
	                             `static` registers (t_ms, wall_ms: its read) */
	int64_t t_ms;             /* monotonic time of the read */
	int64_t wall_ms;          /* wall-clock time of the read */
};

uint32_t decode_u32(const uint16_t w[2], int swap);
int32_t decode_s32(const uint16_t w[2], int swap);
float decode_f32(const uint16_t w[2], int swap);
void encode_f32(float v, uint16_t w[2], int swap);

/* Decode `def->words` words.  Always succeeds for well-formed maps.  A
 * sentinel (see reg_value.sentinel) in a number that is not an enumeration
 * leaves ok at 0: it never passes a check.  Bytes of an ascii register that
 * are neither printable nor NUL padding read as '?'. */
void decode_value(const struct reg_def *def, const uint16_t *words, struct reg_value *out);
/* 1 when item `id` (bits registers: base + 16*word + bit) is set. */
int decode_bit(const struct reg_def *def, const uint16_t *words, long id);

/* 1 when the raw words are a "no value" sentinel for the register's type:
 * 0xFFFF (u16), 0x7FFF or 0x8000 (s16), 0xFFFFFFFF (u32), 0x7FFFFFFF or
 * 0x80000000 (s32), NaN or infinity (f32).  ascii and bits have none.
 * Unlike decode_value's "not available" this holds for enumerations too:
 * a write must not echo 0xFFFF whatever the register means. */
int decode_is_sentinel(const struct reg_def *def, const uint16_t *words);

/* Engineering value -> words, rounding to the register's scale.  Fails with
 * ZCS_REFUSED when the value does not fit the type. */
int encode_value(const struct reg_def *def, double v, uint16_t *words, struct zcs_err *err);
/* ASCII text -> words, padded with NULs. */
void encode_text(const struct reg_def *def, const char *s, uint16_t *words);

/* "3.20 kW", "on-grid (2)", "ZM2ES060M1C123", "ID045 CT error".  Decimals
 * follow the scale (0.01 -> 2).  "--" when not read, "not served by this
 * unit" when the unit answers exception 02 for it, "not available (0xFFFF)"
 * for a sentinel. */
char *value_format(const struct reg_value *v, char *buf, size_t n);
int decode_decimals(double scale);

#endif
