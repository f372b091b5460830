/* SPDX-License-Identifier: GPL-3.0-or-later */
/* train: the instructor's console, line by line.
 *
 *   zcs-commission train --instructor SOCKET [COMMAND [ARG...]]
 *
 * It connects to a training wizard started with --instructor SOCKET (the
 * protocol is in src/engine/trainnet.h).  Without a command it prints the
 * trainee's progress as it happens, each line with the time, and sends
 * every line typed (inject FAULT [ARG], clear FAULT, status, catalogue,
 * help); it ends when the wizard closes.  With a command it sends that
 * one, prints what comes back up to the answer and exits: 0 on `ok`, 1 on
 * `error`. */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/opt.h"
#include "base/termtext.h"
#include "base/util.h"
#include "engine/trainnet.h"
#include "ui.h"

static const struct opt train_opts[] = {
	{ "instructor", OPT_KEY(0), "SOCKET", N_("the socket the trainee's wizard was started with "
	  "(needed)") },
	{ NULL, 0, NULL, NULL },
};

const struct opt_cmd ui_train_cmd = {
	"zcs-commission train", "--instructor SOCKET [COMMAND [ARG...]]",
	N_("Follow a trainee's exercise live and change the plant under it.  The wizard\n"
	"must run with 'zcs-commission --training --instructor SOCKET'.\n"),
	train_opts, NULL,
	"commands:\n"
	"  inject FAULT [ARG]   switch a fault of the catalogue on\n"
	"  clear FAULT          switch it off\n"
	"  status               the exercise so far\n"
	"  catalogue            the faults, their level and the steps that catch them\n"
	"Without a command: the progress as it happens; type commands, Ctrl-D ends.\n",
};

static void stamp(const char *line)
{
	char t[16], safe[1100];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(t, sizeof t, "%H:%M:%S", &tm);
	printf("%s %s\n", t, term_text(line, 0, safe, sizeof safe));
	fflush(stdout);
}

static int one_command(int fd, struct trainnet_reader *r, const char *cmd)
{
	char line[1100];
	size_t n = strlen(cmd);

	if (write(fd, cmd, n) != (ssize_t)n || write(fd, "\n", 1) != 1) {
		fprintf(stderr, _("zcs-commission train: the wizard closed the socket\n"));
		return 1;
	}
	for (;;) {
		int rc = trainnet_read_line(fd, r, line, sizeof line, 5000);

		if (rc <= 0) {
			fprintf(stderr, _("zcs-commission train: %s\n"), rc == 0
				? _("no answer from the wizard within 5 s") : _("the wizard closed the socket"));
			return 1;
		}
		if (strncmp(line, "ok", 2) == 0 && (line[2] == 0 || line[2] == ' ')) {
			printf("%s\n", line);
			return 0;
		}
		if (strncmp(line, "error", 5) == 0) {
			fprintf(stderr, _("zcs-commission train: %s\n"), line);
			return 1;
		}
		printf("%s\n", line);
	}
}

static int console(int fd, struct trainnet_reader *r)
{
	int in_open = 1;
	char line[1100];

	if (write(fd, "status\n", 7) != 7)
		return 1;

	for (;;) {
		struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = 0, .events = POLLIN } };
		int rc;

		/* what is already buffered first */
		while ((rc = trainnet_read_line(fd, r, line, sizeof line, 0)) == 1)
			stamp(line);
		if (rc < 0) {
			stamp(_("the wizard closed the exercise"));
			return 0;
		}
		if (poll(p, in_open ? 2 : 1, -1) < 0)
			continue;
		if (in_open && (p[1].revents & (POLLIN | POLLHUP))) {
			if (!fgets(line, sizeof line, stdin)) {
				in_open = 0;            /* no more commands: keep watching */
				continue;
			}
			if (write(fd, line, strlen(line)) < 0) {
				stamp(_("the wizard closed the exercise"));
				return 0;
			}
		}
	}
}

int ui_train_main(int argc, char **argv)
{
	struct trainnet_reader r = { .len = 0 };
	struct zcs_err err = { 0 };
	const char *sock = NULL;
	char cmd[1024] = "";
	size_t len = 0;
	int fd, i;

	struct opt_parser ps;
	int c;

	opt_begin(&ps, &ui_train_cmd, argc, argv);
	while ((c = opt_next(&ps, &err)) >= 0)
		sock = ps.arg;      /* --instructor, its only option */
	if (c == OPT_HELP)
		return 0;
	if (c == OPT_ERROR) {
		fprintf(stderr, "%s\n", err.msg);
		return ZCS_USAGE;
	}
	for (i = ps.ind; i < argc && len < sizeof cmd; i++)
		len += (size_t)snprintf(cmd + len, sizeof cmd - len, "%s%s", len ? " " : "",
					argv[i]);
	if (!sock) {
		opt_fail(&ui_train_cmd, &err, "--instructor SOCKET is needed: the socket the "
			 "trainee's wizard was started with");
		fprintf(stderr, "%s\n", err.msg);
		return ZCS_USAGE;
	}
	fd = trainnet_connect(sock, &err);
	if (fd < 0) {
		fprintf(stderr, _("zcs-commission train: %s\n"), err.msg);
		return err.code;
	}
	i = *cmd ? one_command(fd, &r, cmd) : console(fd, &r);
	close(fd);
	return i;
}
