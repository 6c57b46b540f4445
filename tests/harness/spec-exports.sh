#!/bin/sh
# Prints a header with D3DKMT_EXPORTS(X): one X(Name, NAME) for every
# D3DKMTName export of the spec, NAME naming its PFND3DKMT_NAME type, so the
# test harness's function list is the spec's:
#   spec-exports.sh dlls/d3dkmt/d3dkmt.spec > d3dkmt_exports.h
set -eu
echo "/* Generated from $(basename "$1") by spec-exports.sh; do not edit. */"
echo "#define D3DKMT_EXPORTS(X) \\"
sed -n 's/^@ *stdcall *D3DKMT\([A-Za-z0-9_]*\)(.*/\1/p' "$1" |
    awk '{ printf "    X(%s, %s) \\\n", $1, toupper($1) } END { if (!NR) exit 1 }'
echo
