/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON writer: commas and brackets, escaping, NaN and infinity. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "tap.h"

/* What `fill` writes, as a string (static buffer). */
static const char *doc(void (*fill)(struct json *j))
{
	static char out[4096];
	FILE *f = fmemopen(out, sizeof out, "w");
	struct json j;

	json_doc(&j, f, "test", 7);
	fill(&j);
	json_doc_end(&j);
	fclose(f);
	return out;
}

static void nested(struct json *j)
{
	json_str(j, "a", "x");
	json_arr(j, "list");
	json_int(j, NULL, 1);
	json_obj(j, NULL);
	json_bool(j, "t", 1);
	json_null(j, "n");
	json_end(j);
	json_int(j, NULL, 3);
	json_end(j);
	json_num(j, "half", 0.5);
	/* left open: json_doc_end closes it */
	json_obj(j, "open");
	json_str(j, "k", NULL);
}

static void special(struct json *j)
{
	json_num(j, "nan", NAN);
	json_num(j, "inf", INFINITY);
	json_num(j, "minf", -INFINITY);
	json_arr(j, "in_array");
	json_num(j, NULL, NAN);
	json_end(j);
}

static void strings(struct json *j)
{
	json_str(j, "quote", "say \"hi\"\\ now");
	json_str(j, "ctl", "a\nb\tc\x01" "d\x7f");
	json_str(j, "utf8", "Niccolò Pietà €");
	json_str(j, "bad", "a\xff" "b\xc3");
	json_str(j, "surrogate", "\xed\xa0\x80");
	json_nl(j);
	json_str(j, "after_nl", "z");
}

int main(void)
{
	struct json j;

	is_str(doc(nested),
	       "{\"schema\":\"test\",\"schema_version\":7,\"a\":\"x\",\"list\":[1,{\"t\":true,"
	       "\"n\":null},3],\"half\":0.5,\"open\":{\"k\":null}}\n",
	       "commas, nesting, and what is left open is closed");
	is_str(doc(special),
	       "{\"schema\":\"test\",\"schema_version\":7,"
	       "\"nan\":null,\"nan_note\":\"not a number (NaN): written null\","
	       "\"inf\":null,\"inf_note\":\"infinity: written null\","
	       "\"minf\":null,\"minf_note\":\"minus infinity: written null\","
	       "\"in_array\":[null]}\n",
	       "NaN and infinity are null, with a note beside them in an object");
	is_str(doc(strings),
	       "{\"schema\":\"test\",\"schema_version\":7,"
	       "\"quote\":\"say \\\"hi\\\"\\\\ now\","
	       "\"ctl\":\"a\\nb\\tc\\u0001d\\u007f\","
	       "\"utf8\":\"Niccolò Pietà €\","
	       "\"bad\":\"a\\ufffdb\\ufffd\","
	       "\"surrogate\":\"\\ufffd\\ufffd\\ufffd\",\n"
	       "\"after_nl\":\"z\"}\n",
	       "quotes, control characters, UTF-8 kept, invalid bytes replaced, line break");
	{
		char out[64];
		FILE *f = fmemopen(out, sizeof out, "w");

		json_doc(&j, f, "n", 1);
		json_num(&j, "x", NAN);
		json_doc_end(&j);
		fclose(f);
		is_int((int)j.nonfinite, 1, "the writer counts the numbers it wrote null");
	}
	return tap_done();
}
