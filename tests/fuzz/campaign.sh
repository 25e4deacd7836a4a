#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/fuzz/campaign.sh: a long fuzzing campaign of one target, for tests/fuzz/README.md.
#
#   sh tests/fuzz/campaign.sh BUILD_DIR TARGET RUNS [SECONDS]
#
# Runs BUILD_DIR/tests/fuzz/fuzz_TARGET (a libFuzzer build: -DCPW_BUILD_FUZZERS=ON) under
# `nice` for RUNS executions (or SECONDS, default 12 h, whichever comes first) from a working
# corpus build/campaign/TARGET/corpus, seeded from tests/fuzz/corpus/TARGET and kept between
# runs (a second run goes on from where the first stopped). Crashes, leaks and timeouts are
# written to build/campaign/TARGET/ (crash-*, leak-*, timeout-*); the log is
# build/campaign/TARGET/run-DATE.log, and one summary line (target, executions, seconds,
# executions/s, corpus size, findings, exit status, build directory, the commit checked out
# when it started) is appended to build/campaign/summary.txt.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1 target=$2 runs=$3 secs=${4:-43200}
bin=$build/tests/fuzz/fuzz_$target
[ -x "$bin" ] || { echo "campaign: no $bin (build it with -DCPW_BUILD_FUZZERS=ON)" >&2; exit 2; }
dir=$root/build/campaign/$target
mkdir -p "$dir/corpus"
if [ -d "$root/tests/fuzz/corpus/$target" ]; then
  cp -rn "$root/tests/fuzz/corpus/$target/." "$dir/corpus/"
fi
log=$dir/run-$(date +%Y%m%d-%H%M%S).log
commit=$(git -C "$root" rev-parse --short HEAD)
start=$(date +%s)
status=0
nice -n 19 "$bin" -runs="$runs" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$dir/" "$dir/corpus" >"$log" 2>&1 || status=$?
end=$(date +%s)
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | sed 's/.*: *//' || true)
findings=$(ls "$dir" | grep -c -E '^(crash|leak|timeout|oom|slow-unit)-' || true)
elapsed=$((end - start))
printf '%s executions=%s seconds=%s exec_per_s=%s corpus=%s findings=%s exit=%s build=%s commit=%s\n' \
  "$target" "${execs:-?}" "$elapsed" "$(( ${execs:-0} / (elapsed > 0 ? elapsed : 1) ))" \
  "$(ls "$dir/corpus" | wc -l)" "$findings" "$status" "$(basename "$build")" "$commit" \
  | tee -a "$root/build/campaign/summary.txt"
exit "$status"
