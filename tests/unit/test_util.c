/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Strict number parsing: decimal, 0x hex, nothing left over, finite. */
#include "base/util.h"
#include "tap.h"

static long parsed(const char *s)
{
	long v = -12345;

	return zcs_parse_long(s, &v) == 0 ? v : -12345;
}

int main(void)
{
	is_int(parsed("42"), 42, "a decimal number");
	is_int(parsed("-7"), -7, "a negative one");
	is_int(parsed("0x1F"), 31, "0x hex");
	is_int(parsed("0X10"), 16, "0X hex");
	is_int(parsed("08"), 8, "a leading zero is still decimal: 08 is eight");
	is_int(parsed("010"), 10, "and 010 is ten, not octal eight");
	is_int(parsed("0"), 0, "zero");
	is_int(parsed("12a"), -12345, "trailing junk is refused");
	is_int(parsed(""), -12345, "an empty string is refused");
	is_int(parsed("0x"), -12345, "a bare 0x is refused");

	double d = 0;
	ok(zcs_parse_double("1.5", &d) == 0 && d == 1.5, "a decimal fraction");
	ok(zcs_parse_double("nan", &d) != 0, "nan is not a number");
	ok(zcs_parse_double("NaN", &d) != 0, "NaN neither");
	ok(zcs_parse_double("inf", &d) != 0, "inf is refused");
	ok(zcs_parse_double("-infinity", &d) != 0, "-infinity is refused");
	ok(zcs_parse_double("1e999", &d) != 0, "an overflow is refused");
	return tap_done();
}
