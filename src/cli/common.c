/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/lex.h"
#include "base/paths.h"
#include "base/util.h"
#include "cli/cli.h"
#include "usb/usb.h"

int cli_report(const struct zcs_err *err)
{
	/* the option parser's messages begin with the command's name */
	if (strncmp(err->msg, "zcs-commission ", 15) == 0)
		fprintf(stderr, "%s\n", err->msg);
	else
		fprintf(stderr, "zcs-commission: %s\n", err->msg);
	return err->code ? (int)err->code : 1;
}

int cli_follow_adapter(const struct link_params *p, struct usb_follow *f)
{
	if (p->kind != LINK_RTU || usb_follow_device(f, p->device, NULL) <= 0)
		return 0;
	printf(_("adapter %s on %s: if it is unplugged the session waits for it\n"), f->label,
	       f->dev);
	fflush(stdout);
	return 1;
}

int cli_parse(const struct opt_cmd *cmd, int argc, char **argv, struct link_params *link,
	      int (*own)(void *ctx, int key, const char *arg, struct zcs_err *err), void *ctx,
	      struct zcs_err *err)
{
	struct opt_parser ps;
	int c;

	opt_begin(&ps, cmd, argc, argv);
	while ((c = opt_next(&ps, err)) >= 0) {
		int rc = c >= OPT_LINK && link ? usb_link_option(link, ps.cur, ps.arg, err)
		       : own ? own(ctx, c, ps.arg, err)
			     : zcs_fail(err, ZCS_USAGE, _("%s: --%s is not handled"), cmd->name,
					ps.cur ? ps.cur->name : "?");

		if (rc < 0) {
			if (err->code == ZCS_USAGE && strncmp(err->msg, cmd->name, strlen(cmd->name)))
				zcs_prefix(err, "%s", cmd->name);
			return cli_report(err);
		}
	}
	if (c == OPT_HELP)
		return 0;
	if (c == OPT_ERROR)
		return cli_report(err);
	return 1;
}

char **cli_snapshot_names(const char *map, size_t *n, struct zcs_err *err)
{
	char *path = paths_data_file("snapshots.conf");
	struct lex_file lf;
	struct lex_line ln;
	char **names = NULL;
	int rc;

	*n = 0;
	if (lex_open(&lf, path, err) < 0) {
		free(path);
		return NULL;
	}
	free(path);
	while ((rc = lex_next(&lf, &ln, err)) > 0) {
		const char *m = lex_get(&ln, "map");

		if (strcmp(ln.tok[0].val, "snapshot") || !m || strcmp(m, map))
			continue;
		names = xcalloc((size_t)ln.n, sizeof *names);
		for (int i = 1; i < ln.n; i++)
			if (!ln.tok[i].key)
				names[(*n)++] = xstrdup(ln.tok[i].val);
		break;
	}
	lex_close(&lf);
	if (!names && rc >= 0)
		zcs_fail(err, ZCS_DATA, _("data/snapshots.conf has no snapshot for map %s"), map);
	return names;
}

void cli_free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int cli_utf8_out(void)
{
	static int known = -1;

	if (known < 0) {
		const char *cs;

		setlocale(LC_CTYPE, "");
		cs = nl_langinfo(CODESET);
		known = cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
	}
	return known;
}

/* ---- the pager ---- */

static pid_t pager_pid = -1;
static int saved_stdout = -1;

/* 1 when the pager's program (the first word of cmd) can be run. */
static int runnable(const char *cmd)
{
	char word[256], *path, *dir, *save = NULL;
	size_t n = strcspn(cmd, " \t");
	int ok = 0;

	if (n == 0 || n >= sizeof word)
		return 0;
	memcpy(word, cmd, n);
	word[n] = '\0';
	if (strchr(word, '/'))
		return access(word, X_OK) == 0;
	path = xstrdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	for (dir = strtok_r(path, ":", &save); dir && !ok; dir = strtok_r(NULL, ":", &save)) {
		char *f = xasprintf("%s/%s", *dir ? dir : ".", word);

		ok = access(f, X_OK) == 0;
		free(f);
	}
	free(path);
	return ok;
}

void cli_page_begin(void)
{
	const char *pager = getenv("PAGER");
	int fd[2];
	pid_t pid;

	if (pager_pid >= 0 || !isatty(STDOUT_FILENO))
		return;
	if (!pager)
		pager = "less -FRX";
	if (!*pager || !runnable(pager) || pipe(fd) < 0)
		return;
	fflush(stdout);
	if ((pid = fork()) < 0) {
		close(fd[0]);
		close(fd[1]);
		return;
	}
	if (pid == 0) {
		dup2(fd[0], STDIN_FILENO);
		close(fd[0]);
		close(fd[1]);
		setenv("LESS", "FRX", 0);
		execl("/bin/sh", "sh", "-c", pager, (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	saved_stdout = dup(STDOUT_FILENO);
	dup2(fd[1], STDOUT_FILENO);
	close(fd[1]);
	/* the reader may quit before the end: the rest is not written, no signal */
	signal(SIGPIPE, SIG_IGN);
	pager_pid = pid;
}

void cli_page_end(void)
{
	if (pager_pid < 0)
		return;
	fflush(stdout);
	dup2(saved_stdout, STDOUT_FILENO);
	close(saved_stdout);
	saved_stdout = -1;
	while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
		;
	pager_pid = -1;
}
