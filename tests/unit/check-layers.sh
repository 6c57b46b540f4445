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
# make check's layer check, as one of its TESTS (so it counts in the summary):
# no file of the manager core calls a file above it in vidmm_private.h's list.
exec sh "${srcdir:-.}/scripts/check-layers.sh" "${srcdir:-.}/dlls/d3dkmt/vidmm/vidmm_private.h" libvidmm.a
