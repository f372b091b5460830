/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trainnet: the line protocol between a training wizard and an
 * instructor's console, on a Unix stream socket the wizard listens on.
 *
 * Every line is UTF-8 text ending in '\n', words separated by one space.
 * The wizard sends, to every console, as things happen:
 *   hello zcs-training 1                    (first line a console gets)
 *   exercise N LEVEL faults=F,F|-          (which exercise; its faults)
 *   trainee NAME
 *   step INDEX ID                           (the step shown, 1-based)
 *   verdict ID STATUS SECONDS               (PASS, FAIL, SKIPPED, N/A ...)
 *   found FAULT STEP                        (a fault caught at that step)
 *   fix right|wrong ACTION STEP
 *   remedy STEP                             (the trainee read the remedy)
 *   injected FAULT ORIGIN / cleared FAULT
 *   link lost|restored
 *   score found=N missed=N wrong=N total=SECONDS result=pass|fail
 * A console sends one command a line and gets `ok ...` or `error: ...`:
 *   inject FAULT [ARG]   clear FAULT   status   catalogue   help
 * `status` sends the lines above again for the exercise so far, then
 *   progress found=N open=N wrong=N remedies=N skipped=N time=SECONDS;
 * `catalogue` lists the faults ("fault NAME LEVEL catch=STEPS describe").
 * Nothing here blocks: a console that does not read is dropped. */
#ifndef ZCS_ENGINE_TRAINNET_H
#define ZCS_ENGINE_TRAINNET_H

#include <stddef.h>

#include "base/err.h"

#define TRAINNET_MAX_CLIENTS 8

struct trainnet;

struct trainnet *trainnet_listen(const char *path, struct zcs_err *err);
void trainnet_close(struct trainnet *n);
/* 1: a command line from console *client; 2: console *client just
 * connected; 0: nothing waiting. */
int trainnet_poll(struct trainnet *n, int *client, char *line, size_t len);
/* One line to console `client`, or to every console when client < 0. */
void trainnet_send(struct trainnet *n, int client, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The console's side: connect (ZCS_SYS error naming the socket). */
int trainnet_connect(const char *path, struct zcs_err *err);
/* Read one line from fd within ms milliseconds (-1: forever).  1 a line,
 * 0 timeout, -1 closed.  `buf` keeps what follows the line between calls:
 * pass the same struct. */
struct trainnet_reader {
	char buf[8192];
	size_t len;
};
int trainnet_read_line(int fd, struct trainnet_reader *r, char *line, size_t n, int ms);

#endif
