/* cli: the zcs-commission subcommands.  Each returns a process exit code
 * (the zcs_status values of err.h). */
#ifndef ZCS_CLI_H
#define ZCS_CLI_H

#include "base/err.h"
#include "base/link.h"

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
/* 1 when argv has --help or -h; prints `usage` first. */
int cli_wants_help(int argc, char **argv, const char *usage);
/* Names for a snapshot of a map (data/snapshots.conf); malloc'd array of
 * malloc'd strings, *n set.  NULL with an error. */
char **cli_snapshot_names(const char *map, size_t *n, struct zcs_err *err);
void cli_free_names(char **names, size_t n);

/* 1 when the locale's character set is UTF-8 (LC_ALL, LC_CTYPE, LANG): text
 * is printed as stored; 0: transliterated to ASCII ("Pieta"), never blank. */
int cli_utf8_out(void);

#define CLI_LINK_USAGE \
	"CONNECTION is --port DEV [--baud N] [--parity N|E|O] [--stop 1|2] [--slave N]\n" \
	"          or --adapter VID:PID[:SERIAL] (as 'ports' lists it) with the same\n" \
	"          or --tcp HOST[:PORT] [--preset NAME] [--slave N]\n" \
	"             [--framing auto|mbap|rtu|v5] [--logger-serial N]\n" \
	"          or --solarman HOST[:PORT] --logger-serial N (Wi-Fi stick, V5)\n" \
	"          or --rtu-over-tcp HOST[:PORT] (ETH stick)\n" \
	"          with [--timeout MS] [--byte-timeout MS] [--interval MS]\n"

#endif
