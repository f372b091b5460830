/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/util.h"
#include "engine/engine.h"
#include "app.h"
#include "pump.h"

#define PUMP_YIELD_MAX_MS 1000  /* longest the polls wait for the screen */
#define PUMP_YIELD_MS 5         /* how long a poll waits for the screen's keys */

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond;              /* the screen changed something: look again */
static int running;
static int kicked;                       /* guarded by lock */
static int notify_fd[2] = { -1, -1 };    /* the pump tells the screen: redraw */
static atomic_int stop;
static atomic_llong busy_since;          /* 0: no poll in flight */
static atomic_llong ui_wants_since;      /* the screen waits for the lock */
static char last_error[512];             /* guarded by lock */
static struct app *app;

static void notify(void)
{
	char c = 1;

	if (notify_fd[1] >= 0 && write(notify_fd[1], &c, 1) < 0) {
		/* full: the screen has a wake-up pending already */
	}
}

/* Wait up to `ms` (forever when < 0) for the screen to kick; the lock is
 * released meanwhile.  A monotonic clock: a changed wall clock never
 * stretches a wait. */
static void wait_kick(int ms)
{
	struct timespec ts;

	if (kicked || atomic_load(&stop))
		return;
	if (ms < 0) {
		pthread_cond_wait(&cond, &lock);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&cond, &lock, &ts);
}

/* Tick when a poll is due or the screen changed something (an answer, an
 * action: the engine moves on from them in its tick), then sleep until the
 * engine's next due event: no wake-up when nothing is due (no engine, or a
 * finished session: until the screen kicks). */
static void *pump_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!atomic_load(&stop)) {
		struct zcs_err err = { 0 };
		int64_t now = zcs_now_ms(), wants = atomic_load(&ui_wants_since);
		int due = -1, r;

		if (wants && now - wants < PUMP_YIELD_MAX_MS) {
			wait_kick(PUMP_YIELD_MS);        /* keys are waiting: let them in first */
			kicked = 0;
			continue;
		}
		if (app->eng && app->started && !app->finished) {
			due = engine_next_due_ms(app->eng, now);
			if (due <= 0 || kicked) {
				int was_due = due <= 0;

				kicked = 0;
				atomic_store(&busy_since, now);
				r = engine_tick(app->eng, now, &err);
				atomic_store(&busy_since, 0);
				if (r < 0)
					zcs_strlcpy(last_error, err.msg, sizeof last_error);
				/* a due tick read the device or moved the link's state
				 * (lost, restored) even when it reports no change */
				/* let the screen's thread in before the next round */
				pthread_mutex_unlock(&lock);
				if (r != 0 || was_due)
					notify();
				sched_yield();
				pthread_mutex_lock(&lock);
				continue;
			}
		}
		kicked = 0;
		wait_kick(due);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int ui_pump_start(struct app *a)
{
	pthread_condattr_t ca;

	app = a;
	atomic_store(&stop, 0);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pipe2(notify_fd, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	/* signals (a resize, the end) go to the screen's thread, whose poll(2)
	 * they interrupt */
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&thread, NULL, pump_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return -1;
	running = 1;
	return 0;
}

void ui_pump_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	atomic_store(&stop, 1);
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	running = 0;
	close(notify_fd[0]);
	close(notify_fd[1]);
	notify_fd[0] = notify_fd[1] = -1;
}

int ui_pump_fd(void)
{
	return notify_fd[0];
}

void ui_pump_drain(void)
{
	char buf[64];

	while (notify_fd[0] >= 0 && read(notify_fd[0], buf, sizeof buf) > 0)
		;
}

int ui_pump_try(void)
{
	return pthread_mutex_trylock(&lock) == 0;
}

void ui_pump_want(int want)
{
	int64_t none = 0;

	if (!want)
		atomic_store(&ui_wants_since, 0);
	else
		atomic_compare_exchange_strong(&ui_wants_since, &none, zcs_now_ms());
}

void ui_pump_release(int kick)
{
	/* whatever the screen did with the engine (an answer, an action, a
	 * step entered) is looked at by the pump now */
	if (kick && running) {
		kicked = 1;
		pthread_cond_signal(&cond);
	}
	pthread_mutex_unlock(&lock);
}

int64_t ui_pump_busy_ms(int64_t now)
{
	int64_t since = atomic_load(&busy_since);

	return since ? now - since : 0;
}

int ui_pump_error(char *buf, int n)
{
	if (!*last_error)
		return 0;
	zcs_strlcpy(buf, last_error, (size_t)n);
	*last_error = 0;
	return 1;
}
