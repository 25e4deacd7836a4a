# SPDX-License-Identifier: Apache-2.0
"""The examples and the benchmark script run, and the CSV example's output is right."""
import csv
import json
import os
import subprocess
import sys

import pytest

PKG_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(PKG_ROOT, "examples")
BENCH = os.path.join(PKG_ROOT, "bench", "bench_evaluate_many.py")


def run(*args, cwd=EXAMPLES):
    env = dict(os.environ, PYTHONPATH=PKG_ROOT)
    return subprocess.run([sys.executable] + list(args), cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_eligibility_csv(tmp_path):
    out = tmp_path / "decisions.csv"
    r = run("eligibility_csv.py", "people.csv", str(out), "--as-of", "2025-12-31")
    assert r.returncode == 0, r.stderr
    assert "10 people (0 invalid), 9 programmes, as of 2025-12-31" in r.stderr
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 10 * 9
    # the columns and formats of cpw eval
    assert list(rows[0]) == ["line", "id", "programme", "as_of", "outcome", "missing",
                             "services", "benefits", "explanation", "error"]
    by = {(x["id"], x["programme"]): x for x in rows}
    r1 = by[("P-001", "reintegration_assistance")]
    assert r1["outcome"] == "eligible"
    assert "temporary_accommodation" in r1["services"]
    assert r1["benefits"] == "income_grant:4000.00:once"
    assert "|" in r1["services"] and r1["as_of"] == "2025-12-31" and r1["line"] == "2"
    assert r1["explanation"].startswith("eligible: citizenship is georgian")
    assert by[("P-001", "tsa_child_benefit")]["benefits"] == "child_benefit:200.00:monthly"
    und = by[("P-003", "tsa_child_benefit")]
    assert und["outcome"] == "undetermined" and "tsa_registered" in und["missing"]
    assert by[("P-008", "trafficking_compensation")]["outcome"] == "not_eligible"
    assert by[("P-005", "trafficking_compensation")]["outcome"] == "eligible"
    assert all(x["explanation"] for x in rows)


def test_eligibility_csv_byte_order_mark(tmp_path):
    src = tmp_path / "bom.csv"
    src.write_bytes(b"\xef\xbb\xbfid,citizenship,city\r\nB-1,georgian,tbilisi\r\n")
    r = run("eligibility_csv.py", str(src), "-", "--as-of", "2025-12-31", "--programs",
            "barnahus", "--id-column", "id")
    assert r.returncode == 0, r.stderr
    assert "ignoring" not in r.stderr
    assert r.stdout.splitlines()[1].startswith("2,B-1,"), r.stdout


def test_eligibility_csv_options(tmp_path):
    r = run("eligibility_csv.py", "people.csv", "-", "--as-of", "2025-12-31",
            "--programs", "barnahus,trafficking_services")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1 + 10 * 2
    src = tmp_path / "in.csv"
    src.write_text("name,citizenship,tsa_registered\nA,georgian,true\nB,,maybe\n")
    r = run("eligibility_csv.py", str(src), "-", "--id-column", "name")
    assert r.returncode == 1 and "line 3" in r.stderr and "tsa_registered" in r.stderr
    assert "maybe" not in r.stderr  # the field and the problem, never the value
    assert "3,B,barnahus," in r.stdout and ",invalid," in r.stdout  # the bad row is kept
    r = run("eligibility_csv.py", "people.csv", "-", "--programs", "nope")
    assert r.returncode != 0 and "nope" in r.stderr
    pol = tmp_path / "p.cpw"
    pol.write_text('field citizenship: enum(georgian, stateless, foreign)\n'
                   'program citizens "Citizens" { eligible when citizenship = georgian }\n')
    r = run("eligibility_csv.py", "people.csv", "-", "--policy", str(pol))
    assert r.returncode == 0, r.stderr
    assert "ignoring columns" in r.stderr
    import re
    assert len(re.findall(r",citizens,[0-9-]+,eligible,", r.stdout)) == 7


@pytest.mark.parametrize("name", ["quickstart.py", "referral_journal.py", "placements.py"])
def test_examples_run(name):
    r = run(name)
    assert r.returncode == 0, r.stderr
    assert r.stdout


def test_quickstart_output():
    out = run("quickstart.py").stdout
    assert "not_eligible\nnot eligible: none of: months_abroad_irregular is 10" in out
    assert "refused (no_transition)" in out


def test_referral_journal_output(tmp_path):
    path = str(tmp_path / "r.journal")
    out = run("referral_journal.py", path).stdout
    assert "refused (role)" in out and "matches" in out
    assert "'R-2026-0002': 'urgent_response'" in out
    assert os.path.exists(path)


def test_placements_output():
    out = run("placements.py").stdout
    assert "denied: UN Guidelines para. 22" in out and "denied: denied:" not in out
    assert "warning: siblings would be split" in out and "warning: warning:" not in out
    assert "Deinstitutionalization indicators, 2025-01-01 to 2025-12-31" in out


def test_benchmark_script(tmp_path):
    people = tmp_path / "people.jsonl"
    rows = []
    for i in range(500):
        rows.append(json.dumps({
            "id": i, "age": i % 40, "citizenship": ["GE", "stateless", "other"][i % 3],
            "months_abroad_irregular": i % 20, "asylum_applied_abroad": i % 7 == 0,
            "months_since_return": i % 15, "registered": i % 2 == 0,
            "trafficking_victim_status": i % 50 == 0, "street_situation": i % 30 == 0,
            "city": ["Tbilisi", "Gori", "Batumi"][i % 3],
            "disability_level": ["none", "moderate", "severe", "profound"][i % 4],
            "tsa_rating_score": (i * 7919) % 300000, "household_children": i % 4}))
    people.write_text("\n".join(rows) + "\n")
    r = run(BENCH, "--people", str(people), "--reps", "1", "--no-node", cwd=PKG_ROOT)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout.strip().splitlines()[-1])
    assert result["people"] == 500 and result["records_per_second"] > 0
    assert set(result["checksum"]["true_per_rule"]) >= {"priority_child_support"}
    # the numpy and DataFrame forms give the same decisions (when numpy/pandas are there)
    for key in ("numpy_checksum", "pandas_checksum"):
        if key in result:
            assert result[key] == result["checksum"]
            assert result[key.replace("checksum", "records_per_second")] > 0


@pytest.mark.parametrize("readme", [os.path.join(PKG_ROOT, "README.md"),
                                    os.path.join(PKG_ROOT, "..", "..", "README.md")])
def test_readme_code_runs(readme, tmp_path, monkeypatch):
    import re
    monkeypatch.chdir(tmp_path)  # the README writes cases.journal
    with open(readme, encoding="utf-8") as f:
        blocks = re.findall(r"```python\n(.*?)```", f.read(), re.S)
    assert blocks
    for block in blocks:
        if "import pandas" in block:
            pytest.importorskip("pandas", reason="pandas is not installed")
        exec(compile(block, readme, "exec"), {})
        exec(compile(block, readme, "exec"), {})  # a reader may run it twice
    assert os.listdir(str(tmp_path)) == []  # and it leaves nothing behind
