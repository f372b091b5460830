/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui: the ncurses commissioning wizard.
 *
 *   zcs-commission [CONNECTION] [--no-color] [--theme NAME] [--db PATH]
 *                  [--scenario NAME] [--window-scale X]
 *
 * With a connection it opens the wizard on that link; without one it runs
 * training mode against the built-in simulator.  It refuses to start when
 * stdin or stdout is not a terminal or the terminal cannot address the
 * cursor, and says to use 'zcs-commission run'.  Returns an exit code. */
#ifndef ZCS_UI_H
#define ZCS_UI_H

int ui_main(int argc, char **argv);
/* The wizard's options (its --help, and the program's), and the
 * instructor's console's. */
struct opt_cmd;
extern const struct opt_cmd ui_cmd, ui_train_cmd;
/* zcs-commission train --instructor SOCKET [COMMAND]: the instructor's
 * console (ui/train.c). */
int ui_train_main(int argc, char **argv);

#endif
