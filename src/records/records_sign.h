/* SPDX-License-Identifier: GPL-3.0-or-later */
/* records_sign: the signed, canonical form of a record, independent of
 * SQLite, so that another verifier (a fleet server) can rebuild it from its
 * own copy of the rows and check a session exactly as records_verify does.
 *
 *  - canonical bytes of one record: "TABLE\n" then, for each canonical
 *    column in its fixed order, "name=" and a typed, length-prefixed value
 *    ("n" NULL, "i42", "r0.10000000000000001", "s5:hello", "b3:..."), "\n";
 *    a verdict adds "inputs\n" and its input rows, "samples\n" and its
 *    evidence rows, in idx order (rec_canon_* below).  A session whose unit
 *    was identified after it began (an "identified" event) hashes its unit
 *    columns (serial ... fw_slave) as NULL in its header, and each
 *    "identified" event adds "unit\n" and those columns as stored.  Which
 *    columns, in which order, for each table: records_chain.c `kinds`;
 *  - chain: hash(n) = SHA-256(hex(hash(n-1)) || "\n" || canonical(n)),
 *    hash(0) = 64 zeros (rec_chain_next);
 *  - signature: Ed25519 (libsodium) over "zcs-commission head 2\n" SEQ "\n"
 *    HASH, the chain's head at record SEQ (rec_head_message, rec_sig_*);
 *  - keys: 32-byte Ed25519 public keys written as 64 lowercase hex digits;
 *    a fingerprint is "ed25519:" and the first 16 hex digits of SHA-256 of
 *    the key's bytes. */
#ifndef ZCS_RECORDS_SIGN_H
#define ZCS_RECORDS_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define REC_HASH_HEX 65          /* 64 hex digits and NUL */
#define REC_KEY_HEX 65
#define REC_SIG_HEX 129
#define REC_FPR_LEN 32

/* ---- canonical bytes ---- */

struct rec_canon {
	char *b;
	size_t n, cap;
};

void rec_canon_raw(struct rec_canon *c, const void *p, size_t n);
void rec_canon_null(struct rec_canon *c, const char *name);
void rec_canon_int(struct rec_canon *c, const char *name, long long v);
void rec_canon_real(struct rec_canon *c, const char *name, double v);
void rec_canon_text(struct rec_canon *c, const char *name, const char *s, size_t n);
void rec_canon_blob(struct rec_canon *c, const char *name, const void *p, size_t n);
void rec_canon_free(struct rec_canon *c);

/* hex(SHA-256(prev || "\n" || canon)) into out. */
void rec_chain_next(const char prev[REC_HASH_HEX], const void *canon, size_t n,
		    char out[REC_HASH_HEX]);
extern const char rec_zero_hash[REC_HASH_HEX];

/* ---- signatures ---- */

/* The bytes signed for the head (seq, hash); returns their length. */
size_t rec_head_message(long long seq, const char *hash, char *out, size_t n);
/* 1 when sig_hex is pub_hex's signature of the head (seq, hash). */
int rec_sig_verify(const char *pub_hex, long long seq, const char *hash, const char *sig_hex);
/* "ed25519:0123456789abcdef"; "" when pub_hex is not a key. */
void rec_fingerprint(const char *pub_hex, char out[REC_FPR_LEN]);
/* 1 when s is 64 hex digits. */
int rec_is_key_hex(const char *s);

/* ---- this machine's key ---- */

/* $XDG_CONFIG_HOME/zcs-commission (~/.config when unset), newly allocated;
 * created 0700 when `create`. */
char *rec_config_dir(int create, struct zcs_err *err);

struct rec_key {
	uint8_t pk[32], sk[64];
	char pub_hex[REC_KEY_HEX];
};

/* This machine's key: key (secret, 0600) and key.pub in rec_config_dir,
 * made on first use.  0, or -1 with err (ZCS_SYS). */
int rec_key_load(struct rec_key *k, struct zcs_err *err);
/* Sign the head (seq, hash). */
void rec_key_sign(const struct rec_key *k, long long seq, const char *hash,
		  char sig_hex[REC_SIG_HEX]);
/* A MAC of msg under a key derived from the secret key: 64 hex digits. */
void rec_key_mac(const struct rec_key *k, const void *msg, size_t n, char out[REC_HASH_HEX]);
void rec_key_wipe(struct rec_key *k);

/* ---- trusted keys ---- */

struct rec_trust {
	char (*keys)[REC_KEY_HEX];
	size_t n;
	char *from;                 /* where they came from, for messages */
};

/* Every KEY.pub file in dir (first word: 64 hex digits).  A missing dir is
 * an empty set when `optional`, an error otherwise. */
int rec_trust_load(struct rec_trust *t, const char *dir, int optional, struct zcs_err *err);
void rec_trust_add(struct rec_trust *t, const char *pub_hex);
int rec_trust_has(const struct rec_trust *t, const char *pub_hex);
void rec_trust_free(struct rec_trust *t);

#endif
