#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Eligibility for millions of people with Dask: evaluate_many partition by partition.

    python3 dask_eligibility.py [--rows 2000000] [--workers 2] [--rows-per-partition 1000000]
        [--policy FILE] [--program ID] [--as-of 2025-12-31] [--scheduler ADDRESS]
    python3 dask_eligibility.py --bench [--rows 4000000] [--rules FILE] [--reps 3]

A national registry (millions of people, many programmes, every night) is a Dask DataFrame:
one pandas DataFrame per partition, each evaluated by `Policy.evaluate_many` in one call to
the C library (`explain=False, services=False`: an outcome column, no Python per row). The
policy travels to the workers by pickling (its source texts and hash; each worker compiles
it once and checks the hash): `client.scatter(policy, broadcast=True)` sends it once to each
worker, and every partition's task takes it from the worker's memory.

How it scales out: each partition is independent, so the work spreads over every worker
thread of the cluster. Make partitions large enough that the work dwarfs Dask's cost per
task (a few milliseconds on a busy machine): here 1,000,000 rows, tens of MB, about 40 ms of
work each; and give each core a few of them, so that a slow worker does not hold the rest.
On one machine `distributed.LocalCluster` starts worker processes, one per core with one
thread each (the C batch runs without the GIL, but the conversion around it is Python and
numpy, which hold it part of the time: processes scale further than threads). Across
machines start `dask scheduler` on one and `dask worker tcp://SCHEDULER:8786` on each of the
others (with libcpw and this package installed) and pass --scheduler tcp://SCHEDULER:8786:
the code does not change. Read the
partitions where they lie (dd.read_parquet, read_csv on shared storage) rather than from the
client, as the generator below does on the workers, and write the results the same way
(to_parquet) instead of collecting them; the outcome counts are all that come back here.

The people are generated on the workers from the fields the programme reads (random values
of each type, seeded by the partition's number, so the same rows come back every time); the
single-process run evaluates the same rows in this process, and the two must agree. Enums
are categorical columns, as `dtype="category"` in read_csv or read_parquet gives them.

--bench: the same over --rows rows of the peer benchmark's rules (tests/bench/peer_rules.cpw,
programme priority_child_support), on a LocalCluster of 1 and then 2 workers; the partitions
are generated and held in the workers' memory first; a first run counts the outcomes on
the workers and checks them against the single-process run; then the evaluation is timed
(--reps runs, median; each partition's outcome column made, its rows counted) and printed as
JSON lines, with the single-process rate of the same rows (one evaluate_many call).
"""
import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
try:
    import cpw
except ImportError:  # run from the source tree
    sys.path.insert(0, os.path.dirname(HERE))
    import cpw

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

EPOCH_1950 = -7305  # 1950-01-01 in days since 1970-01-01
EPOCH_2030 = 21915  # 2030-01-01


def field_specs(policy, program):
    """(name, type, values) of the fields `program` reads: plain data for the workers."""
    return [(f.name, f.type, tuple(f.values)) for f in policy.program(program).fields]


def make_partition(number, specs, rows_per_partition, total_rows, seed=20240601):
    """Partition `number` of the generated people: a pandas DataFrame of the fields in
    `specs`, rows number*rows_per_partition onwards, the same for the same arguments."""
    start = number * rows_per_partition
    n = max(0, min(rows_per_partition, total_rows - start))
    rng = np.random.default_rng([seed, number])
    data = {}
    for name, ftype, values in specs:
        if ftype == "bool":
            data[name] = rng.random(n) < 0.5
        elif ftype == "int":  # magnitudes from 1 to 10**6, so any threshold splits them
            data[name] = rng.integers(0, 10 ** rng.integers(1, 7, n))
        elif ftype == "money":  # whole GEL
            data[name] = rng.integers(0, 10 ** rng.integers(1, 5, n))
        elif ftype == "enum":
            data[name] = pd.Categorical.from_codes(rng.integers(0, len(values), n),
                                                   categories=list(values))
        elif ftype == "date":
            days = rng.integers(EPOCH_1950, EPOCH_2030, n)
            data[name] = days.astype("datetime64[D]").astype("datetime64[ns]")
        elif ftype == "datetime":
            secs = rng.integers(EPOCH_1950, EPOCH_2030, n) * 86400
            data[name] = pd.to_datetime(secs, unit="s", utc=True)
        elif ftype == "set":  # names joined by |, read value by value
            masks = rng.integers(0, 1 << min(len(values), 8), n)
            table = ["|".join(v for j, v in enumerate(values) if (m >> j) & 1)
                     for m in range(1 << min(len(values), 8))]
            data[name] = np.array(table, dtype=object)[masks]
        else:  # text
            data[name] = np.array(["a", "b", "c"], dtype=object)[rng.integers(0, 3, n)]
    return pd.DataFrame(data, index=pd.RangeIndex(start, start + n, name="person"))


def evaluate_partition(frame, policy, program, as_of, run=0):
    """One partition's outcomes: one batch call, a DataFrame with the column outcome.
    (`run` only tells apart the graphs of repeated runs, which Dask would otherwise take
    for the same computation.)"""
    return policy.evaluate_many(program, frame, as_of=as_of, explain=False, services=False)


def partitions_of(rows, rows_per_partition):
    return max(1, -(-rows // rows_per_partition))


def people(specs, rows, rows_per_partition):
    """The generated people as a Dask DataFrame, each partition made on a worker."""
    import dask.dataframe as dd
    n = partitions_of(rows, rows_per_partition)
    meta = make_partition(0, specs, 0, 0)
    divisions = [min(i * rows_per_partition, rows) for i in range(n)] + [rows - 1]
    return dd.from_map(make_partition, range(n), args=(specs, rows_per_partition, rows),
                       meta=meta, divisions=divisions, enforce_metadata=False)


def outcomes(client, policy, program, ddf, as_of, run=0, shipped=None):
    """The Dask DataFrame of outcomes: the policy sent once to each worker (or `shipped`,
    the future of a policy scattered already)."""
    if shipped is None:
        shipped = client.scatter(policy, broadcast=True, hash=False)
    meta = pd.DataFrame({"outcome": pd.Series([], dtype=object)},
                        index=pd.RangeIndex(0, name="person"))
    return ddf.map_partitions(evaluate_partition, shipped, program, as_of, run, meta=meta)


def single_process(policy, program, specs, rows, rows_per_partition, as_of):
    """The same rows evaluated in this process, in one evaluate_many call."""
    frame = pd.concat([make_partition(i, specs, rows_per_partition, rows)
                       for i in range(partitions_of(rows, rows_per_partition))])
    t0 = time.perf_counter()
    out = policy.evaluate_many(program, frame, as_of=as_of, explain=False, services=False)
    return out, time.perf_counter() - t0


def counts(series):
    """{outcome: number of rows}, of a pandas Series, or of a Dask one (counted on the
    workers, so that only the counts come back)."""
    vc = series.value_counts()
    if hasattr(vc, "compute"):
        vc = vc.compute()
    return {k: int(v) for k, v in sorted(vc.items())}


def cluster(workers, scheduler=None):
    """A client of `scheduler`, or of a LocalCluster of `workers` processes of one thread."""
    from distributed import Client, LocalCluster
    if scheduler:
        return Client(scheduler), None
    lc = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=40)
    return Client(lc), lc


def run(args):
    policy = cpw.Policy.from_file(args.policy) if args.policy else cpw.Policy.default()
    program = args.program or policy.programs[0]
    specs = field_specs(policy, program)
    client, lc = cluster(args.workers, args.scheduler)
    try:
        ddf = people(specs, args.rows, args.rows_per_partition)
        t0 = time.perf_counter()
        got = counts(outcomes(client, policy, program, ddf, args.as_of)["outcome"])
        secs = time.perf_counter() - t0
    finally:
        client.close()
        if lc is not None:
            lc.close()
    print("%s over %s rows in %d partitions on %s: %s (%.2f s, %s rows/s, generation "
          "included)" % (program, "{:,}".format(args.rows),
                         partitions_of(args.rows, args.rows_per_partition),
                         args.scheduler or "%d local workers" % args.workers, json.dumps(got),
                         secs, "{:,}".format(int(args.rows / secs))))
    if args.check:
        out, _ = single_process(policy, program, specs, args.rows, args.rows_per_partition,
                                args.as_of)
        same = counts(out["outcome"]) == got
        print("single process: %s" % ("the same" if same else "DIFFERENT"))
        return 0 if same else 1
    return 0


def bench(args):
    from distributed import wait
    rules = args.rules or os.path.join(REPO, "tests", "bench", "peer_rules.cpw")
    policy = cpw.Policy.from_file(rules)
    program = args.program or "priority_child_support"
    specs = field_specs(policy, program)
    nparts = partitions_of(args.rows, args.rows_per_partition)
    ref, _ = single_process(policy, program, specs, args.rows, args.rows_per_partition,
                            args.as_of)
    want = counts(ref["outcome"])
    frame = pd.concat([make_partition(i, specs, args.rows_per_partition, args.rows)
                       for i in range(nparts)])
    times = []
    for _ in range(args.reps):
        t0 = time.perf_counter()
        policy.evaluate_many(program, frame, as_of=args.as_of, explain=False, services=False)
        times.append(time.perf_counter() - t0)
    del frame
    med = statistics.median(times)
    print(json.dumps({"peer": "cpw %s Python evaluate_many, one process, one call"
                      % cpw.__version__, "workers": 0, "rows": args.rows,
                      "seconds": round(med, 6), "records_per_second": round(args.rows / med),
                      "reps_seconds": [round(t, 6) for t in times], "outcomes": want}))
    for workers in (1, 2):
        client, lc = cluster(workers)
        try:
            ddf = people(specs, args.rows, args.rows_per_partition).persist()
            wait(ddf)  # generated and held by the workers: not timed
            shipped = client.scatter(policy, broadcast=True, hash=False)
            got = counts(outcomes(client, policy, program, ddf, args.as_of, 0,
                                  shipped)["outcome"])  # warm-up, and the check
            times = []
            for run in range(1, args.reps + 1):  # timed: the evaluation, rows counted
                t0 = time.perf_counter()
                done = outcomes(client, policy, program, ddf, args.as_of, run,
                                shipped).map_partitions(len).compute().sum()
                times.append(time.perf_counter() - t0)
                assert done == args.rows
        finally:
            client.close()
            lc.close()
        med = statistics.median(times)
        print(json.dumps({"peer": "cpw %s Python evaluate_many on Dask %s (LocalCluster)"
                          % (cpw.__version__, _dask_version()), "workers": workers,
                          "threads_per_worker": 1, "rows": args.rows, "partitions": nparts,
                          "seconds": round(med, 6),
                          "records_per_second": round(args.rows / med),
                          "reps_seconds": [round(t, 6) for t in times], "outcomes": got,
                          "equal_to_single_process": got == want}))
    return 0


def _dask_version():
    import dask
    return dask.__version__


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--rows-per-partition", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scheduler", help="address of a running Dask scheduler")
    ap.add_argument("--policy", help="a policy file (default: the embedded policy)")
    ap.add_argument("--program", help="a programme id (default: the policy's first)")
    ap.add_argument("--as-of", default="2025-12-31")
    ap.add_argument("--check", action="store_true",
                    help="also evaluate the rows in this process and compare")
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--rules", help="--bench: the policy (default tests/bench/peer_rules.cpw)")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args(argv)
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as e:
        print("dask_eligibility: Dask is not installed (%s; Debian: python3-dask "
              "python3-distributed)" % e, file=sys.stderr)
        return 2
    return bench(args) if args.bench else run(args)


if __name__ == "__main__":
    sys.exit(main())
