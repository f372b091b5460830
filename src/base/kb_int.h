/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The catalogue's insides, shared by its loaders: kb.c (the pool, the
 * line helpers, the table-driven record parser, the file loop, load and
 * free) and one file per knowledge file, which loads it and answers the
 * queries on it: kb_batteries.c (batteries.conf), kb_dip.c (dip.conf),
 * kb_compat.c (compat.conf), kb_facts.c (eps.conf, meters.conf,
 * parallel.conf), kb_countries.c (countries.conf).  Nothing outside
 * src/base/kb*.c includes it. */
#ifndef ZCS_KB_INT_H
#define ZCS_KB_INT_H

#include "base/kb.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/lex.h"
#include "base/paths.h"
#include "base/regmap.h"
#include "base/util.h"

/* An advice line or a fact remembers which file it came from. */
struct tagged_text {
	const char *tag;        /* "eps", "meters", "parallel" */
	struct kb_text t;
};
struct tagged_fact {
	const char *tag;
	struct kb_fact f;
};

struct kb {
	char *dir;
	char **pool;            /* every string the catalogue owns */
	size_t npool, cap_pool;

	struct kb_family *fams;
	size_t nfams;
	struct kb_info *infos;
	size_t ninfos;
	struct kb_startup *startups;
	size_t nstartups;
	struct kb_battery *bats;
	size_t nbats;
	struct kb_dip *dips;
	size_t ndips;
	struct kb_nodip *nodips;
	size_t nnodips;
	struct kb_pair *pairs;
	size_t npairs;
	struct kb_order *orders;
	size_t norders;
	struct kb_master *masters;
	size_t nmasters;
	struct kb_text families_rule;
	struct kb_eps_limit *limits;
	size_t nlimits;
	struct kb_eps eps;
	struct kb_meters meters;
	struct kb_parallel par;
	struct tagged_fact *facts;
	size_t nfacts;
	struct tagged_text *advice;
	size_t nadvice;
	struct kb_country *countries;
	size_t ncountries;
	struct kb_text other;
};

/* One file being read. */
struct ld {
	struct kb *kb;
	struct lex_file lf;
	const char *path;       /* pooled copy, for provenance */
	const char *tag;
};

#define GROW(arr, n)                                                            \
	do {                                                                    \
		if (((n) & ((n) - 1)) == 0) /* 0, 1, 2, 4, 8 ...: double */     \
			(arr) = xrealloc((arr), ((n) ? (n) * 2 : 1) * sizeof *(arr)); \
	} while (0)


enum ftype { F_STR, F_STR_UNK, F_INT, F_INT_UNK, F_NUM, F_BOOL, F_TRI, F_NOTE };

struct fdesc {
	const char *key;
	enum ftype type;
	size_t off;
	int required;
	double lo, hi;
};


/* The parts of a record the table-driven parser touches. */
struct record {
	void *base;
	const struct fdesc *fields;
	size_t nfields;
	struct kb_prov *prov;   /* one per field */
	struct kb_text **notes;
	size_t *nnotes;
	const char *what, *id;
};

struct kind {
	const char *word;
	int (*fn)(struct ld *L, const struct lex_line *ln, struct zcs_err *err);
};

/* kb.c */
int kbl_bare_words(struct ld *L, const struct lex_line *ln, int n, const char *shape, struct zcs_err *err);
int kbl_check_id(struct ld *L, const struct lex_line *ln, const char *id, struct zcs_err *err);
int kbl_check_keys(struct ld *L, const struct lex_line *ln, const char *const *keys, struct zcs_err *err);
int kbl_check_required(struct ld *L, int line, const struct record *r, struct zcs_err *err);
int kbl_fail(struct ld *L, const struct lex_line *ln, struct zcs_err *err, const char *fmt, ...)
	ZCS_PRINTF(4, 5);
int kbl_fill_record(struct ld *L, const struct lex_line *ln, struct record *r, struct zcs_err *err);
char *kbl_kdup(struct kb *kb, const char *s);
int kbl_line_prov(struct ld *L, const struct lex_line *ln, struct kb_prov *p, struct zcs_err *err);
int kbl_need(struct ld *L, const struct lex_line *ln, const char *key, const char **out, struct zcs_err *err);
int kbl_parse_int(struct ld *L, const struct lex_line *ln, const char *key, const char *v, long lo, long hi, int *out, struct zcs_err *err);
int kbl_parse_num(struct ld *L, const struct lex_line *ln, const char *key, const char *v, double lo, double hi, double *out, struct zcs_err *err);
int kbl_read_file(struct kb *kb, const char *dir, const char *name, const char *tag, const struct kind *kinds, struct ld *L, struct zcs_err *err);

/* kb_batteries.c */
struct kb_battery *kbl_find_battery(struct kb *kb, const char *id);
int kbl_load_batteries(struct kb *kb, const char *dir, struct zcs_err *err);

/* kb_dip.c */
int kbl_load_dip(struct kb *kb, const char *dir, struct zcs_err *err);
int kbl_model_ref(struct ld *L, const struct lex_line *ln, const char *id, const struct kb_battery **out, struct zcs_err *err);

/* kb_compat.c */
int kbl_load_compat(struct kb *kb, const char *dir, struct zcs_err *err);

/* kb_facts.c */
int kbl_load_facts(struct kb *kb, const char *dir, const char *file, const char *tag, struct zcs_err *err);

/* kb_countries.c */
int kbl_load_countries(struct kb *kb, const char *dir, struct zcs_err *err);

#endif
