/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/decode.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

uint32_t decode_u32(const uint16_t w[2], int swap)
{
	uint16_t hi = swap ? w[1] : w[0], lo = swap ? w[0] : w[1];

	return ((uint32_t)hi << 16) | lo;
}

int32_t decode_s32(const uint16_t w[2], int swap)
{
	return (int32_t)decode_u32(w, swap);
}

float decode_f32(const uint16_t w[2], int swap)
{
	uint32_t u = decode_u32(w, swap);
	float f;

	memcpy(&f, &u, sizeof f);
	return f;
}

void encode_f32(float v, uint16_t w[2], int swap)
{
	uint32_t u;

	memcpy(&u, &v, sizeof u);
	w[swap ? 1 : 0] = (uint16_t)(u >> 16);
	w[swap ? 0 : 1] = (uint16_t)u;
}

int decode_decimals(double scale)
{
	int d = 0;

	while (d < 6 && fabs(scale * pow(10, d) - round(scale * pow(10, d))) > 1e-9)
		d++;
	return d;
}

int decode_bit(const struct reg_def *def, const uint16_t *words, long id)
{
	long i = id - def->bits_base;

	if (def->type != REG_BITS || i < 0 || i >= (long)def->words * 16)
		return 0;
	return (words[i / 16] >> (i % 16)) & 1;
}

static void decode_ascii(const struct reg_def *def, const uint16_t *w, struct reg_value *out)
{
	size_t k = 0;

	for (unsigned i = 0; i < def->words && k + 2 < sizeof out->text; i++) {
		char c[2] = { (char)(w[i] >> 8), (char)(w[i] & 0xFF) };

		for (int j = 0; j < 2; j++)
			if (c[j] >= 0x20 && c[j] < 0x7F)
				out->text[k++] = c[j];
			else if (c[j])          /* never a shorter serial that matches */
				out->text[k++] = '?';
	}
	while (k && out->text[k - 1] == ' ')
		k--;
	out->text[k] = 0;
}

static void decode_bits(const struct reg_def *def, const uint16_t *w, struct reg_value *out)
{
	size_t k = 0;
	int set = 0;

	out->text[0] = 0;
	for (long i = 0; i < (long)def->words * 16; i++) {
		long id = def->bits_base + i;
		const struct reg_enum_item *it;

		if (!((w[i / 16] >> (i % 16)) & 1))
			continue;
		set++;
		it = regmap_enum_item(def->enm, id);
		if (k < sizeof out->text - 1)
			k += (size_t)snprintf(out->text + k, sizeof out->text - k, "%sID%03ld%s%s",
					      set > 1 ? ", " : "", id, it ? " " : "",
					      it ? it->label : "");
		else
			k = sizeof out->text;  /* a full text drops this item: say so */
	}
	if (k >= sizeof out->text)
		strcpy(out->text + sizeof out->text - 4, "...");
	out->num = set;
	out->raw_int = set;
}

/* Words a unit sends for "no value": all ones unsigned, the extremes signed. */
static int is_sentinel(const struct reg_def *def, const uint16_t *w)
{
	uint32_t u;

	switch (def->type) {
	case REG_U16: return w[0] == 0xFFFF;
	case REG_S16: return w[0] == 0x7FFF || w[0] == 0x8000;
	case REG_U32: return decode_u32(w, def->swap_words) == 0xFFFFFFFFu;
	case REG_S32:
		u = decode_u32(w, def->swap_words);
		return u == 0x7FFFFFFFu || u == 0x80000000u;
	default: return 0;
	}
}

void decode_value(const struct reg_def *def, const uint16_t *words, struct reg_value *out)
{
	const struct reg_enum_item *it;

	out->def = def;
	out->ok = 1;
	out->sentinel = 0;
	out->unserved = 0;
	out->nraw = def->words;
	memcpy(out->raw, words, def->words * sizeof *words);
	out->text[0] = 0;
	out->raw_int = 0;
	switch (def->type) {
	case REG_U16: out->raw_int = words[0]; break;
	case REG_S16: out->raw_int = (int16_t)words[0]; break;
	case REG_U32: out->raw_int = decode_u32(words, def->swap_words); break;
	case REG_S32: out->raw_int = decode_s32(words, def->swap_words); break;
	case REG_F32:
		out->num = decode_f32(words, def->swap_words) * def->scale;
		if (!isfinite(out->num)) {
			out->ok = 0;
			out->sentinel = 1;
			out->num = 0;
		}
		return;
	case REG_ASCII:
		decode_ascii(def, words, out);
		out->num = 0;
		return;
	case REG_BITS:
		decode_bits(def, words, out);
		return;
	}
	out->num = (double)out->raw_int * def->scale;
	if (!def->enm && is_sentinel(def, words)) {
		out->ok = 0;
		out->sentinel = 1;
	}
	if (def->enm) {
		it = regmap_enum_item(def->enm, (long)out->raw_int);
		snprintf(out->text, sizeof out->text, "%s", it ? it->label : "(not listed)");
	}
}

int encode_value(const struct reg_def *def, double v, uint16_t *words, struct zcs_err *err)
{
	double raw;

	if (!isfinite(v))
		return zcs_fail(err, ZCS_REFUSED, "%s: %g is not a number", def->name, v);
	if (def->type == REG_F32) {
		encode_f32((float)(v / def->scale), words, def->swap_words);
		return 0;
	}
	if (def->type == REG_ASCII || def->type == REG_BITS) {
		if (def->type == REG_BITS && def->words == 1 && v >= 0 && v <= 0xFFFF) {
			words[0] = (uint16_t)v;
			return 0;
		}
		return zcs_fail(err, ZCS_REFUSED, "%s: a %s register takes no number", def->name,
				regmap_type_name(def->type));
	}
	raw = round(v / def->scale);
	switch (def->type) {
	case REG_U16:
		if (raw < 0 || raw > 65535)
			goto range;
		words[0] = (uint16_t)raw;
		return 0;
	case REG_S16:
		if (raw < -32768 || raw > 32767)
			goto range;
		words[0] = (uint16_t)(int16_t)raw;
		return 0;
	case REG_U32:
	case REG_S32: {
		uint32_t u;

		if (def->type == REG_U32 ? (raw < 0 || raw > 4294967295.0)
					 : (raw < -2147483648.0 || raw > 2147483647.0))
			goto range;
		u = def->type == REG_U32 ? (uint32_t)raw : (uint32_t)(int32_t)raw;
		words[def->swap_words ? 1 : 0] = (uint16_t)(u >> 16);
		words[def->swap_words ? 0 : 1] = (uint16_t)u;
		return 0;
	}
	default:
		break;
	}
range:
	return zcs_fail(err, ZCS_REFUSED, "%s: %g %s does not fit a %s register", def->name, v,
			def->unit, regmap_type_name(def->type));
}

void encode_text(const struct reg_def *def, const char *s, uint16_t *words)
{
	size_t n = strlen(s);

	for (unsigned i = 0; i < def->words; i++) {
		unsigned char a = 2 * i < n ? (unsigned char)s[2 * i] : 0;
		unsigned char b = 2 * i + 1 < n ? (unsigned char)s[2 * i + 1] : 0;

		words[i] = (uint16_t)(a << 8 | b);
	}
}

char *value_format(const struct reg_value *v, char *buf, size_t n)
{
	const struct reg_def *d = v->def;

	if (!v->ok) {
		if (v->sentinel && v->def->type == REG_F32)
			snprintf(buf, n, "not available (not a number)");
		else if (v->sentinel)
			snprintf(buf, n, "not available (0x%04X)", v->raw[0]);
		else
			snprintf(buf, n, "%s", v->unserved ? "not served by this unit" : "--");
		return buf;
	}
	switch (d->type) {
	case REG_ASCII:
		snprintf(buf, n, "%s", v->text);
		break;
	case REG_BITS:
		snprintf(buf, n, "%s", v->num ? v->text : "none");
		break;
	default:
		if (d->enm)
			snprintf(buf, n, "%s (%lld)", v->text, (long long)v->raw_int);
		else if (d->type == REG_F32)
			snprintf(buf, n, "%.3f%s%s", v->num, *d->unit ? " " : "", d->unit);
		else
			snprintf(buf, n, "%.*f%s%s", decode_decimals(d->scale), v->num,
				 *d->unit ? " " : "", d->unit);
	}
	return buf;
}

int decode_is_sentinel(const struct reg_def *def, const uint16_t *w)
{
	if (def->type == REG_F32)
		return !isfinite(decode_f32(w, def->swap_words));
	return is_sentinel(def, w);
}
