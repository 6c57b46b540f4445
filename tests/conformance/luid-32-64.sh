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
# A 64-bit and a 32-bit (WoW64) program in the same prefix see the same
# adapter LUIDs (tests/conformance/luids.c prints them).
run="$SHELL ${srcdir:-.}/tests/wine-log-compiler.sh"
out64=$($run tests/conformance/luids.exe) || { echo "luids.exe failed:"; echo "$out64"; exit 1; }
out32=$($run tests/conformance/luids.i686.exe) || { echo "luids.i686.exe failed:"; echo "$out32"; exit 1; }
l64=$(echo "$out64" | grep '^luid ' | tr -d '\r')
l32=$(echo "$out32" | grep '^luid ' | tr -d '\r')
echo "64-bit:"; echo "$l64"; echo "32-bit:"; echo "$l32"
[ -n "$l64" ] || { echo "the 64-bit program printed no LUID"; exit 1; }
[ "$l64" = "$l32" ] || { echo "the LUIDs differ"; exit 1; }
echo "same LUIDs"
