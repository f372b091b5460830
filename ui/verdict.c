/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "verdict.h"

#include "base/i18n.h"

const char *ui_status_word(enum eng_status s)
{
	switch (s) {
	case ENG_PENDING: return "TO DO";
	case ENG_ACTIVE: return _("WAIT");
	case ENG_CHECKING: return _("CHECKING");
	case ENG_PASSED: return _("PASS");
	case ENG_FAILED: return _("FAIL");
	case ENG_SKIPPED: return _("SKIPPED");
	case ENG_NA: return "N/A";
	}
	return "?";
}

enum ui_role ui_status_role(enum eng_status s)
{
	switch (s) {
	case ENG_PASSED: return UI_ROLE_PASS;
	case ENG_FAILED: return UI_ROLE_FAIL;
	case ENG_ACTIVE:
	case ENG_CHECKING: return UI_ROLE_WAIT;
	case ENG_SKIPPED: return UI_ROLE_WARN;
	default: return UI_ROLE_DIM;
	}
}

const char *ui_mark_word(enum eng_mark m)
{
	return m == ENG_PASS ? _("PASS") : m == ENG_FAIL ? _("FAIL") : _("WAIT");
}

enum ui_role ui_mark_role(enum eng_mark m)
{
	return m == ENG_PASS ? UI_ROLE_PASS : m == ENG_FAIL ? UI_ROLE_FAIL : UI_ROLE_WAIT;
}
