#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The deinstitutionalization indicators of a year, month by month, as a table and as charts.

    python3 di_charts.py [OUT.png] [--journal FILE --from DATE --to DATE]

Without --journal it places children through a simulated year of its own (an institution
emptying, children placed in foster care and small family-type homes); with it, it replays a
journal's placements (`cpw demo --keep DIR` writes one: DIR/referrals.journal, 2025). Prints
the months as a pandas DataFrame (Indicators.to_frame) and draws the four charts of
`cpw report --format svg` with matplotlib (Indicators.plot) into OUT.png (di_charts.png).
Needs pandas and matplotlib (Debian: python3-pandas python3-matplotlib).
"""
import argparse
import datetime as dt
import os
import random
import sys

try:
    import cpw
except ImportError:  # run from the source tree
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import cpw


def simulated_year(pol):
    """A year of placements: an institution's children leave, new ones go to families."""
    rng = random.Random(2025)
    reg = pol.registry()
    sw = {"actor": "sw-1", "role": "social_worker"}
    for n in range(40):  # in the institution since before the year
        child = "K-%02d" % n
        reg.add_child(child, dt.date(2010 + n % 8, 1 + n % 12, 10))
        reg.place(child, "2024-06-01", facility="kojori", existing=True, **sw)
    for n in range(40):
        if rng.random() < 0.5:  # deinstitutionalization: a family for half of them
            day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(360))
            setting = rng.choice(["foster_care", "kinship", "small_group_home"])
            reg.move("K-%02d" % n, day, setting=setting, region="Tbilisi", **sw)
    for n in range(60):  # new children who need alternative care
        child = "N-%02d" % n
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(360))
        reg.add_child(child, day - dt.timedelta(days=365 * (4 + rng.randrange(12))))
        reg.place(child, day, setting=rng.choice(["foster_care", "kinship", "small_group_home"]),
                  region="Tbilisi", **sw)
        if rng.random() < 0.3:
            reg.end(child, min(day + dt.timedelta(days=30 + rng.randrange(120)),
                               dt.date(2025, 12, 31)), "reunified", **sw)
    return reg


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default="di_charts.png")
    ap.add_argument("--journal")
    ap.add_argument("--from", dest="start", default="2025-01-01")
    ap.add_argument("--to", dest="end", default="2025-12-31")
    ap.add_argument("--region")
    args = ap.parse_args()
    pol = cpw.Policy.default()
    if args.journal:
        with cpw.Journal.open(args.journal, policy=pol, readonly=True) as j:
            reg = j.replay_registry()
    else:
        reg = simulated_year(pol)
    ind = reg.indicators(args.start, args.end, region=args.region)
    frame = ind.to_frame()
    print(frame[["placed_at_end", "family_at_end", "family_type_at_end", "residential_at_end",
                 "family_share", "entries", "exits", "median_stay_days"]].to_string())
    fig = ind.plot()
    fig.savefig(args.out, dpi=100)
    print("charts: %s" % args.out)


if __name__ == "__main__":
    main()
