#!/bin/sh
# The README's two commands, and CI's:
#   sh tests/run.sh demo        install what is missing, build, run `cpw demo`
#   sh tests/run.sh             the whole test suite (every stage below)
#   sh tests/run.sh STAGE...    only these stages
# Stages: deps build (release build, -Werror, ctest: unit, api, oom, headers, install, examples)
# It installs what is missing on Debian (apt-get, when run as root; otherwise it names the
# packages to install and stops). Exit status is non-zero when any stage fails.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)
stages=${*:-"deps build"}
[ "$stages" = demo ] && stages="deps demo"
t0=$(date +%s)

say() { printf '\n==== %s\n' "$*"; }

need_packages="cmake make gcc g++ pkg-config libcmocka-dev python3 binutils"

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

stage_build() {
  say "release build with -Werror"
  cmake -S "$root" -B "$root/build/ci" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCPW_WERROR=ON >/dev/null
  cmake --build "$root/build/ci" -j "$jobs"
  say "ctest"
  (cd "$root/build/ci" && ctest --output-on-failure -j "$jobs")
}

stage_demo() {
  cmake -S "$root" -B "$root/build/release" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$root/build/release" -j "$jobs" --target cpw_tool >/dev/null
  "$root/build/release/cpw" demo
}

for s in $stages; do
  case $s in
    deps|build|demo) "stage_$s" ;;
    *) echo "unknown stage: $s (stages: deps build demo)"; exit 2 ;;
  esac
done
[ "$stages" = "deps demo" ] && exit 0
say "all stages passed ($stages) in $(( $(date +%s) - t0 )) s"
