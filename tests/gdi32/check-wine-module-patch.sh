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
# make check-wine-module-patch: the packagers' form of the series.
#  1. make the series with the third patch (our module as dlls/d3dkmt of
#     Wine's tree) from the current sources
#  2. it applies with patch -p1 to Debian's wine source
#  3. dlls/d3dkmt of the patched tree builds against Wine's own headers with
#     Wine's flags (scripts/wine/build-module-in-tree.sh; Wine itself is not
#     configured)
#  4. that build passes our conformance programs and passthrough.exe
# Environment: as check-wine-patches.sh, plus PE_SRC UNIX_SRC VIDMM_SRC
# PE_INC UNIX_INC (from Makefile.am) and CONFORMANCE_EXES.
set -u
. "$srcdir/tests/gdi32/lib.sh"
top=$BUILD/wine-module-check
mkdir -p "$top"

sh "$srcdir/scripts/wine/wine-source.sh" "$BUILD/wine-source"
record "fetch and prepare Debian's wine source" $?
src=$BUILD/wine-source/src

echo "== the series with the module patch"
rm -rf "$top/patches"
sh "$srcdir/scripts/wine/gen-wine-patches.sh" "$src" "$srcdir/dlls/d3dkmt/d3dkmt.spec" "$top/patches" \
    "sh $srcdir/scripts/wine/module-into-wine-tree.sh $srcdir" | sed 's/^/   /'
ls "$top"/patches/0003-*.patch >/dev/null 2>&1
record "generate the series with the module patch" $?

echo "== apply it with patch -p1"
rm -rf "$top/tree"
cp -al "$src" "$top/tree"
st=0
for p in "$top"/patches/*.patch; do
    (cd "$top/tree" && patch -p1 -s --no-backup-if-mismatch < "$p") || { echo "   $(basename "$p") does not apply"; st=1; }
done
record "patch -p1 applies the three patches" $st

echo "== build dlls/d3dkmt in Wine's tree, against Wine's headers"
rm -rf "$top/modules"
sh "$srcdir/scripts/wine/build-module-in-tree.sh" "$top/tree" "$top/modules" > "$top/build.log" 2>&1
st=$?
grep -E "error|warning" "$top/build.log" | head -20 | sed 's/^/   /'
record "dlls/d3dkmt builds in Wine's tree" $st

if [ $st -eq 0 ]; then
    MODULES_DIR=$top/modules
    new_prefix "$top/prefix"
    record "prefix with the module built in Wine's tree" $?
    for t in $CONFORMANCE_EXES tests/gdi32/passthrough.exe; do
        name=$(basename "$t" .exe)
        run_in "$top/prefix" "$top/$name.txt" "$WINE" "$BUILD/$t"
        st=$?
        show_result "$top/$name.txt" | tail -3
        record "$t with the module built in Wine's tree" $st
    done
    stop_prefix "$top/prefix"
fi
summary
