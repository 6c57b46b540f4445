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
# Puts this module into a Wine 8.0 tree as dlls/d3dkmt, for packagers who
# want Wine to build it (make wine-patches-with-module turns the result into
# the series' third patch):
#   module-into-wine-tree.sh TOP_SRCDIR WINE_TREE
# The file lists come from our Makefile.am through the environment (PE_SRC,
# UNIX_SRC, VIDMM_SRC, PE_INC, UNIX_INC), so nothing here goes stale:
#   dlls/d3dkmt/*.c, vidmm/*.c, *.h, d3dkmt.spec   our files, as they are
#       (the Unix-side sources carry Wine's "#pragma makedep unix")
#   dlls/d3dkmt/wine-d3dkmt/*.h, private/*.h      our public and private headers
#       (under the module's directory, which is in the include path, so
#       "wine-d3dkmt/d3dkmthk.h" is ours, never Wine's ddk/d3dkmthk.h)
#   dlls/d3dkmt/Makefile.in                       Wine's makefile of the module
#   configure.ac                                  WINE_CONFIG_MAKEFILE(dlls/d3dkmt)
# Prints the commit message.
set -eu
top=$1; tree=$2
export LC_ALL=C
: "${PE_SRC:?}" "${UNIX_SRC:?}" "${VIDMM_SRC:?}" "${PE_INC:?}" "${UNIX_INC:?}"
dst=$tree/dlls/d3dkmt
rm -rf "$dst"
mkdir -p "$dst"

place() # our path -> its path under dlls/d3dkmt
{
    case "$1" in
        dlls/d3dkmt/*) echo "${1#dlls/d3dkmt/}" ;;
        include/*) echo "${1#include/}" ;;
        *) echo "unexpected source $1" >&2; exit 1 ;;
    esac
}

copy() # our path [unix]
{
    to=$dst/$(place "$1")
    mkdir -p "$(dirname "$to")"
    # The Unix-side sources carry Wine's marker themselves.
    if [ "${2:-}" = unix ] && ! grep -q '^#pragma makedep unix$' "$top/$1"; then
        echo "$1: no #pragma makedep unix" >&2; exit 1
    fi
    cp "$top/$1" "$to"
}

srcs=""
for f in $PE_SRC; do copy "$f"; srcs="$srcs $(place "$f")"; done
for f in $UNIX_SRC $VIDMM_SRC; do
    case "$f" in
        *.c) copy "$f" unix; srcs="$srcs $(place "$f")" ;;
        *) copy "$f" ;;
    esac
done
for f in $PE_INC $UNIX_INC; do copy "$f"; done
for f in "$top"/include/private/*.h; do copy "include/private/$(basename "$f")"; done
cp "$top/dlls/d3dkmt/d3dkmt.spec" "$dst/d3dkmt.spec"

{
    echo "MODULE    = d3dkmt.dll"
    echo "UNIXLIB   = d3dkmt.so"
    echo "IMPORTS   = win32u advapi32"
    echo "UNIX_LIBS = \$(PTHREAD_LIBS)"
    echo
    printf 'C_SRCS ='
    for s in $(printf '%s\n' $srcs | sort); do printf ' \\\n\t%s' "$s"; done
    echo
} > "$dst/Makefile.in"

# configure.ac: in WINE_CONFIG_MAKEFILE's order
if ! grep -q "^WINE_CONFIG_MAKEFILE(dlls/d3dkmt)" "$tree/configure.ac"; then
    awk '
        !done && /^WINE_CONFIG_MAKEFILE\(dlls\// {
            name = $0; sub(/^WINE_CONFIG_MAKEFILE\(/, "", name); sub(/[),].*/, "", name)
            if (name > "dlls/d3dkmt") { print "WINE_CONFIG_MAKEFILE(dlls/d3dkmt)"; done = 1 }
        }
        { print }
        END { if (!done) exit 1 }
    ' "$tree/configure.ac" > "$tree/configure.ac.new"
    mv "$tree/configure.ac.new" "$tree/configure.ac"
fi

version=$(sed -n 's/^AC_INIT(\[[^]]*\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")
cat <<EOF
d3dkmt: Add the D3DKMT video memory thunks.

The module of wine-d3dkmt $version, made from its sources by
"make wine-patches-with-module": a PE side (the D3DKMT exports gdi32
forwards to) and a Unix side (the video memory manager).  Run autoreconf
after applying this patch.
EOF
