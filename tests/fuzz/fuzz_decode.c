/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Decoders and encoders of every register type: the input picks the
 * register, its words and a value to encode. */
#include <math.h>

#include "base/decode.h"
#include "base/regmap.h"
#include "fuzz.h"

static struct regmap *m;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint16_t w[REG_MAX_WORDS] = { 0 }, back[REG_MAX_WORDS];
	struct reg_value v;
	const struct reg_def *d;
	char buf[200];
	double x;

	if (!m) {
		fuzz_data_dir();
		if (!(m = regmap_open("g3", NULL)))
			abort();
	}
	if (size < 1 + sizeof x)
		return 0;
	d = &m->regs[data[0] % m->nregs];
	memcpy(&x, data + 1, sizeof x);
	memcpy(w, data + 1 + sizeof x, size - 1 - sizeof x < sizeof w ? size - 1 - sizeof x : sizeof w);
	decode_value(d, w, &v);
	value_format(&v, buf, sizeof buf);
	(void)decode_bit(d, w, (long)(data[0] * 3) - 20);
	if (encode_value(d, x, back, NULL) == 0 && isfinite(x)) {
		decode_value(d, back, &v);
		value_format(&v, buf, sizeof buf);
	}
	encode_text(d, buf, back);
	return 0;
}
