/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opt: command-line options, one table per command, parsed by getopt_long.
 *
 * Every command and subcommand describes its options in a table; the same
 * table gives its --help text (opt_usage) and what tests compare with the
 * man pages.  `--opt=value`, `--opt value`, `--` and unique abbreviations
 * work as in every GNU program; an unknown option, a missing value or a
 * value given to a flag is named in the error, with the command's name. */
#ifndef ZCS_OPT_H
#define ZCS_OPT_H

#include <getopt.h>
#include <stdio.h>

#include "base/err.h"
#include "base/i18n.h"

struct opt {
	const char *name;       /* long name without "--"; NULL ends a table */
	int key;                /* what opt_next returns: a letter (also -x) or OPT_KEY(n) */
	const char *arg;        /* its value's name in usage ("N", "PATH"); NULL: a flag */
	const char *help;       /* one line for --help */
};

/* Keys of options with no short letter. */
#define OPT_KEY(n) (256 + (n))
/* Keys from here on are the connection options' (OPT_LINK + index). */
#define OPT_LINK (1 << 14)

struct opt_cmd {
	const char *name;       /* "zcs-commission records list" */
	const char *synopsis;   /* what follows the name in usage: one or more lines */
	const char *about;      /* a paragraph on what it does, or NULL */
	const struct opt *opts; /* its own options (NULL-terminated), or NULL */
	const struct opt *(*link)(void); /* its connection options, or NULL */
	const char *more;       /* text after the options, or NULL */
};

enum { OPT_END = -1, OPT_ERROR = -2, OPT_HELP = -3 };

struct opt_parser {
	const struct opt_cmd *cmd;
	int argc;
	char **argv;
	struct option lo[64];
	char shorts[80];
	const struct opt *cur;  /* the option opt_next returned */
	const char *arg;        /* its value, NULL for a flag */
	int ind;                /* after OPT_END: argv[ind] is the first operand */
};

/* Start parsing argv[1..argc) (argv[0] is the command's name). */
void opt_begin(struct opt_parser *ps, const struct opt_cmd *cmd, int argc, char **argv);
/* The next option's key (ps->cur, ps->arg set); OPT_END when only operands
 * are left (from ps->ind, in order; options may come after operands, `--`
 * ends the options); OPT_HELP after --help or -h printed the usage on
 * stdout; OPT_ERROR with a ZCS_USAGE error naming the option. */
int opt_next(struct opt_parser *ps, struct zcs_err *err);

/* The usage text: synopsis, about, one line per option, more. */
void opt_usage(const struct opt_cmd *cmd, FILE *f);

/* A usage error for `cmd` about its operands: "zcs-commission read: name at
 * least one value: see zcs-commission read --help". */
int opt_fail(const struct opt_cmd *cmd, struct zcs_err *err, const char *fmt, ...)
	ZCS_PRINTF(3, 4);

/* Set by a program that has several commands: names the commands an
 * option unknown to this one belongs to ("run, resume"), or NULL. */
extern const char *(*opt_elsewhere)(const char *name);

#endif
