/* SPDX-License-Identifier: GPL-3.0-or-later */
/* records_sign: canonical bytes, the chain's hash, Ed25519 signatures and
 * the keys (see records_sign.h).  No SQLite here. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sha256.h"
#include "base/util.h"
#include "records/records_sign.h"

const char rec_zero_hash[REC_HASH_HEX] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* ---- canonical bytes ---- */

void rec_canon_raw(struct rec_canon *c, const void *p, size_t n)
{
	if (c->n + n + 1 > c->cap) {
		c->cap = (c->n + n + 1) * 2 + 256;
		c->b = xrealloc(c->b, c->cap);
	}
	if (n)
		memcpy(c->b + c->n, p, n);
	c->n += n;
	c->b[c->n] = '\0';
}

static void put_str(struct rec_canon *c, const char *s)
{
	rec_canon_raw(c, s, strlen(s));
}

static void put_name(struct rec_canon *c, const char *name)
{
	put_str(c, name);
	rec_canon_raw(c, "=", 1);
}

void rec_canon_null(struct rec_canon *c, const char *name)
{
	put_name(c, name);
	rec_canon_raw(c, "n\n", 2);
}

void rec_canon_int(struct rec_canon *c, const char *name, long long v)
{
	char t[32];

	put_name(c, name);
	snprintf(t, sizeof t, "i%lld\n", v);
	put_str(c, t);
}

void rec_canon_real(struct rec_canon *c, const char *name, double v)
{
	char t[48];

	put_name(c, name);
	snprintf(t, sizeof t, "r%.17g\n", v);
	put_str(c, t);
}

static void sized(struct rec_canon *c, const char *name, char type, const void *p, size_t n)
{
	char t[32];

	put_name(c, name);
	snprintf(t, sizeof t, "%c%zu:", type, n);
	put_str(c, t);
	rec_canon_raw(c, p, n);
	rec_canon_raw(c, "\n", 1);
}

void rec_canon_text(struct rec_canon *c, const char *name, const char *s, size_t n)
{
	sized(c, name, 's', s, n);
}

void rec_canon_blob(struct rec_canon *c, const char *name, const void *p, size_t n)
{
	sized(c, name, 'b', p, n);
}

void rec_canon_free(struct rec_canon *c)
{
	free(c->b);
	memset(c, 0, sizeof *c);
}

void rec_chain_next(const char prev[REC_HASH_HEX], const void *canon, size_t n,
		    char out[REC_HASH_HEX])
{
	struct sha256 s;
	uint8_t d[32];

	sha256_init(&s);
	sha256_update(&s, prev, strlen(prev));
	sha256_update(&s, "\n", 1);
	sha256_update(&s, canon, n);
	sha256_final(&s, d);
	sha256_to_hex(d, out);
}

/* ---- signatures ---- */

static int sodium_ready(void)
{
	static int state;       /* 0 not yet, 1 ready, -1 failed */

	if (!state)
		state = sodium_init() < 0 ? -1 : 1;
	return state > 0;
}

size_t rec_head_message(long long seq, const char *hash, char *out, size_t n)
{
	int k = snprintf(out, n, "zcs-commission head 2\n%lld\n%s", seq, hash ? hash : "");

	return k < 0 ? 0 : (size_t)k < n ? (size_t)k : n - 1;
}

static int unhex(const char *hex, uint8_t *out, size_t n)
{
	size_t got = 0;

	if (!hex || strlen(hex) != n * 2)
		return -1;
	if (sodium_hex2bin(out, n, hex, n * 2, NULL, &got, NULL) != 0 || got != n)
		return -1;
	return 0;
}

int rec_is_key_hex(const char *s)
{
	uint8_t pk[32];

	if (!s || strlen(s) != 64)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return unhex(s, pk, sizeof pk) == 0;
}

int rec_sig_verify(const char *pub_hex, long long seq, const char *hash, const char *sig_hex)
{
	uint8_t pk[32], sig[64];
	char msg[160];
	size_t n;

	if (!sodium_ready() || unhex(pub_hex, pk, sizeof pk) < 0 ||
	    unhex(sig_hex, sig, sizeof sig) < 0)
		return 0;
	n = rec_head_message(seq, hash, msg, sizeof msg);
	return crypto_sign_verify_detached(sig, (const unsigned char *)msg, n, pk) == 0;
}

void rec_fingerprint(const char *pub_hex, char out[REC_FPR_LEN])
{
	uint8_t pk[32], d[32];
	char hex[REC_HASH_HEX];

	*out = '\0';
	if (unhex(pub_hex, pk, sizeof pk) < 0)
		return;
	crypto_hash_sha256(d, pk, sizeof pk);
	sha256_to_hex(d, hex);
	snprintf(out, REC_FPR_LEN, "ed25519:%.16s", hex);
}

/* ---- this machine's key ---- */

static int mkdir_0700(const char *dir, struct zcs_err *err)
{
	char *p = xstrdup(dir);

	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			int e = errno;

			zcs_fail(err, ZCS_SYS, "cannot create %s for the signing key: %s; set "
				 "XDG_CONFIG_HOME to a directory you can write", p, strerror(e));
			if (err)
				err->sys_errno = e;
			free(p);
			return -1;
		}
		if (!c)
			break;
		*s = c;
	}
	free(p);
	return 0;
}

char *rec_config_dir(int create, struct zcs_err *err)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *dir;

	if (xdg && *xdg == '/')
		dir = xasprintf("%s/zcs-commission", xdg);
	else if (home && *home)
		dir = xasprintf("%s/.config/zcs-commission", home);
	else {
		zcs_fail(err, ZCS_SYS, "neither XDG_CONFIG_HOME nor HOME is set: the signing key "
			 "has nowhere to live; set XDG_CONFIG_HOME");
		return NULL;
	}
	if (create && mkdir_0700(dir, err) < 0) {
		free(dir);
		return NULL;
	}
	return dir;
}

static const char secret_tag[] = "zcs-commission-ed25519-secret ";

/* Write `text` to path, 0600, never over anything: a temporary made with
 * O_EXCL, then link(2), which fails when path exists.  1 written, 0 path
 * already there, -1 error. */
static int write_new(const char *path, const char *text, struct zcs_err *err)
{
	char *tmp = xasprintf("%s.%u.tmp", path, (unsigned)randombytes_random());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600), rc = -1;
	size_t n = strlen(text);

	if (fd >= 0 && write(fd, text, n) == (ssize_t)n && fsync(fd) == 0) {
		rc = link(tmp, path) == 0 ? 1 : errno == EEXIST ? 0 : -1;
	}
	if (rc < 0) {
		int e = errno;

		zcs_fail(err, ZCS_SYS, "cannot write the signing key %s: %s", path, strerror(e));
		if (err)
			err->sys_errno = e;
	}
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return rc;
}

static int read_secret(const char *path, struct rec_key *k, struct zcs_err *err)
{
	char buf[256] = "";
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;
	struct stat st;

	if (fd < 0)
		return -2;
	n = read(fd, buf, sizeof buf - 1);
	if (fstat(fd, &st) == 0 && (st.st_mode & 077)) {
		close(fd);
		return zcs_fail(err, ZCS_SYS, "the signing key %s can be read by others (mode "
				"%03o): make it private with chmod 600 %s", path,
				(unsigned)(st.st_mode & 0777), path);
	}
	close(fd);
	if (n > 0)
		buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (n <= 0 || strncmp(buf, secret_tag, sizeof secret_tag - 1) != 0 ||
	    unhex(buf + sizeof secret_tag - 1, k->sk, sizeof k->sk) < 0) {
		sodium_memzero(buf, sizeof buf);
		return zcs_fail(err, ZCS_SYS, "the signing key %s is not a zcs-commission key: "
				"move it away and a new one is made", path);
	}
	sodium_memzero(buf, sizeof buf);
	crypto_sign_ed25519_sk_to_pk(k->pk, k->sk);
	sodium_bin2hex(k->pub_hex, sizeof k->pub_hex, k->pk, sizeof k->pk);
	return 0;
}

int rec_key_load(struct rec_key *k, struct zcs_err *err)
{
	char *dir, *path, *pub, line[256], hex[129];
	int rc;

	memset(k, 0, sizeof *k);
	if (!sodium_ready())
		return zcs_fail(err, ZCS_SYS, "the cryptography library (libsodium) could not "
				"start");
	if (!(dir = rec_config_dir(1, err)))
		return -1;
	path = xasprintf("%s/key", dir);
	pub = xasprintf("%s/key.pub", dir);
	rc = read_secret(path, k, err);
	if (rc == -2) {
		crypto_sign_keypair(k->pk, k->sk);
		sodium_bin2hex(hex, sizeof hex, k->sk, sizeof k->sk);
		snprintf(line, sizeof line, "%s%s\n", secret_tag, hex);
		sodium_memzero(hex, sizeof hex);
		rc = write_new(path, line, err);
		sodium_memzero(line, sizeof line);
		if (rc == 0)        /* made at the same moment by another process */
			rc = read_secret(path, k, err);
		else if (rc == 1) {
			sodium_bin2hex(k->pub_hex, sizeof k->pub_hex, k->pk, sizeof k->pk);
			rc = 0;
		}
	}
	if (rc == 0 && access(pub, F_OK) < 0) {
		snprintf(line, sizeof line, "%s zcs-commission signing key\n", k->pub_hex);
		if (write_new(pub, line, err) < 0)
			rc = -1;
	}
	free(path);
	free(pub);
	free(dir);
	if (rc < 0)
		rec_key_wipe(k);
	return rc < 0 ? -1 : 0;
}

void rec_key_sign(const struct rec_key *k, long long seq, const char *hash,
		  char sig_hex[REC_SIG_HEX])
{
	uint8_t sig[64];
	char msg[160];
	size_t n = rec_head_message(seq, hash, msg, sizeof msg);

	crypto_sign_detached(sig, NULL, (const unsigned char *)msg, n, k->sk);
	sodium_bin2hex(sig_hex, REC_SIG_HEX, sig, sizeof sig);
}

void rec_key_mac(const struct rec_key *k, const void *msg, size_t n, char out[REC_HASH_HEX])
{
	uint8_t key[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];
	static const char ctx[] = "zcs-commission checkpoint";

	crypto_generichash(key, sizeof key, k->sk, sizeof k->sk, (const unsigned char *)ctx,
			   sizeof ctx - 1);
	crypto_auth(mac, msg, n, key);
	sodium_memzero(key, sizeof key);
	sodium_bin2hex(out, REC_HASH_HEX, mac, 32);
}

void rec_key_wipe(struct rec_key *k)
{
	sodium_memzero(k, sizeof *k);
}

/* ---- trusted keys ---- */

void rec_trust_add(struct rec_trust *t, const char *pub_hex)
{
	if (!rec_is_key_hex(pub_hex) || rec_trust_has(t, pub_hex))
		return;
	t->keys = xrealloc(t->keys, (t->n + 1) * sizeof *t->keys);
	zcs_strlcpy(t->keys[t->n++], pub_hex, REC_KEY_HEX);
}

int rec_trust_has(const struct rec_trust *t, const char *pub_hex)
{
	for (size_t i = 0; pub_hex && i < t->n; i++)
		if (strcmp(t->keys[i], pub_hex) == 0)
			return 1;
	return 0;
}

int rec_trust_load(struct rec_trust *t, const char *dir, int optional, struct zcs_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		if (optional && errno == ENOENT)
			return 0;
		return zcs_fail(err, ZCS_USAGE, "cannot read the trusted keys in %s: %s; give a "
				"directory of KEY.pub files (zcs-commission records key prints this "
				"machine's)", dir, strerror(errno));
	}
	free(t->from);
	t->from = xstrdup(dir);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char *path, word[80] = "";
		FILE *f;

		if (n < 5 || strcmp(e->d_name + n - 4, ".pub") != 0)
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if ((f = fopen(path, "r"))) {
			if (fscanf(f, "%79s", word) == 1 && rec_is_key_hex(word))
				rec_trust_add(t, word);
			fclose(f);
		}
		free(path);
	}
	closedir(d);
	return 0;
}

void rec_trust_free(struct rec_trust *t)
{
	free(t->keys);
	free(t->from);
	memset(t, 0, sizeof *t);
}
