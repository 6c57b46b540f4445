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
