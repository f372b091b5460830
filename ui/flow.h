/* SPDX-License-Identifier: GPL-3.0-or-later */
/* flow: how the wizard's screens follow each other and what ties them to
 * the core (simulator, link, engine, records, USB adapters). */
#ifndef ZCS_UI_FLOW_H
#define ZCS_UI_FLOW_H

#include "app.h"

/* Training, before ui_flow_begin: the exercise catalogue, --exercise
 * checked, the instructor's socket opened (--instructor). */
int ui_flow_exercises(struct app *a, struct zcs_err *err);
/* Exercise: the trainee's action i on the plant (the Fix screen). */
void ui_flow_fix(struct app *a, int i);
/* Before curses starts: open what the wizard needs (records database). */
int ui_flow_begin(struct app *a, struct zcs_err *err);
/* Called by the loop before every draw, with the engine's lock held (the
 * polling itself runs on the pump's thread: pump.h). */
void ui_flow_tick(struct app *a);
/* The quit question, saying what happens to the session. */
const char *ui_flow_quit_text(struct app *a);
/* Keys no screen took: screens reached from anywhere. */
void ui_flow_global_key(struct app *a, enum ui_action act);
/* The link is identified: on to the session. */
void ui_flow_connected(struct app *a);
/* Free everything at exit (simulator stopped, session ended). */
void ui_flow_end(struct app *a);

/* USB-RS485 adapters for the Connect screen. */
void ui_flow_scan_adapters(struct app *a);
int ui_flow_nadapters(struct app *a);
void ui_flow_adapter(struct app *a, int i, const char **dev, const char **label);

void ui_scr_connect_tick(struct app *a);



/* Session screen: start a new session (resume_id 0) or resume an
 * unfinished one of a->unfinished.  Resuming a training session first
 * restarts the simulator on that session's scenario and gives it back the
 * state the earlier steps left (faults cleared, switches, loads, PV,
 * settings written). */
int ui_flow_start(struct app *a, long long resume_id);
/* Summary screen: end the session in the records. */
int ui_flow_finish(struct app *a);
/* Training: the simulator's state changed (an action): record it. */
void ui_flow_sim_changed(struct app *a);
/* Training: send an installer action's words to the simulator. */
int ui_flow_action_to_sim(struct app *a, const char *words);
#endif
