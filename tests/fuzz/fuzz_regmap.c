/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The register-map loader, then every register it accepts decoded from the
 * input's bytes and formatted. */
#include "base/decode.h"
#include "base/regmap.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[128];
	struct zcs_err err = { 0 };
	struct regmap *m;

	snprintf(path, sizeof path, "%s/t.map", fuzz_dir());
	fuzz_write(path, data, size);
	m = regmap_load(path, &err);
	for (size_t i = 0; m && i < m->nregs; i++) {
		uint16_t w[REG_MAX_WORDS] = { 0 };
		struct reg_value v;
		char buf[200];

		memcpy(w, data, size < sizeof w ? size : sizeof w);
		decode_value(&m->regs[i], w, &v);
		value_format(&v, buf, sizeof buf);
		encode_value(&m->regs[i], v.num, w, NULL);
	}
	regmap_free(m);
	return 0;
}
