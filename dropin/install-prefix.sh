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
# Puts the drop-in gdi32.dll into a Wine prefix, or takes it out again:
#   install-prefix.sh install   DROPIN_DIR [MODULES_DIR]
#   install-prefix.sh uninstall DROPIN_DIR [MODULES_DIR]
# with WINEPREFIX set (default ~/.wine).  DROPIN_DIR holds gdi32.dll and
# wine-gdi32.sha256 (what `make dropin` builds); MODULES_DIR is the build's
# modules/ directory, for when d3dkmt is not installed next to Wine's own
# modules (then WINEDLLPATH must point there whenever the prefix is used).
#
# install:   copies Wine's gdi32.dll to system32/gdi32_wine.dll and the
#            drop-in to system32/gdi32.dll, sets the DLL override
#            HKCU\Software\Wine\DllOverrides gdi32=native,builtin (keeping
#            any earlier value to restore), runs wineboot -u.
# uninstall: restores the override, puts Wine's gdi32.dll back into
#            system32, removes gdi32_wine.dll, runs wineboot -u.
# A 64-bit prefix with 32-bit Wine (wine32) gets the same in syswow64 from
# DROPIN_DIR/i386 and $WINE_LIBDIR32/i386-windows/gdi32.dll.
# The state is kept in $WINEPREFIX/d3dkmt-gdi32-dropin.state.
set -eu
action=${1:-}; dropin=${2:-}; modules=${3:-}
case "$action" in install|uninstall) ;; *) echo "usage: $0 install|uninstall DROPIN_DIR [MODULES_DIR]" >&2; exit 2 ;; esac
[ -n "$dropin" ] && [ -f "$dropin/gdi32.dll" ] || { echo "$0: no drop-in gdi32.dll in '$dropin' (make dropin)" >&2; exit 2; }
dropin=$(cd "$dropin" && pwd)

: "${WINE:=wine}" "${WINEBOOT:=wineboot}" "${WINESERVER:=wineserver}"
: "${WINE_LIBDIR:=/usr/lib/x86_64-linux-gnu/wine}"
export WINEPREFIX="${WINEPREFIX:-$HOME/.wine}"
export WINEDEBUG="${WINEDEBUG:--all}"
sys32=$WINEPREFIX/drive_c/windows/system32
# 32-bit programs of a 64-bit prefix load from syswow64: the i386 drop-in
# (DROPIN_DIR/i386, built when the i686 module is) goes there, with 32-bit
# Wine's gdi32 beside it.
wow64=$WINEPREFIX/drive_c/windows/syswow64
: "${WINE_LIBDIR32:=/usr/lib/i386-linux-gnu/wine}"
wine_gdi32_32=$WINE_LIBDIR32/i386-windows/gdi32.dll
dropin32=""
[ -f "$dropin/i386/gdi32.dll" ] && [ -f "$wine_gdi32_32" ] && dropin32=$dropin/i386
state=$WINEPREFIX/d3dkmt-gdi32-dropin.state
wine_gdi32=$WINE_LIBDIR/x86_64-windows/gdi32.dll
key='HKCU\Software\Wine\DllOverrides'

# Where d3dkmt is: next to Wine's modules, or in MODULES_DIR (WINEDLLPATH).
if [ -f "$WINE_LIBDIR/x86_64-windows/d3dkmt.dll" ] && [ -f "$WINE_LIBDIR/x86_64-unix/d3dkmt.so" ]; then
    need_path=""
elif [ -n "$modules" ] && [ -f "$modules/x86_64-windows/d3dkmt.dll" ]; then
    modules=$(cd "$modules" && pwd)
    case ":${WINEDLLPATH:-}:" in *":$modules:"*) ;; *) export WINEDLLPATH="$modules${WINEDLLPATH:+:$WINEDLLPATH}" ;; esac
    need_path=$modules
else
    if [ "$action" = install ]; then
        echo "$0: d3dkmt is neither installed in $WINE_LIBDIR (make install) nor given as MODULES_DIR" >&2
        exit 1
    fi
    need_path=""
fi

is_dropin() { [ -f "$1" ] && grep -q "gdi32_wine" "$1"; }

override_value() # prints the gdi32 override of the prefix, or nothing
{
    "$WINE" reg query "$key" /v gdi32 2>/dev/null | tr -d '\r' | awk '$1 == "gdi32" { print $3 }'
}

if [ "$action" = install ]; then
    if [ -f "$dropin/wine-gdi32.sha256" ] && ! (cd "$(dirname "$wine_gdi32")" && sha256sum -c --status "$dropin/wine-gdi32.sha256" 2>/dev/null); then
        echo "$0: $wine_gdi32 is not the one the drop-in was built from (Wine was updated?): rebuild it (make dropin)" >&2
        exit 1
    fi
    if [ ! -d "$sys32" ]; then
        echo "== creating $WINEPREFIX"
        "$WINEBOOT" -u >/dev/null 2>&1
        "$WINESERVER" -w
    fi
    if [ ! -f "$state" ]; then
        previous=$(override_value)
        echo "override=${previous:-none}" > "$state"
    fi
    echo "== $sys32/gdi32_wine.dll <- $wine_gdi32"
    cp "$wine_gdi32" "$sys32/gdi32_wine.dll"
    echo "== $sys32/gdi32.dll <- $dropin/gdi32.dll"
    cp "$dropin/gdi32.dll" "$sys32/gdi32.dll"
    if [ -n "$dropin32" ] && [ -d "$wow64" ]; then
        if [ -f "$dropin32/wine-gdi32.sha256" ] && ! (cd "$(dirname "$wine_gdi32_32")" && sha256sum -c --status "$dropin32/wine-gdi32.sha256" 2>/dev/null); then
            echo "$0: $wine_gdi32_32 is not the one the 32-bit drop-in was built from: rebuild it (make dropin)" >&2
            exit 1
        fi
        echo "== $wow64/gdi32_wine.dll <- $wine_gdi32_32"
        cp "$wine_gdi32_32" "$wow64/gdi32_wine.dll"
        echo "== $wow64/gdi32.dll <- $dropin32/gdi32.dll"
        cp "$dropin32/gdi32.dll" "$wow64/gdi32.dll"
    fi
    echo "== DLL override gdi32=native,builtin"
    "$WINE" reg add "$key" /v gdi32 /t REG_SZ /d native,builtin /f >/dev/null 2>&1
    echo "== wineboot -u"
    "$WINEBOOT" -u >/dev/null 2>&1
    "$WINESERVER" -w
    cmp -s "$dropin/gdi32.dll" "$sys32/gdi32.dll" || { echo "$0: wineboot replaced the drop-in" >&2; exit 1; }
    [ "$(override_value)" = "native,builtin" ] || { echo "$0: the override did not stick" >&2; exit 1; }
    [ -f "$sys32/d3dkmt.dll" ] || { echo "$0: wineboot did not install d3dkmt.dll into the prefix" >&2; exit 1; }
    if [ -n "$dropin32" ] && [ -d "$wow64" ]; then
        cmp -s "$dropin32/gdi32.dll" "$wow64/gdi32.dll" || { echo "$0: wineboot replaced the 32-bit drop-in" >&2; exit 1; }
        [ -f "$wow64/d3dkmt.dll" ] || { echo "$0: wineboot did not install the 32-bit d3dkmt.dll into syswow64" >&2; exit 1; }
        echo "== the 32-bit drop-in gdi32 is installed in syswow64"
    fi
    echo "== the drop-in gdi32 is installed in $WINEPREFIX"
    if [ -n "$need_path" ]; then
        echo "   d3dkmt is not installed next to Wine's modules: keep WINEDLLPATH=$need_path set"
        echo "   when you run programs in this prefix (or run make install)."
    fi
else
    previous=none
    [ -f "$state" ] && previous=$(sed -n 's/^override=//p' "$state")
    if [ -d "$sys32" ]; then
        if [ "$previous" = none ]; then
            echo "== removing the DLL override of gdi32"
            "$WINE" reg delete "$key" /v gdi32 /f >/dev/null 2>&1 || true
        else
            echo "== restoring the DLL override gdi32=$previous"
            "$WINE" reg add "$key" /v gdi32 /t REG_SZ /d "$previous" /f >/dev/null 2>&1
        fi
        "$WINESERVER" -w
        # Wine 8.0 will not load a builtin whose file in system32 is gone,
        # and wineboot needs gdi32: put Wine's own file back first.
        if is_dropin "$sys32/gdi32.dll" || [ ! -f "$sys32/gdi32.dll" ]; then
            echo "== $sys32/gdi32.dll <- $wine_gdi32"
            cp "$wine_gdi32" "$sys32/gdi32.dll"
        fi
        rm -f "$sys32/gdi32_wine.dll"
        if [ -d "$wow64" ] && [ -f "$wine_gdi32_32" ]; then
            if is_dropin "$wow64/gdi32.dll" || [ ! -f "$wow64/gdi32.dll" ]; then
                echo "== $wow64/gdi32.dll <- $wine_gdi32_32"
                cp "$wine_gdi32_32" "$wow64/gdi32.dll"
            fi
            rm -f "$wow64/gdi32_wine.dll"
        fi
        echo "== wineboot -u"
        "$WINEBOOT" -u >/dev/null 2>&1
        "$WINESERVER" -w
        cmp -s "$wine_gdi32" "$sys32/gdi32.dll" || { echo "$0: $sys32/gdi32.dll is not Wine's after wineboot -u" >&2; exit 1; }
        if [ -d "$wow64" ] && [ -f "$wine_gdi32_32" ]; then
            cmp -s "$wine_gdi32_32" "$wow64/gdi32.dll" || { echo "$0: $wow64/gdi32.dll is not Wine's after wineboot -u" >&2; exit 1; }
        fi
    fi
    rm -f "$state"
    echo "== the drop-in gdi32 is removed from $WINEPREFIX"
fi
