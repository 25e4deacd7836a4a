#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/tools/readme_c.sh CC SOURCE_DIR BUILD_DIR LIBRARY: the C code of the README's tour
# compiles against the public headers and runs.
set -eu
cc=$1 src=$2 build=$3 lib=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk '/^```c$/ {on=1; next} /^```/ {on=0} on' "$src/README.md" > "$tmp/tour.c"
[ -s "$tmp/tour.c" ] || { echo "no C code in the README"; exit 1; }
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Werror ${CPW_EXTRA_CFLAGS:-} -I"$src/include" -I"$build/include" -o "$tmp/tour" "$tmp/tour.c" "$lib"
LD_LIBRARY_PATH=$(dirname "$lib") "$tmp/tour"
