#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# docs/sources.md is what `cpw sources --format markdown` prints for the default policy now.
set -eu
cpw=$1 doc=$2
tmp=${TMPDIR:-/tmp}/cpw-sources-$$.md
"$cpw" sources --format markdown > "$tmp"
if ! cmp -s "$tmp" "$doc"; then
  diff -u "$doc" "$tmp" | head -40
  echo "docs/sources.md is out of date: regenerate it with"
  echo "  build/cpw sources --format markdown > docs/sources.md"
  rm -f "$tmp"
  exit 1
fi
rm -f "$tmp"
echo "docs/sources.md current"
