/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_records: what recording costs on this disk.  A session of 60
 * verdicts with 10 evidence samples each, every verdict its own committed
 * (fsync'd) transaction; then verify and the HTML export.  The database
 * goes in $TMPDIR (or /tmp): a real disk, not tmpfs, to see the fsync. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "records/records.h"

#define NVERDICTS 60
#define NSAMPLES 10

static int record(struct eng_observer *o, int i, struct zcs_err *err)
{
	static const uint16_t raw[] = { 0x00E6, 0x0001 };
	struct eng_sample s[NSAMPLES];
	struct eng_kv in[1] = { { "clamp", "800" } };
	char id[32];

	snprintf(id, sizeof id, "step.%02d", i);
	for (int k = 0; k < NSAMPLES; k++)
		s[k] = (struct eng_sample){ .name = "grid_power", .unit = "W", .value = 100 + k,
					    .text = "", .raw = raw, .nraw = 2, .slave = 1,
					    .wall_ms = zcs_wall_ms() };
	struct eng_verdict v = { .step_id = id, .section = "11.7", .title = "bench",
				 .status = ENG_PASSED, .started_ms = zcs_wall_ms(),
				 .ended_ms = zcs_wall_ms(), .detail = "ok", .inputs = in,
				 .ninputs = 1, .samples = s, .nsamples = NSAMPLES };
	return o->verdict(o->ctx, &v, err);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *path = xasprintf("%s/zcs-bench-records-%d.db", tmp, (int)getpid());
	char *cfg = xasprintf("%s/zcs-bench-records-%d.config", tmp, (int)getpid());
	struct eng_session_info info = { .installer = "bench", .serial = "ZM2ES060M1E001",
					 .training = 1, .started_ms = zcs_wall_ms() };
	struct zcs_err err = { 0 };
	struct records_verify v;
	struct eng_observer o;
	long long us[NVERDICTS], sum = 0;
	struct records *r = (setenv("XDG_CONFIG_HOME", cfg, 1), records_open(path, &err));
	FILE *devnull = fopen("/dev/null", "w");
	int64_t t0;


	if (!r || !devnull) {
		fprintf(stderr, "bench_records: %s\n", err.msg);
		return 1;
	}
	records_observer(r, &o);
	if (o.session_begin(o.ctx, &info, &err) < 0)
		return 1;
	for (int i = 0; i < NVERDICTS; i++) {
		struct timespec a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if (record(&o, i, &err) < 0) {
			fprintf(stderr, "bench_records: %s\n", err.msg);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		us[i] = (b.tv_sec - a.tv_sec) * 1000000LL + (b.tv_nsec - a.tv_nsec) / 1000;
		sum += us[i];
	}
	qsort(us, NVERDICTS, sizeof us[0], cmp_ll);
	printf("verdict commit (%d samples, fsync'd) in %s: mean %.2f ms, median %.2f ms, "
	       "p95 %.2f ms\n", NSAMPLES, tmp, sum / 1000.0 / NVERDICTS, us[NVERDICTS / 2] / 1000.0,
	       us[NVERDICTS * 95 / 100] / 1000.0);
	t0 = zcs_now_ms();
	records_verify(r, records_session_id(r), &v, &err);
	printf("verify %lld records: %lld ms (%s)\n", v.nrecords, (long long)(zcs_now_ms() - t0),
	       v.problem == RECORDS_INTACT ? "intact" : "NOT intact");
	t0 = zcs_now_ms();
	records_export(r, records_session_id(r), RECORDS_HTML, devnull, &err);
	printf("HTML export: %lld ms\n", (long long)(zcs_now_ms() - t0));
	records_close(r);
	fclose(devnull);
	unlink(path);
	{
		char *rm = xasprintf("rm -rf '%s'", cfg);

		if (system(rm) != 0)
			fprintf(stderr, "bench_records: could not remove %s\n", cfg);
		free(rm);
	}
	free(cfg);
	free(path);
	return 0;
}
