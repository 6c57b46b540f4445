#!/bin/sh
# Fetches and prepares Wine's source as Debian 12 ships it, once per build dir:
#   wine-source.sh DIR
# leaves in DIR:
#   download/   the .dsc and tarballs (apt-get source --download-only wine)
#   src/        dpkg-source -x of them (Debian's patches applied), plus the
#               files Debian generates at build time that a gdi32 build needs:
#               gdi32's Unicode tables (tools/make_unicode, gdi32's part only)
#               and the headers generated from include/*.idl (widl)
#   version     Debian's version of that source
# Later runs find src/.prepared and return at once.  Only Debian's mirrors are
# used: the system's deb-src lines when it has some, else a private apt
# configuration in DIR/apt with a deb-src line for bookworm
# ($DEBIAN_MIRROR, default http://deb.debian.org/debian).
set -eu
dir=$1
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ -f "$dir/src/.prepared" ]; then
    echo "== Wine source: $dir/src (Debian $(cat "$dir/version"), cached)"
    exit 0
fi
start=$(date +%s)

# ---- download ----
mkdir -p "$dir/download"
if ! ls "$dir"/download/wine_*.dsc >/dev/null 2>&1; then
    echo "== apt-get source --download-only wine"
    if ! (cd "$dir/download" && apt-get source --download-only -q wine 2>/dev/null); then
        echo "   (no deb-src line in the system's apt sources: using a private one)"
        a=$dir/apt
        mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/etc/sources.list.d" "$a/etc/preferences.d"
        echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${DEBIAN_MIRROR:-http://deb.debian.org/debian} bookworm main" \
            > "$a/etc/sources.list"
        set -- -o Dir::Etc::SourceList="$a/etc/sources.list" -o Dir::Etc::SourceParts="$a/etc/sources.list.d" \
            -o Dir::Etc::PreferencesParts="$a/etc/preferences.d" -o Dir::State::Lists="$a/lists" \
            -o Dir::Cache="$a/cache" -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)"
        apt-get "$@" -q update >/dev/null
        (cd "$dir/download" && apt-get "$@" -q source --download-only wine)
    fi
fi
dsc=$(ls "$dir"/download/wine_*.dsc | tail -1)
version=$(sed -n 's/^Version: //p' "$dsc")
case "$version" in 8.0*) ;; *) echo "wine source $version is not Wine 8.0" >&2; exit 1 ;; esac

# ---- unpack with Debian's patches ----
rm -rf "$dir/src" "$dir/src.tmp"
echo "== dpkg-source -x $(basename "$dsc")"
dpkg-source -q --no-check -x "$dsc" "$dir/src.tmp" >/dev/null

# ---- what Debian's build generates and gdi32 needs ----
# gdi32's Unicode tables (bidi, brackets, mirroring, shaping, line breaking,
# Indic syllables) are not in Debian's repacked tarball; debian/rules makes
# them with tools/make_unicode from the unicode-data package.  Run that very
# script up to its gdi32 part (the rest builds NLS files gdi32 does not use
# and needs CLDR data and XML::LibXML).
echo "== tools/make_unicode (gdi32's tables)"
(cd "$dir/src.tmp" && sed -e '/^use XML::LibXML/d' -e '/^dump_indic(/q' tools/make_unicode > tools/make_unicode.gdi32 \
    && echo 'exit 0;' >> tools/make_unicode.gdi32 && perl tools/make_unicode.gdi32 >/dev/null && rm tools/make_unicode.gdi32)
for f in bracket direction indicsyllable linebreak mirror shaping; do
    [ -s "$dir/src.tmp/dlls/gdi32/uniscribe/$f.c" ] || { echo "make_unicode did not make uniscribe/$f.c" >&2; exit 1; }
done
# Headers Wine's build generates from include/*.idl (as its makefiles do).
echo "== widl: include/*.idl -> include/*.h"
for i in "$dir"/src.tmp/include/*.idl; do
    h=${i%.idl}.h
    [ -f "$h" ] && continue
    widl -m64 --nostdinc -I"$dir/src.tmp/include" -D__WINESRC__ -h -o "$h" "$i" 2>/dev/null || rm -f "$h"
done
mv "$dir/src.tmp" "$dir/src"
echo "$version" > "$dir/version"
touch "$dir/src/.prepared"
echo "== Wine source ready in $dir/src (Debian $version, $(( $(date +%s) - start ))s)"
