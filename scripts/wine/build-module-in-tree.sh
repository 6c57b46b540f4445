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
# Builds dlls/d3dkmt of a Wine tree that has the packagers' third patch, the
# way Wine's makefiles would, without configuring Wine: every source against
# the tree's own headers with Wine's flags (the PE side with mingw-w64 and
# Wine's msvcrt headers, the Unix side, marked "#pragma makedep unix", with
# gcc), then the builtin DLL with winegcc from d3dkmt.spec and the .so:
#   build-module-in-tree.sh WINE_TREE OUT_DIR
#   -> OUT_DIR/x86_64-windows/d3dkmt.dll, OUT_DIR/x86_64-unix/d3dkmt.so
# The sources and imports come from the tree's dlls/d3dkmt/Makefile.in.
set -eu
tree=$1; out=$2
mdir=$tree/dlls/d3dkmt
: "${CROSSCC:=x86_64-w64-mingw32-gcc}" "${CC:=gcc}" "${WINEGCC:=winegcc}"
: "${WINE_LIBDIR:=/usr/lib/x86_64-linux-gnu/wine}"
mkdir -p "$out/obj" "$out/x86_64-windows" "$out/x86_64-unix"

mkvar() # name: a variable of Makefile.in, continuation lines joined
{
    sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$mdir/Makefile.in" | sed -n "s/^$1[ 	]*=[ 	]*//p"
}
incl="-I$mdir $(mkvar EXTRAINCL | sed "s|\$(srcdir)|$mdir|g") -I$tree/include"
PE_FLAGS="$incl -I$tree/include/msvcrt -D__WINESRC__ -D_UCRT -D__WINE_PE_BUILD -Wall -fno-strict-aliasing \
 -Wno-packed-not-aligned -mcx16 -g -O2"
UNIX_FLAGS="$incl -D__WINESRC__ -DWINE_UNIX_LIB -fPIC -fasynchronous-unwind-tables -Wall -g -O2"

pe=""; unix=""; st=0
for c in $(mkvar C_SRCS); do
    o=$out/obj/$(echo "${c%.c}" | tr / _).o
    if grep -q "^#pragma makedep unix" "$mdir/$c"; then
        $CC -c -o "$o" "$mdir/$c" $UNIX_FLAGS || st=1
        unix="$unix $o"
    else
        $CROSSCC -c -o "$o" "$mdir/$c" $PE_FLAGS || st=1
        pe="$pe $o"
    fi
done
[ $st -eq 0 ] || { echo "build-module-in-tree: compile errors" >&2; exit 1; }
libs=""
for i in $(mkvar IMPORTS); do libs="$libs -l$i"; done
$WINEGCC -b x86_64-w64-mingw32 -shared -Wl,--wine-builtin -o "$out/x86_64-windows/d3dkmt.dll" "$mdir/d3dkmt.spec" \
    $pe $libs
$CC -shared -Wl,-z,defs -Wl,-soname,d3dkmt.so -o "$out/x86_64-unix/d3dkmt.so" $unix "$WINE_LIBDIR/x86_64-unix/ntdll.so" \
    -lpthread
echo "built $out/x86_64-windows/d3dkmt.dll and $out/x86_64-unix/d3dkmt.so from $mdir"
