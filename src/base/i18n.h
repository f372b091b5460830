/* SPDX-License-Identifier: GPL-3.0-or-later */
/* i18n: the programs' language (gettext, textdomain "zcs-commission").
 *
 * i18n_init() sets the locale from the environment (LANG, LC_ALL,
 * LC_MESSAGES, LANGUAGE) with LC_NUMERIC kept "C" whatever the locale, so
 * that no stored or machine value (records, hashes, JSON, CSV, the
 * answers, Modbus values) is ever printed with a decimal comma: numbers a
 * person reads are localized explicitly (i18n_value, i18n_date).
 *
 * The catalogue is found in, first that exists: $ZCS_LOCALE_DIR;
 * <exe>/locale (the build tree: build/locale); <exe>/../share/locale
 * (installed); ZCS_LOCALEDIR (compiled in, $(PREFIX)/share/locale).
 *
 * Texts of checklists/ and data/ stay English in the files; they are
 * translated where they are shown, with i18n_tr() on the loaded text.
 * Languages: "en" (the source) and "it". */
#ifndef ZCS_I18N_H
#define ZCS_I18N_H

#include <libintl.h>
#include <stddef.h>
#include <stdint.h>

#define ZCS_TEXTDOMAIN "zcs-commission"

#define _(s) dgettext(ZCS_TEXTDOMAIN, s)
#define N_(s) (s)

/* The locale from the environment, LC_NUMERIC "C", the catalogue bound;
 * then i18n_set_lang(lang) when lang is not NULL.  -1 for an unknown lang. */
int i18n_init(const char *lang);
/* Switch the language now ("it", "en"); -1 (nothing changed) when unknown. */
int i18n_set_lang(const char *lang);
/* "it" or "en": the language messages are shown in. */
const char *i18n_lang(void);
/* 1 when `lang` is one the programs speak. */
int i18n_known(const char *lang);
/* The translation of a text of checklists/ or data/ (or any msgid); the
 * text itself when there is none, NULL and "" as given. */
const char *i18n_tr(const char *english);
/* A value as a person reads it: in Italian "-1.50 kW" is "-1,50 kW".  Only
 * a leading number is changed (never "0x005A", "V1.38", "127.0.0.1"). */
const char *i18n_value(const char *value, char *buf, size_t n);
/* Every number of `text` with one decimal point and digits on both sides,
 * localized (the values put into a translated sentence). */
const char *i18n_numbers(const char *text, char *buf, size_t n);
/* A date (and time when with_time) in UTC: "01/12/2026 20:51" in Italian,
 * "2026-12-01 20:51" in English. */
const char *i18n_date(int64_t wall_ms, int with_time, char *buf, size_t n);

#endif
