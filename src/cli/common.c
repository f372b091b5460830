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
	printf("adapter %s on %s: if it is unplugged the session waits for it\n", f->label,
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
			     : zcs_fail(err, ZCS_USAGE, "%s: --%s is not handled", cmd->name,
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
