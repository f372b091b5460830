#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The commands' own messages and errors follow --lang: the option parser's
# sentences, the connection options', a missing records database, the
# batteries and checklist listings and `probe` without a connection are
# Italian with --lang it and stay English with --lang en, with the same exit
# status either way; so do the link's failures (a refused TCP address, a
# serial device that is not there).  No simulator: every case fails or
# prints at once.
. "$(dirname "$0")/lib.sh"
[ -f "$ZCS_BUILD/locale/it/LC_MESSAGES/zcs-commission.mo" ] ||
	t_skip_all "no Italian catalogue in the build tree (msgfmt is missing)"

# both ZC ARGS...: runs the command in Italian then in English; $it/$en hold
# stdout+stderr, $it_rc/$en_rc the exit statuses.
both() {
	it=$(LANG=C "$ZC" --lang it "$@" 2>&1)
	it_rc=$?
	en=$(LANGUAGE= LC_ALL= LC_MESSAGES= LANG=it_IT.UTF-8 "$ZC" --lang en "$@" 2>&1)
	en_rc=$?
}
# check NAME IT-PATTERN EN-PATTERN: Italian has IT-PATTERN and not
# EN-PATTERN; English has EN-PATTERN; the same exit status.
check() {
	t_like "$it" "$2" "$1: in Italian"
	t_unlike "$it" "$3" "$1: no English left"
	t_like "$en" "$3" "$1: --lang en keeps English"
	t_is "$it_rc" "$en_rc" "$1: the same exit status ($en_rc) in both"
}

both run --bogus
check "an unknown option" "run: opzione sconosciuta '--bogus'.*vedere zcs-commission run --help" \
	"unknown option '--bogus'.*see zcs-commission run --help"
t_is "$it_rc" 2 "an unknown option is a usage error"

both probe --tcp
check "an option without its value" "--tcp vuole un valore \(HOST\[:PORT\]\)" "--tcp needs a value"

both records list --answers x.conf
check "an option of another command" "non vale qui \(è un'opzione di run\)" "does not apply here"

both probe --baud 3
check "a connection option's value" "--baud vuole un numero intero da 1200 a 115200, non '3'" \
	"--baud needs a whole number from 1200 to 115200"

both probe
check "probe against nothing" "nessuna connessione indicata: usare --port DEV" "no connection given"

# The link's own failures: a TCP address nobody listens on (port 1 of
# this machine), a serial device that is not there.
both probe --tcp 127.0.0.1:1
check "a TCP link refused" "nessuno accetta connessioni Modbus TCP a 127\.0\.0\.1:1: controllare indirizzo e porta" \
	"nothing accepts Modbus TCP connections at 127\.0\.0\.1:1: check the address and port"
both probe --port "$T_TMP/ttyNONE"
check "a serial device that is not there" "nessun dispositivo seriale .*ttyNONE: l'adattatore USB-RS485 è inserito" \
	"no serial device .*ttyNONE: is the USB-RS485 adapter plugged in"

both records verify --db "$T_TMP/none.db"
check "records verify of a missing database" "non c'è alcun database dei verbali in" \
	"there is no records database at"

both records frob
check "an unknown subcommand" "sottocomando sconosciuto 'frob'" "unknown subcommand 'frob'"

both records list --from 2026-13-45x
check "a date that is not one" "non è una data: scriverla come AAAA-MM-GG" "is not a date"

both batteries
check "the batteries' table heading" "^ID +MODELLO +FAMIGLIA" "^ID +MODEL +FAMILY"
t_like "$it" "us5000 +Pylontech US5000" "the rows themselves (ids, names) are the same"

both batteries us5000
check "one battery in full" "Abbinamento con altri modelli" "Mixing with other models"

both batteries nosuch
check "an unknown battery" "nessun modello di batteria 'nosuch'" "no battery model 'nosuch'"

both checklist
check "the checklist listing" "^checklist [^ ]+: [0-9]+ passi, sha256" "^checklist [^ ]+: [0-9]+ steps, sha256"
t_is "$(printf '%s\n' "$it" | sed 1d)" "$(printf '%s\n' "$en" | sed 1d)" \
	"the steps' lines (ids, sections) are the same in both"
t_done
