/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paths: where the programs find data/, checklists/ and each other.
 *
 * Data directory, first that exists:
 *   $ZCS_DATA_DIR; <exe>/../share/zcs-commission/data (installed);
 *   <exe>/../data (run from the source tree, binaries in build/);
 *   ZCS_DATADIR/data (the compiled-in install location).
 * Checklists: $ZCS_CHECKLIST_DIR, then "checklists" beside the data dir. */
#ifndef ZCS_PATHS_H
#define ZCS_PATHS_H

const char *paths_data_dir(void);
const char *paths_checklist_dir(void);
/* Newly allocated "<data dir>/<rel>". */
char *paths_data_file(const char *rel);
/* Newly allocated path of a program installed beside this one, or NULL. */
char *paths_sibling_exe(const char *name);

#endif
