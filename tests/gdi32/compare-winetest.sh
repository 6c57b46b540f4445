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
# Compares runs of Wine's gdi32 conformance tests and prints the table:
#   compare-winetest.sh MODE [--changed TESTS] TESTS_LIST WITHOUT_DIR [WITHOUT2_DIR] WITH_DIR
# Each directory holds NAME.txt, the output of `gdi32_test.exe NAME`.
# WITHOUT2_DIR is a second run without the change: a test whose failures
# differ between the two runs without it is flaky, listed and not compared.
# MODE:
#   same             the run with the change must fail exactly the checks the
#                    run without it fails (same count, same file:line list,
#                    same crash state)
#   no-new-failures  it must not fail a check ("Test failed") the run without
#                    it passes, nor crash where that did not; checks that now
#                    succeed, todo_wine ones included, are listed as fixed
# --changed "a b": these tests follow no-new-failures whatever MODE says
# (the tests of what the change changes on purpose).
# Exits 1 when a test breaks the rule of its mode.
set -eu
mode=$1; shift
changed=""
if [ "$1" = --changed ]; then changed=" $2 "; shift 2; fi
list=$1; shift
if [ $# -eq 3 ]; then a1=$1; a2=$2; b=$3; else a1=$1; a2=""; b=$2; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# summary FILE NAME -> "executed failures todo skipped crashed"
summary()
{
    awk -v name="$2" '
        $0 ~ "^[0-9a-f]+:" name ":.* tests executed" {
            found = 1
            for (i = 1; i <= NF; i++) {
                if ($(i + 1) == "tests" && $(i + 2) == "executed") exec += $i
                if ($(i + 1) == "marked") todo += substr($i, 2)
                if ($(i + 1) ~ /^failures?\),$/) fail += $i
                if ($(i + 1) == "skipped.") skip += $i
            }
        }
        END { printf "%d %d %d %d %d\n", exec, fail, todo, skip, !found }' "$1" 2>/dev/null || echo "0 0 0 0 1"
}

# checks FILE KIND -> sorted "file.c:line" of failed checks (KIND failed) or
# of checks that succeeded inside a todo block (KIND todo)
checks()
{
    case "$2" in failed) pat='Test failed' ;; todo) pat='Test succeeded inside todo block' ;; esac
    grep -a -o "^[A-Za-z0-9_]*\.c:[0-9]*: .*$pat" "$1" 2>/dev/null | sed 's/: .*//' | sort || true
}

signature() # FILE NAME -> failures, crash state and failing checks
{
    set -- $(summary "$1" "$2") "$1"
    echo "failures=$2 crashed=$5"
    checks "$6" failed | sed 's/^/F /'
    checks "$6" todo | sed 's/^/T /'
}

bad=0; flaky=""; fixed=""
printf '%-10s %-22s %-16s %-16s %s\n' "test" "run (without / with)" "failed without" "failed with" "result"
printf '%-10s %-22s %-16s %-16s %s\n' "----" "--------------------" "--------------" "-----------" "------"
total_a=0; total_b=0
for t in $(cat "$list"); do
    set -- $(summary "$a1/$t.txt" "$t"); ea=$1; fa=$2; ca=$5
    set -- $(summary "$b/$t.txt" "$t"); eb=$1; fb=$2; cb=$5
    fa_show=$fa; [ "$ca" = 1 ] && fa_show="crash"
    fb_show=$fb; [ "$cb" = 1 ] && fb_show="crash"
    signature "$a1/$t.txt" "$t" > "$tmp/a1"
    signature "$b/$t.txt" "$t" > "$tmp/b"
    result=""
    if [ -n "$a2" ]; then
        signature "$a2/$t.txt" "$t" > "$tmp/a2"
        if ! cmp -s "$tmp/a1" "$tmp/a2"; then
            set -- $(summary "$a2/$t.txt" "$t")
            f2=$2; [ "$5" = 1 ] && f2="crash"
            fa_show="$fa_show/$f2"
            result="flaky without (ignored)"
            flaky="$flaky $t"
        fi
    fi
    tmode=$mode
    case "$changed" in *" $t "*) tmode=no-new-failures ;; esac
    if [ -z "$result" ]; then
        case "$tmode" in
        same)
            if cmp -s "$tmp/a1" "$tmp/b"; then result="same"; else result="DIFFERENT"; bad=1; fi ;;
        no-new-failures)
            for f in a1 b; do
                sed -n 's/^F //p' "$tmp/$f" | sort -u > "$tmp/$f.failed"
                sed -n 's/^T //p' "$tmp/$f" | sort -u > "$tmp/$f.todo"
            done
            new=$(comm -13 "$tmp/a1.failed" "$tmp/b.failed")
            if [ "$cb" = 1 ] && [ "$ca" = 0 ]; then result="CRASHES"; bad=1
            elif [ -n "$new" ]; then result="NEW FAILURES: $(echo $new)"; bad=1
            elif cmp -s "$tmp/a1" "$tmp/b"; then result="same"
            else
                gone=$(comm -23 "$tmp/a1.failed" "$tmp/b.failed")
                todo=$(comm -13 "$tmp/a1.todo" "$tmp/b.todo")
                result="no new failure"
                [ -n "$gone" ] && result="$result; passes now: $(echo $gone)"
                [ -n "$todo" ] && result="$result; todo_wine succeeds now: $(echo $todo)"
                fixed="$fixed $t"
            fi ;;
        esac
    fi
    printf '%-10s %-22s %-16s %-16s %s\n' "$t" "$ea / $eb" "$fa_show" "$fb_show" "$result"
    [ "$ca" = 0 ] && total_a=$((total_a + fa))
    [ "$cb" = 0 ] && total_b=$((total_b + fb))
done
echo "failures in all: $total_a without, $total_b with"
[ -n "$flaky" ] && echo "flaky without the change too (not compared):$flaky"
[ "$bad" -eq 0 ]
