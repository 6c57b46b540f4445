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
# Takes a fresh Debian 12 checkout to a build, then runs one target:
#   sh scripts/build.sh demo    build everything and run the demo under Wine
#   sh scripts/build.sh check   build everything and run every test: make check, then
#                               make distcheck (the release tarball builds and passes
#                               make check), make check-wine-patches and make
#                               check-dropin (gdi32)
# Installs the Debian packages it needs when they are missing (as root, or
# through sudo), configures out of tree in ./build, and builds there.
set -eu

target=${1:-check}
case "$target" in demo|check|build) ;; *) echo "usage: $0 demo|check|build" >&2; exit 2 ;; esac

top=$(cd "$(dirname "$0")/.." && pwd)
packages="wine wine64 libwine-dev mingw-w64 libcmocka-dev autoconf automake pkg-config make gcc"
# winebuild, winegcc, wrc, widl, winedump (libwine-dev only recommends them)
packages="$packages wine64-tools"
# gdi32 (wine-patches/, the drop-in): Debian's wine source and what its build
# needs for gdi32 and its tests, git am, and an X server for the tests
packages="$packages dpkg-dev xz-utils patch git unicode-data fontforge-nox xvfb debian-archive-keyring"

# 32-bit programs (--enable-i686): Debian's wine32 from the i386 architecture,
# its import libraries and winecrt0 (libwine-dev:i386, co-installable with
# the amd64 one), the i686 mingw compiler (in mingw-w64 above) and the 32-bit
# C library and libgcc for the Unix side (gcc-multilib)
packages32="wine32:i386 libwine-dev:i386 gcc-multilib"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
if ! dpkg --print-foreign-architectures | grep -qx i386; then
    echo "== adding the i386 architecture (for wine32)"
    $sudo dpkg --add-architecture i386
    force_update=1
fi
packages="$packages $packages32"

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "== installing Debian packages:$missing"
    force_update=1
fi
if [ -n "${force_update:-}" ]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
fi
if [ -n "$missing" ]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
    echo "== autoreconf"
    autoreconf -fi
fi
mkdir -p build
cd build
if [ ! -f Makefile ] || [ ../configure -nt Makefile ]; then
    echo "== configure"
    ../configure --prefix=/usr/local
fi
echo "== make"
make -j"$(nproc)"
case "$target" in
    demo) make demo ;;
    check)
        status=0
        make check || status=1
        make distcheck || status=1
        make check-wine-patches || status=1
        make check-dropin || status=1
        exit $status ;;
esac
