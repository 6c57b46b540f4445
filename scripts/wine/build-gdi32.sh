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
# Builds Wine's gdi32.dll (a PE-only module in Wine 8.0: its Unix side lives
# in win32u) from a Wine source tree with mingw-w64, as Wine's own makefiles
# do for a cross-compiled builtin, without configuring or building the rest
# of Wine:
#   build-gdi32.sh WINE_SRC OUT_DIR        -> OUT_DIR/gdi32.dll (builtin)
# Sources, defines, imports and delay imports come from the tree's
# dlls/gdi32/Makefile.in; the spec file from the tree; the import libraries
# of the other modules from the installed Wine (same version), except the
# delay-import libraries, which winebuild makes from the tree's spec files as
# Wine's makefiles do for a gcc cross compiler.  The tree needs the files
# scripts/wine/wine-source.sh generates (Unicode tables, idl headers).
set -eu
src=$1; out=$2
mdir=$src/dlls/gdi32
# TARGET=i686-w64-mingw32 builds the 32-bit one (CROSSCC follows it).
: "${TARGET:=x86_64-w64-mingw32}"
: "${CROSSCC:=$TARGET-gcc}" "${WRC:=wrc}" "${WINEBUILD:=winebuild}" "${WINEGCC:=winegcc}"
case "$TARGET" in x86_64-*) cx16=-mcx16 ;; *) cx16= ;; esac
mkdir -p "$out/obj"

mkvar() # name: a variable of Makefile.in, continuation lines joined
{
    sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$mdir/Makefile.in" | sed -n "s/^$1[ 	]*=[ 	]*//p"
}

# Wine 8.0's cross flags for a module (configure.ac, tools/makedep.c):
# -D__WINESRC__, ucrtbase as the C runtime, the tree's msvcrt headers.
CFLAGS="-I$mdir -I$src/include -I$src/include/msvcrt $(mkvar EXTRADEFS) -D__WINESRC__ -D_UCRT -D__WINE_PE_BUILD \
 -Wall -fno-strict-aliasing -Wdeclaration-after-statement -Wempty-body -Wignored-qualifiers -Winit-self \
 -Wno-packed-not-aligned -Wshift-overflow=2 -Wstrict-prototypes -Wtype-limits -Wunused-but-set-parameter -Wvla \
 -Wwrite-strings -Wpointer-arith -Wlogical-op -Wabsolute-value -Wformat-overflow -Wnonnull $cx16 -g -O2"

objs=""
for c in $(mkvar C_SRCS); do
    o=$out/obj/$(echo "${c%.c}" | tr / _).o
    $CROSSCC -c -o "$o" "$mdir/$c" $CFLAGS
    objs="$objs $o"
done
for r in $(mkvar RC_SRCS); do
    o=$out/obj/${r%.rc}.res
    $WRC -o "$o" --target="$TARGET" -I"$mdir" -I"$src/include" --nostdinc -D__WINESRC__ "$mdir/$r"
    objs="$objs $o"
done

libs=""
for i in $(mkvar IMPORTS); do libs="$libs -l$i"; done
for i in $(mkvar DELAYIMPORTS); do
    # The module whose import library is $i, and its spec file (named after
    # the module, without .dll).
    mf=$(grep -l "^IMPORTLIB[ 	]*=[ 	]*$i[ 	]*$" "$src"/dlls/*/Makefile.in | head -1)
    [ -n "$mf" ] || { echo "no module has the import library $i" >&2; exit 1; }
    module=$(sed -n 's/^MODULE[ 	]*=[ 	]*//p' "$mf")
    spec=$(dirname "$mf")/${module%.dll}.spec
    $WINEBUILD -w --implib --without-dlltool --target "$TARGET" --cc-cmd="$CROSSCC" \
        -o "$out/obj/lib$i.delay.a" --export "$spec"
    libs="$libs $out/obj/lib$i.delay.a"
done
$WINEGCC -b "$TARGET" -shared -Wl,--wine-builtin -o "$out/gdi32.dll" "$mdir/gdi32.spec" $objs $libs
echo "built $out/gdi32.dll from $mdir"
