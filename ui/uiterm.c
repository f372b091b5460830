/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curses.h>
#include <term.h>

#include "base/i18n.h"
#include "draw.h"
#include "uiterm.h"

static volatile sig_atomic_t asked_to_leave;
static volatile sig_atomic_t active;
static volatile pid_t child_pgid;
static SCREEN *screen;

static const char refuse_hint[] =
	N_("; use 'zcs-commission run' for the line-by-line mode");

int ui_term_check(struct zcs_err *err)
{
	int errret = 0, ok;
	const char *cup;

	if (!isatty(0) || !isatty(1))
		return zcs_fail(err, ZCS_USAGE, _("the wizard needs a terminal on stdin and stdout%s"),
				_(refuse_hint));
	if (setupterm(NULL, 1, &errret) != OK)
		return zcs_fail(err, ZCS_USAGE, _("the terminal type '%s' is unknown%s"),
				getenv("TERM") ? getenv("TERM") : _("(unset)"), _(refuse_hint));
	cup = tigetstr("cup");
	ok = cup != NULL && cup != (char *)-1;
	del_curterm(cur_term);          /* newterm() sets up its own */
	if (!ok)
		return zcs_fail(err, ZCS_USAGE,
				_("the terminal '%s' cannot move the cursor (no 'cup' capability)%s"),
				getenv("TERM") ? getenv("TERM") : _("(unset)"), _(refuse_hint));
	return 0;
}

static void on_leave(int sig)
{
	asked_to_leave = sig;
}

static void on_fatal(int sig)
{
	if (child_pgid > 0)
		kill(-child_pgid, SIGTERM);
	if (active) {
		active = 0;
		endwin();
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signals(void)
{
	static const int leave[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	static const int fatal[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_leave;
	for (size_t i = 0; i < sizeof leave / sizeof leave[0]; i++)
		sigaction(leave[i], &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int ui_term_start(enum ui_theme theme, struct zcs_err *err)
{
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return zcs_fail(err, ZCS_SYS, _("cannot start the terminal screen%s"), _(refuse_hint));
	set_term(screen);
	active = 1;
	ui_draw_utf8(strcmp(nl_langinfo(CODESET), "UTF-8") == 0);
	atexit(ui_term_stop);
	install_signals();
	set_escdelay(UI_ESC_DELAY_MS);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	ui_theme_apply(theme);
	return 0;
}

void ui_term_stop(void)
{
	if (!active)
		return;
	active = 0;
	curs_set(1);
	endwin();
	if (screen) {
		delscreen(screen);
		screen = NULL;
	}
}

int ui_term_active(void)
{
	return active;
}

int ui_term_signalled(void)
{
	return asked_to_leave;
}

void ui_term_set_child(pid_t pgid)
{
	child_pgid = pgid;
}
