/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SHA-256 against the FIPS 180-4 / NIST example vectors. */
#include <string.h>

#include "base/sha256.h"
#include "tap.h"

int main(void)
{
	char hex[65];
	struct sha256 s;
	uint8_t d[32];
	char million[1000];

	is_str(sha256_hex("", 0, hex),
	       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "empty input");
	is_str(sha256_hex("abc", 3, hex),
	       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "abc");
	is_str(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex),
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	       "two-block message (56 bytes)");
	memset(million, 'a', sizeof million);
	sha256_init(&s);
	for (int i = 0; i < 1000; i++)
		sha256_update(&s, million, sizeof million);
	sha256_final(&s, d);
	is_str(sha256_to_hex(d, hex),
	       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	       "one million 'a' fed in 1000-byte pieces");
	sha256_init(&s);
	sha256_update(&s, "ab", 2);
	sha256_update(&s, "c", 1);
	sha256_final(&s, d);
	is_str(sha256_to_hex(d, hex),
	       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "incremental updates equal one call");
	return tap_done();
}
