/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/json.h"

#include <math.h>
#include <string.h>

#include "base/util.h"

/* Length of the valid UTF-8 sequence at s, 0 when it is not one. */
static int utf8_seq(const unsigned char *s)
{
	int n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4;
	else
		return 0;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
		return 0;       /* overlong, or a UTF-16 surrogate */
	if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
		return 0;       /* overlong, or above U+10FFFF */
	return n;
}

void json_put_string(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int n = utf8_seq(p);

		if (n == 0) {
			fputs("\\ufffd", f);
			p++;
			continue;
		}
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p < 0x20 || *p == 0x7F)
			fprintf(f, "\\u%04x", *p);
		else
			fwrite(p, 1, (size_t)n, f);
		p += n;
	}
	fputc('"', f);
}

/* The comma and the key before a value. */
static void lead(struct json *j, const char *key)
{
	if (j->depth <= 0 || j->depth > JSON_MAX_DEPTH)
		j->nl = 0;
	if (j->depth > 0 && j->depth <= JSON_MAX_DEPTH) {
		if (j->used[j->depth - 1])
			fputc(',', j->f);
		if (j->nl)
			fputc('\n', j->f);
		j->used[j->depth - 1] = 1;
		j->nl = 0;
		if (j->in_obj[j->depth - 1]) {
			json_put_string(j->f, key ? key : "");
			fputc(':', j->f);
		}
	}
}

static void open_(struct json *j, const char *key, int obj)
{
	lead(j, key);
	fputc(obj ? '{' : '[', j->f);
	if (j->depth < JSON_MAX_DEPTH) {
		j->in_obj[j->depth] = (unsigned char)obj;
		j->used[j->depth] = 0;
	}
	j->depth++;
}

void json_obj(struct json *j, const char *key) { open_(j, key, 1); }
void json_arr(struct json *j, const char *key) { open_(j, key, 0); }

void json_end(struct json *j)
{
	if (j->depth <= 0)
		return;
	j->depth--;
	fputc(j->depth < JSON_MAX_DEPTH && !j->in_obj[j->depth] ? ']' : '}', j->f);
}

void json_doc(struct json *j, FILE *f, const char *schema, int version)
{
	memset(j, 0, sizeof *j);
	j->f = f;
	json_obj(j, NULL);
	json_str(j, "schema", schema);
	json_int(j, "schema_version", version);
}

void json_doc_end(struct json *j)
{
	while (j->depth > 0)
		json_end(j);
	fputc('\n', j->f);
}

void json_str(struct json *j, const char *key, const char *s)
{
	lead(j, key);
	json_put_string(j->f, s);
}

void json_num(struct json *j, const char *key, double v)
{
	lead(j, key);
	if (isfinite(v)) {
		fprintf(j->f, "%.10g", v);
		return;
	}
	fputs("null", j->f);
	j->nonfinite++;
	if (key && j->depth > 0 && j->in_obj[j->depth - 1]) {
		char note[96];

		snprintf(note, sizeof note, "%s_note", key);
		json_str(j, note, isnan(v) ? "not a number (NaN): written null"
					   : v > 0 ? "infinity: written null"
						   : "minus infinity: written null");
	}
}

void json_int(struct json *j, const char *key, long long v)
{
	lead(j, key);
	fprintf(j->f, "%lld", v);
}

void json_bool(struct json *j, const char *key, int v)
{
	lead(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	lead(j, key);
	fputs("null", j->f);
}

void json_time(struct json *j, const char *key, int64_t wall_ms)
{
	char t[40];

	if (wall_ms > 0)
		json_str(j, key, zcs_iso_time(wall_ms, t, sizeof t));
	else
		json_null(j, key);
}

void json_nl(struct json *j)
{
	j->nl = 1;
}
