#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The Mermaid diagrams in docs/referral-workflow.md match what `cpw diagram` draws now.
set -eu
cpw=$1 doc=$2
for wf in referral trafficking_status; do
  "$cpw" diagram "$wf" > /tmp/cpw-diagram-$$.txt
  if ! awk -v want="$(cat /tmp/cpw-diagram-$$.txt)" 'BEGIN{RS="```"} $0 ~ /^mermaid\n/ { sub(/^mermaid\n/, ""); if ($0 == want "\n" || $0 == want) found=1 } END { exit found ? 0 : 1 }' "$doc"; then
    echo "docs/referral-workflow.md: the $wf diagram is out of date (cpw diagram $wf)"
    rm -f /tmp/cpw-diagram-$$.txt
    exit 1
  fi
done
rm -f /tmp/cpw-diagram-$$.txt
echo "diagrams current"
