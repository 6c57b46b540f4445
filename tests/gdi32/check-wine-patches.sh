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
# make check-wine-patches: the wine-patches/ series against Wine 8.0 as
# Debian ships it, built and run for real.
#
#  1. fetch and prepare Debian's wine source (cached in $BUILD/wine-source)
#  2. the committed series equals what scripts/wine/gen-wine-patches.sh makes
#     from the current d3dkmt.spec (else: make wine-patches)
#  3. it applies with patch -p1 to the whole tree, and with git am
#  4. build the patched gdi32.dll (only gdi32, not Wine)
#  5. run it as Wine's builtin gdi32 in a private copy of the installed Wine
#     (the installed Wine is not touched), with d3dkmt from the build:
#     - gdi32_getproc.exe: GetProcAddress(GetModuleHandleA("gdi32.dll"),
#       "D3DKMTLock") and friends land in d3dkmt.dll and work
#     - gdi32_static.exe: the same through static imports of gdi32.dll
#     - passthrough.exe gdi32: the pass-through calls through gdi32 answer
#       as Wine's own calls do
#     - Wine's own D3DKMT tests (dlls/gdi32/tests/driver.c, built from the
#       source with mingw) fail no check through the patched gdi32 that they
#       pass through Wine's
# Environment: srcdir, BUILD (the build directory), MODULES_DIR, EXES (the
# directory of the built test programs), WINE WINEBOOT WINESERVER.
set -u
. "$srcdir/tests/gdi32/lib.sh"
top=$BUILD/wine-patches-check
src=$BUILD/wine-source/src
mkdir -p "$top"

echo "== Wine source (Debian's, with its patches)"
sh "$srcdir/scripts/wine/wine-source.sh" "$BUILD/wine-source"
record "fetch and prepare Debian's wine source" $?
[ -f "$src/.prepared" ] || summary
echo "   installed Wine: $(dpkg-query -W -f='${Version}' wine64 2>/dev/null || echo '?'), source: $(cat "$BUILD/wine-source/version")"

echo "== the committed series is the one d3dkmt.spec gives"
rm -rf "$top/generated"
sh "$srcdir/scripts/wine/gen-wine-patches.sh" "$src" "$srcdir/dlls/d3dkmt/d3dkmt.spec" "$top/generated" >/dev/null
st=$?
if [ $st -eq 0 ]; then
    for p in "$top"/generated/*.patch; do
        cmp -s "$p" "$srcdir/wine-patches/$(basename "$p")" || { echo "   $(basename "$p") differs: run make wine-patches"; st=1; }
    done
    for p in "$srcdir"/wine-patches/*.patch; do
        [ -f "$top/generated/$(basename "$p")" ] || { echo "   $(basename "$p") is not generated any more"; st=1; }
    done
fi
record "wine-patches/ is up to date with d3dkmt.spec" $st

echo "== apply the series: patch -p1 on the whole tree"
rm -rf "$top/tree"
cp -al "$src" "$top/tree"   # hard links: patch writes new files, the source stays as it is
st=0
for p in "$srcdir"/wine-patches/*.patch; do
    (cd "$top/tree" && patch -p1 -s --no-backup-if-mismatch < "$p") || { echo "   $(basename "$p") does not apply"; st=1; }
done
record "patch -p1 applies the series" $st

echo "== apply the series: git am"
rm -rf "$top/git"
mkdir -p "$top/git"
files=$(sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$srcdir"/wine-patches/*.patch | sort -u)
st=0
(
    cd "$top/git" && git init -q && git config user.name check && git config user.email check@invalid &&
    for f in $files; do mkdir -p "$(dirname "$f")"; cp "$src/$f" "$f"; done &&
    git add -A && git commit -q -m "Wine 8.0 (Debian)" && git am -q "$srcdir"/wine-patches/*.patch
) || st=1
for f in $files; do cmp -s "$top/git/$f" "$top/tree/$f" || { echo "   $f: git am and patch -p1 differ"; st=1; }; done
record "git am applies the series (same result as patch -p1)" $st

echo "== build the patched gdi32.dll"
t0=$(date +%s)
rm -rf "$top/gdi32"
sh "$srcdir/scripts/wine/build-gdi32.sh" "$top/tree" "$top/gdi32" > "$top/gdi32.log" 2>&1
st=$?
grep -i "warning\|error" "$top/gdi32.log" | head -20
echo "   $(( $(date +%s) - t0 ))s"
record "build the patched gdi32.dll" $st
[ $st -eq 0 ] || summary
if winedump -j export "$top/gdi32/gdi32.dll" | grep -q "D3DKMTLock (-> d3dkmt.D3DKMTLock)"; then st=0; else st=1; fi
record "the patched gdi32.dll forwards D3DKMTLock to d3dkmt" $st

gdi32_32=""
if [ -n "${WINE_TEST_I686:-}" ]; then
    echo "== build the patched 32-bit gdi32.dll"
    t0=$(date +%s)
    rm -rf "$top/gdi32-i386"
    TARGET=i686-w64-mingw32 sh "$srcdir/scripts/wine/build-gdi32.sh" "$top/tree" "$top/gdi32-i386" > "$top/gdi32-i386.log" 2>&1
    st=$?
    grep -i "warning\|error" "$top/gdi32-i386.log" | head -20
    echo "   $(( $(date +%s) - t0 ))s"
    record "build the patched 32-bit gdi32.dll" $st
    if [ $st -eq 0 ]; then
        gdi32_32=$top/gdi32-i386/gdi32.dll
        if winedump -j export "$gdi32_32" | grep -q "D3DKMTLock (-> d3dkmt.D3DKMTLock)"; then st=0; else st=1; fi
        record "the patched 32-bit gdi32.dll forwards D3DKMTLock to d3dkmt" $st
    fi
fi

echo "== private copy of the installed Wine with the patched gdi32"
sh "$srcdir/scripts/wine/wine-with-gdi32.sh" "$top/wine" "$top/gdi32/gdi32.dll" $gdi32_32
record "a Wine with the patched gdi32" $?
wbin=$top/wine/lib/wine

start_display
echo "== prefixes: Wine's gdi32 ($top/prefix-wine), the patched one ($top/prefix-patched)"
new_prefix "$top/prefix-wine"
record "prefix with Wine's gdi32" $?
new_prefix "$top/prefix-patched" "$wbin"
record "prefix with the patched gdi32" $?
# The loader maps the builtin from its module directory, so wineboot's copy
# in system32 tells which gdi32 the prefix runs.
cmp -s "$top/gdi32/gdi32.dll" "$top/prefix-patched/drive_c/windows/system32/gdi32.dll"
record "the patched prefix runs the patched gdi32.dll" $?

for t in gdi32_getproc gdi32_static; do
    echo "== $t.exe through the patched gdi32"
    run_in "$top/prefix-patched" "$top/$t.txt" "$wbin/wine64" "$EXES/$t.exe"
    st=$?
    show_result "$top/$t.txt"
    record "$t.exe through the patched gdi32" $st
done
if [ -n "$gdi32_32" ]; then
    cmp -s "$gdi32_32" "$top/prefix-patched/drive_c/windows/syswow64/gdi32.dll"
    record "the patched prefix runs the patched 32-bit gdi32.dll (syswow64)" $?
    for t in gdi32_getproc gdi32_static; do
        echo "== $t.i686.exe (plain mingw i686) through the patched 32-bit gdi32"
        run_in "$top/prefix-patched" "$top/$t.i686.txt" "$wbin/wine64" "$EXES/$t.i686.exe"
        st=$?
        show_result "$top/$t.i686.txt"
        record "$t.i686.exe through the patched 32-bit gdi32" $st
    done
fi
echo "== passthrough.exe gdi32 through the patched gdi32"
run_in "$top/prefix-patched" "$top/passthrough.txt" "$wbin/wine64" "$EXES/passthrough.exe" gdi32
st=$?
show_result "$top/passthrough.txt"
record "passthrough.exe gdi32 through the patched gdi32" $st

echo "== Wine's own D3DKMT tests (dlls/gdi32/tests/driver.c)"
sh "$srcdir/tests/gdi32/build-tests-cached.sh" "$BUILD"
st=$?
record "build Wine's gdi32 tests" $st
if [ $st -eq 0 ]; then
    tests=$BUILD/wine-tests/gdi32_test.exe
    mkdir -p "$top/driver/without" "$top/driver/with"
    run_in "$top/prefix-wine" "$top/driver/without/driver.txt" "$WINE" "$tests" driver
    run_in "$top/prefix-patched" "$top/driver/with/driver.txt" "$wbin/wine64" "$tests" driver
    echo driver > "$top/driver/list"
    sh "$srcdir/tests/gdi32/compare-winetest.sh" no-new-failures "$top/driver/list" "$top/driver/without" \
        "$top/driver/with" > "$top/driver/table.txt" 2>&1
    st=$?
    sed 's/^/   /' "$top/driver/table.txt"
    record "driver.c: no check fails through the patched gdi32 that passes through Wine's" $st
fi
stop_prefix "$top/prefix-wine"
stop_prefix "$top/prefix-patched" "$wbin"
summary
