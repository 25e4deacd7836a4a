#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Static analysis of lib/: cppcheck and clang-tidy (the repository's .clang-tidy), both with
# the include paths of the build: include/, lib/ and the generated cpw/version.h.
#   sh tests/tools/static_check.sh [BUILD_DIR]
# BUILD_DIR (default build/static) is configured with CMake for its compile database only;
# nothing is compiled. Exit status 1 on any finding of either tool, 2 when a tool is missing.
# CPW_STATIC_JOBS (default 2) files are analysed at a time.
# False positives: tests/tools/cppcheck.supp (cppcheck), .clang-tidy or NOLINT(check): reason
# (clang-tidy), each with its reason.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
bdir=${1:-$root/build/static}
jobs=${CPW_STATIC_JOBS:-2}

for tool in cmake cppcheck clang-tidy python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "static_check: $tool is not installed"; exit 2; }
done

# The compile database: re-running CMake is cheap and picks up new files under lib/.
mkdir -p "$bdir"
cmake -S "$root" -B "$bdir" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DCPW_BUILD_TESTS=OFF \
  -DCPW_BUILD_EXAMPLES=OFF -DCPW_BUILD_BENCH=OFF >"$bdir/cmake.log" 2>&1 ||
  { cat "$bdir/cmake.log"; exit 1; }
# One command per lib/ file: the shared and the static library compile each file twice, and
# analysing both would only double the time.
mkdir -p "$bdir/tidy" "$bdir/cppcheck"
python3 - "$bdir/compile_commands.json" "$bdir/tidy/compile_commands.json" "$root/lib/" <<'EOF'
import json, sys
seen, out = set(), []
for e in json.load(open(sys.argv[1])):
    f = e["file"]
    if f.startswith(sys.argv[3]) and f.endswith(".c") and f not in seen:
        seen.add(f)
        out.append(e)
json.dump(out, open(sys.argv[2], "w"), indent=1)
EOF

files=$(find lib -name '*.c' | sort)
status=0

echo "cppcheck: $(echo "$files" | wc -l) files"
# warning, portability and performance; `style` is left out: in this code base it reports
# only the house style (declarations at the top of a block) and conditions it cannot follow
# through pointers.
# shellcheck disable=SC2086
if ! cppcheck --std=c11 --language=c --enable=warning,portability,performance \
     --inline-suppr --suppressions-list="$root/tests/tools/cppcheck.supp" \
     --error-exitcode=1 --quiet -j "$jobs" --cppcheck-build-dir="$bdir/cppcheck" \
     -I include -I lib -I "$bdir/include" \
     -D__GNUC__ -DCPW_BUILDING -D_POSIX_C_SOURCE=200809L \
     --template='{file}:{line}:{column}: {severity}: {message} [{id}]' $files; then
  echo "cppcheck: FAILED"
  status=1
fi

echo "clang-tidy: $(echo "$files" | wc -l) files, $jobs at a time"
# One file per clang-tidy process: clang-tidy 14 carries the analyzer's va_list state from one
# file to the next, and then reports every va_start'ed list as uninitialized.
if ! echo "$files" | xargs -n 1 -P "$jobs" clang-tidy -p "$bdir/tidy" --quiet \
     >"$bdir/clang-tidy.log" 2>"$bdir/clang-tidy.err"; then
  grep -v '^[0-9]* warnings\? generated\.$' "$bdir/clang-tidy.err" || true
  cat "$bdir/clang-tidy.log"
  echo "clang-tidy: FAILED (log: $bdir/clang-tidy.log)"
  status=1
elif grep -q 'warning:\|error:' "$bdir/clang-tidy.log"; then
  cat "$bdir/clang-tidy.log"
  echo "clang-tidy: FAILED (log: $bdir/clang-tidy.log)"
  status=1
fi

[ "$status" = 0 ] && echo "static analysis: no findings"
exit "$status"
