/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The engine's state machine against the simulated plant: answers checked
 * against their limits, conditions, evidence windows, failures with their
 * remedy, re-check, override, skip, back/forward/goto, stale verdicts after
 * a changed answer, write offers and their read-back, installer actions, and
 * a lost link that pauses the checks instead of failing them. */
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/link.h"
#include "base/util.h"
#include "engine/engine.h"
#include "tap.h"

static char dir[] = "/tmp/zcs-eng.XXXXXX";
static char sock[300], port[16];
static pid_t sim_pid;

/* ---- the simulator --------------------------------------------------------- */

static const char *sim_exe(void)
{
	static char path[512];
	const char *b = getenv("ZCS_BUILD");
	snprintf(path, sizeof path, "%s/zcs-sim", b ? b : "build");
	return path;
}

static int sim_start(void)
{
	int fd[2];
	char line[256];

	snprintf(sock, sizeof sock, "%s/sim.sock", dir);
	if (pipe(fd))
		return -1;
	if ((sim_pid = fork()) == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		execl(sim_exe(), "zcs-sim", "--tcp", "0", "--scenario", "clean", "--control", sock,
		      (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	FILE *f = fdopen(fd[0], "r");
	while (f && fgets(line, sizeof line, f)) {
		if (!strncmp(line, "tcp ", 4))
			sscanf(line, "tcp 127.0.0.1:%15s", port);
		if (!strncmp(line, "ready", 5))
			break;
	}
	if (f)
		fclose(f);
	return port[0] ? 0 : -1;
}

static void sim_ctl(const char *words)
{
	char *cmd = xasprintf("%s ctl %s %s >/dev/null", sim_exe(), sock, words);
	if (system(cmd) != 0)
		printf("# sim ctl %s failed\n", words);
	free(cmd);
}

/* ---- an observer that counts ------------------------------------------------- */

struct seen {
	int begins, answers, enters, verdicts, writes, writes_ok, lost, restored, ends, identified;
	char serial_at_begin[64];
	size_t last_samples;
	enum eng_status last_status;
	char last_step[64];
};

static int o_begin(void *c, const struct eng_session_info *i, struct zcs_err *e)
{
	(void)e;
	((struct seen *)c)->begins++;
	snprintf(((struct seen *)c)->serial_at_begin, 64, "%s", i->serial ? i->serial : "");
	return 0;
}
static int o_unit(void *c, const struct eng_session_info *i, struct zcs_err *e)
{
	(void)i; (void)e;
	((struct seen *)c)->identified++;
	return 0;
}
static int o_answer(void *c, const char *s, const char *k, const char *v, struct zcs_err *e)
{
	(void)s; (void)k; (void)v; (void)e;
	((struct seen *)c)->answers++;
	return 0;
}
static int o_enter(void *c, const char *s, struct zcs_err *e)
{
	(void)s; (void)e;
	((struct seen *)c)->enters++;
	return 0;
}
static int o_verdict(void *c, const struct eng_verdict *v, struct zcs_err *e)
{
	struct seen *s = c;
	(void)e;
	s->verdicts++;
	s->last_samples = v->nsamples;
	s->last_status = v->status;
	snprintf(s->last_step, sizeof s->last_step, "%s", v->step_id);
	return 0;
}
static int o_write(void *c, const struct eng_write *w, struct zcs_err *e)
{
	struct seen *s = c;
	(void)e;
	s->writes++;
	s->writes_ok += w->ok && w->readback == w->written;
	return 0;
}
static int o_link(void *c, const char *what, const char *d, int64_t t, struct zcs_err *e)
{
	struct seen *s = c;
	(void)d; (void)t; (void)e;
	if (!strcmp(what, "lost"))
		s->lost++;
	else
		s->restored++;
	return 0;
}
static int o_end(void *c, int complete, struct zcs_err *e)
{
	(void)complete; (void)e;
	((struct seen *)c)->ends++;
	return 0;
}

/* ---- helpers ------------------------------------------------------------------- */

static void put(const char *file, const char *text)
{
	char *p = xasprintf("%s/%s", dir, file);
	FILE *f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
	free(p);
}

/* Tick until the current step has a verdict (or 8 s). */
static enum eng_status settle(struct engine *e)
{
	struct zcs_err err;
	int64_t end = zcs_now_ms() + 8000;
	enum eng_status st;

	do {
		engine_tick(e, zcs_now_ms(), &err);
		st = engine_status(e, engine_current(e));
		if (st != ENG_ACTIVE && st != ENG_CHECKING)
			return st;
		zcs_sleep_ms(10);
	} while (zcs_now_ms() < end);
	return st;
}

static const char *current_id(struct engine *e)
{
	int i = engine_current(e);
	return i >= 0 && (size_t)i < engine_nsteps(e) ? engine_checklist(e)->steps[i].id : "(end)";
}

static const char *checklist =
	"part t\n"
	"step t.ask section=1 title=\"Questions\"\n"
	"    ask t.count type=int min=1 max=3 prompt=\"How many\"\n"
	"    ask t.volts type=list count=t.count min=40 max=60 prompt=\"Voltages\"\n"
	"step t.na section=2 title=\"Only with many\"\n"
	"    when \"t.count > 2\"\n"
	"    confirm \"Many\"\n"
	"step t.live section=3 title=\"Grid present\"\n"
	"    expect grid_voltage min=200 max=260 remedy=\"Close the breaker\"\n"
	"step t.fail section=4 title=\"Impossible\"\n"
	"    expect grid_voltage max=10 remedy=\"Open the breaker ({grid_voltage} V)\"\n"
	"step t.write section=5 title=\"DoD\"\n"
	"    ask t.dod type=int min=10 max=90 prompt=\"DoD\"\n"
	"    write battery bat_dod=t.dod\n"
	"    expect bat_dod is=t.dod remedy=\"Set the DoD\"\n"
	"step t.act section=6 title=\"Breaker open\"\n"
	"    action \"breaker off\" say=\"Open the breaker\"\n"
	"    expect grid_voltage max=50 remedy=\"Open it\"\n"
	"step t.last section=7 title=\"Grid back\"\n"
	"    action \"breaker on\" say=\"Close the breaker\"\n"
	"    expect grid_voltage min=200 remedy=\"Close it\"\n";

int main(void)
{
	struct zcs_err err = { 0 };
	struct seen seen = { 0 };
	struct eng_step_info info;

	if (!mkdtemp(dir) || access(sim_exe(), X_OK) != 0 || sim_start() != 0) {
		printf("1..0 # SKIP zcs-sim not available (%s)\n", sim_exe());
		return 0;
	}
	put("index.chk", "checklist version=t1\nwindow samples=3 seconds=0.1 settle=0.4\npart t\n");
	put("t.chk", checklist);

	struct link_params lp;
	struct link *l = NULL;
	link_params_default(&lp);
	char *where = xasprintf("127.0.0.1:%s", port);
	link_params_option(&lp, "--tcp", where, &err);
	free(where);
	lp.response_timeout_ms = 200;
	ok(link_open(&lp, &l, &err) == 0, "link to the simulator%s", err.msg);

	struct eng_observer obs = { &seen, o_begin, o_answer, o_enter, o_verdict, o_write, o_link,
				    o_end, NULL };
	struct eng_config cfg = { .checklist_dir = dir, .link = l, .obs = &obs, .poll_ms = 20 };
	struct engine *e = engine_new(&cfg, &err);
	ok(e != NULL, "engine loads the checklist%s%s", e ? "" : ": ", e ? "" : err.msg);
	if (!e) {
		link_close(l);
		kill(sim_pid, SIGTERM);
		waitpid(sim_pid, NULL, 0);
		return tap_done();
	}

	ok(engine_start(e, NULL, NULL, NULL, &err) == 0, "session starts: unit identified");
	is_int(seen.begins, 1, "session_begin reported");
	is_str(current_id(e), "t.ask", "the first step is current");
	is_int(engine_status(e, 0), ENG_ACTIVE, "and active");

	ok(engine_answer(e, "t.count", "9", &err) != 0, "9 is refused for 1..3");
	has_str(err.msg, "between 1 and 3", "  saying the range");
	ok(engine_answer(e, "t.count", "two", &err) != 0, "'two' is refused");
	has_str(err.msg, "whole number", "  saying a whole number is wanted");
	ok(engine_answer(e, "t.count", "2", &err) == 0, "2 is taken");
	ok(engine_answer(e, "t.volts", "51.2", &err) != 0, "one voltage for two batteries is refused");
	has_str(err.msg, "2 expected", "  saying two are expected");
	ok(engine_answer(e, "t.volts", "51.2 70", &err) != 0, "70 V is out of range");
	ok(engine_answer(e, "t.volts", "51.2 51.4", &err) == 0, "two voltages are taken");
	engine_step(e, 0, &info);
	is_str(info.inputs[0].value, "2", "the answer is kept in the view");
	is_int(settle(e), ENG_PASSED, "answered step passes (recorded)");

	ok(engine_next(e, &err) == 0, "next");
	is_int(engine_status(e, 1), ENG_NA, "a step whose condition is false is not applicable");
	is_str(current_id(e), "t.live", "and is passed over");
	is_int(settle(e), ENG_PASSED, "grid voltage in range: passed");
	is_int(seen.last_status, ENG_PASSED, "the verdict reached the observer");
	ok(seen.last_samples >= 3, "with its evidence window (%zu samples)", seen.last_samples);
	engine_step(e, engine_current(e), &info);
	ok(info.window_have >= 3, "window of at least 3 polls");
	ok(info.window_secs >= 0.1, "spanning at least 0.1 s (%.2f)", info.window_secs);
	has_str(info.detail, "expected 200 to 260", "the detail says measured against expected");

	engine_next(e, &err);
	is_int(settle(e), ENG_FAILED, "an impossible expectation fails after settling");
	engine_step(e, engine_current(e), &info);
	has_str(info.remedy, "Open the breaker (230", "the failed step shows its remedy, filled in");
	ok(engine_recheck(e, &err) == 0, "re-check");
	is_int(engine_status(e, engine_current(e)), ENG_ACTIVE, "  the step is active again");
	is_int(settle(e), ENG_FAILED, "  and fails again (nothing was fixed)");
	ok(engine_override(e, "", "", &err) != 0, "an override needs a name and a reason");
	ok(engine_override(e, "QA Lead", "reading verified by hand", &err) == 0, "override");
	is_int(engine_status(e, engine_current(e)), ENG_PASSED, "  passes on that person's word");

	ok(engine_back(e, &err) == 0, "back");
	is_str(current_id(e), "t.live", "  goes to the previous applicable step");
	is_int(engine_status(e, engine_current(e)), ENG_PASSED, "  keeping its verdict");
	ok(engine_goto(e, "t.na", &err) != 0, "goto a step that does not apply is refused");
	ok(engine_goto(e, "t.write", &err) == 0, "goto t.write");

	ok(engine_answer(e, "t.dod", "95", &err) != 0, "DoD 95 is refused (max 90)");
	engine_answer(e, "t.dod", "70", &err);
	engine_tick(e, zcs_now_ms(), &err);
	const struct eng_write_offer *w;
	size_t n = engine_write_offers(e, &w);
	is_int(n, 1, "one write offered");
	if (n) {
		is_str(w[0].reg, "bat_dod", "  for the DoD register");
		ok(w[0].current != 70 && w[0].proposed == 70, "  from %g to 70", w[0].current);
	}
	engine_step(e, engine_current(e), &info);
	has_str(info.waiting_for, "written or declined", "the step waits for the write decision");
	ok(engine_write_apply(e, "", &err) != 0, "a write needs who confirmed it");
	ok(engine_write_apply(e, "Mario Rossi", &err) == 0, "write applied");
	is_int(seen.writes, 1, "one write reported");
	is_int(seen.writes_ok, 1, "  read back equal");
	is_int(settle(e), ENG_PASSED, "the DoD now reads back 70: passed");
	engine_recheck(e, &err);
	engine_tick(e, zcs_now_ms(), &err);
	is_int(engine_write_offers(e, &w), 0, "re-checked: no write offered for a value already there");
	settle(e);

	ok(engine_answer(e, "t.dod", "75", &err) == 0, "a new DoD for the current step");
	int writes_before = seen.writes;
	ok(engine_write_apply(e, "Mario Rossi", &err) != 0 && err.code == ZCS_REFUSED,
	   "a write of offers not yet prepared is refused");
	is_int(seen.writes, writes_before, "  nothing written");
	ok(engine_write_offers(e, &w) == 1 && w[0].proposed == 75, "  the new DoD is offered");
	sim_ctl("fault link-silent on");
	ok(engine_write_apply(e, "Mario Rossi", &err) != 0, "a write with the link gone fails");
	if (!ok(engine_link_lost(e), "  and the engine waits for the link"))
		printf("#   the write failed with: %s (status %d)\n", err.msg, err.code);
	sim_ctl("fault link-silent off");
	int64_t until = zcs_now_ms() + 6000;
	while (engine_link_lost(e) && zcs_now_ms() < until) {
		engine_tick(e, zcs_now_ms(), &err);
		zcs_sleep_ms(20);
	}
	ok(!engine_link_lost(e), "  the link is back");
	n = engine_write_offers(e, &w);
	ok(n == 1 && w[0].proposed == 75, "  the write is offered again");
	ok(engine_write_apply(e, "Mario Rossi", &err) == 0, "  and applied");
	is_int(settle(e), ENG_PASSED, "  the DoD reads back 75: passed");

	ok(engine_answer(e, "t.count", "3", &err) == 0, "changing an earlier answer");
	is_int(engine_status(e, 1), ENG_PENDING, "  makes the verdict that depended on it stale");
	is_int(engine_status(e, 2), ENG_PASSED, "  and leaves the others alone");

	ok(engine_goto(e, "t.act", &err) == 0, "goto t.act");
	engine_tick(e, zcs_now_ms(), &err);
	engine_step(e, engine_current(e), &info);
	is_str(info.action, "breaker off", "the installer action is pending");
	is_int(info.status, ENG_ACTIVE, "  and the check waits for it");
	sim_ctl("breaker off");
	engine_action_done(e, &err);
	is_int(settle(e), ENG_PASSED, "action done: breaker open is seen live");

	engine_next(e, &err);
	ok(engine_skip(e, "", &err) != 0, "a skip needs a reason");
	sim_ctl("fault link-silent on");
	sim_ctl("breaker on");
	engine_action_done(e, &err);
	int64_t end = zcs_now_ms() + 6000;
	while (!engine_link_lost(e) && zcs_now_ms() < end) {
		engine_tick(e, zcs_now_ms(), &err);
		zcs_sleep_ms(10);
	}
	ok(engine_link_lost(e), "a silent link is noticed as lost");
	is_int(seen.lost, 2, "  reported once (the second loss of this session)");
	ok(engine_status(e, engine_current(e)) == ENG_CHECKING, "  and the step does not fail for it");
	sim_ctl("fault link-silent off");
	end = zcs_now_ms() + 6000;
	while (engine_link_lost(e) && zcs_now_ms() < end) {
		engine_tick(e, zcs_now_ms(), &err);
		zcs_sleep_ms(20);
	}
	ok(!engine_link_lost(e), "the link comes back");
	is_int(seen.restored, 2, "  reported restored");
	is_int(settle(e), ENG_PASSED, "  and the step carries on to its verdict");

	ok(engine_skip(e, "grid work by the distributor", &err) == 0, "skip with a reason");
	is_int(engine_status(e, engine_current(e)), ENG_SKIPPED, "  skipped");
	ok(!engine_all_passed(e), "a skipped step keeps the session from complete");
	is_int(engine_next(e, &err), 1, "next at the end says so");

	ok(engine_goto(e, "t.na", &err) == 0, "goto t.na (applies with three batteries)");
	engine_tick(e, zcs_now_ms(), &err);
	engine_step(e, engine_current(e), &info);
	has_str(info.waiting_for, "confirmation: Many", "the step waits for its confirmation");
	ok(engine_confirm(e, "", &err) != 0, "a confirmation needs a name");
	is_int(engine_status(e, engine_current(e)), ENG_ACTIVE, "  and is not taken without one");
	ok(engine_confirm(e, "Anna Bianchi", &err) == 0, "confirmed by a named installer");
	is_int(settle(e), ENG_PASSED, "  the confirmation-only step passes");
	engine_step(e, engine_current(e), &info);
	has_str(info.detail, "confirmed by Anna Bianchi: Many", "  its record names who confirmed");
	ok(engine_answer(e, "t.count", "2", &err) == 0 && engine_answer(e, "t.count", "3", &err) == 0,
	   "the battery count changed and changed back");
	ok(engine_goto(e, "t.na", &err) == 0, "  back to t.na");
	engine_tick(e, zcs_now_ms(), &err);
	engine_step(e, engine_current(e), &info);
	is_int(info.status, ENG_ACTIVE, "  the stale step is not passed on the old confirmation");
	has_str(info.waiting_for, "confirmation: Many", "  it asks for the confirmation again");
	engine_confirm(e, "Anna Bianchi", &err);
	is_int(settle(e), ENG_PASSED, "  and passes once confirmed again");
	engine_goto(e, "t.fail", &err);
	ok(engine_finish(e, &err) == 0, "finish");
	is_int(seen.ends, 1, "session_end reported");

	engine_free(e);

	/* Section 12: the session begins before the unit has power; it is
	 * identified at its identify=yes step.  A confirmation is recorded with
	 * who gave it even where a rule judges too (the self-test); every
	 * failing check shows its own remedy. */
	char *two = xasprintf("%s/two", dir);
	mkdir(two, 0700);
	put("two/index.chk", "checklist version=t2\nwindow samples=3 seconds=0.1 settle=0.5\npart u\n");
	put("two/u.chk",
	    "part u\n"
	    "step u.start section=12 title=\"Before power-up\"\n"
	    "    confirm \"The AC breaker is open\"\n"
	    "step u.id section=12 title=\"Identity\" identify=yes\n"
	    "    expect \"unit.layout\" is=\"'G3'\" remedy=\"Not a G3 unit\"\n"
	    "    remedy \"The unit does not answer: give it power\"\n"
	    "step u.selftest section=22 title=\"Self-test\"\n"
	    "    rule \"1 == 1\" text=\"country first\" remedy=\"Country first\"\n"
	    "    confirm \"The self-test passed\"\n"
	    "step u.two section=8 title=\"Two failing checks\"\n"
	    "    expect grid_voltage max=10 remedy=\"First remedy\"\n"
	    "    expect grid_frequency max=1 remedy=\"Second remedy\"\n");
	struct seen seen2 = { 0 };
	struct eng_observer obs2 = { &seen2, o_begin, o_answer, o_enter, o_verdict, o_write, o_link,
				     o_end, o_unit };
	struct eng_config cfg2 = { .checklist_dir = two, .link = l, .obs = &obs2, .poll_ms = 20 };
	sim_ctl("breaker off");
	sim_ctl("dc off");
	sim_ctl("battery off");
	err.msg[0] = '\0';
	e = engine_new(&cfg2, &err);
	ok(e && engine_start(e, "Quinn Tester", NULL, NULL, &err) == 0,
	   "a session begins with the unit dark (no grid, PV or battery)%s", err.msg);
	if (e) {
		is_str(seen2.serial_at_begin, "", "  recorded without a unit yet");
		ok(engine_ident(e) == NULL, "  nothing identified");
		engine_confirm(e, "Quinn Tester", &err);
		is_int(settle(e), ENG_PASSED, "  the confirmation before power-up passes");
		engine_next(e, &err);
		is_int(settle(e), ENG_FAILED, "the identity step fails while the unit has no power");
		engine_step(e, engine_current(e), &info);
		has_str(info.detail, "did not answer", "  saying the unit did not answer");
		has_str(info.remedy, "give it power", "  with the step's remedy");
		sim_ctl("battery on");
		sim_ctl("breaker on");
		engine_recheck(e, &err);
		is_int(settle(e), ENG_PASSED, "powered, it is identified");
		is_int(seen2.identified, 1, "  and the observer is told the unit once");
		ok(engine_ident(e) && *engine_ident(e)->serial, "  its serial is known");
		engine_next(e, &err);
		engine_confirm(e, "Quinn Tester", &err);
		is_int(settle(e), ENG_PASSED, "the self-test step passes on its rule and confirmation");
		engine_step(e, engine_current(e), &info);
		has_str(info.detail, "confirmed by Quinn Tester: The self-test passed",
			"  its record names who confirmed the self-test");
		engine_next(e, &err);
		is_int(settle(e), ENG_FAILED, "two failing checks fail the step");
		engine_step(e, engine_current(e), &info);
		has_str(info.remedy, "First remedy\nSecond remedy", "  each check shows its own remedy");
		engine_finish(e, &err);
		engine_free(e);
	}
	free(two);
	link_close(l);
	kill(sim_pid, SIGTERM);
	waitpid(sim_pid, NULL, 0);
	char *cmd = xasprintf("rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	free(cmd);
	return tap_done();
}
