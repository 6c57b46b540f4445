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
# Builds Wine's gdi32 conformance tests from the prepared Debian source once
# per build directory:  build-tests-cached.sh BUILD_DIR
# -> BUILD_DIR/wine-tests/gdi32_test.exe and tests.list
set -eu
build=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
src=$build/wine-source/src
out=$build/wine-tests
# TARGET=i686-w64-mingw32: the 32-bit tests, in wine-tests-i386/.
case "${TARGET:-}" in i686-*) out=$build/wine-tests-i386 ;; esac
if [ -f "$out/gdi32_test.exe" ] && [ "$out/gdi32_test.exe" -nt "$src/.prepared" ]; then
    echo "   $out/gdi32_test.exe (cached): $(cat "$out/tests.list" | tr '\n' ' ')"
    exit 0
fi
sh "$here/scripts/wine/wine-source.sh" "$build/wine-source" >/dev/null
t0=$(date +%s)
rm -rf "$out"
if ! sh "$here/scripts/wine/build-gdi32-tests.sh" "$src" "$out" > "$out.log" 2>&1; then
    grep -i "error" "$out.log" | head -20
    exit 1
fi
grep "^note:\|^built" "$out.log" | sed 's/^/   /'
echo "   $(( $(date +%s) - t0 ))s"
