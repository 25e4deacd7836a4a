#!/bin/sh
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

echo "== static, libcpw.a"
"$cc" -std=c11 -Wall -Werror $extra -DCPW_STATIC -I"$tmp/prefix/include" -o "$tmp/hello_static" \
  "$src/hello.c" "$libdir/libcpw.a" -lpthread
if readelf -d "$tmp/hello_static" | grep -q 'libcpw'; then echo "static binary needs libcpw.so"; exit 1; fi
"$tmp/hello_static"

echo "== CMake find_package(cpw)"
"$cmake" -S "$src" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="$extra" >/dev/null
"$cmake" --build "$tmp/consumer" >/dev/null
LD_LIBRARY_PATH="$libdir" "$tmp/consumer/hello_shared"
"$tmp/consumer/hello_static"

echo "== SONAME and exported symbols"
so=$(ls "$libdir"/libcpw.so.*.*.* | head -n 1)
readelf -d "$so" | grep -q 'SONAME.*\[libcpw.so.1\]' || { echo "SONAME is not libcpw.so.1"; exit 1; }
bad=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^cpw_' | grep -v '^CPW_' || true)
if [ -n "$bad" ]; then echo "exported symbols outside cpw_*: $bad"; exit 1; fi
bad=$(nm -D --defined-only "$so" | awk '{print $3}' | grep '^cpw__' || true)
if [ -n "$bad" ]; then echo "private cpw__ symbols exported: $bad"; exit 1; fi
echo "install.link: ok"
