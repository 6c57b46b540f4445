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
# Runs one Windows test program under Wine, for automake's test harness
# (EXE_LOG_COMPILER) and for make demo / make bench:
#   wine-log-compiler.sh prog.exe [args]   run it; its exit code is the result
#   wine-log-compiler.sh --setup           (re)create the throwaway prefix
#   wine-log-compiler.sh --stop            stop its wineserver
#   wine-log-compiler.sh --nounix prog.exe run it with no d3dkmt.so to be found
#                                          (WINEDLLPATH elsewhere): it must pass
#                                          and d3dkmt must print exactly one ERR line
# The prefix is $WINE_TEST_PREFIX, with the freshly built module found through
# WINEDLLPATH=$MODULES_DIR; make check creates it once per run (--setup), a
# program run without one creates it first.  Each program gets
# $TEST_TIMEOUT seconds (default 600).  The lines Debian's wine prints when
# wine32 is missing are dropped.
: "${WINE:=wine}" "${WINEBOOT:=wineboot}" "${WINESERVER:=wineserver}" "${TEST_TIMEOUT:=600}"
: "${WINE_TEST_PREFIX:?}" "${MODULES_DIR:?}"
export WINEPREFIX="$WINE_TEST_PREFIX" WINEDLLPATH="$MODULES_DIR"
export WINEDEBUG="${WINEDEBUG:--all}" WINEARCH=win64
export WINE_D3DKMT_TEST_CONTROL=1  # the module's test-control escape answers
# No display is needed: Wine still offers one adapter, \\.\DISPLAY1.
unset DISPLAY WAYLAND_DISPLAY

setup_prefix()
{
    "$WINESERVER" -k >/dev/null 2>&1
    rm -rf "$WINEPREFIX"
    echo "== creating Wine prefix $WINEPREFIX"
    if ! "$WINEBOOT" -u >/dev/null 2>&1; then
        echo "wineboot -u failed" >&2
        return 1
    fi
    if [ ! -f "$WINEPREFIX/drive_c/windows/system32/d3dkmt.dll" ]; then
        echo "d3dkmt.dll was not installed into the prefix from $MODULES_DIR" >&2
        return 1
    fi
    # 32-bit programs (WINE_TEST_I686=1) load it from syswow64.
    if [ -n "${WINE_TEST_I686:-}" ] && [ ! -f "$WINEPREFIX/drive_c/windows/syswow64/d3dkmt.dll" ]; then
        echo "the i686 d3dkmt.dll was not installed into the prefix's syswow64 from $MODULES_DIR" >&2
        return 1
    fi
    touch "$WINEPREFIX/.d3dkmt-prefix-ready"
}

case "${1:-}" in
    --setup) setup_prefix; exit ;;
    --stop) "$WINESERVER" -k >/dev/null 2>&1; exit 0 ;;
    --nounix) nounix=1; shift ;;
    *) nounix= ;;
esac
[ -f "$WINEPREFIX/.d3dkmt-prefix-ready" ] || setup_prefix || exit 99

if [ -n "$nounix" ]; then
    log=$(mktemp)
    WINEDLLPATH=/nonexistent/d3dkmt-nounix WINEDEBUG=-all,err+d3dkmt timeout "$TEST_TIMEOUT" "$WINE" "$@" 2>"$log"
    st=$?
    errs=$(grep -c ':err:d3dkmt:' "$log")
    grep ':err:d3dkmt:' "$log"
    rm -f "$log"
    if [ "$errs" -ne 1 ]; then echo "$1: $errs d3dkmt ERR lines, expected 1"; [ "$st" -eq 0 ] && st=1; fi
else
    status_file=$(mktemp)
    { timeout "$TEST_TIMEOUT" "$WINE" "$@"; echo $? > "$status_file"; } 2>&1 | grep -v -e 'wine32 is missing' \
        -e 'multiarch needs' -e 'dpkg --add-architecture' -e 'apt-get install wine32' -e '^execute "dpkg'
    st=$(cat "$status_file")
    rm -f "$status_file"
fi
[ "$st" -eq 124 ] && echo "$1: timed out after ${TEST_TIMEOUT}s"
# 77 and 99 mean "skipped" and "hard error" to automake; a program's exit
# code is its failure count, so those two are failures too.
case "$st" in 77|99) st=1 ;; esac
exit "$st"
