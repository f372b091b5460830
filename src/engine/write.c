/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "engine/write.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/decode.h"
#include "base/deny.h"
#include "base/util.h"

/* Judge the value as it will be sent: rounded to the register's step, so
 * that max + half a step cannot round up past max. */
static int in_range(const struct reg_def *r, double v)
{
	double sent = r->type == REG_F32 ? v : round(v / r->scale) * r->scale;
	double eps = r->scale * 1e-6;

	return !r->has_range || (sent >= r->min - eps && sent <= r->max + eps);
}

static int refuse_denied(const struct reg_def *r, unsigned from, unsigned to, struct zcs_err *err)
{
	const struct deny_range *d = deny_find(from, to);

	if (!d)
		return 0;
	return zcs_fail(err, ZCS_REFUSED, "%s: 0x%04X-0x%04X touches %s, which this tool never "
			"writes: refused", r->name, from, to, d->what);
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
		if (refuse_denied(r, r->addr, r->addr + r->words - 1, err))
			return -1;
		if (!isfinite(t[i].value))
			return zcs_fail(err, ZCS_REFUSED, "%s = %g is not a finite number: refused",
					r->name, t[i].value);
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

const char *write_commit_status(unsigned s)
{
	switch (s) {
	case 0x0000: return "operation successful";
	case 0x0001: return "in operation";
	case 0xFFFB: return "operation failed, controller refused to respond";
	case 0xFFFC: return "operation failed, controller does not respond";
	case 0xFFFD: return "operation failed, current function disabled";
	case 0xFFFE: return "operation failed, parameter storage failed";
	case 0xFFFF: return "operation failed, input parameters are incorrect";
	}
	return NULL;
}

static const struct write_target *target_of(const struct write_plan *p, const struct reg_def *r)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->t[i].reg == r)
			return &p->t[i];
	return NULL;
}

static char *fmt_words(const struct reg_def *r, const uint16_t *w, char *buf, size_t n)
{
	struct reg_value v;

	decode_value(r, w, &v);
	if (v.sentinel && r->type != REG_F32)   /* the number it would be, not "n/a" */
		snprintf(buf, n, "%.*f%s%s", decode_decimals(r->scale), v.num, *r->unit ? " " : "",
			 r->unit);
	else
		value_format(&v, buf, n);
	if (r->words == 1)
		snprintf(buf + strlen(buf), n - strlen(buf), " [0x%04X]", w[0]);
	return buf;
}

/* A register sent back as read: that read must be plausible. */
static int check_echo(const struct write_plan *p, const struct reg_def *r, struct zcs_err *err)
{
	const uint16_t *w = p->before + (r->addr - p->addr);
	struct reg_value v;
	char buf[96];

	decode_value(r, w, &v);
	if (r->has_range && r->type != REG_ASCII && r->type != REG_BITS &&
	    (!isfinite(v.num) || v.num < r->min - r->scale * 1e-6 ||
	     v.num > r->max + r->scale * 1e-6))
		return zcs_fail(err, ZCS_REFUSED,
				"%s: %s reads %s, outside its range %g..%g %s; it would be sent "
				"back as read, so nothing is sent (read again, check the link)",
				p->name, r->name, fmt_words(r, w, buf, sizeof buf), r->min, r->max,
				r->unit);
	if (decode_is_sentinel(r, w))
		return zcs_fail(err, ZCS_REFUSED,
				"%s: %s reads %s, a \"no value\" sentinel; it would be sent back "
				"as read, so nothing is sent (read again, check the link)",
				p->name, r->name, fmt_words(r, w, buf, sizeof buf));
	return 0;
}

static int check_target(const struct write_plan *p, const struct reg_def *r,
			struct zcs_err *err)
{
	const uint16_t *w = p->sent + (r->addr - p->addr);
	struct reg_value v;
	char buf[96];

	decode_value(r, w, &v);
	if (!r->writable || !in_range(r, v.num))
		return zcs_fail(err, ZCS_REFUSED, "%s: %s would be sent as %s, outside %g..%g %s: "
				"refused", p->name, r->name, fmt_words(r, w, buf, sizeof buf),
				r->min, r->max, r->unit);
	return 0;
}

int write_build(const struct regmap *m, struct write_plan *p, struct zcs_err *err)
{
	uint16_t enc[REG_MAX_WORDS];

	if (p->words < 1 || p->words > WRITE_SPAN_MAX)
		return zcs_fail(err, ZCS_REFUSED, "%s: %u registers do not fit one FC 0x10",
				p->name, p->words);
	if (write_check(m, p->t, p->n, err))
		return -1;
	if (refuse_denied(p->t[0].reg, p->addr, p->addr + p->words - 1, err))
		return -1;
	memcpy(p->sent, p->before, p->words * sizeof *p->sent);
	p->changes = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct reg_def *r = p->t[i].reg;
		memset(enc, 0, sizeof enc);
		if (encode_value(r, p->t[i].value, enc, err))
			return zcs_prefix(err, "%s: ", p->name);
		p->changes |= memcmp(p->sent + (r->addr - p->addr), enc, r->words * sizeof *enc) != 0;
		memcpy(p->sent + (r->addr - p->addr), enc, r->words * sizeof *enc);
	}
	if (p->commit)
		p->sent[p->commit->addr - p->addr] = (uint16_t)p->group->commit_value;
	for (unsigned a = p->addr; a < p->addr + p->words;) {
		const struct reg_def *r = regmap_at(m, p->t[0].reg->fc, a);
		if (!r)
			return zcs_fail(err, ZCS_REFUSED, "%s: address 0x%04X is no register of %s: "
					"refused", p->name, a, m->path);
		if (r == p->commit) {
			if (!in_range(r, (double)p->group->commit_value))
				return zcs_fail(err, ZCS_REFUSED, "%s: commit value %ld is outside "
						"%g..%g: refused", p->name, p->group->commit_value,
						r->min, r->max);
		} else if (target_of(p, r) ? check_target(p, r, err) : check_echo(p, r, err)) {
			return -1;
		}
		a = r->addr + r->words;
	}
	return 0;
}

int write_prepare(struct link *l, int slave, const struct regmap *m,
		  const struct write_target *t, size_t n, struct write_plan *p,
		  struct zcs_err *err)
{
	const struct reg_def *r = n ? t[0].reg : NULL;

	memset(p, 0, sizeof *p);
	p->slave = slave;
	p->name = "?";
	if (n == 0 || n > WRITE_MAX)
		return write_check(m, t, n, err);
	p->group = regmap_group_of(m, r);
	p->name = p->group ? p->group->name : r->name;
	p->addr = p->group ? p->group->addr : r->addr;
	p->words = p->group ? p->group->words : r->words;
	p->commit = p->group && p->group->commit ? regmap_find(m, p->group->commit) : NULL;
	memcpy(p->t, t, n * sizeof *t);
	p->n = n;
	if (write_check(m, t, n, err))
		return -1;
	if (p->words > WRITE_SPAN_MAX)
		return zcs_fail(err, ZCS_REFUSED, "%s: %u registers do not fit one FC 0x10",
				p->name, p->words);
	link_set_slave(l, slave);
	if (link_read(l, r->fc, p->addr, p->words, p->before, err))
		return zcs_prefix(err, "reading %s before writing: ", p->name);
	return write_build(m, p, err);
}

size_t write_lines(const struct regmap *m, const struct write_plan *p, struct write_line *out,
		   size_t max)
{
	size_t k = 0;

	for (unsigned a = p->addr; a < p->addr + p->words && k < max;) {
		const struct reg_def *r = regmap_at(m, p->n ? p->t[0].reg->fc : 3, a);
		if (!r)
			break;
		struct write_line *w = &out[k++];
		unsigned off = r->addr - p->addr;
		memset(w, 0, sizeof *w);
		w->reg = r;
		w->target = target_of(p, r) != NULL;
		w->commit = r == p->commit;
		w->changed = memcmp(p->before + off, p->sent + off, r->words * sizeof *p->sent) != 0;
		fmt_words(r, p->before + off, w->before, sizeof w->before);
		fmt_words(r, p->sent + off, w->sent, sizeof w->sent);
		a = r->addr + r->words;
	}
	return k;
}

size_t write_frame(const struct write_plan *p, uint8_t *buf, size_t n)
{
	size_t len = 7 + 2 * (size_t)p->words;

	if (n < len)
		return 0;
	buf[0] = (uint8_t)p->slave;
	buf[1] = 0x10;
	buf[2] = (uint8_t)(p->addr >> 8);
	buf[3] = (uint8_t)p->addr;
	buf[4] = (uint8_t)(p->words >> 8);
	buf[5] = (uint8_t)p->words;
	buf[6] = (uint8_t)(2 * p->words);
	for (unsigned i = 0; i < p->words; i++) {
		buf[7 + 2 * i] = (uint8_t)(p->sent[i] >> 8);
		buf[8 + 2 * i] = (uint8_t)p->sent[i];
	}
	return len;
}

char *write_frame_hex(const struct write_plan *p, char *buf, size_t n)
{
	uint8_t f[WRITE_FRAME_MAX];
	size_t len = write_frame(p, f, sizeof f), o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < len && o + 4 < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s%02X", i ? " " : "", f[i]);
	return buf;
}

static void result_of(const struct write_plan *p, const struct reg_def *r, const uint16_t *back,
		      struct write_result *res)
{
	unsigned off = r->addr - p->addr;
	struct reg_value v;

	memset(res, 0, sizeof *res);
	res->reg = r;
	decode_value(r, p->before + off, &v);
	res->before = v.num;
	decode_value(r, p->sent + off, &v);
	res->written = v.num;
	decode_value(r, back + off, &v);
	res->readback = v.num;
	res->raw_before = p->before[off];
	res->raw_written = p->sent[off];
	res->raw_readback = back[off];
	res->changed = memcmp(p->before + off, p->sent + off, r->words * sizeof *back) != 0;
	res->ok = memcmp(p->sent + off, back + off, r->words * sizeof *back) == 0;
}

/* What is sent back must still read what the installer was shown. */
static int still_as_shown(struct link *l, const struct regmap *m, const struct write_plan *p,
			  struct zcs_err *err)
{
	uint16_t now[WRITE_SPAN_MAX];
	char a[96], b[96];
	int fc = p->t[0].reg->fc;

	if (link_read(l, fc, p->addr, p->words, now, err))
		return zcs_prefix(err, "reading %s before writing: ", p->name);
	for (unsigned x = p->addr; x < p->addr + p->words;) {
		const struct reg_def *r = regmap_at(m, fc, x);
		unsigned off = r->addr - p->addr;
		if (r != p->commit && !target_of(p, r) &&
		    memcmp(now + off, p->before + off, r->words * sizeof *now))
			return zcs_fail(err, ZCS_REFUSED, "%s: %s changed since it was shown (%s, now "
					"%s): nothing sent; look at the offer again", p->name,
					r->name, fmt_words(r, p->before + off, a, sizeof a),
					fmt_words(r, now + off, b, sizeof b));
		x = r->addr + r->words;
	}
	return 0;
}

/* After a `*` commit register is set: its status, polled while in progress. */
static int commit_status(struct link *l, const struct write_plan *p, uint16_t *status,
			 struct zcs_err *err)
{
	for (int i = 0; i < WRITE_COMMIT_POLLS; i++) {
		if (i)
			zcs_sleep_ms(WRITE_COMMIT_POLL_MS);
		if (link_read(l, p->commit->fc, p->commit->addr, 1, status, err))
			return zcs_prefix(err, "reading the status of %s: ", p->commit->name);
		if (*status != 1)
			break;
	}
	if (*status == 0)
		return 0;
	if (*status == 1)
		return zcs_fail(err, ZCS_CHECK, "%s: %s still reads 1 (in operation) after %d reads "
				"%d ms apart: the write is not confirmed", p->name, p->commit->name,
				WRITE_COMMIT_POLLS, WRITE_COMMIT_POLL_MS);
	const char *why = write_commit_status(*status);
	return zcs_fail(err, ZCS_CHECK, "%s: the inverter reports 0x%04X in %s: %s; the write "
			"failed", p->name, *status, p->commit->name,
			why ? why : "a status the protocol does not list");
}

int write_send(struct link *l, const struct regmap *m, const struct write_plan *p,
	       struct write_result *res, size_t *nres, struct zcs_err *err)
{
	uint16_t back[WRITE_SPAN_MAX], status = 0;
	int fc = p->t[0].reg->fc, failed = 0;
	char diffs[600] = "";
	size_t k = 0, dl = 0;

	*nres = 0;
	if (!p->changes)
		return 0;
	/* the deny list once more, right where the request leaves */
	if (refuse_denied(p->t[0].reg, p->addr, p->addr + p->words - 1, err))
		return -1;
	link_set_slave(l, p->slave);
	if (still_as_shown(l, m, p, err))
		return -1;
	if (link_write(l, p->addr, p->words, p->sent, err))
		return zcs_prefix(err, "writing %s: ", p->name);
	if (p->commit && commit_status(l, p, &status, err)) {
		if (err->code != ZCS_CHECK)
			return -1;
		failed = 1;
	}
	struct zcs_err cerr = *err;
	if (link_read(l, fc, p->addr, p->words, back, err))
		return zcs_prefix(err, "reading back %s: ", p->name);
	if (p->commit)
		back[p->commit->addr - p->addr] = status;
	for (unsigned a = p->addr; a < p->addr + p->words;) {
		const struct reg_def *r = regmap_at(m, fc, a);
		struct write_result *x = &res[k];
		char bs[96], ws[96];
		result_of(p, r, back, x);
		if (r == p->commit) {
			x->ok = status == 0;
			x->readback = status;
		} else if (!x->ok) {
			unsigned off = r->addr - p->addr;
			if (dl < sizeof diffs)
				dl += (size_t)snprintf(diffs + dl, sizeof diffs - dl,
						       "%s%s sent %s, reads %s", dl ? "; " : "",
						       r->name,
						       fmt_words(r, p->sent + off, ws, sizeof ws),
						       fmt_words(r, back + off, bs, sizeof bs));
			failed |= 2;
		}
		if (r == p->commit ? !x->ok : (x->changed || !x->ok))
			k++;
		a = r->addr + r->words;
	}
	*nres = k;
	if (failed & 1) {
		*err = cerr;
		return -1;
	}
	if (failed & 2)
		return zcs_fail(err, ZCS_CHECK, "%s: the values read back differ from those written: "
				"%s", p->name, diffs);
	return 0;
}

int write_apply(struct link *l, int slave, const struct regmap *m,
		const struct write_target *t, size_t n, struct write_result *res,
		size_t *nres, struct zcs_err *err)
{
	struct write_plan p;

	*nres = 0;
	if (write_prepare(l, slave, m, t, n, &p, err))
		return -1;
	return write_send(l, m, &p, res, nres, err);
}
