/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uiterm: the terminal's life.  ui_term_check() refuses what cannot work
 * (stdin/stdout not a terminal, no cursor addressing); ui_term_start()
 * enters curses with a short Esc delay; the terminal is restored by
 * ui_term_stop(), which also runs at exit and on fatal signals.  SIGINT,
 * SIGTERM and SIGHUP only set a flag the main loop reads, so the program
 * leaves by its normal path (simulator stopped, session kept). */
#ifndef ZCS_UI_UITERM_H
#define ZCS_UI_UITERM_H

#include <signal.h>
#include <sys/types.h>

#include "base/err.h"
#include "theme.h"

#define UI_ESC_DELAY_MS 25

/* 0 when curses can run here; -1 with the message to use "run". */
int ui_term_check(struct zcs_err *err);
int ui_term_start(enum ui_theme theme, struct zcs_err *err);
void ui_term_stop(void);
int ui_term_active(void);
/* The signal that asked us to leave, 0 when none. */
int ui_term_signalled(void);
/* A process group to kill if we die on a fatal signal (the simulator). */
void ui_term_set_child(pid_t pgid);

#endif
