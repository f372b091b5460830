/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ident: which unit is at the other end of a link.
 * Reads the serial and the firmware versions at G3's place (g3.map's
 * serial: characters 1-16, hw_version, fw_*) in one block request where
 * the unit serves the span (0x0445-0x045A), one request per field where it
 * does not (poll.h's hole handling); serial_ext (characters 17-20) only when
 * the first 16 are all there, joined.  When the serial does not answer
 * there, the legacy place (hyd-es.map) the same way.  The layout comes from
 * where the serial answered and is checked against the serial's prefix
 * (data/models.conf).  A version register the unit answers with exception
 * 02 is left empty, named in `unserved` and learned by the link (link.h). */
#ifndef ZCS_IDENT_H
#define ZCS_IDENT_H

#include "base/link.h"
#include "base/regmap.h"

struct unit_ident {
	char serial[48];          /* whole: up to 20 characters on G3 */
	char layout[16];          /* "G3" or "HYD-ES" */
	char family[96];          /* from data/models.conf */
	char model[64];           /* best knowledge; see models.conf */
	char fw_com[24], fw_master[24], fw_slave[24], hw[24];
	char note[256];           /* doubts worth showing (prefix mismatch ...) */
	char unserved[128];       /* identification registers the unit does not
	                             serve (exception 02), space-separated */
	struct regmap *map;       /* the layout's map, owned by the caller after ident_probe */
};

/* 0 with *id filled and id->map loaded; -1 with the error of the G3 attempt
 * (the more useful one) when neither layout answered. */
int ident_probe(struct link *l, struct unit_ident *id, struct zcs_err *err);
/* Look up a serial prefix in data/models.conf: fills family, model, layout
 * hint.  Returns 0 when found. */
int ident_model(const char *serial, char *layout, size_t nl, char *family, size_t nf,
		char *model, size_t nm);
/* The nameplate power (W) of a model name of data/models.conf
 * ("HYD6000-ZSS-HP" -> 6000).  0, or -1 with err when unknown. */
int ident_model_power(const char *model, double *w, struct zcs_err *err);

#endif
