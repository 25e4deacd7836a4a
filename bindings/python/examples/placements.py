#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Placements with gatekeeping, and the deinstitutionalization indicators of a year.

    python3 placements.py
"""
import os
import sys

try:
    import cpw
except ImportError:  # run from the source tree
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import cpw

pol = cpw.Policy.default()
reg = pol.registry()
sw = {"actor": "sw-1", "role": "social_worker"}

# children already in the infant home when the registry starts (data migration)
for n in range(1, 11):
    reg.add_child("IH-%02d" % n, "2021-0%d-15" % (1 + n % 9))
    reg.place("IH-%02d" % n, "2024-12-31", facility="tbilisi_infant_house", existing=True, **sw)

# a new baby: the infant home is denied by the policy's gatekeeping
reg.add_child("NEW-1", "2024-11-02")
try:
    reg.place("NEW-1", "2025-02-01", facility="tbilisi_infant_house", **sw)
except cpw.PlacementDenied as e:
    print(e.explanation)  # it says "denied: " itself
options = reg.options("NEW-1", "2025-02-01")
print("allowed settings, most preferred first:", ", ".join(options))
reg.place("NEW-1", "2025-02-01", setting=options[0], region="Tbilisi", reason="care plan", **sw)

# two siblings placed apart: allowed, with a warning
reg.add_child("S-1", "2015-04-04", sibling_group="fam-9")
reg.add_child("S-2", "2017-08-08", sibling_group="fam-9")
reg.place("S-1", "2025-03-01", setting="foster_care", region="Kutaisi", **sw)
print(reg.place("S-2", "2025-03-01", setting="kinship", region="Kutaisi", **sw))  # "warning: ..."

# deinstitutionalization during the year
for n in range(1, 5):
    reg.end("IH-%02d" % n, "2025-06-30", "reunified", **sw)
for n in range(5, 7):
    reg.move("IH-%02d" % n, "2025-09-01", setting="foster_care", region="Tbilisi", **sw)

print("reviews due by 1 July:", [p.child for p in reg.reviews_due("2025-07-01")])
ind = reg.indicators("2025-01-01", "2025-12-31")
print(ind.table())
print("family-based share at the end of 2025: %.0f%%" % (100 * ind.family_share))
