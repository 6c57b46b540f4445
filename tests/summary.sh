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
# The last lines of make check: "N passed, M failed", one count per program
# of TESTS, from automake's .trs files; prints the log of each failed program
# first, and exits non-zero when one failed.
#   summary.sh tests/a.trs tests/b.trs ...
passed=0; failed=0; failed_names=""
for trs in "$@"; do
    name=${trs%.trs}
    if grep -q '^:global-test-result: PASS$' "$trs" 2>/dev/null; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); failed_names="$failed_names $name"
        echo "== $name.log"
        cat "$name.log" 2>/dev/null || echo "(no log: the program did not run)"
    fi
done
[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
