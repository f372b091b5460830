/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli: the zcs-commission subcommands.  Each returns a process exit code
 * (the zcs_status values of err.h). */
#ifndef ZCS_CLI_H
#define ZCS_CLI_H

#include "base/err.h"
#include "base/link.h"
#include "base/opt.h"

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

int cmd_probe(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_checklist(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_ports(int argc, char **argv);
int cmd_records(int argc, char **argv);
int cmd_batteries(int argc, char **argv);

struct records;
/* The records database: `given` (--db) or the default path (its directory
 * created when `create`); newly allocated. */
char *cli_db_path(const char *given, int create, struct zcs_err *err);
/* Open it for writing (creating it) or for reading only. */
struct records *cli_db_open(const char *given, int write, struct zcs_err *err);

/* Print "zcs-commission: <message>" to stderr and return the exit code. */
int cli_report(const struct zcs_err *err);
/* When an RTU link's port is a USB adapter's tty (given with --port or
 * --adapter), follow that adapter through unplug and replug: 1 and `f`
 * ready for usb_follow_reconnect (free it with usb_follow_free), after
 * telling the user on stdout; 0 otherwise. */
struct usb_follow;
int cli_follow_adapter(const struct link_params *p, struct usb_follow *f);
/* Each command's options (its --help and the man page agree with them). */
extern const struct opt_cmd cli_probe_cmd, cli_read_cmd, cli_run_cmd, cli_resume_cmd,
	cli_checklist_cmd, cli_ports_cmd, cli_batteries_cmd, cli_records_cmd;
/* records' subcommands, ended by a NULL name. */
extern const struct opt_cmd cli_records_cmds[];
/* The options of argv[1..argc) by cmd's table: connection options into
 * `link` (when cmd takes them), each other one to own(ctx, key, value).
 * 1: go on, the operands are argv[optind..argc); otherwise the process's
 * exit code: 0 after --help, a usage error's after reporting it. */
int cli_parse(const struct opt_cmd *cmd, int argc, char **argv, struct link_params *link,
	      int (*own)(void *ctx, int key, const char *arg, struct zcs_err *err), void *ctx,
	      struct zcs_err *err);
/* Names for a snapshot of a map (data/snapshots.conf); malloc'd array of
 * malloc'd strings, *n set.  NULL with an error. */
char **cli_snapshot_names(const char *map, size_t *n, struct zcs_err *err);
void cli_free_names(char **names, size_t n);

/* Long output (records show, list, export; batteries) goes through $PAGER
 * ("less -FRX" when unset, none when empty or not found) while stdout is a
 * terminal: begin sends stdout there, end waits for the reader. */
void cli_page_begin(void);
void cli_page_end(void);

/* 1 when the locale's character set is UTF-8 (LC_ALL, LC_CTYPE, LANG): text
 * is printed as stored; 0: transliterated to ASCII ("Pieta"), never blank. */
int cli_utf8_out(void);

#endif
