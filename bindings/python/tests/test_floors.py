# SPDX-License-Identifier: Apache-2.0
"""The package has the C library's floors: a module imports (at run time) only modules of
its own floor or below, never the reverse (issue 17, improvement 5). Policy's factories
(caseload(), registry(), workflow(), columns(), evaluate_many()) reach the floors above
through entry points those floors register, not through imports."""
import ast
import os

import cpw

FLOORS = {
    "_ffi": 0, "errors": 0, "_common": 1, "_frames": 1, "calendar": 1, "basis": 1,
    "policy": 2,
    "workflow": 3, "placement": 3, "batch": 3, "_charts": 3,
    "journal": 4,
    "__init__": 5,
}
PKG = os.path.dirname(cpw.__file__)


def runtime_imports(path):
    """The package modules a file imports when it runs (not under TYPE_CHECKING)."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    found = set()

    def visit(node, typing_only):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
            typing_only = True
        if isinstance(node, ast.ImportFrom) and node.level == 1 and not typing_only:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(a.name for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child, typing_only)

    visit(tree, False)
    return found


def test_every_module_has_a_floor():
    mods = {f[:-3] for f in os.listdir(PKG) if f.endswith(".py")}
    assert mods <= set(FLOORS), "modules without a floor: %s" % sorted(mods - set(FLOORS))


def test_imports_point_down():
    wrong = []
    for mod, floor in FLOORS.items():
        path = os.path.join(PKG, mod + ".py")
        if not os.path.exists(path):
            continue
        for dep in runtime_imports(path):
            if dep in FLOORS and FLOORS[dep] > floor:
                wrong.append("%s (floor %d) imports %s (floor %d)" % (mod, floor, dep,
                                                                       FLOORS[dep]))
    assert not wrong, "imports that point up: " + "; ".join(wrong)


def test_factories_are_the_engines_constructors():
    pol = cpw.Policy.default()
    assert type(pol.caseload()) is cpw.Caseload and isinstance(cpw.Caseload(pol), cpw.Caseload)
    assert type(pol.registry()) is cpw.Registry and isinstance(cpw.Registry(pol), cpw.Registry)
    assert pol.workflow("referral").name == "referral"
    cols = pol.columns({"tsa_registered": [True]})
    assert type(cols) is cpw.Columns
    assert pol.evaluate_many("tsa_child_benefit", cols, as_of="2025-01-01") == ["undetermined"]
