/* SPDX-License-Identifier: GPL-3.0-or-later */
/* err: one error vocabulary for the whole program.
 *
 * Every fallible function takes a `struct zcs_err *` and, on failure, fills
 * it with a status code and one sentence an installer understands (what went
 * wrong and what to try), then returns -1 (or NULL).  The status code maps
 * one-to-one onto the process exit code listed in zcs-commission(1). */
#ifndef ZCS_ERR_H
#define ZCS_ERR_H

#include <stdarg.h>

/* X(name, exit code, short description) */
#define ZCS_STATUS_LIST(X)                                              \
	X(OK,     0, "success")                                         \
	X(CHECK,  1, "a commissioning step did not pass")               \
	X(USAGE,  2, "the command line is wrong")                       \
	X(LINK,   3, "the link to the device failed")                   \
	X(DEVICE, 4, "the device answered with a Modbus exception")     \
	X(DATA,   5, "a data, checklist or answers file is wrong")      \
	X(DB,     6, "the records database cannot be used")             \
	X(SYS,    7, "an operating-system error")                       \
	X(REFUSED, 8, "a write was refused by the whitelist or the user") \
	X(LOGGER_SERIAL, 9, "the data logger is not the serial given (--logger-serial)") \
	X(LOGGER_ALONE, 10, "the data logger answers, the inverter behind it does not")

enum zcs_status {
#define X(name, code, text) ZCS_##name = code,
	ZCS_STATUS_LIST(X)
#undef X
};

struct zcs_err {
	enum zcs_status code;
	int exception;          /* Modbus exception code, 0 when none */
	int sys_errno;          /* errno captured at the failure, 0 when none */
	char msg[512];
};

#define ZCS_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Fill `e` (when not NULL) and return -1. */
int zcs_fail(struct zcs_err *e, enum zcs_status code, const char *fmt, ...) ZCS_PRINTF(3, 4);
int zcs_vfail(struct zcs_err *e, enum zcs_status code, const char *fmt, va_list ap);
/* Put `fmt` in front of the message already in `e` ("reading x: <old>"). */
int zcs_prefix(struct zcs_err *e, const char *fmt, ...) ZCS_PRINTF(2, 3);
void zcs_err_clear(struct zcs_err *e);
const char *zcs_status_name(enum zcs_status code);
const char *zcs_status_text(enum zcs_status code);

#endif
