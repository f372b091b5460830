/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/paths.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

static int is_dir(const char *p)
{
	struct stat st;

	return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

	if (n <= 0)
		return NULL;
	buf[n] = 0;
	return xstrdup(dirname(buf));
}

static char *first_dir(const char *env, const char *const *rel_to_exe, const char *compiled)
{
	const char *e = getenv(env);
	char *dir, *cand;

	if (e && *e)
		return xstrdup(e);
	dir = exe_dir();
	for (int i = 0; dir && rel_to_exe[i]; i++) {
		cand = xasprintf("%s/%s", dir, rel_to_exe[i]);
		if (is_dir(cand)) {
			char real[PATH_MAX];

			free(dir);
			if (realpath(cand, real)) {
				free(cand);
				return xstrdup(real);
			}
			return cand;
		}
		free(cand);
	}
	free(dir);
	return xstrdup(compiled);
}

const char *paths_data_dir(void)
{
	static char *dir;
	static const char *const rel[] = { "../share/zcs-commission/data", "../data", "data", NULL };

	if (!dir)
		dir = first_dir("ZCS_DATA_DIR", rel, ZCS_DATADIR "/data");
	return dir;
}

const char *paths_checklist_dir(void)
{
	static char *dir;
	static const char *const rel[] = { "../share/zcs-commission/checklists", "../checklists",
					   "checklists", NULL };

	if (!dir)
		dir = first_dir("ZCS_CHECKLIST_DIR", rel, ZCS_DATADIR "/checklists");
	return dir;
}

char *paths_data_file(const char *rel)
{
	return xasprintf("%s/%s", paths_data_dir(), rel);
}

char *paths_sibling_exe(const char *name)
{
	char *dir = exe_dir(), *p;

	if (!dir)
		return NULL;
	p = xasprintf("%s/%s", dir, name);
	free(dir);
	if (access(p, X_OK) == 0)
		return p;
	free(p);
	return NULL;
}
