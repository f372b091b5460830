# SPDX-License-Identifier: GPL-3.0-or-later
# tests/pg-lib.sh: a throwaway PostgreSQL cluster for the tests and the
# benchmarks.  Source it after lib.sh (tests) or on its own (bench, with
# PG_TMP set to a directory to use).
#   pg_bin_dir        prints the directory of initdb/pg_ctl, fails when absent
#   pg_start          initdb + start on a Unix socket in the temp directory
#                     and on 127.0.0.1:PORT (a free port); sets PG_URL,
#                     PG_DIR, PG_PORT, PG_SOCK; stops it at exit (tests)
#   pg_stop           stop it (fast shutdown)
#   pg_sql SQL        run SQL through psql as the cluster's superuser
# PG_OPTS: more server options for pg_start ("-c name=value ...").
# When run as root the cluster belongs to an unprivileged user ($ZCS_PG_USER,
# default nobody): PostgreSQL refuses to run as root.
pg_bin_dir() {
	for _pg_d in "${ZCS_PG_BIN:-}" /usr/lib/postgresql/*/bin; do
		[ -n "$_pg_d" ] && [ -x "$_pg_d/initdb" ] && [ -x "$_pg_d/pg_ctl" ] &&
			{ echo "$_pg_d"; return 0; }
	done
	return 1
}

_pg_as() { # run a command as the cluster's owner
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "${ZCS_PG_USER:-nobody}" -- "$@"
	else
		"$@"
	fi
}

_pg_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_start() {
	PG_BIN=$(pg_bin_dir) || { echo "# no PostgreSQL server binaries (initdb, pg_ctl)"; return 1; }
	_pg_base=${PG_TMP:-$T_TMP}
	PG_DIR=$(mktemp -d "$_pg_base/pg.XXXXXX")
	chmod 755 "$_pg_base" "$PG_DIR"
	[ "$(id -u)" -eq 0 ] && chown "${ZCS_PG_USER:-nobody}" "$PG_DIR"
	PG_SOCK=$PG_DIR
	PG_PORT=$(_pg_free_port)
	if ! _pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U zcs -A trust -E UTF8 --no-locale \
		--no-sync >"$PG_DIR/initdb.log" 2>&1; then
		echo "# initdb failed:"; sed 's/^/#   /' "$PG_DIR/initdb.log" | tail -20
		return 1
	fi
	[ -n "${T_TMP:-}" ] && t_at_exit "pg_stop"
	if ! _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
		-o "-k $PG_SOCK -p $PG_PORT -c listen_addresses=127.0.0.1 -c fsync=off \
		-c full_page_writes=off -c max_connections=20 -c shared_buffers=64MB ${PG_OPTS:-}" \
		start >"$PG_DIR/pg_ctl.log" 2>&1; then
		echo "# PostgreSQL did not start:"; sed 's/^/#   /' "$PG_DIR/server.log" | tail -20
		return 1
	fi
	_pg_as "$PG_BIN/createdb" -h "$PG_SOCK" -p "$PG_PORT" -U zcs zcs || return 1
	PG_URL="postgresql:///zcs?host=$PG_SOCK&port=$PG_PORT&user=zcs"
	export PG_URL PG_DIR PG_PORT PG_SOCK PG_BIN
	return 0
}

pg_stop() {
	[ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ] &&
		_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
	return 0
}

pg_sql() {
	psql -X -q -t -A -v ON_ERROR_STOP=1 "$PG_URL" -c "$1"
}
