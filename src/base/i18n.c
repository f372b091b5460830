/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/i18n.h"

#include <ctype.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"

#ifndef ZCS_LOCALEDIR
#define ZCS_LOCALEDIR "/usr/local/share/locale"
#endif

static char lang_now[8] = "en";

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *locale_dir(void)
{
	const char *e = getenv("ZCS_LOCALE_DIR");
	char buf[PATH_MAX];
	ssize_t n;

	if (e && *e)
		return xstrdup(e);
	n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n > 0) {
		buf[n] = 0;
		char *dir = dirname(buf);
		static const char *const rel[] = { "locale", "../share/locale" };

		for (size_t i = 0; i < ZCS_ARRAY_LEN(rel); i++) {
			char *cand = xasprintf("%s/%s", dir, rel[i]);
			char *mo = xasprintf("%s/it/LC_MESSAGES/" ZCS_TEXTDOMAIN ".mo", cand);
			int ok = is_dir(cand) && access(mo, R_OK) == 0;

			free(mo);
			if (ok)
				return cand;
			free(cand);
		}
	}
	return xstrdup(ZCS_LOCALEDIR);
}

/* The language the environment asks for, as gettext reads it. */
static const char *env_lang(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char *loc = NULL, *language = getenv("LANGUAGE");

	for (size_t i = 0; i < ZCS_ARRAY_LEN(vars) && !loc; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			loc = v;
	}
	if (!loc || !strcmp(loc, "C") || !strcmp(loc, "POSIX"))
		return "en";
	if (language && *language)
		return strncmp(language, "it", 2) == 0 ? "it" : "en";
	return strncmp(loc, "it", 2) == 0 ? "it" : "en";
}

int i18n_known(const char *lang)
{
	return lang && (!strcmp(lang, "it") || !strcmp(lang, "en"));
}

int i18n_set_lang(const char *lang)
{
	const char *cur;

	if (!i18n_known(lang))
		return -1;
	zcs_strlcpy(lang_now, lang, sizeof lang_now);
	/* LANGUAGE picks the catalogue; gettext ignores it under the "C"
	 * locale, so a machine without an Italian locale speaks Italian in
	 * C.UTF-8 (its messages are UTF-8 whatever the locale is called). */
	setenv("LANGUAGE", lang, 1);
	cur = setlocale(LC_MESSAGES, NULL);
	if (!strcmp(lang, "it") && (!cur || !strcmp(cur, "C") || !strcmp(cur, "POSIX")))
		setlocale(LC_MESSAGES, "C.UTF-8");
	/* a textdomain call drops what gettext cached for the old language */
	textdomain(ZCS_TEXTDOMAIN);
	return 0;
}

int i18n_init(const char *lang)
{
	char *dir;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	dir = locale_dir();
	bindtextdomain(ZCS_TEXTDOMAIN, dir);
	bind_textdomain_codeset(ZCS_TEXTDOMAIN, "UTF-8");
	free(dir);
	textdomain(ZCS_TEXTDOMAIN);
	if (lang)
		return i18n_set_lang(lang);
	zcs_strlcpy(lang_now, env_lang(), sizeof lang_now);
	if (!strcmp(lang_now, "it"))
		i18n_set_lang("it");
	return 0;
}

const char *i18n_lang(void)
{
	return lang_now;
}

const char *i18n_tr(const char *english)
{
	if (!english || !*english || !strcmp(lang_now, "en"))
		return english;
	return dgettext(ZCS_TEXTDOMAIN, english);
}

/* p points at a number (optional sign, digits, one '.', digits) whose end
 * is no further digit, dot or letter-glued part: its length, else 0. */
static size_t plain_decimal(const char *s, const char *p)
{
	const char *q = p;

	if (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == '_'))
		return 0;
	if (*q == '-' || *q == '+')
		q++;
	if (!isdigit((unsigned char)*q))
		return 0;
	while (isdigit((unsigned char)*q))
		q++;
	if (*q != '.' || !isdigit((unsigned char)q[1]))
		return 0;
	q++;
	while (isdigit((unsigned char)*q))
		q++;
	if (*q == '.')              /* a version or an address: 1.2.3 */
		return 0;
	return (size_t)(q - p);
}

const char *i18n_numbers(const char *text, char *buf, size_t n)
{
	size_t o = 0;

	if (!n)
		return buf;
	for (const char *p = text ? text : ""; *p && o + 1 < n;) {
		size_t len = strcmp(lang_now, "it") ? 0 : plain_decimal(text, p);

		if (!len) {
			buf[o++] = *p++;
			continue;
		}
		for (size_t i = 0; i < len && o + 1 < n; i++, p++)
			buf[o++] = *p == '.' ? ',' : *p;
	}
	buf[o] = 0;
	return buf;
}

const char *i18n_value(const char *value, char *buf, size_t n)
{
	const char *v = value ? value : "";

	if (!strcmp(lang_now, "it") && plain_decimal(v, v)) {
		size_t len = plain_decimal(v, v);
		snprintf(buf, n, "%s", v);
		for (size_t i = 0; i < len && i < n; i++)
			if (buf[i] == '.')
				buf[i] = ',';
		return buf;
	}
	snprintf(buf, n, "%s", v);
	return buf;
}

const char *i18n_date(int64_t wall_ms, int with_time, char *buf, size_t n)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;
	int it = !strcmp(lang_now, "it");

	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, n, "-");
		return buf;
	}
	strftime(buf, n, it ? (with_time ? "%d/%m/%Y %H:%M" : "%d/%m/%Y")
			    : (with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d"), &tm);
	return buf;
}
