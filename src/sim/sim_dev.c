/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sim/sim_dev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/decode.h"
#include "base/deny.h"
#include "base/util.h"

static int space(int fc)
{
	return fc == 4 ? 1 : 0;
}

struct sim_dev *sim_dev_new(const char *mapname, int slave, struct zcs_err *err)
{
	struct regmap *m = regmap_open(mapname, err);
	struct sim_dev *d;

	if (!m)
		return NULL;
	d = xcalloc(1, sizeof *d);
	d->map = m;
	d->slave = slave;
	d->present = 1;
	d->img[0] = xcalloc(65536, sizeof(uint16_t));
	d->img[1] = xcalloc(65536, sizeof(uint16_t));
	d->forced = xcalloc(m->nregs ? m->nregs : 1, 1);
	for (int s = 0; s < 2; s++) {
		d->defined[s] = xcalloc(65536, 1);
		d->unserved[s] = xcalloc(65536, 1);
	}
	for (size_t i = 0; i < m->nregs; i++) {
		const struct reg_def *r = &m->regs[i];

		for (unsigned a = r->addr; a < r->addr + r->words && a < 65536; a++) {
			d->page_used[space(r->fc)][a >> 8] = 1;
			d->defined[space(r->fc)][a] = 1;
		}
	}
	return d;
}

void sim_dev_free(struct sim_dev *d)
{
	if (!d)
		return;
	regmap_free(d->map);
	free(d->img[0]);
	free(d->img[1]);
	free(d->forced);
	for (int s = 0; s < 2; s++) {
		free(d->defined[s]);
		free(d->unserved[s]);
	}
	free(d);
}

int sim_dev_read(struct sim_dev *d, int fc, unsigned addr, unsigned n, uint16_t *out)
{
	int s = space(fc);

	if (n < 1 || n > 125 || addr + n > 65536)
		return 3;
	if (!regmap_readable(d->map, fc, addr, addr + n - 1))
		return 2;
	for (unsigned a = addr; a < addr + n; a++)
		if (!d->page_used[s][a >> 8] || d->unserved[s][a] ||
		    (!d->holes_zeros && !d->defined[s][a]))
			return 2;
	memcpy(out, d->img[s] + addr, n * sizeof *out);
	/* a commit "in operation": each read of it counts, then it is done */
	if (s == 0 && d->busy_left && d->busy_addr >= addr && d->busy_addr < addr + n &&
	    --d->busy_left == 0)
		d->img[0][d->busy_addr] = 0;
	return 0;
}

/* 1 when the written words of `r` lie in the request. */
static int covers(const struct reg_def *r, unsigned addr, unsigned n)
{
	return r->addr >= addr && r->addr + r->words <= addr + n;
}

static int check_group(const struct sim_dev *d, const struct reg_def *r, unsigned addr,
		       unsigned n, const uint16_t *src)
{
	const struct reg_group *g = regmap_group_of(d->map, r);
	const struct reg_def *c;

	if (!g)
		return 0;
	if (g->addr < addr || g->addr + g->words > addr + n)
		return 3;
	if (g->commit && (c = regmap_find(d->map, g->commit))) {
		struct reg_value v;

		decode_value(c, src + (c->addr - addr), &v);
		if (v.raw_int != g->commit_value)
			return 3;
	}
	return 0;
}

static int check_reg(const struct sim_dev *d, const struct reg_def *r, unsigned addr,
		     unsigned n, const uint16_t *src)
{
	const uint16_t *w = src + (r->addr - addr);
	struct reg_value v;
	int rc;

	if (!covers(r, addr, n))
		return 2;
	if ((rc = check_group(d, r, addr, n, src)))
		return rc;
	if (r->has_range && r->type != REG_ASCII && r->type != REG_BITS) {
		decode_value(r, w, &v);
		if (v.num < r->min - 1e-9 || v.num > r->max + 1e-9)
			return 3;
	}
	if (!r->writable) {
		if (r->group >= 0 && !memcmp(w, d->img[0] + r->addr, r->words * sizeof *w))
			return 0;
		return 2;
	}
	if (r->has_range) {
		decode_value(r, w, &v);
		if (v.num < r->min - 1e-9 || v.num > r->max + 1e-9)
			return 3;
	}
	return 0;
}

int sim_dev_write(struct sim_dev *d, unsigned addr, unsigned n, const uint16_t *src)
{
	unsigned a = addr;

	const struct reg_def *commit = NULL;

	if (n < 1 || n > 123 || addr + n > 65536)
		return 3;
	if (deny_find(addr, addr + n - 1))
		return 2;
	while (a < addr + n) {
		const struct reg_def *r = regmap_at(d->map, 3, a);
		int rc;

		if (!r)
			return 2;
		if ((rc = check_reg(d, r, addr, n, src)))
			return rc;
		if (r->group >= 0 && d->map->groups[r->group].commit &&
		    strcmp(d->map->groups[r->group].commit, r->name) == 0)
			commit = r;
		a = r->addr + r->words;
	}
	if (commit && d->commit_fail) {
		d->img[0][commit->addr] = (uint16_t)d->commit_fail;
		d->writes++;
		return 0;
	}
	for (a = addr; a < addr + n; a++) {
		const struct reg_def *r = regmap_at(d->map, 3, a);
		uint16_t v = src[a - addr];

		if (d->store_other && r != commit && v != d->img[0][a])
			v = (uint16_t)(v - 1);
		if (!d->forced[r - d->map->regs])
			d->img[0][a] = v;
	}
	if (commit) { /* a `*` register reads the status of the last write: done */
		d->img[0][commit->addr] = d->commit_busy ? 1 : 0;
		d->busy_left = d->commit_busy;
		d->busy_addr = commit->addr;
	}
	d->writes++;
	if (d->on_write)
		d->on_write(d->ctx, d, addr, n);
	return 0;
}

static const struct reg_def *find(const struct sim_dev *d, const char *name)
{
	const struct reg_def *r = regmap_find(d->map, name);

	if (!r && !d->lenient)
		fprintf(stderr, "zcs-sim: map %s has no register '%s'\n", d->map->name, name);
	return r;
}

static uint16_t *words_of(const struct sim_dev *d, const struct reg_def *r)
{
	return d->img[space(r->fc)] + r->addr;
}

void sim_dev_put(struct sim_dev *d, const char *name, double v)
{
	const struct reg_def *r = find(d, name);
	uint16_t w[REG_MAX_WORDS];

	if (!r || d->forced[r - d->map->regs])
		return;
	if (encode_value(r, v, w, NULL) == 0)
		memcpy(words_of(d, r), w, r->words * sizeof *w);
	else if (r->type == REG_U16 || r->type == REG_U32)  /* clamp: negative to 0 */
		memset(words_of(d, r), v < 0 ? 0 : 0xFF, r->words * sizeof *w);
	else if (r->type == REG_S16)
		words_of(d, r)[0] = v < 0 ? 0x8000 : 0x7FFF;
}

void sim_dev_put_text(struct sim_dev *d, const char *name, const char *text)
{
	const struct reg_def *r = find(d, name);

	if (r && !d->forced[r - d->map->regs])
		encode_text(r, text, words_of(d, r));
}

void sim_dev_put_bit(struct sim_dev *d, const char *name, long id, int on)
{
	const struct reg_def *r = find(d, name);
	long k;
	uint16_t *w;

	if (!r || r->type != REG_BITS || d->forced[r - d->map->regs])
		return;
	k = id - r->bits_base;
	if (k < 0 || k >= 16 * (long)r->words)
		return;
	w = words_of(d, r) + k / 16;
	if (on)
		*w |= (uint16_t)(1u << (k % 16));
	else
		*w &= (uint16_t)~(1u << (k % 16));
}

double sim_dev_get(const struct sim_dev *d, const char *name)
{
	const struct reg_def *r = find(d, name);
	struct reg_value v;

	if (!r)
		return 0;
	decode_value(r, words_of(d, r), &v);
	return v.num;
}

/* Value text -> words: enum key, number or text. */
static int parse_value(const struct reg_def *r, const char *value, uint16_t *w,
		       struct zcs_err *err)
{
	double num;

	if (r->type == REG_ASCII) {
		encode_text(r, value, w);
		return 0;
	}
	if (r->enm && r->type != REG_BITS) {
		const struct reg_enum_item *it = regmap_enum_key(r->enm, value);

		if (it) {
			w[0] = (uint16_t)it->value;
			return 0;
		}
	}
	if (r->type == REG_BITS) {
		long raw;

		if (zcs_parse_long(value, &raw) < 0 || raw < 0 || raw > 0xFFFF)
			return zcs_fail(err, ZCS_USAGE, "%s takes a 16-bit word for its first "
					"word (0x...)", r->name);
		memset(w, 0, r->words * sizeof *w);
		w[0] = (uint16_t)raw;
		return 0;
	}
	if (zcs_parse_double(value, &num) < 0)
		return zcs_fail(err, ZCS_USAGE, "%s: '%s' is not a number%s", r->name, value,
				r->enm ? " or a key of its enumeration" : "");
	if (encode_value(r, num, w, err) < 0) {
		if (err)
			err->code = ZCS_USAGE;
		return -1;
	}
	return 0;
}

static const struct reg_def *need(const struct sim_dev *d, const char *name,
				  struct zcs_err *err)
{
	const struct reg_def *r = regmap_find(d->map, name);

	if (!r)
		zcs_fail(err, ZCS_USAGE, "no register '%s' in map %s", name, d->map->name);
	return r;
}

int sim_dev_unserve(struct sim_dev *d, const char *name, int on, struct zcs_err *err)
{
	const struct reg_def *r = need(d, name, err);

	if (!r)
		return -1;
	for (unsigned a = r->addr; a < r->addr + r->words && a < 65536; a++)
		d->unserved[space(r->fc)][a] = (uint8_t)on;
	return 0;
}

int sim_dev_setting(struct sim_dev *d, const char *name, const char *value, struct zcs_err *err)
{
	const struct reg_def *r = need(d, name, err);
	uint16_t w[REG_MAX_WORDS];

	if (!r || parse_value(r, value, w, err) < 0)
		return -1;
	memcpy(words_of(d, r), w, r->words * sizeof *w);
	return 0;
}

int sim_dev_force(struct sim_dev *d, const char *name, const char *value, struct zcs_err *err)
{
	const struct reg_def *r = need(d, name, err);

	if (!r)
		return -1;
	d->forced[r - d->map->regs] = 0;
	if (sim_dev_setting(d, name, value, err) < 0)
		return -1;
	d->forced[r - d->map->regs] = 1;
	return 0;
}

int sim_dev_release(struct sim_dev *d, const char *name, struct zcs_err *err)
{
	const struct reg_def *r = need(d, name, err);

	if (!r)
		return -1;
	d->forced[r - d->map->regs] = 0;
	return 0;
}

int sim_dev_format(const struct sim_dev *d, const char *name, char *buf, size_t n,
		   struct zcs_err *err)
{
	const struct reg_def *r = need(d, name, err);
	struct reg_value v;

	if (!r)
		return -1;
	decode_value(r, words_of(d, r), &v);
	v.ok = 1;
	value_format(&v, buf, n);
	return 0;
}
