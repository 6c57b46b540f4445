# Copyright 2026 the wine-d3dkmt authors
#
# This library is free software; you can redistribute it and/or modify it
# under the terms of the GNU Lesser General Public License as published by
# the Free Software Foundation; either version 2.1 of the License, or (at
# your option) any later version.  It is distributed WITHOUT ANY WARRANTY;
# see COPYING.LIB.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

# Shell helpers of check-wine-patches.sh and check-dropin.sh (sourced).
# Expects: WINE WINEBOOT WINESERVER (the installed Wine), MODULES_DIR (the
# build's modules/), TEST_TIMEOUT.

: "${WINE:=wine}" "${WINEBOOT:=wineboot}" "${WINESERVER:=wineserver}" "${TEST_TIMEOUT:=600}"
export WINEDEBUG="${WINEDEBUG:--all}" WINEARCH=win64
export WINE_D3DKMT_TEST_CONTROL=1  # the module's test-control escape answers
passed=0; failed=0; failed_names=""; started=$(date +%s)
xvfb_pid=""

record() # name status
{
    if [ "$2" -eq 0 ]; then
        passed=$((passed + 1)); echo "   ok: $1"
    else
        failed=$((failed + 1)); failed_names="$failed_names|$1"; echo "   FAILED: $1"
    fi
}

summary() # exits with the result
{
    stop_display
    echo "== $(( $(date +%s) - started ))s in all"
    if [ -n "$failed_names" ]; then
        echo "failed:"
        echo "$failed_names" | tr '|' '\n' | sed -n 's/^./  &/p'
    fi
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# Xvfb when it is installed (Wine's display driver then implements the
# VidPN ownership calls and the gdi32 tests that need windows run), else no
# display at all.
start_display()
{
    unset DISPLAY WAYLAND_DISPLAY
    if [ "${NO_XVFB:-}" = 1 ] || ! command -v Xvfb >/dev/null 2>&1; then
        echo "== display: none (Xvfb not installed); Wine runs without a display driver"
        return 0
    fi
    n=90
    while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
    Xvfb ":$n" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    i=0
    while [ ! -e "/tmp/.X11-unix/X$n" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    if kill -0 "$xvfb_pid" 2>/dev/null && [ -e "/tmp/.X11-unix/X$n" ]; then
        export DISPLAY=":$n"
        echo "== display: Xvfb $DISPLAY (Wine's X11 driver)"
    else
        xvfb_pid=""
        echo "== display: none (Xvfb did not start); Wine runs without a display driver"
    fi
}

stop_display()
{
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
    xvfb_pid=""
}

# new_prefix DIR [WINE_BINDIR]: a fresh prefix with our module (WINEDLLPATH).
new_prefix()
{
    (
        export WINEPREFIX="$1" WINEDLLPATH="$MODULES_DIR"
        boot=$WINEBOOT; server=$WINESERVER
        if [ -n "${2:-}" ]; then boot="$2/wine64 wineboot"; server=$2/wineserver64; fi
        [ -d "$1" ] && $server -k >/dev/null 2>&1
        rm -rf "$1"
        $boot -u >/dev/null 2>&1 && $server -w && [ -f "$1/drive_c/windows/system32/d3dkmt.dll" ] || exit 1
        # A crash must not wait for someone to close winedbg's dialog.
        wine=$WINE; [ -n "${2:-}" ] && wine=$2/wine64
        $wine reg add 'HKCU\Software\Wine\WineDbg' /v ShowCrashDialog /t REG_DWORD /d 0 /f >/dev/null 2>&1 &&
            $server -w
    )
}

stop_prefix() # DIR [WINE_BINDIR]
{
    if [ -n "${2:-}" ]; then WINEPREFIX="$1" "$2/wineserver64" -k >/dev/null 2>&1
    else WINEPREFIX="$1" "$WINESERVER" -k >/dev/null 2>&1; fi
    return 0
}

# run_in PREFIX OUTFILE WINE_CMD... : one Windows program, output to OUTFILE.
run_in()
{
    prefix=$1; out=$2; shift 2
    WINEPREFIX="$prefix" WINEDLLPATH="$MODULES_DIR" timeout "$TEST_TIMEOUT" "$@" > "$out" 2>&1
    st=$?
    [ "$st" -eq 124 ] && echo "(timed out after ${TEST_TIMEOUT}s)" >> "$out"
    return $st
}

# Shows the winetest lines that matter of an output file (failures, summary).
show_result() # file
{
    grep -a -e "Test failed" -e "inside todo block" -e "tests executed" -e "timed out" -e "Assertion" "$1" | head -40 |
        sed 's/^/      /'
}
