#include "engine/write.h"

#include <math.h>
#include <string.h>

#include "base/decode.h"

/* Judge the value as it will be sent: rounded to the register's step, so
 * that max + half a step cannot round up past max. */
static int in_range(const struct reg_def *r, double v)
{
	double sent = r->type == REG_F32 ? v : round(v / r->scale) * r->scale;
	double eps = r->scale * 1e-6;

	return !r->has_range || (sent >= r->min - eps && sent <= r->max + eps);
}

int write_check(const struct regmap *m, const struct write_target *t, size_t n,
		struct zcs_err *err)
{
	int group = n ? t[0].reg->group : -1;

	if (n == 0 || n > WRITE_MAX)
		return zcs_fail(err, ZCS_REFUSED, "a write needs 1 to %d registers", WRITE_MAX);
	for (size_t i = 0; i < n; i++) {
		const struct reg_def *r = t[i].reg;
		if (!r->writable)
			return zcs_fail(err, ZCS_REFUSED,
					"%s is not writable in %s (access=rw missing): refused",
					r->name, m->path);
		if (!in_range(r, t[i].value))
			return zcs_fail(err, ZCS_REFUSED,
					"%s = %g is outside the allowed %g..%g %s: refused", r->name,
					t[i].value, r->min, r->max, r->unit);
		if (r->group != group || (group < 0 && n > 1))
			return zcs_fail(err, ZCS_REFUSED,
					"%s is not in the same write group as %s: refused", r->name,
					t[0].reg->name);
	}
	return 0;
}

int write_current(struct link *l, int slave, const struct reg_def *reg, double *value,
		  uint16_t *raw, struct zcs_err *err)
{
	uint16_t w[REG_MAX_WORDS];
	struct reg_value v;

	link_set_slave(l, slave);
	if (link_read(l, reg->fc, reg->addr, reg->words, w, err))
		return -1;
	decode_value(reg, w, &v);
	*value = v.num;
	if (raw)
		*raw = w[0];
	return 0;
}

/* The span written: the whole group, or the register alone. */
static void span_of(const struct regmap *m, const struct reg_def *r, unsigned *addr,
		    unsigned *words, const struct reg_group **g)
{
	*g = regmap_group_of(m, r);
	*addr = *g ? (*g)->addr : r->addr;
	*words = *g ? (*g)->words : r->words;
}

static void fill_result(struct write_result *res, const struct reg_def *r, const uint16_t *span,
			unsigned base, double value, const uint16_t *enc)
{
	struct reg_value v;

	decode_value(r, span + (r->addr - base), &v);
	res->reg = r;
	res->before = v.num;
	res->raw_before = span[r->addr - base];
	res->written = value;
	res->raw_written = enc[0];
	res->changed = memcmp(span + (r->addr - base), enc, r->words * sizeof *enc) != 0;
}

int write_apply(struct link *l, int slave, const struct regmap *m,
		const struct write_target *t, size_t n, struct write_result *res,
		struct zcs_err *err)
{
	uint16_t span[125], back[125], enc[REG_MAX_WORDS];
	const struct reg_group *g;
	unsigned addr, words;
	int changed = 0;

	if (write_check(m, t, n, err))
		return -1;
	span_of(m, t[0].reg, &addr, &words, &g);
	link_set_slave(l, slave);
	if (link_read(l, t[0].reg->fc, addr, words, span, err))
		return zcs_prefix(err, "reading %s before writing: ", g ? g->name : t[0].reg->name);
	memcpy(back, span, words * sizeof *span);
	for (size_t i = 0; i < n; i++) {
		memset(enc, 0, sizeof enc);
		if (encode_value(t[i].reg, t[i].value, enc, err))
			return -1;
		fill_result(&res[i], t[i].reg, span, addr, t[i].value, enc);
		changed |= res[i].changed;
		memcpy(back + (t[i].reg->addr - addr), enc, t[i].reg->words * sizeof *enc);
	}
	if (!changed) {
		for (size_t i = 0; i < n; i++) {
			res[i].readback = res[i].before;
			res[i].raw_readback = res[i].raw_before;
			res[i].ok = 1;
		}
		return 0;
	}
	if (g && g->commit) {
		const struct reg_def *c = regmap_find(m, g->commit);
		if (c)
			back[c->addr - addr] = (uint16_t)g->commit_value;
	}
	if (link_write(l, addr, words, back, err))
		return zcs_prefix(err, "writing %s: ", g ? g->name : t[0].reg->name);
	if (link_read(l, t[0].reg->fc, addr, words, span, err))
		return zcs_prefix(err, "reading back %s: ", g ? g->name : t[0].reg->name);
	int all_ok = 1;
	for (size_t i = 0; i < n; i++) {
		struct reg_value v;
		const uint16_t *w = span + (t[i].reg->addr - addr);
		decode_value(t[i].reg, w, &v);
		res[i].readback = v.num;
		res[i].raw_readback = w[0];
		res[i].ok = memcmp(w, back + (t[i].reg->addr - addr),
				   t[i].reg->words * sizeof *w) == 0;
		all_ok &= res[i].ok;
	}
	if (!all_ok)
		return zcs_fail(err, ZCS_CHECK, "%s: the value read back differs from the one written",
				g ? g->name : t[0].reg->name);
	return 0;
}
