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
# Makes a private copy of the installed Wine 8.0 in which gdi32.dll is
# another build, so the installed Wine stays untouched:
#   wine-with-gdi32.sh DIR GDI32_DLL [GDI32_DLL_32]
# then run DIR/bin/wine64 prog.exe.  With GDI32_DLL_32, the 32-bit side
# (Debian's wine32: /usr/lib/wine/wine and ../i386-linux-gnu/wine) is copied
# the same way, so a 32-bit program in a 64-bit prefix gets that gdi32.
# Wine 8.0 looks for a builtin module in its own module directory before the
# WINEDLLPATH directories (dlls/ntdll/unix/loader.c: set_dll_path), and a
# builtin-marked gdi32.dll in a prefix's system32 is only a placeholder for
# that one, so a rebuilt builtin gdi32 is only used where it replaces Wine's.
# This tree is Debian's layout (/usr/lib/wine/wine64 with the modules in
# ../x86_64-linux-gnu/wine): the loader and ntdll.so are copied, because
# ntdll finds its module directory from the real path of ntdll.so and the
# data directory from the real path of the loader; everything else is a
# symbolic link to the installed file.
set -eu
dir=$1; gdi32=$2; gdi32_32=${3:-}
: "${WINE_LIBDIR:=/usr/lib/x86_64-linux-gnu/wine}" "${WINE_BINDIR:=/usr/lib/wine}"
[ -x "$WINE_BINDIR/wine64" ] || { echo "$WINE_BINDIR/wine64 not found (Debian's wine64 package)" >&2; exit 1; }
rm -rf "$dir"
mkdir -p "$dir/lib/wine" "$dir/lib/x86_64-linux-gnu/wine/x86_64-unix" "$dir/lib/x86_64-linux-gnu/wine/x86_64-windows" \
    "$dir/share" "$dir/bin"
dir=$(cd "$dir" && pwd)
cp "$WINE_BINDIR/wine64" "$dir/lib/wine/wine64"
for f in "$WINE_BINDIR"/wineserver*; do ln -s "$f" "$dir/lib/wine/"; done
ln -s /usr/share/wine "$dir/share/wine"
for f in "$WINE_LIBDIR"/x86_64-unix/*; do ln -s "$f" "$dir/lib/x86_64-linux-gnu/wine/x86_64-unix/"; done
rm "$dir/lib/x86_64-linux-gnu/wine/x86_64-unix/ntdll.so"
cp "$WINE_LIBDIR/x86_64-unix/ntdll.so" "$dir/lib/x86_64-linux-gnu/wine/x86_64-unix/ntdll.so"
for f in "$WINE_LIBDIR"/x86_64-windows/*; do ln -s "$f" "$dir/lib/x86_64-linux-gnu/wine/x86_64-windows/"; done
rm "$dir/lib/x86_64-linux-gnu/wine/x86_64-windows/gdi32.dll"
cp "$gdi32" "$dir/lib/x86_64-linux-gnu/wine/x86_64-windows/gdi32.dll"
ln -s ../lib/wine/wine64 "$dir/bin/wine64"
if [ -n "$gdi32_32" ]; then
    : "${WINE_LIBDIR32:=/usr/lib/i386-linux-gnu/wine}"
    [ -x "$WINE_BINDIR/wine" ] || { echo "$WINE_BINDIR/wine not found (Debian's wine32 package)" >&2; exit 1; }
    l32=$dir/lib/i386-linux-gnu/wine
    mkdir -p "$l32/i386-unix" "$l32/i386-windows"
    cp "$WINE_BINDIR/wine" "$dir/lib/wine/wine"
    for f in "$WINE_LIBDIR32"/i386-unix/*; do ln -s "$f" "$l32/i386-unix/"; done
    rm "$l32/i386-unix/ntdll.so"
    cp "$WINE_LIBDIR32/i386-unix/ntdll.so" "$l32/i386-unix/ntdll.so"
    for f in "$WINE_LIBDIR32"/i386-windows/*; do ln -s "$f" "$l32/i386-windows/"; done
    rm "$l32/i386-windows/gdi32.dll"
    cp "$gdi32_32" "$l32/i386-windows/gdi32.dll"
    ln -s ../lib/wine/wine "$dir/bin/wine"
fi
