/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise: the training catalogue, a blind exercise's score from the
 * engine's hooks and the trainee's actions on a real simulator, and the
 * instructor's line protocol. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "engine/exercise.h"
#include "engine/trainnet.h"
#include "tap.h"

static int in(const char *list, const char *name)
{
	char buf[256], *save, *t;

	zcs_strlcpy(buf, list, sizeof buf);
	for (t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (!strcmp(t, name))
			return 1;
	return 0;
}

static void test_catalogue(void)
{
	static struct ex_catalogue c;
	struct zcs_err err = { 0 };
	int unfixed = 0, levels = 0;

	is_int(ex_catalogue_load(&c, &err), 0, "the catalogue loads: %s", err.msg);
	ok(c.nfaults >= 25, "at least 25 faults (%d)", c.nfaults);
	for (int i = 0; i < c.nfaults; i++) {
		int fixed = 0;

		for (int k = 0; k < c.nactions; k++)
			fixed += in(c.actions[k].fixes, c.faults[i].name);
		if (!fixed || !*c.faults[i].describe || !*c.faults[i].catch_steps)
			unfixed++, printf("# %s: no fix, description or catching step\n",
					  c.faults[i].name);
	}
	is_int(unfixed, 0, "every fault has a description, a catching step and a fix");
	ok(c.nex >= 10, "exercises (%d)", c.nex);
	for (int i = 0; i < c.ntargets; i++)
		levels += !strcmp(c.targets[i].level, "easy") + !strcmp(c.targets[i].level, "medium") +
			  !strcmp(c.targets[i].level, "hard");
	is_int(levels, 3, "a target per difficulty");
	ok(ex_pick(&c, "5", &err) && ex_pick(&c, "5", &err)->number == 5, "exercise 5 by number");
	ok(ex_pick(&c, "hard", &err) && !strcmp(ex_pick(&c, "hard", &err)->level, "hard"),
	   "a draw of a difficulty");
	ok(!ex_pick(&c, "99", &err) && strstr(err.msg, "no exercise '99'"), "an unknown one: %s",
	   err.msg);
}

/* The records' side, in memory: what the exercise passes on. */
static char last_event[16384];
static int nevents, nverdicts;

static int f_event(void *ctx, const char *what, const char *detail, int64_t ms,
		   struct zcs_err *err)
{
	nevents++;
	snprintf(last_event, sizeof last_event, "%s|%s", what, detail);
	return 0;
}

static int f_verdict(void *ctx, const struct eng_verdict *v, struct zcs_err *err)
{
	nverdicts++;
	return 0;
}

static int action(const struct ex_run *x, const char *id)
{
	for (int i = 0; i < x->cat.nactions; i++)
		if (!strcmp(x->cat.actions[i].id, id))
			return i;
	return -1;
}

static int sim_has(struct training *t, const char *fault)
{
	char state[4096], want[80];
	struct zcs_err err = { 0 };

	snprintf(want, sizeof want, "\nfault %s ", fault);
	training_ctl_all(t, "state", state, sizeof state, &err);
	return strstr(state, want) != NULL;
}

static void verdict(struct eng_observer *o, const char *step, enum eng_status st)
{
	struct eng_verdict v = { .step_id = step, .section = "x", .title = "x", .status = st };
	struct zcs_err err = { 0 };

	o->step_enter(o->ctx, step, &err);
	o->verdict(o->ctx, &v, &err);
}

static void test_run(void)
{
	static struct ex_run x;
	struct training t;
	struct eng_observer o = { .link_event = f_event, .verdict = f_verdict };
	struct eng_session_info si = { .installer = "Ada Trainee", .training = 1 };
	struct zcs_err err = { 0 };
	struct ex_score s;
	char said[512], text[16384], sock[64], line[1024];
	struct trainnet_reader rd = { .len = 0 };
	int fd;

	is_int(ex_catalogue_load(&x.cat, &err), 0, "catalogue");
	snprintf(sock, sizeof sock, "/tmp/zcs-ex-%d.sock", (int)getpid());
	is_int(ex_listen(&x, sock, &err), 0, "the instructor's socket: %s", err.msg);
	fd = trainnet_connect(sock, &err);
	ok(fd >= 0, "a console connects: %s", err.msg);
	ex_observer(&x, &o);
	is_int(ex_start(&x, &t, ex_find(&x.cat, 5), &err), 0, "exercise 5 starts: %s", err.msg);
	ok(sim_has(&t, "rs485-address-0") && sim_has(&t, "ct-reversed"),
	   "its two faults are on in the simulator");
	o.session_begin(o.ctx, &si, &err);
	verdict(&o, "session.people", ENG_PASSED);
	is_int(nverdicts, 1, "every hook reaches the records");
	verdict(&o, "session.rs485", ENG_FAILED);
	is_str(x.live[0].found_at, "session.rs485", "the RS485 fault is found where it fails");
	is_int(ex_act(&x, action(&x, "reseat-ct-cable"), "session.rs485", said, sizeof said, &err),
	       0, "re-seating the CT cable is a wrong fix");
	ok(strstr(said, "nothing changes") != NULL, "that does nothing: %s", said);
	ok(sim_has(&t, "ct-reversed"), "the CT is still reversed");
	is_int(ex_act(&x, action(&x, "rs485-address"), "session.rs485", said, sizeof said, &err),
	       1, "setting the address is right");
	ok(!sim_has(&t, "rs485-address-0"), "the simulator cleared it");
	verdict(&o, "sign.loads", ENG_FAILED);
	is_str(x.live[1].found_at, "sign.loads", "the CT fault is found at the sign check");
	ex_remedy_read(&x, "sign.loads");
	ex_remedy_read(&x, "sign.loads");
	is_int(x.remedies, 1, "a remedy read twice counts once");
	is_int(ex_act(&x, action(&x, "turn-ct"), "sign.loads", said, sizeof said, &err), 1,
	       "turning the CT is right");
	ok(!sim_has(&t, "ct-reversed"), "the CT reads the right way now");
	is_int(ex_act(&x, action(&x, "turn-ct"), "sign.pv-on", said, sizeof said, &err), 0,
	       "turning it again is wrong");
	ok(sim_has(&t, "ct-reversed"), "and reverses it: its own consequence");
	ex_score_text(&x, text, sizeof text);
	ex_score_parse(text, &s);
	is_int(s.found, 2, "2 found (the first reversed CT among them)");
	is_int(s.missed, 1, "the CT reversed by the wrong fix is still to find");
	is_int(s.wrong, 2, "2 wrong fixes");
	is_str(s.result, "fail", "a fault missed: fail");
	is_int(ex_act(&x, action(&x, "turn-ct"), "sign.pv-on", said, sizeof said, &err), 1,
	       "turned back");
	/* the console sees it all, and commands reach the plant */
	ex_tick(&x);
	for (int i = 0, seen = 0; i < 200 && !seen; i++)
		if (trainnet_read_line(fd, &rd, line, sizeof line, 100) == 1)
			seen = !strcmp(line, "hello zcs-training 1");
	ok(1, "hello");
	if (write(fd, "clear nothing\nstatus\n", 21) != 21)
		ok(0, "write");
	{
		int got_err = 0, got_found = 0, got_ok = 0;

		for (int i = 0; i < 100 && !got_ok; i++) {
			ex_tick(&x);
			while (trainnet_read_line(fd, &rd, line, sizeof line, 10) == 1) {
				got_err |= !strncmp(line, "error: fault 'nothing'", 22);
				got_found |= !strcmp(line, "found ct-reversed sign.loads");
				got_ok |= !strcmp(line, "ok status");
			}
		}
		ok(got_err, "an unknown fault is refused with a reason");
		ok(got_found, "status repeats the faults found");
		ok(got_ok, "and ends in ok");
	}
	is_int(ex_score_record(&x, &err), 0, "the score is recorded");
	ok(nevents > 0 && !strncmp(last_event, "training-score|exercise 5\n", 26),
	   "as a training-score event in the chain");
	ok(strstr(last_event, "fault ct-reversed exercise sign.loads fixed") != NULL,
	   "with each fault, where it was found and its state");
	ok(strstr(last_event, "result pass") != NULL, "passed: 3 found, 0 missed");

	close(fd);
	ex_free(&x);
	{
		static struct ex_run y;
		const char *notes[] = { "exercise 5 (medium) begins",
					"found rs485-address-0 at session.rs485",
					"action at session.rs485: Re-seat it (wrong fix)",
					"remedy read at session.rs485" };
		char reply[64];

		training_ctl(&t, "fault ct-reversed on", reply, sizeof reply, &err);
		is_int(ex_catalogue_load(&y.cat, &err), 0, "catalogue again");
		is_int(ex_resume(&y, &t, notes, 4, zcs_wall_ms() - 60000, &err), 1,
		       "a resumed exercise is found in its events");
		ex_score_text(&y, text, sizeof text);
		ex_score_parse(text, &s);
		ok(s.exercise == 5 && s.found == 1 && s.missed == 1 && s.wrong == 1 && s.remedies == 1,
		   "its score goes on: %d found, %d missed, %d wrong, %d remedies", s.found,
		   s.missed, s.wrong, s.remedies);
		ok(strstr(text, "wrong_fix Re-seat it (at session.rs485)") != NULL,
		   "the wrong fix named again");
		is_int(ex_resume(&y, &t, notes + 1, 3, 0, &err), 0, "without its beginning: no exercise");
	}
	ok(access(sock, F_OK) < 0, "the socket is removed at the end");
	training_stop(&t);
}

int main(void)
{
	char *sim = getenv("ZCS_BUILD") ? xasprintf("%s/zcs-sim", getenv("ZCS_BUILD")) : NULL;

	test_catalogue();
	if (sim && access(sim, X_OK) == 0) {
		setenv("ZCS_SIM", sim, 1);
		test_run();
	} else {
		ok(1, "# SKIP the simulator is not built");
	}
	free(sim);
	return tap_done();
}
