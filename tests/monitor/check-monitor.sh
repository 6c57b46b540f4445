#!/bin/sh
# Copyright 2026 the wine-d3dkmt authors
#
# This library is free software; you can redistribute it and/or modify it
# under the terms of the GNU Lesser General Public License as published by
# the Free Software Foundation; either version 2.1 of the License, or (at
# your option) any later version.  It is distributed WITHOUT ANY WARRANTY;
# see COPYING.LIB.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# make check: d3dkmt-monitor against three client processes of known use
# (monitor_client.exe), in the test prefix.  Its --once --json line must be
# valid against tools/monitor/snapshot.schema.json and give each client's
# exact figures (check_snapshot); the text snapshot must list both; once the
# clients have gone, no process is listed.  Exit 0 on success, 1 on failure.
src=${srcdir:-.}
run="$SHELL $src/tests/wine-log-compiler.sh"
schema=$src/tools/monitor/snapshot.schema.json
check=tests/monitor/check_snapshot
monitor=tools/monitor/d3dkmt-monitor.exe
client=tests/monitor/monitor_client.exe
MB=1048576
# Every wine run is bounded, so the test never hangs.
export TEST_TIMEOUT=90
# One system view for the clients and the monitor: under test control each
# process would otherwise get one of its own.
export WINE_D3DKMT_SYSTEM_VIEW="monitor-check-$$"

work=$(mktemp -d "${TMPDIR:-/tmp}/check-monitor.XXXXXX") || exit 1
failures=0
c1= c2= c3= st1=99 st2=99 st3=99

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

stop_clients()
{
    touch "$work/stop1" "$work/stop2" "$work/stop3"
    [ -n "$c1" ] && { wait "$c1"; st1=$?; c1=; }
    [ -n "$c2" ] && { wait "$c2"; st2=$?; c2=; }
    [ -n "$c3" ] && { wait "$c3"; st3=$?; c3=; }
}
cleanup() { stop_clients; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

# Every ready file, or a client gone, or 60 s.
wait_ready()
{
    n=0
    while [ ! -s "$work/ready1" ] || [ ! -s "$work/ready2" ] || [ ! -s "$work/ready3" ]; do
        kill -0 "$c1" 2>/dev/null && kill -0 "$c2" 2>/dev/null && kill -0 "$c3" 2>/dev/null || return 1
        n=$((n + 1)); [ $n -gt 600 ] && return 1
        sleep 0.1
    done
}

# Runs the monitor (args before --) until check_snapshot accepts its output
# with the expectations after --: 10 tries, 300 ms apart, as another
# process' Locked count and exit reach the system view within a tick.
monitor_json()
{
    margs=
    while [ "$1" != "--" ]; do margs="$margs $1"; shift; done
    shift
    tries=0
    while [ $tries -lt 10 ]; do
        $run $monitor $margs > "$work/raw" 2>&1
        st=$?
        tr -d '\r' < "$work/raw" > "$work/snap.json"
        if [ $st -ne 0 ]; then echo "monitor exit $st" > "$work/check.out"
        else
            $check "$schema" "$work/snap.json" "$@" > "$work/check.out" 2>&1 && return 0
            [ $? -eq 3 ] && break   # not valid: no point in trying again
        fi
        tries=$((tries + 1))
        sleep 0.3
    done
    echo "last monitor output:"; cat "$work/raw"; echo "checker:"; cat "$work/check.out"
    return 1
}

[ -f "$WINE_TEST_PREFIX/.d3dkmt-prefix-ready" ] || $run --setup || exit 1

# 24 MiB local + 8 MiB non-local in 6 allocations; 40 MiB local in 3; 16 MiB
# local in 4, evicted by the pager down to a budget of 8 MiB (2 evictions).
$run $client 24 8 6 "Z:$work/ready1" "Z:$work/stop1" > "$work/client1.log" 2>&1 &
c1=$!
$run $client 40 0 3 "Z:$work/ready2" "Z:$work/stop2" > "$work/client2.log" 2>&1 &
c2=$!
$run $client 16 0 4 "Z:$work/ready3" "Z:$work/stop3" 8 > "$work/client3.log" 2>&1 &
c3=$!
if ! wait_ready; then
    fail "the clients were not ready within 60 s"
    stop_clients; cat "$work/client1.log" "$work/client2.log" "$work/client3.log"; exit 1
fi
pid1=$(tr -dc 0-9 < "$work/ready1")
pid2=$(tr -dc 0-9 < "$work/ready2")
pid3=$(tr -dc 0-9 < "$work/ready3")
echo "clients: pid $pid1 (24+8 MiB, 6 allocations), pid $pid2 (40 MiB, 3 allocations), pid $pid3 (16 MiB in 4, 8 resident)"

if monitor_json --once --json -- "$pid1:$((24 * MB)):$((8 * MB)):6" "$pid2:$((40 * MB)):0:3" \
        "$pid3:$((8 * MB)):0:4:2"; then
    pass "--once --json: one valid line, every client's figures exact, evictions and the paging fence"
    cat "$work/snap.json"
else fail "--once --json with two clients"; fi

# Text: both pids and a bar.
$run $monitor --once > "$work/text" 2>&1
st=$?
tr -d '\r' < "$work/text" > "$work/text.txt"
cat "$work/text.txt"
if [ $st -eq 0 ] && grep -q "^ *$pid1 monitor_client.exe " "$work/text.txt" \
        && grep -q "^ *$pid2 monitor_client.exe " "$work/text.txt" && grep -q '\[[#.]*\] *[0-9]*%' "$work/text.txt"; then
    pass "--once text lists both clients and a bar"
else fail "--once text (exit $st)"; fi

# Two snapshots 200 ms apart: two lines, each valid.
$run $monitor --json --interval 200 --count 2 > "$work/raw2" 2>&1
st=$?
tr -d '\r' < "$work/raw2" > "$work/two"
lines=$(wc -l < "$work/two")
sed -n 1p "$work/two" > "$work/line1"; sed -n 2p "$work/two" > "$work/line2"
if [ $st -eq 0 ] && [ "$lines" -eq 2 ] && $check "$schema" "$work/line1" && $check "$schema" "$work/line2"; then
    pass "--json --interval 200 --count 2: two valid lines"
else fail "--count 2 (exit $st, $lines lines)"; cat "$work/raw2"; fi

stop_clients
if [ "$st1" -eq 0 ] && [ "$st2" -eq 0 ] && [ "$st3" -eq 0 ]; then pass "clients exited 0"
else fail "client exit codes $st1 $st2 $st3"; cat "$work/client1.log" "$work/client2.log" "$work/client3.log"; fi

if monitor_json --once --json -- none; then pass "no process listed once the clients have gone"
else fail "--once --json after the clients"; fi

# No adapter (no d3dkmt.so to be found: every call fails): still a valid
# snapshot, with no adapter in it.
MODULES_DIR=/nonexistent/d3dkmt-monitor $run $monitor --once --json > "$work/raw" 2>&1
st=$?
grep -v ':err:' "$work/raw" | tr -d '\r' > "$work/noadapter"
if [ $st -eq 0 ] && $check "$schema" "$work/noadapter" none && grep -q '"adapters":\[\]' "$work/noadapter"; then
    pass "no adapter: a valid snapshot with no adapter"
else fail "no adapter (exit $st)"; cat "$work/raw"; fi

$run $monitor --bogus > "$work/bogus" 2>&1
st=$?
if [ $st -eq 2 ] && grep -q usage "$work/bogus"; then pass "--bogus: usage, exit 2"
else fail "--bogus exit $st"; cat "$work/bogus"; fi

$run $monitor --help > "$work/help" 2>&1
st=$?
if [ $st -eq 0 ] && grep -q -- --interval "$work/help"; then pass "--help"
else fail "--help exit $st"; fi

echo "$failures failure(s)"
cleanup
trap - EXIT
[ $failures -eq 0 ]
