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
# without-unix.sh for the 32-bit module: no i386-unix/d3dkmt.so to be found.
exec $SHELL "${srcdir:-.}/tests/wine-log-compiler.sh" --nounix tests/conformance/nounix.i686.exe
