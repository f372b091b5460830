#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/lex.h"
#include "base/paths.h"
#include "base/util.h"
#include "cli/cli.h"
#include "usb/usb.h"

int cli_report(const struct zcs_err *err)
{
	fprintf(stderr, "zcs-commission: %s\n", err->msg);
	return err->code ? (int)err->code : 1;
}

int cli_follow_adapter(const struct link_params *p, struct usb_follow *f)
{
	if (p->kind != LINK_RTU || usb_follow_device(f, p->device, NULL) <= 0)
		return 0;
	printf("adapter %s on %s: if it is unplugged the session waits for it\n", f->label,
	       f->dev);
	fflush(stdout);
	return 1;
}

int cli_wants_help(int argc, char **argv, const char *usage)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 1;
		}
	return 0;
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
		zcs_fail(err, ZCS_DATA, "data/snapshots.conf has no snapshot for map %s", map);
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
