#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The report page in a real browser (tests/run.sh browser): `cpw demo --keep` writes the
# page, and `cpw report --lang ka --format html` the same page in Georgian;
# tests/browser/check_page.mjs opens each in Debian's headless Chromium (playwright-core from
# the npm registry, pinned in package-lock.json, installed under OUTDIR) and checks it; the
# screenshots stay at OUTDIR/report.png and OUTDIR/report-ka.png for a person (or CI's
# artifacts) to look at.
#
#   sh tests/browser/run.sh OUTDIR [CPW]
#
# CPW: the cpw tool to use (default: build/ci/cpw, else a tool-only build under OUTDIR).
# Exit 0 passed, 1 failed, 77 skipped (no chromium, node or npm: the message says which).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:?usage: sh tests/browser/run.sh OUTDIR [CPW]}
cpw=${2:-}
chromium=${CPW_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "browser test skipped: no $chromium (Debian package chromium; as root:" \
       "sh tests/run.sh deps browser installs it)"
  exit 77
fi
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "browser test skipped: $tool is not installed (Node.js 20 or later, with npm)"
    exit 77
  fi
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ -z "$cpw" ]; then
  if [ -x "$root/build/ci/cpw" ]; then
    cpw=$root/build/ci/cpw
  else
    cmake -S "$root" -B "$out/build" -DCMAKE_BUILD_TYPE=Release -DCPW_BUILD_TESTS=OFF \
      -DCPW_BUILD_BENCH=OFF >/dev/null
    cmake --build "$out/build" -j "$(nproc 2>/dev/null || echo 2)" --target cpw_tool >/dev/null
    cpw=$out/build/cpw
  fi
fi
# playwright-core, exactly as locked (no browser download: it drives Debian's chromium)
if ! cmp -s "$here/package-lock.json" "$out/node/package-lock.json" 2>/dev/null ||
   [ ! -d "$out/node/node_modules/playwright-core" ]; then
  rm -rf "$out/node"
  mkdir -p "$out/node"
  cp "$here/package.json" "$here/package-lock.json" "$out/node/"
  (cd "$out/node" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund \
     --loglevel=error >/dev/null)
fi
rm -rf "$out/demo"
"$cpw" demo --keep "$out/demo" >/dev/null
"$cpw" report --journal "$out/demo/referrals.journal" --from 2025-01-01 --to 2025-12-31 \
  --format html --lang ka >"$out/demo/report-ka.html"
cp "$here/check_page.mjs" "$out/node/"
CPW_CHROMIUM=$chromium node "$out/node/check_page.mjs" "$out/demo/report.html" "$out/report.png"
CPW_CHROMIUM=$chromium node "$out/node/check_page.mjs" "$out/demo/report-ka.html" \
  "$out/report-ka.png" ka
