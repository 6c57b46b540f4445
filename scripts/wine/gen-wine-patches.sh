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
# Writes the wine-patches/ series from Wine's source and our module's spec:
#   gen-wine-patches.sh WINE_SRC D3DKMT_SPEC OUT_DIR [MODULE_PATCH_CMD]
#
#   0001-gdi32-Forward-the-D3DKMT-functions-to-d3dkmt.patch
#        every function in d3dkmt.spec becomes, in gdi32.spec, a forward to
#        d3dkmt.dll: the ones gdi32 already exports (forwards to win32u, and
#        D3DKMTOpenAdapterFromGdiDisplayName, implemented in gdi32) change
#        their target, the others are added in gdi32.spec's order.  The other
#        D3DKMT exports of gdi32 are left as they are.
#   0002-gdi32-Remove-the-D3DKMTOpenAdapterFromGdiDisplayName-implementation.patch
#        its code and what only it used (the display mutex helpers, the GPU
#        LUID property key, setupapi).
#   0003-...  only with MODULE_PATCH_CMD: that command is run in the git tree
#        of Wine's files after 0002 with the tree as its argument, and its
#        changes (it makes them and prints a commit message) become 0003.
#
# Made with git format-patch (no numbers, zero commit ids, no signature,
# fixed author and dates), so the same inputs always give the same bytes:
# `make check-wine-patches` regenerates the series and compares.
set -eu
src=$1; spec=$2; out=$3; module_cmd=${4:-}
export LC_ALL=C
src=$(cd "$src" && pwd)
spec=$(cd "$(dirname "$spec")" && pwd)/$(basename "$spec")
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GIT_AUTHOR_NAME="wine-d3dkmt" GIT_AUTHOR_EMAIL="wine-d3dkmt@users.noreply.invalid"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2025-01-01T00:00:00+0000" GIT_COMMITTER_DATE="2025-01-01T00:00:00+0000"
export GIT_CONFIG_NOSYSTEM=1 HOME="$work"

cd "$work"
git init -q tree
cd tree
git config core.autocrlf false
mkdir -p dlls/gdi32
for f in gdi32.spec objects.c Makefile.in; do cp "$src/dlls/gdi32/$f" dlls/gdi32/; done
[ -z "$module_cmd" ] || cp "$src/configure.ac" configure.ac
git add -A && git commit -q -m "Wine 8.0 as Debian ships it"
base=$(git rev-parse HEAD)

# ---- 0001: gdi32.spec forwards ----
names=$(sed -n 's/^@ *[a-z]* *\(D3DKMT[A-Za-z0-9]*\)(.*/\1/p' "$spec")
[ -n "$names" ] || { echo "no D3DKMT exports in $spec" >&2; exit 1; }
# Read gdi32.spec twice: first which names it has (those change in place),
# then rewrite it, adding our other names in its (C locale) order.
awk -v spec="$spec" '
    BEGIN {
        while ((getline line < spec) > 0)
            if (line ~ /^@ +[a-z]+ +D3DKMT[A-Za-z0-9]*\(/) {
                decl = line; sub(/[ \t]+$/, "", decl)
                name = decl; sub(/^@ +[a-z]+ +/, "", name); sub(/\(.*/, "", name)
                ours[name] = decl; order[++n] = name
            }
    }
    FNR == NR { if ($0 ~ /^@ /) { nm = $3; sub(/\(.*/, "", nm); seen[nm] = 1 } next }
    function flush_before(limit,   i) {
        for (i = 1; i <= n; i++)
            if (!(order[i] in seen) && !(order[i] in done) && (limit == "" || order[i] < limit)) {
                print ours[order[i]] " d3dkmt." order[i]; done[order[i]] = 1
            }
    }
    /^@ / {
        name = $3; sub(/\(.*/, "", name)
        if (name ~ /^D3DKMT/) { in_block = 1; flush_before(name) }
        else if (in_block) { flush_before(""); in_block = 0 }
        if (name in ours) { print ours[name] " d3dkmt." name; next }
    }
    { print }
    END {
        for (i = 1; i <= n; i++)
            if (!(order[i] in seen) && !(order[i] in done)) { print "not placed: " order[i] > "/dev/stderr"; exit 1 }
    }
' dlls/gdi32/gdi32.spec dlls/gdi32/gdi32.spec > gdi32.spec.new
mv gdi32.spec.new dlls/gdi32/gdi32.spec
for n in $names; do
    grep -q "^@ stdcall $n([a-z ]*) d3dkmt\.$n\$" dlls/gdi32/gdi32.spec || { echo "gdi32.spec: $n not forwarded" >&2; exit 1; }
done
count=$(echo "$names" | wc -w)
git commit -q -a -F - <<EOF
gdi32: Forward the D3DKMT functions to d3dkmt.

d3dkmt.dll implements the video memory thunks (CreateAllocation, Lock and
the rest), and adapters and devices with handles of its own.  Programs and
drivers import them from gdi32, so gdi32 forwards all $count functions that
d3dkmt exports, including the adapter, device and video memory ones it
already had: then one handle space serves a program.  d3dkmt keeps win32u's
adapter and device handles for the calls it passes on to win32u.

The other D3DKMT exports are unchanged.
EOF

# ---- 0002: the gdi32 implementation it replaces ----
if grep -q "^@ stdcall D3DKMTOpenAdapterFromGdiDisplayName(ptr) d3dkmt\." dlls/gdi32/gdi32.spec; then
    awk '
        /^#include "(initguid|devguid|setupapi)\.h"$/ { removed++; next }
        /^DEFINE_DEVPROPKEY\(DEVPROPKEY_GPU_LUID,/ { removed++; skip_blank = 1; next }
        /^static HANDLE get_display_device_init_mutex\( void \)$/ { skipping = 1; removed++ }
        skipping {
            if ($0 ~ /^NTSTATUS WINAPI D3DKMTOpenAdapterFromGdiDisplayName\(/) in_func = 1
            if (in_func && $0 == "}") { skipping = 0; in_func = 0; skip_blank = 1; removed++ }
            next
        }
        skip_blank { skip_blank = 0; if ($0 == "") next }
        { print }
        END { if (removed != 6) { print "objects.c: expected 6 removals, made " removed > "/dev/stderr"; exit 1 } }
    ' dlls/gdi32/objects.c > objects.c.new
    mv objects.c.new dlls/gdi32/objects.c
    sed -i 's/^DELAYIMPORTS = setupapi winspool$/DELAYIMPORTS = winspool/' dlls/gdi32/Makefile.in
    grep -q "^DELAYIMPORTS = winspool$" dlls/gdi32/Makefile.in || { echo "Makefile.in: DELAYIMPORTS not as expected" >&2; exit 1; }
    git commit -q -a -F - <<EOF
gdi32: Remove the D3DKMTOpenAdapterFromGdiDisplayName implementation.

gdi32 forwards it to d3dkmt now.  Its helpers and the setupapi delay
import were used by nothing else.
EOF
fi

# ---- 0003 (optional): the module in Wine's tree ----
if [ -n "$module_cmd" ]; then
    msg=$(sh -c "$module_cmd \"\$1\"" sh "$work/tree")
    git add -A
    git commit -q -F - <<EOF
$msg
EOF
fi

rm -f "$out"/0*.patch
git format-patch -q -N --zero-commit --no-signature -o "$out" "$base"
ls "$out"/0*.patch | sed 's|.*/||'
