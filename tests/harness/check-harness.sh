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
# make check: the harness (tests/harness/wine_test.h) keeps winetest's
# semantics.  Runs harness_selftest.exe under Wine twice, as Wine and, through
# WINETEST_PLATFORM, as Windows, and compares each message (without its
# file:line), the summary line (without its pid) and the exit code with what
# winetest gives for the same program.  Any difference fails.
: "${srcdir:=.}"
exe=tests/harness/harness_selftest.exe
status=0

check() # platform expected-exit-code, expected output on stdin
{
    expected=$(cat)
    out=$(WINETEST_PLATFORM=$1 $SHELL "$srcdir/tests/wine-log-compiler.sh" "$exe")
    code=$?
    got=$(printf '%s\n' "$out" | tr -d '\r' | sed -n -e 's/^harness_selftest\.c:[0-9]*: //p' \
        -e 's/^[0-9a-f]*:harness_selftest: /summary: /p')
    if [ "$got" != "$expected" ]; then
        echo "as $1: the output differs from winetest's (- expected, + got):"
        printf '%s\n' "$expected" > check-harness.expected.tmp
        printf '%s\n' "$got" > check-harness.got.tmp
        diff -u check-harness.expected.tmp check-harness.got.tmp | tail -n +3
        rm -f check-harness.expected.tmp check-harness.got.tmp
        status=1
    fi
    if [ "$code" -ne "$2" ]; then
        echo "as $1: exit code $code, expected $2 (the failures, todo successes included)"
        status=1
    fi
    [ $status -eq 0 ] && echo "as $1: as winetest"
}

check wine 7 <<'OUT'
Test failed: plain failure
Test marked todo: todo_wine failure
Test succeeded inside todo block: todo_wine success
Test marked todo: todo_if(1) failure
Test failed: todo_if(0) failure
Test marked todo: todo_wine_if(1) failure
Test failed: todo_wine_if(0) failure
Test marked todo: todo_if(0) failure inside todo_wine
Test failed: failure after the todo blocks
Test failed: broken(1)
Test marked flaky: flaky failure
Test marked flaky: flaky_wine failure
Tests skipped: a skip
Test failed: a win_skip
summary: 17 tests executed (4 marked as todo, 2 as flaky, 7 failures), 1 skipped.
OUT

check windows 8 <<'OUT'
Test failed: plain failure
Test failed: todo_wine failure
Test marked todo: todo_if(1) failure
Test failed: todo_if(0) failure
Test failed: todo_wine_if(1) failure
Test failed: todo_wine_if(0) failure
Test failed: todo_if(0) failure inside todo_wine
Test failed: failure after the todo blocks
Test marked flaky: flaky failure
Test failed: flaky_wine failure
Tests skipped: a skip
Tests skipped: a win_skip
summary: 16 tests executed (1 marked as todo, 1 as flaky, 8 failures), 2 skipped.
OUT

exit $status
