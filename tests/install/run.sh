#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Install the built library into a temporary prefix, then build tests/install/hello.c against
# it three ways (pkg-config + shared, libcpw.a statically, CMake find_package) and run each.
set -eu
build=$1 src=$2 cc=$3 cmake=$4
# Extra compiler and linker flags (the sanitizer flags of a CPW_SANITIZE build), may be empty.
extra=${CPW_EXTRA_CFLAGS:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cmake" --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(ls -d "$tmp"/prefix/lib* | head -n 1)
export PKG_CONFIG_PATH="$libdir/pkgconfig"

echo "== the licence is installed and named"
grep -q "Apache License" "$tmp/prefix/share/doc/cpw/LICENSE" || { echo "no share/doc/cpw/LICENSE"; exit 1; }
grep -q "^License: Apache-2.0" "$libdir/pkgconfig/cpw.pc" || { echo "cpw.pc names no licence"; exit 1; }

echo "== shared, through pkg-config ($(pkg-config --modversion cpw))"
# shellcheck disable=SC2046,SC2086
"$cc" -std=c11 -Wall -Werror $extra -o "$tmp/hello_shared" "$src/hello.c" $(pkg-config --cflags --libs cpw)
readelf -d "$tmp/hello_shared" | grep -q 'NEEDED.*libcpw.so.1' || { echo "not linked to libcpw.so.1"; exit 1; }
LD_LIBRARY_PATH="$libdir" "$tmp/hello_shared"

echo "== the installed cpw tool runs without LD_LIBRARY_PATH (run path \$ORIGIN/../lib)"
readelf -d "$tmp/prefix/bin/cpw" | grep -q 'R.*PATH.*\$ORIGIN/\.\./lib' || { echo "cpw has no \$ORIGIN run path"; exit 1; }
env -u LD_LIBRARY_PATH "$tmp/prefix/bin/cpw" version

echo "== cpw.pc: normalised paths"
# shellcheck disable=SC2046
for flag in $(pkg-config --cflags --libs cpw); do
  case $flag in
    *..*|*//*) echo "cpw.pc gives an unnormalised path: $flag"; exit 1 ;;
  esac
done
[ "$(pkg-config --variable=prefix cpw)" = "$tmp/prefix" ] || { echo "prefix is $(pkg-config --variable=prefix cpw)"; exit 1; }

echo "== static, libcpw.a"
"$cc" -std=c11 -Wall -Werror $extra -DCPW_STATIC -I"$tmp/prefix/include" -o "$tmp/hello_static" \
  "$src/hello.c" "$libdir/libcpw.a" -lpthread
if readelf -d "$tmp/hello_static" | grep -q 'libcpw'; then echo "static binary needs libcpw.so"; exit 1; fi
"$tmp/hello_static"

echo "== static, through pkg-config: cpw-static (libcpw.a, libc shared)"
# shellcheck disable=SC2046,SC2086
"$cc" -std=c11 -Wall -Werror $extra -o "$tmp/hello_pc_static" "$src/hello.c" $(pkg-config --cflags --libs cpw-static)
if readelf -d "$tmp/hello_pc_static" | grep -q 'libcpw'; then echo "cpw-static links libcpw.so"; exit 1; fi
"$tmp/hello_pc_static"
pkg-config --cflags cpw-static | grep -q -- '-DCPW_STATIC' || { echo "cpw-static lacks -DCPW_STATIC"; exit 1; }
pkg-config --static --cflags cpw | grep -q -- '-DCPW_STATIC' || { echo "cpw.pc lacks Cflags.private: -DCPW_STATIC"; exit 1; }
if [ -z "$extra" ]; then
  echo "== fully static: cc -static \$(pkg-config --static --cflags --libs cpw)"
  # shellcheck disable=SC2046
  if "$cc" -std=c11 -Wall -Werror -static -o "$tmp/hello_all_static" "$src/hello.c" \
       $(pkg-config --static --cflags --libs cpw) 2>"$tmp/static.err"; then
    if readelf -d "$tmp/hello_all_static" 2>/dev/null | grep -q NEEDED; then echo "not static"; exit 1; fi
    "$tmp/hello_all_static"
  elif grep -q -- '-lc\b\|cannot find -lc' "$tmp/static.err"; then
    echo "(skipped: no static libc here)"
  else
    cat "$tmp/static.err"; exit 1
  fi
fi

echo "== CMake find_package(cpw)"
"$cmake" -S "$src" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="$extra" >/dev/null
"$cmake" --build "$tmp/consumer" >/dev/null
LD_LIBRARY_PATH="$libdir" "$tmp/consumer/hello_shared"
"$tmp/consumer/hello_static"

echo "== add_subdirectory: only the libraries, no tests, no cmocka, no install rules"
root=$(cd "$src/../.." && pwd)
PKG_CONFIG_LIBDIR=/nonexistent "$cmake" -S "$src/subproject" -B "$tmp/vendored" -DCPW_SOURCE="$root" \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$extra" >"$tmp/vendored.log" 2>&1 || { cat "$tmp/vendored.log"; exit 1; }
if grep -q -i 'cmocka' "$tmp/vendored.log"; then echo "a subproject looked for cmocka"; cat "$tmp/vendored.log"; exit 1; fi
targets=$("$cmake" --build "$tmp/vendored" --target help)
for t in test_policy cpw_tool example_referral_intake bench_eligibility cpw_testsupport; do
  if echo "$targets" | grep -q "$t"; then echo "the subproject added target $t"; exit 1; fi
done
"$cmake" --build "$tmp/vendored" -j 2 --target hello_vendored >/dev/null
"$tmp/vendored/hello_vendored"
"$cmake" --install "$tmp/vendored" --prefix "$tmp/vendored-prefix" >/dev/null
[ ! -e "$tmp/vendored-prefix/include/cpw.h" ] || { echo "the subproject installed libcpw's headers"; exit 1; }
[ -x "$tmp/vendored-prefix/bin/hello_vendored" ] || { echo "the consumer's own install is missing"; exit 1; }

echo "== a top-level build without cmocka: tests off with a message naming it"
PKG_CONFIG_LIBDIR=/nonexistent "$cmake" -S "$root" -B "$tmp/nocmocka" -DCMAKE_C_COMPILER="$cc" \
  -DCPW_BUILD_BENCH=OFF >"$tmp/nocmocka.log" 2>&1 || { cat "$tmp/nocmocka.log"; exit 1; }
grep -q 'libcmocka-dev' "$tmp/nocmocka.log" || { echo "no message naming libcmocka-dev"; cat "$tmp/nocmocka.log"; exit 1; }
grep -q 'CPW_BUILD_TESTS *OFF' "$tmp/nocmocka.log" || { echo "no options summary"; cat "$tmp/nocmocka.log"; exit 1; }
if PKG_CONFIG_LIBDIR=/nonexistent "$cmake" -S "$root" -B "$tmp/nocmocka2" -DCMAKE_C_COMPILER="$cc" \
     -DCPW_BUILD_TESTS=ON >"$tmp/nocmocka2.log" 2>&1; then
  echo "-DCPW_BUILD_TESTS=ON without cmocka configured"; exit 1
fi
grep -q 'libcmocka-dev' "$tmp/nocmocka2.log" || { echo "the error does not name libcmocka-dev"; cat "$tmp/nocmocka2.log"; exit 1; }

echo "== SONAME and exported symbols"
so=$(ls "$libdir"/libcpw.so.*.*.* | head -n 1)
readelf -d "$so" | grep -q 'SONAME.*\[libcpw.so.1\]' || { echo "SONAME is not libcpw.so.1"; exit 1; }
bad=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^cpw_' | grep -v '^CPW_' || true)
if [ -n "$bad" ]; then echo "exported symbols outside cpw_*: $bad"; exit 1; fi
bad=$(nm -D --defined-only "$so" | awk '{print $3}' | grep '^cpw__' || true)
if [ -n "$bad" ]; then echo "private cpw__ symbols exported: $bad"; exit 1; fi
echo "install.link: ok"
