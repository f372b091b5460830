/* SPDX-License-Identifier: GPL-3.0-or-later */
/* training: the simulator as a child process, its control socket, and the
 * wiring diagrams loaded from data/wiring. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/util.h"
#include "engine/training.h"
#include "engine/wiring.h"
#include "tap.h"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

static void test_sim(void)
{
	struct training t;
	struct zcs_err err = { 0 };
	char reply[256], names[64][64], descr[64][160];
	int n = training_scenarios(names, descr, 64, &err), clean = -1;
	pid_t pid;

	for (int i = 0; i < n; i++)
		if (strcmp(names[i], "clean") == 0)
			clean = i;
	ok(n >= 1, "the simulator lists its scenarios (%d)", n);
	ok(clean >= 0, "clean is one of them");
	ok(clean >= 0 && *descr[clean], "with a description");
	is_int(training_start(&t, "clean", &err), 0, "the simulator starts: %s", err.msg);
	ok(t.port > 0, "it says which TCP port it took (%d)", t.port);
	ok(*t.control, "and where its control socket is");
	is_int(training_alive(&t), 1, "it runs");
	is_int(training_ctl(&t, "breaker off", reply, sizeof reply, &err), 0,
	       "an installer action goes to the plant: %s", err.msg);
	is_int(training_ctl(&t, "frobnicate", reply, sizeof reply, &err), -1,
	       "an unknown command is refused");
	is_int(err.code, ZCS_REFUSED, "as REFUSED");
	ok(strstr(err.msg, "frobnicate") != NULL, "naming the command: %s", err.msg);
	pid = t.pid;
	training_stop(&t);
	ok(kill(pid, 0) < 0, "training_stop ends the simulator");
	is_int(training_alive(&t), 0, "and says so");
	training_stop(&t);
	ok(1, "stopping twice is harmless");
	is_int(training_start(&t, "no-such-scenario", &err), -1, "an unknown scenario fails");
	ok(strstr(err.msg, "simulator") != NULL, "with the simulator's reason: %s", err.msg);
}

static void test_wiring(void)
{
	struct wiring_set s;
	struct zcs_err err = { 0 };
	char dir[] = "/tmp/zcs-wiring.XXXXXX", path[256];

	is_int(wiring_load(NULL, &s, &err), 0, "the shipped diagrams load: %s", err.msg);
	ok(s.n >= 5, "meter, CT, CAN, battery chain, parallel (%zu)", s.n);
	for (size_t i = 0; i < s.n; i++)
		ok(s.d[i].nlines > 3 && strchr("HML", s.d[i].conf), "%s has a diagram and a confidence",
		   s.d[i].file);
	/* in English the diagram is shown line for line as the file has it */
	for (size_t i = 0; i < s.n; i++) {
		size_t n, same = 0;
		char **v = wiring_lines(&s.d[i], &n);

		for (size_t j = 0; j < n && n == s.d[i].nlines; j++)
			same += strcmp(v[j], s.d[i].lines[j]) == 0;
		is_int((int)same, (int)s.d[i].nlines, "%s in English: every line as written",
		       s.d[i].file);
		wiring_lines_free(v, n);
	}
	/* the build tree's catalogue: build/locale, beside build/tests */
	char exe[512], loc[600];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[len > 0 ? len : 0] = 0;
	if (strrchr(exe, '/'))
		*strrchr(exe, '/') = 0;
	snprintf(loc, sizeof loc, "%s/../locale/it/LC_MESSAGES/zcs-commission.mo", exe);
	if (access(loc, R_OK) == 0) {
		snprintf(loc, sizeof loc, "%s/../locale", exe);
		setenv("ZCS_LOCALE_DIR", loc, 1);
		i18n_init("it");
	}
	if (strcmp(i18n_lang(), "it") == 0) {
		size_t n, width = 0, drawing = 0;
		char **v = wiring_lines(&s.d[0], &n);

		for (size_t j = 0; j < n; j++) {
			if (strlen(v[j]) > width)
				width = strlen(v[j]);
			drawing += strstr(v[j], "pin 16  RS485  -----+") != NULL;
		}
		ok(n > 0 && strstr(v[n - 1], "Abilita") && strncmp(v[n - 1], "  ", 2) == 0,
		   "in Italian the prose is translated, at its indent: '%s'", n ? v[n - 1] : "");
		ok(width <= 80, "and wrapped to the diagram's width (%zu bytes at most)", width);
		is_int((int)drawing, 1, "the drawing is kept as it is");
		wiring_lines_free(v, n);
	} else {
		ok(1, "# SKIP no Italian catalogue in the build tree (%s)", loc);
	}
	i18n_set_lang("en");
	wiring_free(&s);
	ok(mkdtemp(dir) != NULL, "a scratch directory");
	snprintf(path, sizeof path, "%s/a.txt", dir);
	write_file(path, "title \"x\" section=1.1 conf=Q\n---\nbody\n");
	is_int(wiring_load(dir, &s, &err), -1, "a bad confidence is refused");
	ok(strstr(err.msg, "a.txt:1:") && strstr(err.msg, "conf="), "naming file and line: %s", err.msg);
	write_file(path, "# c\ntitle \"x\" section=1.1 conf=H\nnot the separator\n");
	is_int(wiring_load(dir, &s, &err), -1, "a missing --- is refused");
	ok(strstr(err.msg, "a.txt:3:") != NULL, "at its line: %s", err.msg);
	write_file(path, "title \"x\" conf=H\n---\n");
	is_int(wiring_load(dir, &s, &err), -1, "a missing section is refused");
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	char *sim = getenv("ZCS_BUILD") ? xasprintf("%s/zcs-sim", getenv("ZCS_BUILD")) : NULL;

	if (sim && access(sim, X_OK) == 0) {
		setenv("ZCS_SIM", sim, 1);
		test_sim();
	} else {
		ok(1, "# SKIP the simulator is not built");
	}
	free(sim);
	test_wiring();
	return tap_done();
}
