#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The ABI check of libcpw (docs/abi.md):
#   sh tests/tools/check_abi.sh             build libcpw.so.1 and check it
#   sh tests/tools/check_abi.sh --update    build it and regenerate the baseline abi/libcpw.abi
#                                           (only in a release commit)
#   sh tests/tools/check_abi.sh --no-build [--update]   use the library already built
# The library is built RelWithDebInfo (abidw and abidiff need -g) in $CPW_ABI_BUILD_DIR
# (default build-abi/), only the `cpw` target. tests/tools/check_abi.py does the checking:
#   1. the CPW_API declarations in include/, the names in lib/cpw.map and the symbols the
#      library exports are the same set, each exported in the node the map lists it in;
#   2. abidiff against abi/libcpw.abi finds no change to existing functions or public types
#      (exit bits 8 and 4 fail; 1 and 2 are tool errors), and symbols added since the
#      baseline are in a new version node, not CPW_1.0 or another released node.
# Needs cmake, a C compiler, binutils (nm, readelf), python3 and abigail-tools (abidw,
# abidiff). Exit status: 0 compatible, 1 an ABI problem, 2 usage or tool failure.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${CPW_ABI_BUILD_DIR:-$root/build-abi}
jobs=${CPW_JOBS:-$(nproc 2>/dev/null || echo 2)}
python=/usr/bin/python3
[ -x "$python" ] || python=python3
update=""
do_build=1
for arg in "$@"; do
  case $arg in
    --update) update=--update ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check_abi.sh: unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
for tool in abidiff abidw; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "check_abi.sh: $tool not found: apt-get install -y abigail-tools" >&2; exit 2; }
done

if [ "$do_build" = 1 ]; then
  echo "check_abi.sh: building libcpw.so.1 (RelWithDebInfo) in $build"
  # abidw orders compilation units by path, so the one generated in the build directory must
  # have the same path wherever the build is: the debug info says build-abi/ in the tree.
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCPW_BUILD_TESTS=OFF \
    -DCPW_BUILD_EXAMPLES=OFF -DCPW_SANITIZE=OFF -DCPW_TSAN=OFF -DCPW_COVERAGE=OFF \
    "-DCMAKE_C_FLAGS=-ffile-prefix-map=$build=$root/build-abi" >/dev/null
  cmake --build "$build" -j "$jobs" --target cpw >/dev/null
fi
lib="$build/libcpw.so.1"
[ -e "$lib" ] || { echo "check_abi.sh: $lib not found (build it, or drop --no-build)" >&2; exit 2; }
# shellcheck disable=SC2086
exec "$python" "$root/tests/tools/check_abi.py" $update "$lib"
