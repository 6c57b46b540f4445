#!/bin/sh
# make check: nounix.exe, run with no d3dkmt.so to be found (the module loads,
# every call fails, one ERR line); see tests/wine-log-compiler.sh --nounix.
exec $SHELL "${srcdir:-.}/tests/wine-log-compiler.sh" --nounix tests/conformance/nounix.exe
