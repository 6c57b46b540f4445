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
# make check: the short form of make bench, so that it keeps working.  It
# passes when every row of the table ran and printed; no time is checked.
exec $SHELL "${srcdir:-.}/tests/wine-log-compiler.sh" tests/bench/d3dkmt_bench.exe --short
