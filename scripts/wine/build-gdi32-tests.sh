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
# Builds Wine's own gdi32 conformance tests (dlls/gdi32/tests) from a Wine
# source tree with mingw-w64, the way Wine's makefiles build a test module:
#   build-gdi32-tests.sh WINE_SRC OUT_DIR
# gives OUT_DIR/gdi32_test.exe (run one test with: wine gdi32_test.exe bitmap)
# and OUT_DIR/tests.list (the tests built, one a line).
# The source files, imports and fonts are read from the tree's Makefile.in, so
# nothing here is a hand-kept list.  Sources missing from the tree are left
# out with a note (Debian's repacked source drops the generated generated.c).
set -eu
src=$1; out=$2
tdir=$src/dlls/gdi32/tests
# TARGET=i686-w64-mingw32 builds the 32-bit tests (CROSSCC follows it).
: "${TARGET:=x86_64-w64-mingw32}"
: "${CROSSCC:=$TARGET-gcc}" "${WRC:=wrc}" "${FONTFORGE:=fontforge}"
case "$TARGET" in x86_64-*) cx16=-mcx16 ;; *) cx16= ;; esac
: "${WINEGCC:=winegcc}"
mkdir -p "$out"

mkvar() # name: a variable of Makefile.in, continuation lines joined
{
    sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$tdir/Makefile.in" | sed -n "s/^$1[ 	]*=[ 	]*//p"
}

# Wine's cross flags for a test module (configure.ac, tools/makedep.c): the
# tree's headers with its msvcrt headers, msvcrt as the C runtime.
CFLAGS="-I$tdir -I$src/include -I$src/include/msvcrt -D_MSVCR_VER=0 -D__WINE_PE_BUILD -D__WINESRC__ \
 -Wall -fno-strict-aliasing -Wno-packed-not-aligned $cx16 -g -O2"

tests=""; objs=""
for c in $(mkvar C_SRCS); do
    name=${c%.c}
    if [ ! -f "$tdir/$c" ]; then
        echo "note: $c is not in this source tree (not built)"
        continue
    fi
    $CROSSCC -c -o "$out/$name.o" "$tdir/$c" $CFLAGS
    tests="$tests $name"; objs="$objs $out/$name.o"
done

{
    echo '#define WIN32_LEAN_AND_MEAN'
    echo '#include <windows.h>'
    echo '#define STANDALONE'
    echo '#include "wine/test.h"'
    for t in $tests; do echo "extern void func_$t(void);"; done
    echo 'const struct test winetest_testlist[] = {'
    for t in $tests; do echo "    { \"$t\", func_$t },"; done
    echo '    { 0, 0 }'
    echo '};'
} > "$out/testlist.c"
$CROSSCC -c -o "$out/testlist.o" "$out/testlist.c" $CFLAGS

# Test fonts: .sfd -> .ttf with fontforge and Wine's own script.
for f in $(mkvar FONT_SRCS); do
    $FONTFORGE -script "$src/fonts/genttf.ff" "$tdir/$f" "$out/${f%.sfd}.ttf" >/dev/null 2>&1
done
res=""
for r in $(mkvar RC_SRCS); do
    $WRC -o "$out/${r%.rc}.res" --target="$TARGET" -I"$out" -I"$tdir" -I"$src/include" --nostdinc \
        -D__WINESRC__ "$tdir/$r"
    res="$res $out/${r%.rc}.res"
done

libs=""
for i in $(mkvar IMPORTS); do libs="$libs -l$i"; done
# winegcc links against the installed Wine's import libraries, with msvcrt.
$WINEGCC -b "$TARGET" -mconsole -o "$out/gdi32_test.exe" "$out/testlist.o" $objs $res $libs -lmsvcrt
printf '%s\n' $tests > "$out/tests.list"
echo "built $out/gdi32_test.exe:$tests"
