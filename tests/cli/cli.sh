#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
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

expect_full() { # name, command...: its output goes to a full disk: exit 3, the reason said
  name=$1
  shift
  "$@" >/dev/full 2>"$tmp/err"
  got=$?
  if [ "$got" != 3 ] || ! grep -q "cannot write the output: No space left on device" "$tmp/err"; then
    echo "FAIL $name: > /dev/full gave exit $got"; sed -n 1,10p "$tmp/err"; fails=$((fails + 1)); return
  fi
  echo "ok   $name"
}

# help and usage
expect help 0 "exit codes" "$cpw" --help
expect no-command 2 "usage" "$cpw"
expect unknown-command 2 "unknown command" "$cpw" frobnicate
for c in demo check eval diagram journal report sources version programs fields show help; do
  expect "help-$c" 0 "usage" "$cpw" "$c" --help
  expect "help-cmd-$c" 0 "usage: cpw $c" "$cpw" help "$c"
done
expect help-unknown 2 "unknown command 'nope'" "$cpw" help nope

# discovery: programmes with the fields they read, every field, the policy's text
expect programs 0 "^reintegration_assistance  Reintegration assistance for returned migrants" "$cpw" programs
expect programs-fields 0 "^    citizenship  *enum(georgian, stateless, foreign)" "$cpw" programs reintegration_assistance
expect programs-service-field 0 "^    found_in  *enum(tbilisi" "$cpw" programs street_children_services
expect programs-one 0 "^  in force: *from 2015 (the day is not known)" "$cpw" programs tsa_child_benefit
expect programs-unknown 2 "no programme 'nope'" "$cpw" programs nope
expect fields 0 "^citizenship  *enum  *Citizenship: georgian, stateless, foreign" "$cpw" fields
expect fields-int 0 "^tsa_score  *int  *Household rating score" "$cpw" fields
expect show-policy 0 "^policy georgia" "$cpw" show policy
expect show-policy-files 0 "^# ---- 10-programmes.cpw" "$cpw" show policy
printf 'field n: int\nprogram p "P" { eligible when n > 3 }\n' >"$tmp/tiny.cpw"
expect show-policy-file 0 "^program p" "$cpw" show policy --policy "$tmp/tiny.cpw"
expect programs-policy 0 "^    n  *int" "$cpw" programs --policy="$tmp/tiny.cpw"
expect show-unknown 2 "cpw show: what to show: policy" "$cpw" show nope

# check
expect check-default 0 "policy 'georgia'" "$cpw" check "$src"/lib/policy/georgia/*.cpw
printf 'field n: int\nprogram p "P" {\n  eligible when m > 3\n}\n' >"$tmp/bad.cpw"
expect check-error 1 "bad.cpw:3:17: error: unknown name 'm' (did you mean 'n'?)" "$cpw" check "$tmp/bad.cpw"
expect check-excerpt 1 "^    eligible when m > 3$" "$cpw" check "$tmp/bad.cpw"
expect check-caret 1 "^                  ^$" "$cpw" check "$tmp/bad.cpw"
expect check-stdin 0 "1 programme," sh -c "'$cpw' check - <'$tmp/tiny.cpw'"
expect check-programmes 0 "programmes: p$" "$cpw" check "$tmp/tiny.cpw"
expect check-dir 0 "policy 'georgia'" "$cpw" check "$src/lib/policy/georgia"
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
ev="$cpw eval --program reintegration_assistance --as-of 2019-06-01"
expect eval-csv 1 "^2,P1,2019-06-01,eligible," $ev "$tmp/people.csv"
expect eval-header 1 "^line,id,as_of,outcome,missing,services,benefits,explanation,error$" $ev "$tmp/people.csv"
expect eval-bad-enum 1 "line 4: field 'citizenship': not one of its values (georgian, stateless, foreign)" $ev "$tmp/people.csv"
expect eval-bad-date 1 "line 5: field 'return_date'" $ev "$tmp/people.csv"
# a bad row is in the output too, with its error; the run ends with a summary
expect eval-invalid-row 1 "^4,P3,2019-06-01,invalid,,,,,\"field 'citizenship': not one of its values" $ev "$tmp/people.csv"
expect eval-invalid-row-date 1 "^5,P4,2019-06-01,invalid,.*field 'return_date'" $ev "$tmp/people.csv"
expect eval-summary 1 "cpw eval: 5 rows read: 3 evaluated (eligible 1, not_eligible 1, undetermined 1, error 0), 2 invalid; as of 2019-06-01" $ev "$tmp/people.csv"
expect eval-stop 1 "line 4" "$cpw" eval --on-error stop --program reintegration_assistance --as-of 2019-06-01 "$tmp/people.csv"
expect eval-quoted 1 '"P5, ""quoted""",2019-06-01,undetermined' $ev "$tmp/people.csv"
printf '{"id": 7, "citizenship": "georgian", "months_abroad_irregular": 13, "asylum_applied_abroad": false, "asylum_granted_abroad": false, "return_date": "2019-01-10", "registration_date": "2020-01-10"}\n{"id": 8, "nonsense": 1}\n{"id": 9, "citizenship":\n' >"$tmp/people.jsonl"
expect eval-jsonl 1 '"id":"7","as_of":"2019-06-01","outcome":"eligible"' $ev --output jsonl "$tmp/people.jsonl"
expect eval-jsonl-unknown 1 "line 2: unknown field 'nonsense' (column 11)" $ev --output jsonl "$tmp/people.jsonl"
expect eval-jsonl-invalid-row 1 '"line":2,"id":"8","as_of":"2019-06-01","outcome":"invalid",.*"error":"unknown field' $ev --output jsonl "$tmp/people.jsonl"
expect eval-jsonl-broken 1 "line 3, column 25: expected a value" $ev --output jsonl "$tmp/people.jsonl"
expect eval-unknown-program 2 "no programme 'nope'" "$cpw" eval --program nope "$tmp/people.csv"
expect eval-no-program 2 "cpw eval: --program is required" "$cpw" eval "$tmp/people.csv"
expect eval-bad-as-of 2 "not a date" "$cpw" eval --program barnahus --as-of 2019-02-30 "$tmp/people.csv"
expect eval-opt-equals 1 "^2,P1,2019-06-01,eligible," "$cpw" eval --program=reintegration_assistance --as-of=2019-06-01 "$tmp/people.csv"
expect eval-policy-dir 1 "^2,P1,2019-06-01,eligible," $ev --policy "$src/lib/policy/georgia" "$tmp/people.csv"
expect eval-as-of-today 1 "as of $(date +%Y-%m)-[0-9][0-9] (today in the policy's time zone" "$cpw" eval --program barnahus "$tmp/people.csv"
expect eval-missing-file 3 "cannot open $tmp/none.csv: No such file or directory" "$cpw" eval --program barnahus "$tmp/none.csv"
expect eval-directory 3 "$tmp: Is a directory" "$cpw" eval --program barnahus "$tmp"
if "$cpw" eval --program barnahus "$tmp" 2>/dev/null | grep -q line; then echo "FAIL eval-directory-header: a header was printed"; fails=$((fails + 1)); fi
printf 'id,nonsense\n1,2\n' >"$tmp/unknown.csv"
expect eval-unknown-column 1 "unknown field 'nonsense' in the header" "$cpw" eval --program barnahus "$tmp/unknown.csv"
printf 'id,citizenhsip\n1,georgian\n' >"$tmp/typo.csv"
expect eval-header-typo 1 "unknown field 'citizenhsip' in the header (did you mean 'citizenship'?)" "$cpw" eval --program barnahus "$tmp/typo.csv"
expect eval-ignore-unknown 0 "^2,1,2024-01-01,undetermined" "$cpw" eval --ignore-unknown --program barnahus --as-of 2024-01-01 "$tmp/unknown.csv"
# the --id column must exist
expect eval-id-missing 2 "no column 'person' (--id)" "$cpw" eval --id person --program barnahus --as-of 2024-01-01 "$tmp/people.csv"
# spreadsheet booleans, padding and capitalised enum values are read; the valid values are listed
printf 'id,alleged_sexual_violence,birth_date,city\nA,TRUE,2015-01-01,Tbilisi\nB, yes ,2015-01-01 , batumi\nC,False,2015-01-01,nowhere\n' >"$tmp/sheet.csv"
expect eval-spreadsheet-values 1 "^3,B,2024-01-01,eligible," "$cpw" eval --program barnahus --as-of 2024-01-01 "$tmp/sheet.csv"
expect eval-spreadsheet-true 1 "^2,A,2024-01-01,eligible," "$cpw" eval --program barnahus --as-of 2024-01-01 "$tmp/sheet.csv"
expect eval-enum-listed 1 "line 4: field 'city': not one of its values (tbilisi, rustavi, kutaisi, batumi, other)" "$cpw" eval --program barnahus --as-of 2024-01-01 "$tmp/sheet.csv"
# a NUL byte in a cell is an invalid row, not a cell cut short (issue 16)
printf 'id,tsa_score,tsa_registered,birth_date\nN1,1\0003,true,2015-01-01\nN2,13,true,2015-01-01\n' >"$tmp/nul.csv"
expect eval-nul 1 "line 2: a NUL byte" "$cpw" eval --program tsa_child_benefit --as-of 2024-01-01 "$tmp/nul.csv"
expect eval-nul-row 1 "^2,N1,2024-01-01,invalid," "$cpw" eval --program tsa_child_benefit --as-of 2024-01-01 "$tmp/nul.csv"
expect eval-nul-next 1 "^3,N2,2024-01-01,eligible," "$cpw" eval --program tsa_child_benefit --as-of 2024-01-01 "$tmp/nul.csv"
# a key twice in a JSON Lines object is an invalid row, not "the last wins" (issue 16)
printf '{"id": "D1", "city": "tbilisi", "birth_date": "2015-01-01", "city": "batumi"}\n{"id": "D2", "alleged_sexual_violence": true, "birth_date": "2015-01-01", "alleged_sexual_violence": false}\n' >"$tmp/dup.jsonl"
expect eval-dup-key 1 "line 1: field 'city' is given twice (column 61)" "$cpw" eval --program barnahus --as-of 2024-01-01 "$tmp/dup.jsonl"
expect eval-dup-key-row 1 "^2,D2,2024-01-01,invalid,,,,,field 'alleged_sexual_violence' is given twice (column 75)$" "$cpw" eval --program barnahus --as-of 2024-01-01 "$tmp/dup.jsonl"
# ... also the id key and a key skipped as unknown, as the JSON text means them ("\u0069d" is "id");
# a key that is not a field is never quoted
printf '{"id": "D3", "x\\u00e9": 1, "x\303\251": 2}\n{"id": "D4", "\\u0069d": "D5"}\n' >"$tmp/dup2.jsonl"
expect eval-dup-unknown-key 1 "^1,D3,2024-01-01,invalid,,,,,a key is given twice (column 28)$" "$cpw" eval --ignore-unknown --program barnahus --as-of 2024-01-01 "$tmp/dup2.jsonl"
expect eval-dup-id-key 1 "line 2: key 'id' is given twice (column 14)" "$cpw" eval --ignore-unknown --program barnahus --as-of 2024-01-01 "$tmp/dup2.jsonl"
# a CSV without its header row: its first cells are personal data and never quoted (issue 16)
printf 'Nino Beridze,2015-01-01,tbilisi\nGiorgi,2014-02-02,batumi\n' >"$tmp/noheader.csv"
expect eval-no-header 1 "the first line names no field of the policy" "$cpw" eval --program barnahus "$tmp/noheader.csv"
if "$cpw" eval --program barnahus "$tmp/noheader.csv" 2>&1 | grep -q "Nino\|2015\|tbilisi"; then
  echo "FAIL eval-no-header-quiet: a cell of the first row is on stderr"; fails=$((fails + 1)); fi
printf 'id,city\n1,"unterminated\n' >"$tmp/unterminated.csv"
expect eval-unterminated 1 "a quoted field is not closed" "$cpw" eval --program barnahus "$tmp/unterminated.csv"
expect eval-stdin 0 "^2,1,2024-01-01,undetermined" sh -c "printf 'id,city\n1,tbilisi\n' | '$cpw' eval --program barnahus --as-of 2024-01-01 -"
# a UTF-8 byte-order mark (Excel's "CSV UTF-8") is not part of the first column's name
printf '\357\273\277id,city\r\nB1,tbilisi\r\n' >"$tmp/bom.csv"
expect eval-bom-csv 0 "^2,B1,2024-01-01,undetermined" "$cpw" eval --program barnahus --as-of 2024-01-01 "$tmp/bom.csv"
printf '\357\273\277{"id": "B2", "city": "tbilisi"}\n' >"$tmp/bom.jsonl"
expect eval-bom-jsonl 0 '"id":"B2"' "$cpw" eval --output jsonl --program barnahus --as-of 2024-01-01 "$tmp/bom.jsonl"

# --lang: explanations, headers and values by label
cat >"$tmp/ka.csv" <<'CSV'
id,მოქალაქეობა,საზღვარგარეთ არალეგალურად ყოფნის ხანგრძლივობა (თვე),საზღვარგარეთ შეიტანა განაცხადი თავშესაფრის მიღებაზე,საზღვარგარეთ მიენიჭა თავშესაფარი,საქართველოში დაბრუნების თარიღი,პროგრამაში რეგისტრაციის თარიღი,საცხოვრებელი ქალაქი
K1,საქართველოს მოქალაქე,14,false,false,2019-01-10,2019-03-01,თბილისი
K2,უცხო ქვეყნის მოქალაქე,10,no,no,2019-01-10,2019-03-01,batumi
CSV
expect eval-labels 0 "K1,2019-06-01,eligible" "$cpw" eval --program reintegration_assistance --as-of 2019-06-01 "$tmp/ka.csv"
# a value label is looked up among the field's own values (city and found_in share "ბათუმი")
printf 'id,found_in,street_situation,birth_date\nS1,ბათუმი,true,2015-01-01\n' >"$tmp/found.csv"
expect eval-value-label-own-field 0 "S1,2025-01-01,eligible,,mobile_group" "$cpw" eval --program street_children_services --as-of 2025-01-01 "$tmp/found.csv"
expect eval-lang-ka 0 "არ აკმაყოფილებს პირობებს: არცერთი პირობა არ სრულდება (მოქალაქეობა: უცხო ქვეყნის მოქალაქე (საჭიროა: საქართველოს მოქალაქე)" "$cpw" eval --lang ka --program reintegration_assistance --as-of 2019-06-01 "$tmp/ka.csv"
expect eval-lang-en 1 "none of: months abroad without legal status is 10, but must be more than 12" "$cpw" eval --lang en --program reintegration_assistance --as-of 2019-06-01 "$tmp/people.csv"
expect eval-lang-unknown 2 "no language 'xx': the library has en and ka; the policy has labels in ka, en" "$cpw" eval --lang xx --program reintegration_assistance "$tmp/ka.csv"
expect diagram-ka 0 'state "რეგისტრირებულია სააგენტოს მიერ" as registered' "$cpw" diagram --lang ka referral
expect diagram-ka-dot 0 '"registered" \[label="რეგისტრირებულია სააგენტოს მიერ"\]' "$cpw" diagram --format dot --lang ka referral
expect demo-ka 0 "დეინსტიტუციონალიზაციის მაჩვენებლები: 2025 წლის 1 იანვარი" "$cpw" demo --lang ka

# diagram
expect diagram-mermaid 0 "stateDiagram-v2" "$cpw" diagram referral
expect diagram-dot 0 "digraph \"referral\"" "$cpw" diagram --format dot referral
expect diagram-unknown 2 "no workflow 'nope'" "$cpw" diagram nope
expect diagram-equals 0 "digraph \"referral\"" "$cpw" diagram --format=dot referral
expect diagram-default 0 "default: mermaid" "$cpw" diagram --help
expect diagram-required 2 "cpw diagram: WORKFLOW is required" "$cpw" diagram

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
  expect report-ka 0 "83    რეზიდენციული ზრუნვა" "$cpw" report --lang ka --region თბილისი --journal "$tmp/seed.journal" --from 2019-01-01 --to 2019-12-31
  expect journal-export-ka 0 '"text":{"at":"20' "$cpw" journal export --lang ka "$tmp/seed.journal"
  cp "$tmp/seed.journal" "$tmp/damaged.journal"
  printf 'X' | dd of="$tmp/damaged.journal" bs=1 seek=3000 conv=notrunc 2>/dev/null
  expect journal-damaged 1 "is damaged" "$cpw" journal verify "$tmp/damaged.journal"
  # 100 bytes removed in the middle: damage, never "an unfinished tail"; a writer's replay
  # refuses it too; the explicit repair cuts it, keeps the removed bytes aside, and says so
  head -c 3000 "$tmp/seed.journal" >"$tmp/shifted.journal"
  tail -c +3101 "$tmp/seed.journal" >>"$tmp/shifted.journal"
  size=$(wc -c <"$tmp/shifted.journal")
  expect journal-shifted 1 "is damaged" "$cpw" journal verify "$tmp/shifted.journal"
  expect journal-shifted-keep 1 "would cut" "$cpw" journal verify "$tmp/shifted.journal"
  expect journal-shifted-replay 1 "is damaged" "$cpw" journal replay "$tmp/shifted.journal"
  if [ "$(wc -c <"$tmp/shifted.journal")" != "$size" ]; then
    echo "FAIL journal-shifted-unchanged: the file changed"; fails=$((fails + 1))
  fi
  expect journal-repair 0 "removed .* bytes (written to $tmp/shifted.journal.removed)" \
    "$cpw" journal repair "$tmp/shifted.journal"
  expect journal-repaired 0 "ok: " "$cpw" journal verify "$tmp/shifted.journal"
  expect journal-repair-again 0 "nothing to repair" "$cpw" journal repair "$tmp/shifted.journal"
  expect journal-repair-aside-exists 1 "exists" "$cpw" journal repair \
    --aside "$tmp/shifted.journal.removed" "$tmp/damaged.journal"
  # another policy: refused, unless the flag is given, and then the output says so
  sed 's/^\( *version \)"[^"]*"/\1"9999.9"/' "$src/lib/policy/georgia/00-policy.cpw" >"$tmp/00-policy.cpw"
  set --
  for p in "$src"/lib/policy/georgia/*.cpw; do
    case $p in */00-policy.cpw) set -- "$@" --policy "$tmp/00-policy.cpw" ;; *) set -- "$@" --policy "$p" ;; esac
  done
  expect journal-replay-other-policy 1 "not this policy" "$cpw" journal replay "$@" "$tmp/seed.journal"
  expect journal-replay-allowed 0 "WARNING: replayed under policy" "$cpw" journal replay "$@" \
    --allow-policy-change "$tmp/seed.journal"
  expect report-bad-date 2 "not a date" "$cpw" report --journal "$tmp/seed.journal" --from 2019-13-01 --to 2019-12-31
  expect report-required 2 "cpw report: --from is required" "$cpw" report --journal "$tmp/seed.journal" --to 2019-12-31
  # a journal whose last commit was cut off: verify says so and exits 1
  cp "$tmp/seed.journal" "$tmp/torn.journal"
  truncate -s -20 "$tmp/torn.journal"
  expect journal-torn 1 "the last commit is incomplete" "$cpw" journal verify "$tmp/torn.journal"
  expect journal-torn-entries 1 "holding [0-9]* complete entries" "$cpw" journal verify "$tmp/torn.journal"
  # export: placement entries carry their date, booleans are JSON booleans
  expect export-date 0 '"date":"2017-12-31",.*"name":"place"' "$cpw" journal export "$tmp/seed.journal"
  expect export-bool 0 '"emergency":false' "$cpw" journal export "$tmp/seed.journal"
  expect export-child 0 '"kind":"placement","date":null,.*"name":"child"' "$cpw" journal export "$tmp/seed.journal"
  if "$cpw" journal export "$tmp/seed.journal" | grep -q '1969-12-31\|1970-01-01'; then
    echo "FAIL export-no-sentinel: a placeholder time is exported"; fails=$((fails + 1)); fi
  expect export-damaged 1 "is damaged" "$cpw" journal export "$tmp/damaged.journal"
  # every command checks its writes: > /dev/full is exit 3 with the reason (issue 16)
  expect_full full-verify "$cpw" journal verify "$tmp/seed.journal"
  expect_full full-export "$cpw" journal export "$tmp/seed.journal"
  expect_full full-replay "$cpw" journal replay "$tmp/seed.journal"
  expect_full full-report "$cpw" report --journal "$tmp/seed.journal" --from 2019-01-01 --to 2019-12-31
  expect_full full-report-svg "$cpw" report --format svg --journal "$tmp/seed.journal" --from 2019-01-01 --to 2019-12-31
  expect_full full-report-html "$cpw" report --format html --journal "$tmp/seed.journal" --from 2019-01-01 --to 2019-12-31
  # the pictures (tests/cli/pictures.py checks them through): the seed's 83 at the end of 2019
  expect report-svg 0 'data-indicator="residential_at_end" data-from="2019-12-01" data-to="2019-12-31" data-value="83"' "$cpw" report --format svg --journal "$tmp/seed.journal" --from 2019-01-01 --to 2019-12-31
  expect report-chart-usage 2 "chart goes with --format svg" "$cpw" report --format json --chart share --journal "$tmp/seed.journal" --from 2019-01-01 --to 2019-12-31
fi
expect_full full-check "$cpw" check "$src/lib/policy/georgia"
expect_full full-diagram "$cpw" diagram referral
expect_full full-programs "$cpw" programs
expect_full full-fields "$cpw" fields
expect_full full-show "$cpw" show policy
expect_full full-eval "$cpw" eval --program reintegration_assistance --as-of 2019-06-01 "$tmp/people.csv"
expect_full full-version "$cpw" version
expect_full full-help "$cpw" --help
expect journal-missing 3 "cannot open" "$cpw" journal verify "$tmp/nothing.journal"

# version and demo
expect version 0 "cpw 1." "$cpw" version
expect demo 0 "Deinstitutionalization indicators" "$cpw" demo
expect_full full-demo "$cpw" demo
# --keep DIR: the demo's journal stays, for cpw journal and cpw report
expect demo-keep 0 "The journal kept: $tmp/demo/referrals.journal" "$cpw" demo --keep "$tmp/demo"
[ -s "$tmp/demo/report.html" ] || { echo "FAIL demo-keep-page: no $tmp/demo/report.html"; fails=$((fails + 1)); }
expect demo-keep-verify 0 "ok: " "$cpw" journal verify "$tmp/demo/referrals.journal"
expect demo-keep-replay 0 "referral *closed" "$cpw" journal replay "$tmp/demo/referrals.journal"
expect demo-keep-again 2 "already holds a journal" "$cpw" demo --keep "$tmp/demo"
expect demo-export-time 0 '"kind":"case_open","at":"2025-[0-9-]*T[0-9:]*+04:00"' "$cpw" journal export "$tmp/demo/referrals.journal"
expect demo-export-bool 0 '"immediate_danger":false' "$cpw" journal export "$tmp/demo/referrals.journal"
# export --salvage: the commits before the damage, then a marker
cp "$tmp/demo/referrals.journal" "$tmp/demo-damaged.journal"
printf 'X' | dd of="$tmp/demo-damaged.journal" bs=1 seek=700000 conv=notrunc 2>/dev/null
expect export-salvage 1 '^{"salvage":"stopped","offset":[0-9]*,"entries":[1-9][0-9]*,"error":"journal entry' "$cpw" journal export --salvage "$tmp/demo-damaged.journal"
expect export-salvage-entries 1 '"kind":"case_event"' "$cpw" journal export --salvage "$tmp/demo-damaged.journal"
# report --region: as the policy and the journal spell it, any case; an unknown one is refused
expect report-region 0 "Tbilisi" "$cpw" report --journal "$tmp/demo/referrals.journal" --from 2025-01-01 --to 2025-12-31 --region tbilisi
expect report-region-unknown 2 "no region 'Kutaisi' in the journal or the policy (regions: Tbilisi)" "$cpw" report --journal "$tmp/demo/referrals.journal" --from 2025-01-01 --to 2025-12-31 --region Kutaisi
expect demo-notifications 0 "Notifications registered in 2025" "$cpw" demo
# Decree 437's statistics from the demo's journal: notifications per year by reporter
expect report-notifications 0 "reporter_type" "$cpw" report --notifications --journal "$tmp/demo/referrals.journal" --from 2025-01-01 --to 2025-12-31
expect report-notifications-csv 0 "^notifications,case_type,neglect,2025," "$cpw" report --notifications --format csv --journal "$tmp/demo/referrals.journal" --from 2025-01-01 --to 2025-12-31
expect report-notifications-json 2 "table or csv" "$cpw" report --notifications --format json --journal "$tmp/demo/referrals.journal" --from 2025-01-01 --to 2025-12-31

echo "cli: $fails failed"
[ "$fails" = 0 ]
