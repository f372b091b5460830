/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pump: the engine's polling on its own thread, so a slow or silent device
 * never freezes the keyboard or the screen.
 *
 * The engine is not thread-safe: every engine (and records) call happens
 * with the pump's lock held.  The pump thread takes it for engine_tick()
 * when a poll is due; the screen's thread takes it with ui_pump_try() and,
 * when a poll is in flight, draws the bars only and keeps the keys that
 * need the engine queued (loop.c).  Nothing here touches the terminal.
 *
 * The pump sleeps until the engine's next due event (engine_next_due_ms)
 * or until the screen releases the lock after handling keys (it may have
 * answered, acted or moved: the engine is ticked then); it never wakes on a timer when
 * nothing is due.  After a tick that changed something visible it writes
 * a byte to ui_pump_fd(), which the screen waits on with the keyboard. */
#ifndef ZCS_UI_PUMP_H
#define ZCS_UI_PUMP_H

#include <stdint.h>

struct app;

/* Start the thread (after the app is set up); 0, or -1 with a message. */
int ui_pump_start(struct app *a);
/* Stop and join it (the lock must not be held). */
void ui_pump_stop(void);
/* 1 when the calling thread now holds the lock (or no pump runs). */
int ui_pump_try(void);
/* Release the lock; `kick`: the screen did something with the engine (keys
 * were handled), the pump looks at it now. */
void ui_pump_release(int kick);
/* Readable when a tick changed something visible; ui_pump_drain() empties it. */
int ui_pump_fd(void);
void ui_pump_drain(void);
/* The screen has keys that need the engine: the next poll waits (a while)
 * until it had the lock.  0 clears it. */
void ui_pump_want(int want);
/* Milliseconds the poll in flight has taken, 0 when none. */
int64_t ui_pump_busy_ms(int64_t now);
/* The last tick's error, copied into buf (and cleared); 0 when none.
 * Call with the lock held. */
int ui_pump_error(char *buf, int n);

#endif
