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
for c in demo check eval diagram journal report version; do
  expect "help-$c" 0 "usage" "$cpw" "$c" --help
done

# check
expect check-default 0 "policy 'georgia'" "$cpw" check "$src"/lib/policy/georgia/*.cpw
printf 'field n: int\nprogram p "P" {\n  eligible when m > 3\n}\n' >"$tmp/bad.cpw"
expect check-error 1 "bad.cpw:3:17: error: unknown name 'm' (did you mean 'n'?)" "$cpw" check "$tmp/bad.cpw"
expect check-missing 3 "cannot read" "$cpw" check "$tmp/none.cpw"

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

# --lang: explanations, headers and values by label
cat >"$tmp/ka.csv" <<'CSV'
id,მოქალაქეობა,საზღვარგარეთ არალეგალურად ყოფნის ხანგრძლივობა (თვე),საზღვარგარეთ შეიტანა განაცხადი თავშესაფრის მიღებაზე,საზღვარგარეთ მიენიჭა თავშესაფარი,საქართველოში დაბრუნების თარიღი,პროგრამაში რეგისტრაციის თარიღი,საცხოვრებელი ქალაქი
K1,საქართველოს მოქალაქე,14,false,false,2019-01-10,2019-03-01,თბილისი
K2,უცხო ქვეყნის მოქალაქე,10,no,no,2019-01-10,2019-03-01,batumi
CSV
expect eval-labels 0 "K1,eligible" "$cpw" eval --program reintegration_assistance --as-of 2019-06-01 "$tmp/ka.csv"
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
  expect report-bad-date 2 "not a date" "$cpw" report --journal "$tmp/seed.journal" --from 2019-13-01 --to 2019-12-31
fi
expect journal-missing 3 "cannot open" "$cpw" journal verify "$tmp/nothing.journal"

# version and demo
expect version 0 "cpw 1." "$cpw" version
expect demo 0 "Deinstitutionalization indicators" "$cpw" demo

echo "cli: $fails failed"
[ "$fails" = 0 ]
