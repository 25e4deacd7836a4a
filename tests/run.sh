#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The README's two commands, and CI's:
#   sh tests/run.sh demo        install what is missing (cmake, make, gcc), build the library
#                               and the cpw tool, run `cpw demo`
#   sh tests/run.sh             the whole test suite: every stage below, in order
#   sh tests/run.sh STAGE...    only these stages
# Stages:
#   deps      install missing Debian packages (apt-get as root; otherwise name them and stop)
#   build     release build with -Werror; ctest: unit, api, oom, headers, install, examples,
#             fuzz corpus replay, docs
#   browser   the report page (cpw demo --keep; and in Georgian) in Debian's headless
#             Chromium, driven by playwright-core from npm (tests/browser/run.sh): each chart
#             and table rendered within A4 width, no console error, nothing fetched; the
#             screenshots are kept for people and CI's artifacts at
#             build/ci-browser/report.png and report-ka.png. Skipped with a message without
#             chromium, node or npm; the deps stage installs chromium only when this stage runs
#   abi       tests/tools/check_abi.sh: the CPW_API declarations, lib/cpw.map and the exports
#             of libcpw.so.1 agree, and abidiff finds it compatible with abi/libcpw.abi
#   static    cppcheck and clang-tidy (.clang-tidy) over lib/: fails on any finding
#             (tests/tools/static_check.sh; suppressions in tests/tools/cppcheck.supp)
#   asan      the same tests built with ASan+UBSan (-fno-sanitize-recover=all); and the batch's
#             tests built without vector extensions (-DCPW_NO_VECTOR_EXT), for its portable loops,
#             and without the AVX2 forms (-DCPW_NO_AVX2), for its SSE2 loops
#   valgrind  the C test programs under valgrind memcheck: zero errors, zero leaks
#   tsan      the multi-threaded tests under ThreadSanitizer
#   coverage  a gcov build, the tests, gcovr; fails below the floors (CPW_COVER_LINES and
#             CPW_COVER_BRANCHES, percent of lib/)
#   fuzz      clang + libFuzzer: every tests/fuzz target for CPW_FUZZ_SECONDS (60) seconds,
#             starting from its corpus
# Exit status is non-zero when any stage fails; the time of each stage is printed.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)
all="deps build browser abi static asan valgrind tsan coverage fuzz"
stages=${*:-$all}
[ "$stages" = demo ] && stages="deps demo"
t0=$(date +%s)

say() { printf '\n==== %s\n' "$*"; }

need_packages="cmake make gcc g++ pkg-config libcmocka-dev python3 python3-cffi python3-pytest python3-pandas python3-numpy python3-matplotlib python3-dask python3-distributed binutils valgrind gcovr clang libclang-rt-dev abigail-tools cppcheck clang-tidy"
# the browser stage's browser, only when that stage runs
case " $stages " in *" browser "*) need_packages="$need_packages chromium" ;; esac
# the demo needs a C compiler and cmake only (no cmocka, Python or the CI's analysis tools)
[ "$stages" = "deps demo" ] && need_packages="cmake make gcc libc6-dev"

stage_deps() {
  missing=""
  for p in $need_packages; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
  done
  if [ -z "$missing" ]; then
    echo "all packages present"
    return 0
  fi
  if [ "$(id -u)" = 0 ]; then
    say "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 || {
      apt-get update >/dev/null && apt-get install -y --no-install-recommends $missing >/dev/null; }
  else
    echo "missing Debian packages:$missing"
    echo "install them with: sudo apt-get install -y$missing"
    exit 1
  fi
}

configure_build() { # dir, cmake options...
  dir=$1
  shift
  cmake -S "$root" -B "$dir" -DCPW_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs" >/dev/null
}

stage_build() {
  say "release build with -Werror"
  configure_build "$root/build/ci" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  say "ctest"
  (cd "$root/build/ci" && ctest --output-on-failure -j "$jobs")
}

stage_browser() {
  say "the report page in headless Chromium"
  rc=0
  sh "$root/tests/browser/run.sh" "$root/build/ci-browser" || rc=$?
  [ "$rc" = 77 ] && return 0
  return "$rc"
}

stage_abi() {
  say "ABI: symbol sets and abidiff against abi/libcpw.abi (docs/abi.md)"
  CPW_ABI_BUILD_DIR="$root/build/ci-abi" CPW_JOBS=$jobs sh "$root/tests/tools/check_abi.sh"
}

stage_static() {
  say "static analysis of lib/: cppcheck, clang-tidy"
  sh "$root/tests/tools/static_check.sh" "$root/build/ci-static"
}

stage_asan() {
  say "ASan+UBSan build"
  configure_build "$root/build/ci-asan" -DCMAKE_BUILD_TYPE=Debug -DCPW_SANITIZE=ON \
    -DCPW_BUILD_BENCH=OFF
  say "ctest under ASan+UBSan"
  (cd "$root/build/ci-asan" &&
     ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j "$jobs")
  say "the batch's portable loops (-DCPW_NO_VECTOR_EXT: no vector extensions) under ASan+UBSan"
  cmake -S "$root" -B "$root/build/ci-asan-novec" -DCPW_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
    -DCPW_SANITIZE=ON -DCPW_BUILD_BENCH=OFF -DCMAKE_C_FLAGS=-DCPW_NO_VECTOR_EXT >/dev/null
  cmake --build "$root/build/ci-asan-novec" -j "$jobs" \
    --target test_vm_lanes test_batch_narrow api_eligibility >/dev/null
  (cd "$root/build/ci-asan-novec" &&
     ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -R '^(unit[.]vm_lanes|unit[.]batch_narrow|api[.]eligibility)$')
  say "the batch's SSE2 loops on an AVX2 machine (-DCPW_NO_AVX2) under ASan+UBSan"
  cmake -S "$root" -B "$root/build/ci-asan-noavx2" -DCPW_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
    -DCPW_SANITIZE=ON -DCPW_BUILD_BENCH=OFF -DCMAKE_C_FLAGS=-DCPW_NO_AVX2 >/dev/null
  cmake --build "$root/build/ci-asan-noavx2" -j "$jobs" \
    --target test_vm_lanes test_batch_narrow api_eligibility api_formula_runner >/dev/null
  (cd "$root/build/ci-asan-noavx2" &&
     ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure \
       -R '^(unit[.]vm_lanes|unit[.]batch_narrow|api[.]eligibility|api[.]formula_runner)$')
}

stage_valgrind() {
  say "valgrind memcheck"
  dir="$root/build/ci"
  [ -d "$dir/tests" ] || configure_build "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  fails=0
  count=0
  for t in "$dir"/tests/test_* "$dir"/tests/oom_* "$dir"/tests/api_* "$dir"/examples/example_*; do
    [ -x "$t" ] || continue
    count=$((count + 1))
    if ! CPW_SHARED_DIR="$root/../shared" CPW_SOURCE_DIR="$root" CPW_UNDER_VALGRIND=1 \
         valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
         --show-leak-kinds=definite,indirect "$t" >"$dir/valgrind-$(basename "$t").log" 2>&1; then
      echo "valgrind: $(basename "$t") FAILED (see build/ci/valgrind-$(basename "$t").log)"
      tail -n 30 "$dir/valgrind-$(basename "$t").log"
      fails=$((fails + 1))
    fi
  done
  echo "valgrind: $count programs, $fails failed"
  [ "$fails" = 0 ]
}

stage_tsan() {
  say "ThreadSanitizer build (the threaded tests only)"
  cmake -S "$root" -B "$root/build/ci-tsan" -DCPW_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCPW_TSAN=ON -DCPW_BUILD_BENCH=OFF -DCPW_BUILD_EXAMPLES=OFF >/dev/null
  cmake --build "$root/build/ci-tsan" -j "$jobs" --target test_threads >/dev/null
  say "threaded tests under TSan: one policy shared by threads, journal appends from threads"
  (cd "$root/build/ci-tsan" && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -R threads)
}

stage_coverage() {
  lines=${CPW_COVER_LINES:-93}
  branches=${CPW_COVER_BRANCHES:-88}
  say "coverage build (gcov)"
  rm -rf "$root/build/ci-cov"
  configure_build "$root/build/ci-cov" -DCMAKE_BUILD_TYPE=Debug -DCPW_COVERAGE=ON \
    -DCPW_BUILD_BENCH=OFF
  (cd "$root/build/ci-cov" && ctest -j "$jobs" >/dev/null 2>&1 || ctest --output-on-failure)
  say "gcovr over lib/ (floors: $lines% of lines, $branches% of branches)"
  # (not piped: the floors' exit status must reach the caller)
  rc=0
  gcovr --root "$root" --filter "$root/lib/" --object-directory "$root/build/ci-cov" \
    --exclude-unreachable-branches --exclude-throw-branches --print-summary \
    --txt "$root/build/ci-cov/coverage.txt" --fail-under-line "$lines" \
    --fail-under-branch "$branches" "$root/build/ci-cov" >"$root/build/ci-cov/gcovr.log" 2>&1 ||
    rc=$?
  grep -E '^(lines|functions|branches):|ERROR' "$root/build/ci-cov/gcovr.log"
  return $rc
}

stage_fuzz() {
  secs=${CPW_FUZZ_SECONDS:-60}
  say "libFuzzer targets, $secs s each"
  targets=$(ls "$root"/tests/fuzz/fuzz_*.c | sed 's|.*/||; s|\.c$||')
  cmake -S "$root" -B "$root/build/ci-fuzz" -DCPW_WERROR=ON -DCMAKE_C_COMPILER=clang \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCPW_BUILD_FUZZERS=ON -DCPW_SANITIZE=ON \
    -DCPW_BUILD_BENCH=OFF -DCPW_BUILD_EXAMPLES=OFF >/dev/null
  # shellcheck disable=SC2086
  cmake --build "$root/build/ci-fuzz" -j "$jobs" --target $targets >/dev/null
  # one libFuzzer process per core at a time (each is single-threaded)
  fails=0
  pids=""
  running=0
  for f in "$root"/build/ci-fuzz/tests/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    name=$(basename "$f" | sed 's/^fuzz_//')
    fuzz_one "$f" "$name" "$secs" &
    pids="$pids $!"
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
      wait_all $pids || fails=1
      pids=""
      running=0
    fi
  done
  wait_all $pids || fails=1
  for f in "$root"/build/ci-fuzz/tests/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    name=$(basename "$f" | sed 's/^fuzz_//')
    cat "$root/build/ci-fuzz/$name.result"
  done
  [ "$fails" = 0 ]
}

# wait for these background jobs; fail if any failed
wait_all() {
  ok=0
  for p in "$@"; do
    wait "$p" || ok=1
  done
  return $ok
}

# run one fuzz target from a copy of its corpus; its summary goes to build/ci-fuzz/NAME.result
fuzz_one() {
  f=$1 name=$2 secs=$3
  work=$(mktemp -d)
  log="$root/build/ci-fuzz/$name.log"
  [ -d "$root/tests/fuzz/corpus/$name" ] && cp -r "$root/tests/fuzz/corpus/$name/." "$work/"
  if ! "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       "$work" >"$log" 2>&1; then
    printf '%-12s FAILED\n' "$name" >"$root/build/ci-fuzz/$name.result"
    tail -n 40 "$log" >>"$root/build/ci-fuzz/$name.result"
    rm -rf "$work"
    return 1
  fi
  printf '%-12s executions: %s\n' "$name" \
    "$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | sed 's/.*: *//')" \
    >"$root/build/ci-fuzz/$name.result"
  rm -rf "$work"
}

stage_demo() {
  cmake -S "$root" -B "$root/build/release" -DCMAKE_BUILD_TYPE=Release -DCPW_BUILD_TESTS=OFF \
    -DCPW_BUILD_BENCH=OFF >/dev/null
  cmake --build "$root/build/release" -j "$jobs" --target cpw_tool >/dev/null
  "$root/build/release/cpw" demo
}

for s in $stages; do
  ts=$(date +%s)
  case $s in
    deps|build|browser|abi|static|asan|valgrind|tsan|coverage|fuzz|demo) "stage_$s" ;;
    *) echo "unknown stage: $s (stages: $all demo)"; exit 2 ;;
  esac
  [ "$s" = deps ] || echo "---- stage $s took $(( $(date +%s) - ts )) s"
done
[ "$stages" = "deps demo" ] && exit 0
say "all stages passed ($stages) in $(( $(date +%s) - t0 )) s"
