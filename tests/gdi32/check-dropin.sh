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
# make check-dropin: the drop-in gdi32.dll for an unmodified Wine 8.0.
#
#  1. two prefixes with our module: one left as it is ("without"), one with
#     the drop-in put in by dropin/install-prefix.sh ("with")
#  2. it works: gdi32_static.exe (built with plain mingw against mingw's
#     libgdi32.a, importing D3DKMTOpenAdapterFromGdiDisplayName,
#     D3DKMTCreateDevice, D3DKMTCreateAllocation2, D3DKMTLock, D3DKMTUnlock
#     and D3DKMTDestroyAllocation) runs through the drop-in and gets correct
#     results; so do gdi32_getproc.exe and passthrough.exe gdi32.  Without
#     the drop-in, gdi32_static.exe cannot get its D3DKMT functions.
#  3. it breaks nothing: Wine 8.0's own gdi32 conformance tests, built from
#     Debian's source with mingw, run twice without the drop-in and once
#     with it; every test that is not flaky without it must fail exactly the
#     same checks with it.  The table is printed.
#  4. gdi_draw.exe draws text and bitmaps with and without the drop-in: the
#     pixels must be identical.
#  5. dropin/install-prefix.sh uninstall puts Wine's gdi32 and the override
#     back.
# Environment: srcdir, BUILD, MODULES_DIR, EXES, DROPIN_DIR, WINE WINEBOOT
# WINESERVER.
set -u
. "$srcdir/tests/gdi32/lib.sh"
top=$BUILD/dropin-check
mkdir -p "$top"
without=$top/prefix-without
with=$top/prefix-with

start_display
echo "== prefixes: $without and $with"
new_prefix "$without"
record "prefix without the drop-in" $?
new_prefix "$with"
record "prefix for the drop-in" $?

echo "== dropin/install-prefix.sh install (WINEPREFIX=$with)"
WINEPREFIX="$with" sh "$srcdir/dropin/install-prefix.sh" install "$DROPIN_DIR" "$MODULES_DIR" > "$top/install.txt" 2>&1
st=$?
sed 's/^/   /' "$top/install.txt"
record "install-prefix.sh install" $st
[ "$(sed -n 's/^override=//p' "$with/d3dkmt-gdi32-dropin.state" 2>/dev/null)" = none ]
record "install-prefix.sh kept the earlier override (none)" $?

echo "== the drop-in works"
for t in gdi32_static gdi32_getproc; do
    run_in "$with" "$top/$t.txt" "$WINE" "$EXES/$t.exe"
    st=$?
    show_result "$top/$t.txt"
    record "$t.exe through the drop-in" $st
done
run_in "$with" "$top/passthrough.txt" "$WINE" "$EXES/passthrough.exe" gdi32
st=$?
show_result "$top/passthrough.txt"
record "passthrough.exe gdi32 through the drop-in" $st
TEST_TIMEOUT=60 run_in "$without" "$top/gdi32_static.without.txt" "$WINE" "$EXES/gdi32_static.exe"
st=$?
grep -a -m1 -i "unimplemented\|not found\|import" "$top/gdi32_static.without.txt" | sed 's/^/      /'
# Judged on the output too: the program crashes on Wine's stub entry points,
# and the exit code of a process that died of an unhandled exception is not
# always non-zero under Wine.
[ $st -ne 0 ] || ! grep -a -q "tests executed (0 marked as todo, 0 as flaky, 0 failures)" "$top/gdi32_static.without.txt"
record "without the drop-in, gdi32_static.exe does not get its D3DKMT functions (control)" $?

if [ -n "${WINE_TEST_I686:-}" ]; then
    echo "== the 32-bit drop-in works (syswow64)"
    cmp -s "$DROPIN_DIR/i386/gdi32.dll" "$with/drive_c/windows/syswow64/gdi32.dll"
    record "syswow64/gdi32.dll is the 32-bit drop-in" $?
    for t in gdi32_static gdi32_getproc; do
        run_in "$with" "$top/$t.i686.txt" "$WINE" "$EXES/$t.i686.exe"
        st=$?
        show_result "$top/$t.i686.txt"
        record "$t.i686.exe (plain mingw i686) through the 32-bit drop-in" $st
    done
    TEST_TIMEOUT=60 run_in "$without" "$top/gdi32_static.i686.without.txt" "$WINE" "$EXES/gdi32_static.i686.exe"
    st=$?
    [ $st -ne 0 ] || ! grep -a -q "tests executed (0 marked as todo, 0 as flaky, 0 failures)" "$top/gdi32_static.i686.without.txt"
    record "without the drop-in, gdi32_static.i686.exe does not get its D3DKMT functions (control)" $?
fi

echo "== pixels drawn with GDI, with and without the drop-in"
rm -rf "$top/draw-without" "$top/draw-with"
run_in "$without" "$top/draw-without.txt" "$WINE" "$EXES/gdi_draw.exe" draw "Z:$top/draw-without"
st1=$?
run_in "$with" "$top/draw-with.txt" "$WINE" "$EXES/gdi_draw.exe" draw "Z:$top/draw-with"
st2=$?
run_in "$without" "$top/draw-compare.txt" "$WINE" "$EXES/gdi_draw.exe" compare "Z:$top/draw-without" "Z:$top/draw-with"
st3=$?
sed 's/^/   /' "$top/draw-compare.txt"
[ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ $st3 -eq 0 ]
record "gdi_draw.exe: the same pixels with and without the drop-in" $?

echo "== Wine's gdi32 conformance tests (dlls/gdi32/tests, Debian's source, mingw)"
sh "$srcdir/tests/gdi32/build-tests-cached.sh" "$BUILD"
st=$?
record "build Wine's gdi32 tests" $st
if [ $st -eq 0 ]; then
    tests=$BUILD/wine-tests/gdi32_test.exe
    for run in without1 without2 with; do
        t0=$(date +%s)
        case $run in with) prefix=$with ;; *) prefix=$without ;; esac
        rm -rf "$top/tests-$run"
        mkdir -p "$top/tests-$run"
        for t in $(cat "$BUILD/wine-tests/tests.list"); do
            run_in "$prefix" "$top/tests-$run/$t.txt" "$WINE" "$tests" "$t"
        done
        echo "   all gdi32 tests, $run: $(( $(date +%s) - t0 ))s"
    done
    # driver.c tests the D3DKMT functions, which the drop-in sends to our
    # module on purpose: there, no check may fail that passed without it.
    sh "$srcdir/tests/gdi32/compare-winetest.sh" same --changed driver "$BUILD/wine-tests/tests.list" \
        "$top/tests-without1" "$top/tests-without2" "$top/tests-with" > "$top/table.txt" 2>&1
    st=$?
    sed 's/^/   /' "$top/table.txt"
    record "gdi32 conformance tests: the drop-in adds no failure" $st
fi

if [ -n "${WINE_TEST_I686:-}" ]; then
    echo "== Wine's gdi32 conformance tests for 32-bit (i686 mingw, syswow64)"
    TARGET=i686-w64-mingw32 sh "$srcdir/tests/gdi32/build-tests-cached.sh" "$BUILD"
    st=$?
    record "build Wine's 32-bit gdi32 tests" $st
    if [ $st -eq 0 ]; then
        tests=$BUILD/wine-tests-i386/gdi32_test.exe
        for run in without with; do
            t0=$(date +%s)
            case $run in with) prefix=$with ;; *) prefix=$without ;; esac
            rm -rf "$top/tests32-$run"
            mkdir -p "$top/tests32-$run"
            for t in $(cat "$BUILD/wine-tests-i386/tests.list"); do
                run_in "$prefix" "$top/tests32-$run/$t.txt" "$WINE" "$tests" "$t"
            done
            echo "   all 32-bit gdi32 tests, $run: $(( $(date +%s) - t0 ))s"
        done
        # One run each (CI time): no check may fail with the drop-in that
        # passed without it.
        sh "$srcdir/tests/gdi32/compare-winetest.sh" no-new-failures "$BUILD/wine-tests-i386/tests.list" \
            "$top/tests32-without" "$top/tests32-with" > "$top/table32.txt" 2>&1
        st=$?
        sed 's/^/   /' "$top/table32.txt"
        record "32-bit gdi32 conformance tests: the drop-in adds no failure" $st
    fi
fi

echo "== dropin/install-prefix.sh uninstall"
stop_prefix "$with"
WINEPREFIX="$with" sh "$srcdir/dropin/install-prefix.sh" uninstall "$DROPIN_DIR" "$MODULES_DIR" > "$top/uninstall.txt" 2>&1
st=$?
sed 's/^/   /' "$top/uninstall.txt"
record "install-prefix.sh uninstall" $st
cmp -s "$WINE_LIBDIR/x86_64-windows/gdi32.dll" "$with/drive_c/windows/system32/gdi32.dll"
record "after uninstall: system32/gdi32.dll is Wine's again" $?
if [ -n "${WINE_TEST_I686:-}" ]; then
    cmp -s "$WINE_LIBDIR32/i386-windows/gdi32.dll" "$with/drive_c/windows/syswow64/gdi32.dll"
    record "after uninstall: syswow64/gdi32.dll is Wine's again" $?
fi
TEST_TIMEOUT=60 run_in "$with" "$top/gdi32_static.after.txt" "$WINE" "$EXES/gdi32_static.exe"
st=$?
[ $st -ne 0 ] || ! grep -a -q "tests executed (0 marked as todo, 0 as flaky, 0 failures)" "$top/gdi32_static.after.txt"
record "after uninstall: gdi32_static.exe no longer gets its D3DKMT functions" $?
run_in "$with" "$top/draw-after.txt" "$WINE" "$EXES/gdi_draw.exe" draw "Z:$top/draw-after"
record "after uninstall: gdi_draw.exe still draws" $?
st=0
[ -f "$with/drive_c/windows/system32/gdi32_wine.dll" ] && st=1
[ -f "$with/drive_c/windows/syswow64/gdi32_wine.dll" ] && st=1
[ -f "$with/d3dkmt-gdi32-dropin.state" ] && st=1
grep -qi '"gdi32"=' "$with/user.reg" && st=1
record "after uninstall: no gdi32_wine.dll, no override, no state file" $st

stop_prefix "$with"
stop_prefix "$without"
summary
