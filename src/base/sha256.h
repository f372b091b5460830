/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sha256: FIPS 180-4 SHA-256, for the records' hash chain and the
 * checklist hash.  Incremental: init, update any number of times, final. */
#ifndef ZCS_SHA256_H
#define ZCS_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;          /* bytes hashed so far */
	uint8_t buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_final(struct sha256 *s, uint8_t out[32]);
/* One call: 64 lowercase hex digits and a NUL into hex[65]. */
char *sha256_hex(const void *data, size_t n, char hex[65]);
/* Digest -> hex[65]. */
char *sha256_to_hex(const uint8_t digest[32], char hex[65]);

#endif
