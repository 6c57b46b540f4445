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
# Fails when a file of the manager core calls a function of a file above it
# in the layer list (between LAYERS-BEGIN and LAYERS-END in the header given),
# or when an object of the library is not in the list.
# Usage: check-layers.sh vidmm_private.h libvidmm.a
set -e
header=$1
lib=$2
NM=${NM:-nm}

layers=$(sed -n '/LAYERS-BEGIN/,/LAYERS-END/s/^ \*  *\([a-z_0-9]*\)\.c .*/\1/p' "$header")
[ -n "$layers" ] || { echo "check-layers: no layer list in $header" >&2; exit 1; }

# "object kind symbol" lines; object names lose automake's prefix and .o.
$NM "$lib" | awk -v layers="$layers" '
BEGIN { n = split(layers, l, "\n"); for (i = 1; i <= n; i++) rank[l[i]] = i }
/^$/ { next }
/:$/ { obj = $0; sub(/:$/, "", obj); sub(/^.*-/, "", obj); sub(/\.o$/, "", obj); objs[obj] = 1; next }
NF == 2 && $1 == "U" { use[obj, ++nuse[obj]] = $2; next }
NF == 3 && $2 ~ /^[TDBR]$/ { def[$3] = obj }
END {
    bad = 0
    for (o in objs)
    {
        if (!(o in rank)) { printf "check-layers: %s.c is not in the layer list\n", o; bad = 1; continue }
        for (i = 1; i <= nuse[o]; i++)
        {
            s = use[o, i]
            if (!(s in def) || !(def[s] in rank)) continue
            if (rank[def[s]] > rank[o])
            {
                printf "check-layers: %s.c calls %s() of %s.c, a higher layer\n", o, s, def[s]
                bad = 1
            }
        }
    }
    if (!bad) printf "check-layers: %d files, no call upwards\n", n
    exit bad
}'
