/* The write whitelist, judged without a device: access=rw, min..max on the
 * value as it will be sent (rounded to the register's step), one group. */
#include <stdlib.h>

#include "engine/write.h"
#include "tap.h"
#include "testmap.h"

static const char map_text[] =
	"map name=t layout=T\n"
	"reg dod  addr=0x0010 type=u16 access=rw min=10 max=90 unit=% conf=H\n"
	"reg volt addr=0x0011 type=u16 scale=0.1 access=rw min=40 max=58.4 unit=V conf=H\n"
	"reg ro   addr=0x0012 type=u16 min=0 max=100 conf=H\n"
	"reg ga   addr=0x0020 type=u16 access=rw min=0 max=9 group=g conf=H\n"
	"reg gb   addr=0x0021 type=u16 access=rw min=1 max=1 group=g conf=H\n"
	"group g addr=0x0020 words=2 commit=gb commit_value=1 conf=H\n";

static int check(const struct regmap *m, const char *name, double v, struct zcs_err *err)
{
	struct write_target t = { regmap_find(m, name), v };

	return write_check(m, &t, 1, err);
}

int main(void)
{
	struct zcs_err err = { 0 };
	struct regmap *m = testmap_load(map_text, &err, NULL);

	if (!ok(m != NULL, "the test map loads (%s)", err.msg))
		return tap_done();
	ok(check(m, "dod", 90, &err) == 0, "DoD 90 (the maximum) is allowed");
	ok(check(m, "dod", 90.4, &err) == 0, "DoD 90.4 is sent as 90: allowed");
	ok(check(m, "dod", 90.5, &err) != 0, "DoD 90.5 would be sent as 91: refused");
	is_int(err.code, ZCS_REFUSED, "  as refused");
	ok(check(m, "dod", 9.5, &err) == 0, "DoD 9.5 is sent as 10: allowed");
	ok(check(m, "dod", 9.4, &err) != 0, "DoD 9.4 would be sent as 9: refused");
	ok(check(m, "volt", 58.4, &err) == 0, "58.4 V with a 0.1 V step is allowed");
	ok(check(m, "volt", 58.46, &err) != 0, "58.46 V would be sent as 58.5: refused");
	ok(check(m, "ro", 5, &err) != 0, "a register without access=rw is refused");
	has_str(err.msg, "not writable", "  saying it is not writable");

	struct write_target two[2] = { { regmap_find(m, "ga"), 3 }, { regmap_find(m, "dod"), 50 } };
	ok(write_check(m, two, 2, &err) != 0, "targets of different groups in one write: refused");
	two[1] = (struct write_target){ regmap_find(m, "gb"), 1 };
	ok(write_check(m, two, 2, &err) == 0, "two targets of one group: allowed");
	regmap_free(m);
	return tap_done();
}
