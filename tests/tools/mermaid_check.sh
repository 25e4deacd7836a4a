#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Parse the Mermaid diagrams `cpw diagram` writes (every workflow of the default policy, in the
# policy's own names, in English labels and in Georgian) with Mermaid's own parser, in node
# with jsdom. Skips (exit 77, with a message) when node or npm is absent or the packages cannot
# be installed; the packages are installed once into the build tree.
#   sh tests/tools/mermaid_check.sh CPW_BINARY SOURCE_DIR BUILD_DIR
set -u
cpw=$1 src=$2 build=$3
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "skipped: node and npm are needed to run Mermaid's parser (apt-get install nodejs npm)"
  exit 77
fi
dir=$build/mermaid-check
mkdir -p "$dir" || exit 1
cp "$src/tests/tools/mermaid/package.json" "$src/tests/tools/mermaid/check.mjs" "$dir/"
if [ ! -d "$dir/node_modules/mermaid" ] || [ ! -d "$dir/node_modules/jsdom" ]; then
  if ! (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >npm.log 2>&1); then
    echo "skipped: npm could not install mermaid and jsdom (see $dir/npm.log)"
    exit 77
  fi
fi
dir=$(cd "$dir" && pwd) || exit 1
out=$dir/diagrams
rm -rf "$out" && mkdir -p "$out" || exit 1
for wf in referral trafficking_status; do
  for lang in none en ka; do
    if [ "$lang" = none ]; then
      "$cpw" diagram --format mermaid "$wf" >"$out/$wf-$lang.mmd" || exit 1
    else
      "$cpw" diagram --format mermaid --lang "$lang" "$wf" >"$out/$wf-$lang.mmd" || exit 1
    fi
  done
done
# Georgian text must be there (not identifiers only)
grep -q 'მიმართვიანობა' "$out/referral-ka.mmd" || { echo "no Georgian in the ka diagram"; exit 1; }
cd "$dir" && node check.mjs "$out"/*.mmd
