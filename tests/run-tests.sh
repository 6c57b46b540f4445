#!/bin/sh
# Runs the test programs of `make check`:
#   --unit "progs"  native unit tests (cmocka)
#   --wine "exes"   Windows programs, under Wine in a throwaway prefix that has
#                   the freshly built d3dkmt module (WINEDLLPATH=$MODULES_DIR)
#   --nounix "exes" Windows programs run with no d3dkmt.so to be found
#                   (WINEDLLPATH elsewhere): each must pass and d3dkmt must
#                   print exactly one ERR line
#   --run exe       one Windows program (the demo), output only
# Ends with the line "N passed, M failed" (one count per program) and exits
# non-zero when anything failed.

unit=""; wine_exes=""; run=""; nounix_exes=""
while [ $# -gt 0 ]; do
    case "$1" in
        --unit) unit="$2"; shift 2 ;;
        --wine) wine_exes="$2"; shift 2 ;;
        --run) run="$2"; shift 2 ;;
        --nounix) nounix_exes="$2"; shift 2 ;;
        *) echo "run-tests.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

passed=0; failed=0; failed_names=""
: "${WINE:=wine}" "${WINEBOOT:=wineboot}" "${WINESERVER:=wineserver}"
: "${TEST_TIMEOUT:=600}"

record() # name status
{
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_names="$failed_names $1"; fi
}

setup_prefix()
{
    export WINEPREFIX="$WINE_TEST_PREFIX" WINEDLLPATH="$MODULES_DIR"
    export WINEDEBUG="${WINEDEBUG:--all}" WINEARCH=win64
    export WINE_D3DKMT_TEST_CONTROL=1  # the module's test-control escape answers
    # No display is needed: Wine still offers one adapter, \\.\DISPLAY1.
    unset DISPLAY WAYLAND_DISPLAY
    "$WINESERVER" -k >/dev/null 2>&1
    rm -rf "$WINEPREFIX"
    echo "== creating Wine prefix $WINEPREFIX"
    if ! "$WINEBOOT" -u >/dev/null 2>&1; then
        echo "wineboot -u failed" >&2
        return 1
    fi
    if [ ! -f "$WINEPREFIX/drive_c/windows/system32/d3dkmt.dll" ]; then
        echo "d3dkmt.dll was not installed into the prefix from $MODULES_DIR" >&2
        return 1
    fi
}

for t in $unit; do
    echo "== $t"
    ./"$t"
    record "$t" $?
done

if [ -n "$wine_exes$run$nounix_exes" ]; then
    setup_prefix || { echo "0 passed, 1 failed"; exit 1; }
    status_file=$(mktemp)
    for t in $wine_exes $run; do
        echo "== $t (under Wine)"
        { timeout "$TEST_TIMEOUT" "$WINE" "$t"; echo $? > "$status_file"; } 2>&1 | grep -v -e 'wine32 is missing' \
            -e 'multiarch needs' -e 'dpkg --add-architecture' -e 'apt-get install wine32' -e '^execute "dpkg'
        st=$(cat "$status_file")
        [ "$st" -eq 124 ] && echo "$t: timed out after ${TEST_TIMEOUT}s"
        record "$t" "$st"
    done
    for t in $nounix_exes; do
        echo "== $t (under Wine, without d3dkmt.so)"
        log=$(mktemp)
        WINEDLLPATH=/nonexistent/d3dkmt-nounix WINEDEBUG=-all,err+d3dkmt timeout "$TEST_TIMEOUT" "$WINE" "$t" 2>"$log"
        st=$?
        errs=$(grep -c ':err:d3dkmt:' "$log")
        grep ':err:d3dkmt:' "$log"
        if [ "$errs" -ne 1 ]; then echo "$t: $errs d3dkmt ERR lines, expected 1"; [ "$st" -eq 0 ] && st=1; fi
        rm -f "$log"
        record "$t" "$st"
    done
    rm -f "$status_file"
    "$WINESERVER" -k >/dev/null 2>&1
fi

if [ -n "$run" ] && [ -z "$unit$wine_exes" ]; then
    [ "$failed" -eq 0 ]; exit $?
fi
[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
