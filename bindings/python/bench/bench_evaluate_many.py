#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Benchmark: Policy.evaluate_many over the peer benchmark's 100,000 people.

    python3 bindings/python/bench/bench_evaluate_many.py [--people people.jsonl]
        [--rules tests/bench/peer_rules.cpw] [--program priority_child_support] [--reps 5]
        [--no-node]

The people come from ../shared/bench/peers (generate them once:
`cd build && cp -r ../../shared/bench/peers . && cd peers && npm ci && node gen.js --n 100000`;
the default --people looks in build/peers, then in ../shared/bench/peers).

Timed, as the peer benchmark times json-logic-js (one warm-up, then --reps runs, median):
  1. evaluate_many(program, dict_of_columns): one programme over every person, from a dict
     of Python lists (field -> list of values), the conversion to C arrays included;
  2. the same from pre-converted columns (Policy.columns), i.e. the C batch alone;
  3. all 6 rules of peer_rules.cpw from the dict of columns (one conversion per rule), with
     the checksum of ../shared/bench/peers/RESULTS.md (true counts per rule, FNV-1a 32) to
     show the results equal json-logic-js's;
  4. with numpy (python3-numpy): the same programme from a dict of numpy arrays (int64, bool,
     and str arrays of the enum names), a list of outcomes back;
  5. with pandas (python3-pandas): from a DataFrame of the 12 columns, enums as categorical
     columns, explain=False and services=False (a DataFrame with the outcome column back);
     the same with the enums as object (str) columns, what pd.DataFrame(records) gives; and
     with the services column (a list per row);
  6. all 6 rules from the numpy arrays and from the DataFrame, with their checksums;
  7. one bool column converted (Policy.columns) from a list and from a numpy bool array.
Every form includes the conversion to C arrays; building the arrays and frames from the
people is not timed. Loading people.jsonl (json.loads per line) and transposing it into
columns is not timed.
When node is installed, `node bench_jsonlogic.js` runs in the peers folder in the same
invocation and the ratio is printed. Output: lines of text, then one JSON line.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_ROOT = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(PKG_ROOT))
sys.path.insert(0, PKG_ROOT)
if not os.environ.get("CPW_LIBRARY"):
    for cand in ("build/release", "build/dev", "build/ci", "build"):
        p = os.path.join(REPO, cand, "libcpw.so.1")
        if os.path.exists(p):
            os.environ["CPW_LIBRARY"] = p
            break

import cpw  # noqa: E402

RULES = ["returned_migrant_reintegration", "trafficking_victim_compensation",
         "street_children_day_centre", "small_family_type_home_disability",
         "tsa_child_benefit", "priority_child_support"]


def default_people():
    for d in (os.path.join(REPO, "build", "peers"),
              os.path.join(REPO, "..", "shared", "bench", "peers")):
        p = os.path.join(d, "people.jsonl")
        if os.path.exists(p):
            return p
    return os.path.join(REPO, "build", "peers", "people.jsonl")


def timed(fn, reps):
    fn()  # warm-up
    times = []
    result = None
    for _ in range(reps):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result


def fnv1a32(lines):
    h = 0x811C9DC5
    for line in lines:
        for b in line:
            h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return "%08x" % h


def checksum(per_rule):
    n = len(per_rule[0])
    counts = {r: sum(1 for x in per_rule[i] if x == "eligible") for i, r in enumerate(RULES)}
    lines = (("".join("1" if per_rule[i][p] == "eligible" else "0"
                      for i in range(len(RULES))) + "\n").encode() for p in range(n))
    return {"true_per_rule": counts, "fnv1a32": fnv1a32(lines)}


def columnar(pol, rows, columns, args, n, sums):
    """The numpy and pandas forms (4 to 7 above); {} without numpy."""
    out = {}
    try:
        import numpy as np
    except ImportError:
        print("numpy: not installed (python3-numpy), numpy and pandas rows skipped")
        return out
    fields = pol.fields
    arrays = {}
    for k, col in columns.items():
        t = fields[k].type
        arrays[k] = np.array(col, dtype={"int": np.int64, "bool": np.bool_}.get(t, str))
    print("numpy arrays: %s" % ", ".join("%s %s" % (k, a.dtype) for k, a in arrays.items()))

    def one(records, **kw):
        return lambda: pol.evaluate_many(args.program, records, as_of=args.as_of, **kw)

    def report(key, label, med, reps, extra=""):
        rate = n / med
        print("evaluate_many(%s) from %s, conversion included: median %.4f s -> %s records/s "
              "(reps: %s)%s" % (args.program, label, med, format(int(rate), ","),
                                ", ".join("%.4f" % t for t in reps), extra))
        out[key + "_seconds"] = round(med, 6)
        out[key + "_records_per_second"] = round(rate)
        out[key + "_reps_seconds"] = [round(t, 6) for t in reps]

    med, reps, res = timed(one(arrays), args.reps)
    report("numpy", "numpy arrays", med, reps)
    amed, _, per_rule = timed(
        lambda: [pol.evaluate_many(r, arrays, as_of=args.as_of) for r in RULES], args.reps)
    nsums = checksum(per_rule)
    out["numpy_all_rules_evaluations_per_second"] = round(n * len(RULES) / amed)
    out["numpy_checksum"] = nsums
    print("all %d rules from numpy arrays: %s evaluations/s; checksum %s"
          % (len(RULES), format(int(n * len(RULES) / amed), ","),
             "equal to the lists'" if nsums == sums else "DIFFERENT %s" % json.dumps(nsums)))

    # a bool column alone: from a list and from a numpy bool array
    name = next(k for k in columns if fields[k].type == "bool")
    lmed, _, _ = timed(lambda: pol.columns({name: columns[name]}), args.reps)
    bmed, _, _ = timed(lambda: pol.columns({name: arrays[name]}), args.reps)
    print("one bool column converted: from a list %.5f s, from a numpy bool array %.5f s "
          "(%.1fx)" % (lmed, bmed, lmed / bmed))
    out["bool_column_list_seconds"] = round(lmed, 6)
    out["bool_column_numpy_seconds"] = round(bmed, 6)

    try:
        import pandas as pd
    except ImportError:
        print("pandas: not installed (python3-pandas), DataFrame rows skipped")
        return out
    frame = pd.DataFrame(arrays)
    objects = frame.copy()
    for k in frame.columns:
        if fields[k].type == "enum":
            frame[k] = frame[k].astype("category")
            objects[k] = objects[k].astype(object)
    med, reps, res = timed(one(frame, explain=False, services=False), args.reps)
    report("pandas", "a DataFrame (enums categorical; outcome column back)", med, reps)
    med, reps, _ = timed(one(objects, explain=False, services=False), args.reps)
    report("pandas_object", "a DataFrame (enums as str objects; outcome column back)", med,
           reps)
    med, reps, _ = timed(one(frame, explain=False), args.reps)
    report("pandas_services", "a DataFrame (enums categorical; outcome and services "
           "columns back)", med, reps)
    amed, _, per_rule = timed(
        lambda: [pol.evaluate_many(r, frame, as_of=args.as_of, explain=False,
                                   services=False)["outcome"].tolist() for r in RULES],
        args.reps)
    psums = checksum(per_rule)
    out["pandas_all_rules_evaluations_per_second"] = round(n * len(RULES) / amed)
    out["pandas_checksum"] = psums
    print("all %d rules from the DataFrame: %s evaluations/s; checksum %s"
          % (len(RULES), format(int(n * len(RULES) / amed), ","),
             "equal to the lists'" if psums == sums else "DIFFERENT %s" % json.dumps(psums)))
    return out


def run_node(peers_dir, people):
    node = shutil.which("node")
    script = os.path.join(peers_dir, "bench_jsonlogic.js")
    if node is None or not os.path.exists(script):
        return None, "node or bench_jsonlogic.js not found"
    if not os.path.isdir(os.path.join(peers_dir, "node_modules")):
        return None, "%s has no node_modules (run npm ci there)" % peers_dir
    try:
        out = subprocess.run([node, script, "--people", people], cwd=peers_dir, check=True,
                             capture_output=True, text=True, timeout=600).stdout
        return json.loads(out.strip().splitlines()[-1]), None
    except (subprocess.SubprocessError, ValueError, IndexError) as e:
        return None, "bench_jsonlogic.js failed: %s" % e


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", default=default_people())
    ap.add_argument("--rules", default=os.path.join(REPO, "tests", "bench", "peer_rules.cpw"))
    ap.add_argument("--program", default="priority_child_support")
    ap.add_argument("--as-of", default="2024-01-01")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--no-node", action="store_true", help="do not run json-logic-js")
    args = ap.parse_args()
    if not os.path.exists(args.people):
        print("bench_evaluate_many: %s not found; generate it: cd build && cp -r "
              "../../shared/bench/peers . && cd peers && npm ci && node gen.js --n 100000"
              % args.people, file=sys.stderr)
        return 2

    pol = cpw.Policy.from_file(args.rules)
    t0 = time.perf_counter()
    with open(args.people, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    fields = [k for k in pol.fields]
    columns = {k: [r.get(k) for r in rows] for k in fields}
    load = time.perf_counter() - t0
    n = len(rows)
    print("libcpw %s (%s), Python %s, cffi ABI mode; %d people, %d columns (%s); load %.2f s"
          % (cpw.__version__, cpw.LIBRARY_PATH, sys.version.split()[0], n, len(columns),
             ", ".join(columns), load))

    med, reps, out = timed(lambda: pol.evaluate_many(args.program, columns, as_of=args.as_of),
                           args.reps)
    rate = n / med
    print("evaluate_many(%s) from a dict of columns, conversion included: median %.4f s "
          "-> %s records/s (reps: %s; %d eligible)"
          % (args.program, med, format(int(rate), ","), ", ".join("%.4f" % t for t in reps),
             out.count("eligible")))

    cols = pol.columns(columns)
    cmed, creps, _ = timed(lambda: pol.evaluate_many(args.program, cols, as_of=args.as_of),
                           args.reps)
    print("evaluate_many(%s) from pre-converted columns (the C batch and the outcome list): "
          "median %.4f s -> %s records/s" % (args.program, cmed, format(int(n / cmed), ",")))
    conv, _, _ = timed(lambda: pol.columns(columns), args.reps)
    print("converting the %d columns alone (Policy.columns): median %.4f s"
          % (len(columns), conv))

    amed, areps, per_rule = timed(
        lambda: [pol.evaluate_many(r, columns, as_of=args.as_of) for r in RULES], args.reps)
    arate = n * len(RULES) / amed
    sums = checksum(per_rule)
    print("all %d rules from the dict of columns: median %.4f s -> %s evaluations/s; "
          "checksum %s" % (len(RULES), amed, format(int(arate), ","), json.dumps(sums)))

    result = {
        "peer": "cpw %s Python evaluate_many" % cpw.__version__, "people": n,
        "program": args.program, "seconds": round(med, 6), "records_per_second": round(rate),
        "reps_seconds": [round(t, 6) for t in reps],
        "preconverted_seconds": round(cmed, 6),
        "preconverted_records_per_second": round(n / cmed),
        "conversion_seconds": round(conv, 6),
        "all_rules_seconds": round(amed, 6), "all_rules_evaluations_per_second": round(arate),
        "checksum": sums, "load_seconds": round(load, 3),
    }
    result.update(columnar(pol, rows, columns, args, n, sums))
    if not args.no_node:
        node, why = run_node(os.path.dirname(os.path.abspath(args.people)), args.people)
        if node is None:
            print("json-logic-js: not run (%s)" % why)
        else:
            same = node.get("checksum") == sums
            print("json-logic-js %s: %s evaluations/s (6 rules per person, median %.3f s); "
                  "checksum %s" % (node.get("peer"), format(node["per_second"], ","),
                                   node["seconds"], "equal" if same else "DIFFERENT"))
            print("ratio: evaluate_many from columns %.1fx json-logic-js's evaluations/s "
                  "(one rule per record each); all 6 rules %.1fx"
                  % (rate / node["per_second"], arate / node["per_second"]))
            result["jsonlogic"] = {"peer": node.get("peer"), "per_second": node["per_second"],
                                   "seconds": node["seconds"], "checksum_equal": same}
            result["ratio"] = round(rate / node["per_second"], 2)
            result["ratio_all_rules"] = round(arate / node["per_second"], 2)
            for key in ("numpy", "pandas", "pandas_object"):
                v = result.get(key + "_records_per_second")
                if v:
                    result["ratio_" + key] = round(v / node["per_second"], 2)
                    print("ratio: evaluate_many from %s %.1fx json-logic-js's evaluations/s"
                          % (key.replace("_", " "), v / node["per_second"]))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
