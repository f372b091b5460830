/* Strict number parsing: decimal, 0x hex, nothing left over. */
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
	return tap_done();
}
