#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Decide every programme of a policy for every person of a CSV file, with explanations.

    python3 eligibility_csv.py people.csv decisions.csv [--as-of 2025-12-31]
        [--policy FILE]... [--programs a,b] [--id-column person_id]

Input: one person per row; the header names the columns. Columns named after a field of the
policy are read by the field's type (true/false/yes/no, numbers, amounts in GEL such as
12.50, dates YYYY-MM-DD, enum value names, sets as a|b); an empty cell is a missing fact.
The id column (default: the first column) is copied to the output; other columns are ignored
(they are named on stderr).

Output: one row per person and programme, in the columns and formats of `cpw eval`: the
input line, id, programme, as-of date, outcome (eligible, not_eligible, undetermined, error,
or invalid for a row whose values cannot be read), the missing facts, the services and
benefits that apply (lists joined with "|"; a benefit as id:amount:period, e.g.
child_benefit:200.00:monthly), the plain-English explanation, and the error of an invalid
row (also on stderr; no row is dropped, and the exit status is then 1). "-" as the output
writes to standard output. A summary per programme goes to stderr. The embedded Georgian
policy is used unless --policy is given.
"""
import argparse
import csv
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
try:
    import cpw
except ImportError:  # run from the source tree
    sys.path.insert(0, os.path.dirname(HERE))
    import cpw

FIELDS = ["line", "id", "programme", "as_of", "outcome", "missing", "services", "benefits",
          "explanation", "error"]


def benefits_text(decision):
    """As cpw eval writes them: child_benefit:200.00:monthly|..."""
    return "|".join("%s:%s:%s" % (b.name, b.amount, b.period) for b in decision.benefits)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", help="CSV of people")
    ap.add_argument("output", help="CSV of decisions ('-' for standard output)")
    ap.add_argument("--as-of", default=None, help="evaluation date (default: today)")
    ap.add_argument("--policy", action="append", default=[],
                    help="policy file (repeat for several; default: the embedded policy)")
    ap.add_argument("--programs", default=None, help="comma-separated programme ids")
    ap.add_argument("--id-column", default=None, help="the id column (default: the first)")
    args = ap.parse_args(argv)

    if args.policy:
        pol = cpw.Policy.from_sources([(p, open(p, encoding="utf-8").read())
                                       for p in args.policy])
    else:
        pol = cpw.Policy.default()
    programs = args.programs.split(",") if args.programs else pol.programs
    for p in programs:
        pol.program(p)  # cpw.NotFound for a typo, before any work
    as_of = args.as_of or pol.today()

    # utf-8-sig: a byte order mark (Excel's "CSV UTF-8") is not part of the first column
    with open(args.input, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        id_col = args.id_column or (header[0] if header else None)
        used = [c for c in header if c in pol.fields]
        ignored = [c for c in header if c not in pol.fields and c != id_col]
        if ignored:
            print("eligibility_csv: ignoring columns that are not fields of policy %s: %s"
                  % (pol.name, ", ".join(ignored)), file=sys.stderr)
        out = sys.stdout if args.output == "-" else open(args.output, "w", newline="",
                                                         encoding="utf-8")
        counts = {p: Counter() for p in programs}
        rows = invalid = 0
        try:
            writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
            writer.writeheader()
            record = pol.record()
            for row in reader:
                line = reader.line_num  # the row's last physical line
                person = row.get(id_col, "") if id_col else line - 1
                record.clear()
                rows += 1
                try:
                    for c in used:
                        record.set_string(c, row[c] or "")
                except cpw.Error as e:  # the message names the field, never the value
                    print("eligibility_csv: %s line %d: %s" % (args.input, line, e),
                          file=sys.stderr)
                    invalid += 1
                    for p in programs:
                        counts[p]["invalid"] += 1
                        writer.writerow({"line": line, "id": person, "programme": p,
                                         "as_of": str(as_of), "outcome": "invalid",
                                         "error": str(e)})
                    continue
                for p in programs:
                    d = pol.evaluate(p, record, as_of=as_of)
                    counts[p][d.outcome] += 1
                    writer.writerow({
                        "line": line, "id": person, "programme": p, "as_of": str(d.as_of),
                        "outcome": d.outcome,
                        "missing": "|".join(d.missing),
                        "services": "|".join(d.services),
                        "benefits": benefits_text(d),
                        "explanation": d.explain(),
                        "error": d.error or "",
                    })
        finally:
            if out is not sys.stdout:
                out.close()
    print("eligibility_csv: %d people (%d invalid), %d programmes, as of %s, policy %s %s"
          % (rows, invalid, len(programs), as_of, pol.name, pol.version), file=sys.stderr)
    for p in programs:
        c = counts[p]
        print("  %-28s eligible %4d  not eligible %4d  undetermined %4d  error %d"
              % (p, c["eligible"], c["not_eligible"], c["undetermined"], c["error"]),
              file=sys.stderr)
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
