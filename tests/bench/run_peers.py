#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every libcpw benchmark beside its peer, in one run, with the ratios.

    python3 tests/bench/run_peers.py [--build build/bench] [--reps 7] [--quick] [--rounds N]

Measurements, never tests: nothing here fails on a time. What it does:

1. builds a Release tree with the benchmarks (--build, default build/bench);
2. prepares the peer benchmark in build/peers (a copy of ../shared/bench/peers, `npm ci`,
   `node gen.js --n 100000`) unless it is there already;
3. runs, one after the other on the same machine:
   - json-logic-js (node) and bench_eligibility (cpw_evaluate, cpw_evaluate_batch) on the
     100,000 people x 6 rules; Python's Policy.evaluate_many on the same people, from lists,
     numpy arrays and DataFrames (conversion included; bench_evaluate_many.py);
   - the Dask example (bindings/python/examples/dask_eligibility.py --bench): 4,000,000
     rows in partitions, on a LocalCluster of 1 and then 2 worker processes;
   - xstate (node) and bench_workflow on the 100,000 case streams; bench_workflow --million;
   - bench_journal (durable appends, group commit, verify, replay);
   - bench_placement (indicators over 1,000,000 placement episodes);
   - `cpw eval` over a 1,000,000-row CSV (the people, ten times), wall time and peak RSS;
4. counts the instructions per evaluation and per event with callgrind (valgrind; skipped
   with --no-callgrind or without valgrind): repeatable where timings on a shared machine are
   not;
5. prints every figure and a summary table of ratios (ours / peer, same run), and writes the
   raw JSON lines to BUILD/bench-results.jsonl;
6. with --rounds N (N > 1), runs the pairs behind the goals N - 1 more times (json-logic-js and
   bench_eligibility, the Python forms, xstate and bench_workflow, each pair one after the
   other) and prints each round's ratios and their median beside the goal: the goals are
   medians of several runs, and on a shared machine one run's ratio moves by 2x.

Each checksum is compared with the peer's; a mismatch is printed loudly (the speed of a wrong
answer is worth nothing).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED_PEERS = os.path.join(ROOT, "..", "shared", "bench", "peers")


def log(msg):
    print(msg, flush=True)


def run(cmd, cwd=None, env=None):
    """Run a command; return its JSON lines (other lines are echoed)."""
    log("$ " + " ".join(cmd))
    out = subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    rows = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                rows.append(json.loads(line))
                continue
            except ValueError:
                pass
        if line:
            log("  " + line)
    return rows


def run_measured(cmd, stdin_path, stdout_path):
    """Run cmd with files as stdin/stdout; return (seconds, peak RSS in MiB, exit status).

    The peak comes from GNU time when it is installed: a child forked from this (large)
    Python process would otherwise count the parent's pages in its ru_maxrss."""
    gnu_time = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
    rss_file = stdout_path + ".rss"
    full = [gnu_time, "-f", "%M", "-o", rss_file] + cmd if gnu_time else cmd
    with open(stdin_path, "rb") as fin, open(stdout_path, "wb") as fout:
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdin=fin, stdout=fout)
        _, status, usage = os.wait4(p.pid, 0)
        secs = time.perf_counter() - t0
    rss = usage.ru_maxrss / 1024.0
    if gnu_time:
        with open(rss_file, encoding="utf-8") as f:
            rss = int(f.read().split()[-1]) / 1024.0
        os.remove(rss_file)
    return secs, rss, os.waitstatus_to_exitcode(status)


def prepare_peers(peers):
    if os.path.exists(os.path.join(peers, "people.jsonl")) and \
       os.path.exists(os.path.join(peers, "events.jsonl")):
        return
    if not os.path.isdir(SHARED_PEERS):
        sys.exit("run_peers: ../shared/bench/peers not found; it holds the peer benchmark")
    if shutil.which("node") is None or shutil.which("npm") is None:
        sys.exit("run_peers: node and npm are needed for the peers (apt-get install nodejs npm)")
    os.makedirs(peers, exist_ok=True)
    for name in os.listdir(SHARED_PEERS):
        src = os.path.join(SHARED_PEERS, name)
        if os.path.isfile(src):
            shutil.copy(src, peers)
    run(["npm", "ci", "--no-audit", "--no-fund"], cwd=peers)
    run(["node", "gen.js", "--n", "100000"], cwd=peers)


def million_csv(people_jsonl, path, copies=10):
    """The people as CSV, `copies` times over (ids renumbered): 1,000,000 rows."""
    if os.path.exists(path):
        return
    people = [json.loads(line) for line in open(people_jsonl, encoding="utf-8") if line.strip()]
    cols = list(people[0].keys())

    def cell(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)

    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(cols) + "\n")
        n = 0
        for _ in range(copies):
            for p in people:
                row = dict(p, id=n)
                f.write(",".join(cell(row[c]) for c in cols) + "\n")
                n += 1


def per_item_count(results, name):
    """The items of a benchmark's first row (evaluations or events per pass)."""
    for r in results.get(name, []):
        if r.get("items"):
            return r["items"]
    return None


def callgrind_ir(cmd, function, build):
    """Instructions executed inside `function` (and what it calls) by cmd, or None."""
    out = os.path.join(build, "callgrind.out.%s" % function)
    log("$ valgrind --tool=callgrind --toggle-collect=%s %s" % (function, " ".join(cmd)))
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                           "--toggle-collect=" + function] + cmd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr.splitlines():
        if "I   refs:" in line or "I refs:" in line:
            return int(line.split(":")[-1].strip().replace(",", ""))
    log("  callgrind gave no count (exit %d)" % proc.returncode)
    return None


# The rows the goals are set on: label, how to read it from one round's results, the goal
# (a ratio to the peer of the same round; for Python, records per second)
RATIO_ROWS = (
    ("one record, cpw_evaluate / json-logic-js",
     lambda res: _ratio(res, "eligibility", "cpw_evaluate\"", "jsonlogic"), 100),
    ("batch, cpw_evaluate_batch / json-logic-js",
     lambda res: _ratio(res, "eligibility", "cpw_evaluate_batch", "jsonlogic"), 300),
    ("workflow, cpw_case_apply / xstate",
     lambda res: _ratio(res, "workflow", None, "xstate"), 200),
    ("python, numpy arrays (rec/s)",
     lambda res: _python(res, "numpy_records_per_second"), 20e6),
    ("python, DataFrame, categorical (rec/s)",
     lambda res: _python(res, "pandas_records_per_second"), 20e6),
)


def _per_second(res, name, match=None):
    for r in res.get(name, []):
        if match is None or match in json.dumps(r):
            return r.get("per_second")
    return None


def _ratio(res, name, match, peer):
    ours, theirs = _per_second(res, name, match), _per_second(res, peer)
    return ours / theirs if ours and theirs else None


def _python(res, key):
    for r in res.get("python", []):
        if r.get(key):
            return r[key]
    return None


def ratios(res):
    """One round's figures for RATIO_ROWS, by label."""
    return {label: get(res) for label, get, _ in RATIO_ROWS}


def opened_count(results, name):
    """The cases bench_workflow opens in a pass (the callgrind run makes two: a warm-up and a
    timed one)."""
    for r in results.get(name, []):
        if r.get("cases"):
            return r["cases"]
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "bench"))
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--quick", action="store_true",
                    help="3 repetitions, no million-case, placement or 1M-row runs")
    ap.add_argument("--no-callgrind", action="store_true",
                    help="skip the instruction counts (valgrind --tool=callgrind)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run the pairs behind the goals this many times in all, and print "
                         "each round's ratios and their median")
    args = ap.parse_args()
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    reps = 3 if args.quick else args.reps
    build = os.path.abspath(args.build)
    peers = os.path.join(ROOT, "build", "peers")

    log("== build (Release, benchmarks on)")
    subprocess.run(["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release",
                    "-DCPW_BUILD_BENCH=ON", "-DCPW_BUILD_EXAMPLES=ON", "-DCPW_BUILD_TESTS=OFF"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build, "-j", str(os.cpu_count() or 2)], check=True,
                   stdout=subprocess.DEVNULL)
    prepare_peers(peers)
    bench = os.path.join(build, "tests", "bench")
    people = os.path.join(peers, "people.jsonl")
    events = os.path.join(peers, "events.jsonl")
    rules = os.path.join(ROOT, "tests", "bench", "peer_rules.cpw")
    workflow = os.path.join(ROOT, "tests", "bench", "peer_workflow.cpw")
    results = {}
    raw = []

    def keep(name, rows):
        for r in rows:
            r["_bench"] = name
        raw.extend(rows)
        results[name] = rows
        return rows

    py = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    env = dict(os.environ, CPW_LIBRARY=os.path.join(build, "libcpw.so.1"),
               PYTHONPATH=os.path.join(ROOT, "bindings", "python"))

    def eligibility_pairs(keep):
        log("\n== eligibility: json-logic-js and libcpw, 100,000 people x 6 rules")
        keep("jsonlogic", run(["node", "bench_jsonlogic.js", "--reps", str(reps)], cwd=peers))
        keep("eligibility", run([os.path.join(bench, "bench_eligibility"), "--people", people,
                                 "--rules", rules, "--reps", str(reps)]))
        try:
            keep("python", run([py, os.path.join(ROOT, "bindings", "python", "bench",
                                                 "bench_evaluate_many.py"), "--people", people,
                                "--rules", rules, "--reps", str(reps), "--no-node"], env=env))
        except (subprocess.CalledProcessError, OSError) as e:
            log("  python benchmark skipped: %s" % e)

    def workflow_pair(keep):
        log("\n== workflow: xstate and libcpw, 100,000 case streams")
        keep("xstate", run(["node", "bench_xstate.js", "--reps", str(max(1, reps // 2))],
                           cwd=peers))
        keep("workflow", run([os.path.join(bench, "bench_workflow"), "--events", events,
                              "--workflow", workflow, "--reps", str(reps)]))

    eligibility_pairs(keep)
    log("\n== python + Dask: evaluate_many over partitions, 1 and 2 worker processes")
    try:
        keep("dask", run([py, os.path.join(ROOT, "bindings", "python", "examples",
                                           "dask_eligibility.py"), "--bench",
                          "--rows", str(500_000 if args.quick else 4_000_000),
                          "--rules", rules], env=env))
    except (subprocess.CalledProcessError, OSError) as e:
        log("  Dask benchmark skipped: %s" % e)

    workflow_pair(keep)
    if not args.quick:
        keep("million", run([os.path.join(bench, "bench_workflow"), "--million"]))

    log("\n== journal")
    keep("journal", run([os.path.join(bench, "bench_journal"), "--events", events,
                         "--workflow", workflow, "--reps", str(min(reps, 3)),
                         "--dir", build]))
    if not args.quick:
        log("\n== placements: indicators over 1,000,000 episodes")
        keep("placement", run([os.path.join(bench, "bench_placement"), "--reps", "5"]))
        log("\n== cpw eval over 1,000,000 CSV rows")
        csv = os.path.join(peers, "people_1m.csv")
        million_csv(people, csv)
        out = os.path.join(build, "eval_1m.csv")
        secs, rss, rc = run_measured([os.path.join(build, "cpw"), "eval", "--program",
                                      "priority_child_support", "--policy", rules,
                                      "--input", "csv", "-"], csv, out)
        with open(out, "rb") as f:
            nout = sum(1 for _ in f) - 1
        row = {"peer": "cpw eval (CSV in, CSV out with explanations)", "rows": nout,
               "seconds": round(secs, 3), "per_second": round(nout / secs),
               "peak_rss_mib": round(rss, 1), "exit": rc}
        log("  " + json.dumps(row))
        keep("eval1m", [row])
        os.remove(out)

    if not args.no_callgrind and shutil.which("valgrind"):
        log("\n== instructions per item (callgrind: one warm-up and one timed pass)")
        for name, cmd, fn, items in (
                ("cpw_evaluate", [os.path.join(bench, "bench_eligibility"), "--people", people,
                                  "--rules", rules], "cpw_evaluate",
                 per_item_count(results, "eligibility")),
                ("cpw_evaluate_batch", [os.path.join(bench, "bench_eligibility"), "--people",
                                        people, "--rules", rules], "cpw_evaluate_batch",
                 per_item_count(results, "eligibility")),
                ("cpw_case_apply", [os.path.join(bench, "bench_workflow"), "--events", events,
                                    "--workflow", workflow], "cpw_case_apply_index",
                 per_item_count(results, "workflow")),
                ("cpw_caseload_open", [os.path.join(bench, "bench_workflow"), "--events",
                                       events, "--workflow", workflow], "cpw_caseload_open",
                 opened_count(results, "workflow"))):
            ir = callgrind_ir(cmd + ["--reps", "1"], fn, build)
            if ir and items:
                row = {"peer": "callgrind " + name, "instructions": ir, "items": 2 * items,
                       "instructions_per_item": round(ir / (2 * items), 1)}
                log("  " + json.dumps(row))
                keep("callgrind_" + name, [row])

    rounds = [ratios(results)]
    for k in range(2, args.rounds + 1):
        log("\n== round %d of %d: the pairs behind the goals again" % (k, args.rounds))
        more = {}

        def keep_round(name, rows, k=k, more=more):
            for r in rows:
                r["_bench"] = name
                r["_round"] = k
            raw.extend(rows)
            more[name] = rows
            return rows

        eligibility_pairs(keep_round)
        workflow_pair(keep_round)
        rounds.append(ratios(more))

    with open(os.path.join(build, "bench-results.jsonl"), "w", encoding="utf-8") as f:
        for r in raw:
            f.write(json.dumps(r) + "\n")

    # ------------------------------------------------------------------ summary
    log("\n== summary (same run; ratio = libcpw / peer)")

    def per_second(name, match=None):
        for r in results.get(name, []):
            if match is None or match in json.dumps(r):
                return r.get("per_second")
        return None

    def checksum(name, match=None):
        for r in results.get(name, []):
            if match is None or match in r.get("peer", ""):
                c = r.get("checksum")
                return c.get("fnv1a32") if isinstance(c, dict) else None
        return None

    jl = per_second("jsonlogic")
    xs = per_second("xstate")
    lines = []
    for label, v, peer, ck, peer_ck in [
        ("eligibility, cpw_evaluate (evaluations/s)", per_second("eligibility", "cpw_evaluate\""),
         jl, checksum("eligibility", "cpw_evaluate"), checksum("jsonlogic")),
        ("eligibility, cpw_evaluate_batch (evaluations/s)",
         per_second("eligibility", "cpw_evaluate_batch"), jl,
         checksum("eligibility", "cpw_evaluate_batch"), checksum("jsonlogic")),
        ("workflow, cpw_case_apply (events/s)", per_second("workflow"), xs,
         checksum("workflow"), checksum("xstate")),
        # bench_workflow's warm-up pass, on memory the process never had (the median's passes
        # reuse the memory the pass before freed, as xstate's reuse node's heap)
        ("workflow, its first pass, fresh memory (events/s)",
         (results.get("workflow") or [{}])[0].get("first_pass_per_second"), xs,
         checksum("workflow"), checksum("xstate")),
    ]:
        if v and peer:
            ok = "" if ck == peer_ck else "  CHECKSUM MISMATCH %s != %s" % (ck, peer_ck)
            lines.append("%-50s %14s vs %12s  %7.1fx%s" % (label, "{:,}".format(v),
                                                           "{:,}".format(peer), v / peer, ok))
    jl_ck = checksum("jsonlogic")
    for r in results.get("python", []):
        for key, label, ck in (
                ("records_per_second", "python evaluate_many, dict of lists (rec/s)",
                 "checksum"),
                ("all_rules_evaluations_per_second",
                 "python evaluate_many, all 6 rules (evaluations/s)", "checksum"),
                ("numpy_records_per_second", "python evaluate_many, numpy arrays (rec/s)",
                 "numpy_checksum"),
                ("pandas_records_per_second",
                 "python evaluate_many, DataFrame, categorical (rec/s)", "pandas_checksum"),
                ("pandas_object_records_per_second",
                 "python evaluate_many, DataFrame, str enums (rec/s)", None),
                ("pandas_services_records_per_second",
                 "python evaluate_many, DataFrame + services (rec/s)", None)):
            if r.get(key) and jl:
                c = r.get(ck) if ck else None
                c = c.get("fnv1a32") if isinstance(c, dict) else None
                ok = "" if c is None or c == jl_ck else \
                    "  CHECKSUM MISMATCH %s != %s" % (c, jl_ck)
                lines.append("%-50s %14s vs %12s  %7.1fx%s"
                             % (label, "{:,}".format(r[key]), "{:,}".format(jl),
                                r[key] / jl, ok))
    for r in results.get("dask", []):
        if r.get("records_per_second") and jl:
            if r["workers"]:
                label = "python + Dask, %d worker%s, %s rows (rec/s)" % (
                    r["workers"], "" if r["workers"] == 1 else "s", "{:,}".format(r["rows"]))
            else:
                label = "python, the same %s rows, one call (rec/s)" % "{:,}".format(r["rows"])
            ok = "" if r.get("equal_to_single_process", True) else \
                "  NOT EQUAL TO THE SINGLE PROCESS"
            lines.append("%-50s %14s vs %12s  %7.1fx%s" % (
                label, "{:,}".format(r["records_per_second"]), "{:,}".format(jl),
                r["records_per_second"] / jl, ok))
    for line in lines:
        log(line)
    for name in ("callgrind_cpw_evaluate", "callgrind_cpw_evaluate_batch",
                 "callgrind_cpw_case_apply", "callgrind_cpw_caseload_open", "million", "journal", "placement", "eval1m"):
        for r in results.get(name, []):
            log("%-10s %s" % (name, json.dumps({k: v for k, v in r.items() if k != "_bench"})))
    if len(rounds) > 1:
        log("\n== ratios of the %d rounds (each against the peer of its own round) and their "
            "median" % len(rounds))
        for label, _, goal in RATIO_ROWS:
            vals = [r[label] for r in rounds if r.get(label)]
            if not vals:
                continue
            med = statistics.median(vals)
            if label.startswith("python"):
                cells = " ".join("%6.1fM" % (v / 1e6) for v in vals)
                verdict = "%.1f M/s" % (med / 1e6)
                met = med >= goal
            else:
                cells = " ".join("%6.1fx" % v for v in vals)
                verdict = "%.1fx" % med
                met = med >= goal
            log("%-42s %s  median %s  goal %s: %s" % (
                label, cells, verdict,
                ("%d M/s" % (goal / 1e6)) if label.startswith("python") else "%dx" % goal,
                "met" if met else "NOT met"))
    log("\nraw results: %s" % os.path.join(build, "bench-results.jsonl"))


if __name__ == "__main__":
    main()
