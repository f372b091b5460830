#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A hostile Modbus TCP server (tests/hostile.py, one mode per misbehaviour:
# framing, ids, every exception, replies that never end, resets, duplicates,
# slowloris, sentinels, NaN, non-ASCII text...): probe, read and run against
# every mode end by themselves with a named message and a recorded session,
# and no live step passes on what the mode mangled.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile-lib.sh"

sim_start clean || t_skip_all "zcs-sim did not start"
hostile_all tcp
t_done
