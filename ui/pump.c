#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"
#include "engine/engine.h"
#include "app.h"
#include "pump.h"

#define PUMP_IDLE_MS 20
#define PUMP_EVERY_MS 100       /* a tick at least this often (answers, actions) */
#define PUMP_YIELD_MAX_MS 1000  /* longest the polls wait for the screen */

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int running;
static atomic_int stop;
static atomic_llong busy_since;          /* 0: no poll in flight */
static atomic_llong ui_wants_since;      /* the screen waits for the lock */
static char last_error[512];             /* guarded by lock */
static struct app *app;

/* One round: tick when a poll is due, and at least every PUMP_EVERY_MS
 * (the engine moves on from answers and actions in its tick).  Returns how
 * long to sleep. */
static int round_once(void)
{
	static int64_t last_tick;
	struct zcs_err err = { 0 };
	int64_t now = zcs_now_ms(), wants = atomic_load(&ui_wants_since);
	int due, wait = PUMP_IDLE_MS;

	if (wants && now - wants < PUMP_YIELD_MAX_MS)
		return 5;                       /* keys are waiting: let them in first */
	pthread_mutex_lock(&lock);
	if (app->eng && app->started && !app->finished) {
		due = engine_next_due_ms(app->eng, now);
		if (due <= 0 || now - last_tick >= PUMP_EVERY_MS) {
			last_tick = now;
			atomic_store(&busy_since, now);
			if (engine_tick(app->eng, now, &err) < 0)
				zcs_strlcpy(last_error, err.msg, sizeof last_error);
			atomic_store(&busy_since, 0);
		} else if (due < wait) {
			wait = due;
		}
	}
	pthread_mutex_unlock(&lock);
	return wait < 2 ? 2 : wait;     /* let the screen's thread in */
}

static void *pump_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop))
		zcs_sleep_ms(round_once());
	return NULL;
}

int ui_pump_start(struct app *a)
{
	app = a;
	atomic_store(&stop, 0);
	if (pthread_create(&thread, NULL, pump_main, NULL) != 0)
		return -1;
	running = 1;
	return 0;
}

void ui_pump_stop(void)
{
	if (!running)
		return;
	atomic_store(&stop, 1);
	pthread_join(thread, NULL);
	running = 0;
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

void ui_pump_release(void)
{
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
