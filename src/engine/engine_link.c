/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The link's states as the engine sees them: lost (checks paused, the
 * window dropped, a reconnect every second), restored, and a data logger
 * busy with its cloud upload (the step's clocks stopped, not lost). */
#include "engine/engine_int.h"

int eng_go_lost(struct engine *e, const struct zcs_err *why, int64_t now, struct zcs_err *err)
{
	const struct eng_observer *o = e->cfg.obs;

	e->lost = 1;
	/* a second from now, not from the start of the poll that found it:
	 * its timeouts may have taken longer than that */
	e->next_retry_ms = (now > zcs_now_ms() ? now : zcs_now_ms()) + 1000;
	if (e->cur >= 0 && (size_t)e->cur < e->chk->nsteps)
		eng_window_clear(&e->rt[e->cur].win);
	if (o && o->link_event)
		return o->link_event(o->ctx, "lost", why->msg, zcs_wall_ms(), err);
	return 0;
}

/* A logger stall is not a lost link: the step's clocks stop while it
 * lasts (its settle time, its wait for values, the no-data limit), the
 * evidence window starts again after it, and it is reported once. */
int eng_busy(struct engine *e, const struct zcs_err *why, int64_t now, struct zcs_err *err)
{
	const struct eng_observer *o = e->cfg.obs;

	if (!link_busy(e->cfg.link) || !link_connected(e->cfg.link))
		return 0;
	if (e->busy)
		return 1;
	e->busy = 1;
	e->busy_since_ms = now;
	if (o && o->link_event && o->link_event(o->ctx, "busy", why->msg, zcs_wall_ms(), err))
		return -1;
	return 1;
}

int eng_busy_over(struct engine *e, int64_t now, const char *why, struct zcs_err *err)
{
	int answered = !why;
	const struct eng_observer *o = e->cfg.obs;
	int64_t paused = now - e->busy_since_ms;
	char text[600];

	if (!e->busy)
		return 0;
	e->busy = 0;
	if (e->cur >= 0 && (size_t)e->cur < e->chk->nsteps) {
		struct step_rt *rt = &e->rt[e->cur];

		rt->check_start_ms += paused;
		rt->values_ms += paused;
		eng_window_clear(&rt->win);
	}
	if (answered)
		snprintf(text, sizeof text, "the logger answers again after %.1f s",
			 (double)paused / 1000);
	else
		snprintf(text, sizeof text, "no longer a cloud upload after %.1f s: %s",
			 (double)paused / 1000, why);
	if (o && o->link_event && o->link_event(o->ctx, answered ? "ready" : "silent", text,
						 zcs_wall_ms(), err))
		return -1;
	return 0;
}

int eng_try_restore(struct engine *e, int64_t now, struct zcs_err *err)
{
	const struct eng_observer *o = e->cfg.obs;
	struct zcs_err rerr = { 0 };
	int r;

	if (now < e->next_retry_ms)
		return 0;
	e->next_retry_ms = now + 1000;
	r = e->cfg.reconnect ? e->cfg.reconnect(e->cfg.reconnect_ctx, e->cfg.link, &rerr)
			     : link_reconnect(e->cfg.link, &rerr);
	if (r)
		return 0;
	e->lost = 0;
	e->link_failures = 0;
	e->next_poll_ms = now;
	/* the display may have been used meanwhile: settings are read again */
	for (int u = 0; u < e->cfg.nunits; u++)
		eng_cache_forget(e, u, 0, 0);
	if (e->cur >= 0 && (size_t)e->cur < e->chk->nsteps) {
		e->rt[e->cur].check_start_ms = now;
		eng_window_clear(&e->rt[e->cur].win);
	}
	if (o && o->link_event &&
	    o->link_event(o->ctx, "restored", link_describe(link_params_of(e->cfg.link),
							    (char[300]){ 0 }, 300),
			  zcs_wall_ms(), err))
		return -1;
	return 1;
}
