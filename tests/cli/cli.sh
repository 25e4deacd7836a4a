#!/bin/sh
# tests/cli/cli.sh CPW SOURCE_DIR: the cpw tool's commands as a user runs them, with their
# output and exit codes checked. Writes only in a temporary directory it removes.
set -u
cpw=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

expect() { # name, expected exit code, grep pattern (of stdout+stderr), command...
  name=$1 code=$2 pattern=$3
  shift 3
  "$@" >"$tmp/out" 2>&1
  got=$?
  if [ "$got" != "$code" ]; then
    echo "FAIL $name: exit $got, expected $code"; sed -n 1,20p "$tmp/out"; fails=$((fails + 1)); return
  fi
  if [ -n "$pattern" ] && ! grep -q -- "$pattern" "$tmp/out"; then
    echo "FAIL $name: output lacks '$pattern'"; sed -n 1,20p "$tmp/out"; fails=$((fails + 1)); return
  fi
  echo "ok   $name"
}

# help and usage
expect help 0 "exit codes" "$cpw" --help
expect no-command 2 "usage" "$cpw"
expect unknown-command 2 "unknown command" "$cpw" frobnicate
for c in demo check eval diagram journal report sources version; do
  expect "help-$c" 0 "usage" "$cpw" "$c" --help
done

# check
expect check-default 0 "policy 'georgia'" "$cpw" check "$src"/lib/policy/georgia/*.cpw
printf 'field n: int\nprogram p "P" {\n  eligible when m > 3\n}\n' >"$tmp/bad.cpw"
expect check-error 1 "bad.cpw:3:17: error: unknown name 'm' (did you mean 'n'?)" "$cpw" check "$tmp/bad.cpw"
expect check-missing 3 "cannot read" "$cpw" check "$tmp/none.cpw"
# check --strict: a rule without a basis is a warning and fails; the default policy has none
expect check-strict-default 0 "0 without a basis" "$cpw" check --strict "$src"/lib/policy/georgia/*.cpw
printf 'source s "A source"\nfield n: int\nprogram p "P" {\n  eligible when n > 3\n}\nprogram q "Q" {\n  basis proposal (s)\n  eligible when n > 3\n}\n' >"$tmp/nobasis.cpw"
expect check-strict-warns 1 "nobasis.cpw:3:1: warning: program 'p' has no basis" "$cpw" check --strict "$tmp/nobasis.cpw"
expect check-not-strict 0 "policy 'unnamed'" "$cpw" check "$tmp/nobasis.cpw"

# sources: every rule with its basis; --status proposal is the reviewer's list
expect sources-default 0 "basis: agency default, not law" "$cpw" sources
expect sources-proposal 0 "proposal, not confirmed" "$cpw" sources --status proposal
expect sources-csv 0 "^file,line,kind,rule,status,inherited,start,sources,note,basis,text" "$cpw" sources --format csv
expect sources-markdown 0 "^## Sources" "$cpw" sources --format markdown
expect sources-policy 0 "program q" "$cpw" sources --policy "$tmp/nobasis.cpw" --status proposal
expect sources-bad-status 2 "law, regulation, agency_default, proposal" "$cpw" sources --status maybe
"$cpw" sources --status agency_default >"$tmp/ad.txt" 2>&1
if grep -q "proposal, not confirmed" "$tmp/ad.txt"; then
  echo "FAIL sources-filter: --status agency_default lists another status"; fails=$((fails + 1))
else
  echo "ok   sources-filter"
fi

# eval: CSV in, CSV and JSONL out, bad rows
cat >"$tmp/people.csv" <<'CSV'
id,citizenship,months_abroad_irregular,asylum_applied_abroad,asylum_granted_abroad,return_date,registration_date,city
P1,georgian,14,false,false,2019-01-10,2019-03-01,tbilisi
P2,georgian,10,no,no,2019-01-10,2019-03-01,batumi
P3,martian,10,no,no,2019-01-10,2019-03-01,batumi
P4,georgian,,,,2019-02-30,,
"P5, ""quoted""",stateless,20,false,false,2019-01-10,2019-02-01,other
CSV
expect eval-csv 1 "P1,eligible" "$cpw" eval --program reintegration_assistance --as-of 2019-06-01 "$tmp/people.csv"
expect eval-bad-enum 1 "line 4: field 'citizenship': not one of its values" "$cpw" eval --program reintegration_assistance --as-of 2019-06-01 "$tmp/people.csv"
expect eval-bad-date 1 "line 5: field 'return_date'" "$cpw" eval --program reintegration_assistance --as-of 2019-06-01 "$tmp/people.csv"
expect eval-stop 1 "line 4" "$cpw" eval --on-error stop --program reintegration_assistance --as-of 2019-06-01 "$tmp/people.csv"
expect eval-quoted 1 '"P5, ""quoted""",undetermined' "$cpw" eval --program reintegration_assistance --as-of 2019-06-01 "$tmp/people.csv"
printf '{"id": 7, "citizenship": "georgian", "months_abroad_irregular": 13, "asylum_applied_abroad": false, "asylum_granted_abroad": false, "return_date": "2019-01-10", "registration_date": "2020-01-10"}\n{"id": 8, "nonsense": 1}\n{"id": 9, "citizenship":\n' >"$tmp/people.jsonl"
expect eval-jsonl 1 '"id":"7","outcome":"eligible"' "$cpw" eval --output jsonl --program reintegration_assistance --as-of 2019-06-01 "$tmp/people.jsonl"
expect eval-jsonl-unknown 1 "line 2: unknown field 'nonsense'" "$cpw" eval --output jsonl --program reintegration_assistance --as-of 2019-06-01 "$tmp/people.jsonl"
expect eval-jsonl-broken 1 "line 3: line 1, column" "$cpw" eval --output jsonl --program reintegration_assistance --as-of 2019-06-01 "$tmp/people.jsonl"
expect eval-unknown-program 2 "no programme 'nope'" "$cpw" eval --program nope "$tmp/people.csv"
expect eval-bad-as-of 2 "not a date" "$cpw" eval --program barnahus --as-of 2019-02-30 "$tmp/people.csv"
printf 'id,nonsense\n1,2\n' >"$tmp/unknown.csv"
expect eval-unknown-column 1 "unknown field 'nonsense' in the header" "$cpw" eval --program barnahus "$tmp/unknown.csv"
expect eval-ignore-unknown 0 "1,undetermined" "$cpw" eval --ignore-unknown --program barnahus --as-of 2024-01-01 "$tmp/unknown.csv"
printf 'id,city\n1,"unterminated\n' >"$tmp/unterminated.csv"
expect eval-unterminated 1 "a quoted field is not closed" "$cpw" eval --program barnahus "$tmp/unterminated.csv"
expect eval-stdin 0 "1,undetermined" sh -c "printf 'id,city\n1,tbilisi\n' | '$cpw' eval --program barnahus --as-of 2024-01-01 -"

# diagram
expect diagram-mermaid 0 "stateDiagram-v2" "$cpw" diagram referral
expect diagram-dot 0 "digraph \"referral\"" "$cpw" diagram --format dot referral
expect diagram-unknown 2 "no workflow 'nope'" "$cpw" diagram nope

# journal and report, on the seed example's journal
seed=$(dirname "$cpw")/examples/example_placements_seed
if [ -x "$seed" ]; then
  expect seed 0 "all seed figures" "$seed" "$tmp/seed.journal"
  expect journal-verify 0 "head " "$cpw" journal verify "$tmp/seed.journal"
  expect journal-export 0 '"kind":"placement"' "$cpw" journal export "$tmp/seed.journal"
  expect journal-replay 0 "placement episodes: 119" "$cpw" journal replay "$tmp/seed.journal"
  expect report-table 0 "residential care                    83" "$cpw" report --journal "$tmp/seed.journal" --from 2019-01-01 --to 2019-12-31
  expect report-json 0 '"residential_at_end":78' "$cpw" report --format json --journal "$tmp/seed.journal" --from 2020-01-01 --to 2020-12-31
  expect report-csv 0 "exits,infant_home,fostered,,8" "$cpw" report --format csv --journal "$tmp/seed.journal" --from 2018-01-01 --to 2018-12-31
  cp "$tmp/seed.journal" "$tmp/damaged.journal"
  printf 'X' | dd of="$tmp/damaged.journal" bs=1 seek=3000 conv=notrunc 2>/dev/null
  expect journal-damaged 1 "is damaged" "$cpw" journal verify "$tmp/damaged.journal"
  expect report-bad-date 2 "not a date" "$cpw" report --journal "$tmp/seed.journal" --from 2019-13-01 --to 2019-12-31
fi
expect journal-missing 3 "cannot open" "$cpw" journal verify "$tmp/nothing.journal"

# version and demo
expect version 0 "cpw 1." "$cpw" version
expect demo 0 "Deinstitutionalization indicators" "$cpw" demo
# the demo's journal kept; Decree 437's statistics from it: notifications per year by reporter
expect demo-journal 0 "Notifications registered in 2025" "$cpw" demo --journal "$tmp/demo.journal"
expect report-notifications 0 "reporter_type" "$cpw" report --notifications --journal "$tmp/demo.journal" --from 2025-01-01 --to 2025-12-31
expect report-notifications-csv 0 "^notifications,case_type,neglect,2025," "$cpw" report --notifications --format csv --journal "$tmp/demo.journal" --from 2025-01-01 --to 2025-12-31
expect report-notifications-json 2 "table or csv" "$cpw" report --notifications --format json --journal "$tmp/demo.journal" --from 2025-01-01 --to 2025-12-31

echo "cli: $fails failed"
[ "$fails" = 0 ]
