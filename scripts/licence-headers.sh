#!/bin/sh
# The licence header of every source file of the project:
#   licence-headers.sh [--check] [TOP]   list the files that lack it; exit 1 if any
#   licence-headers.sh --add [TOP]       give it to each of them
# TOP is the source tree (default: this script's ../).  The files are the
# .c .h .sh .am .ac .in .spec files and .ci/run, outside build directories
# (any directory with a config.status), autotools output, Wine prefixes and
# the Wine sources the gdi32 checks fetch.  Not ours and so left alone: the
# two example programs tests/seeds/seed_*_example.h, which are copied as they
# are from the seed documents.
# A file has the header when it has the SPDX line within its first 40 lines.
set -eu

mode=--check
case "${1:-}" in --check|--add) mode=$1; shift ;; esac
top=${1:-$(dirname "$0")/..}
spdx="SPDX-License-Identifier: LGPL-2.1-or-later"

notice()
{
    cat <<NOTICE
Copyright 2026 the wine-d3dkmt authors

This library is free software; you can redistribute it and/or modify it
under the terms of the GNU Lesser General Public License as published by
the Free Software Foundation; either version 2.1 of the License, or (at
your option) any later version.  It is distributed WITHOUT ANY WARRANTY;
see COPYING.LIB.

$spdx
NOTICE
}

files()
{
    builddirs=$(cd "$top" && find . -mindepth 2 -name config.status | sed 's|/config.status$||')
    (cd "$top" && find . \( -name .git -o -name autom4te.cache -o -name build-aux -o -name wineprefix \
            -o -name 'wine-source*' -o -name wine-tests -o -name 'wine-*-check' -o -name dropin-check \
            -o -name gdi32-dropin -o -name 'wine-d3dkmt-*' -o -name wine-patches-with-module \
            $(for d in $builddirs; do printf -- '-o -path %s ' "$d"; done) \) -prune \
        -o -type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.am' -o -name '*.ac' \
            -o -name '*.in' -o -name '*.spec' -o -path ./.ci/run \) -print) |
    sed 's|^\./||' | grep -v -x -e 'tests/seeds/seed_[a-z0-9_]*_example\.h' -e 'Makefile\.in' -e '.*/Makefile\.in' |
    LC_ALL=C sort
}

has_header() { head -n 40 "$top/$1" | grep -q -F "$spdx"; }

add_header() # file
{
    f=$top/$1
    tmp=$f.licence-tmp
    case "$1" in
        *.c|*.h)
            { echo "/*"; notice | sed -e 's|^| * |' -e 's| *$||'; echo " */"; echo; cat "$f"; } > "$tmp" ;;
        *)
            first=$(head -n 1 "$f")
            case "$first" in
                '#!'*) { echo "$first"; notice | sed -e 's|^|# |' -e 's| *$||'; echo "#"; tail -n +2 "$f"; } > "$tmp" ;;
                *) { notice | sed -e 's|^|# |' -e 's| *$||'; echo; cat "$f"; } > "$tmp" ;;
            esac ;;
    esac
    chmod --reference="$f" "$tmp" 2>/dev/null || :
    mv "$tmp" "$f"
}

missing=0
for f in $(files); do
    has_header "$f" && continue
    if [ "$mode" = --add ]; then
        add_header "$f"
        echo "added: $f"
    else
        echo "no licence header: $f"
        missing=$((missing + 1))
    fi
done
if [ "$mode" = --check ]; then
    if [ $missing -ne 0 ]; then
        echo "$missing files without the licence header (add it: sh scripts/licence-headers.sh --add)"
        exit 1
    fi
    echo "every source file has the licence header"
fi
