#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check that the hostile-input test calls every public function.

    python3 tests/tools/check_hostile_coverage.py [--root DIR]

Lists every function declared with CPW_API in include/cpw.h and include/cpw/*.h and fails
(exit 1), naming them, when one is never called in tests/unit/test_hostile.c (a call is the
name followed by '(' outside comments). Exit 0 when every one is called, 2 on usage errors.
Standard library only.
"""
import argparse
import glob
import os
import re
import sys

COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
DECL = re.compile(r"\bCPW_API\b([^;{]*?)\b(cpw_[A-Za-z0-9_]+)\s*\(", re.S)


def strip(text):
    """The text without C comments and preprocessor lines (string contents are kept)."""
    text = COMMENTS.sub(" ", text)
    return "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#"))


def public_functions(root):
    headers = [os.path.join(root, "include", "cpw.h")]
    headers += sorted(glob.glob(os.path.join(root, "include", "cpw", "*.h")))
    names = {}
    for path in headers:
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for m in DECL.finditer(strip(f.read())):
                names.setdefault(m.group(2), os.path.relpath(path, root))
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), help="the source tree (default: this script's)")
    args = ap.parse_args()
    test = os.path.join(args.root, "tests", "unit", "test_hostile.c")
    try:
        with open(test, encoding="utf-8") as f:
            body = COMMENTS.sub(" ", f.read())
    except OSError as e:
        print("check_hostile_coverage: %s" % e, file=sys.stderr)
        return 2
    names = public_functions(args.root)
    if not names:
        print("check_hostile_coverage: no CPW_API declarations under %s/include" % args.root,
              file=sys.stderr)
        return 2
    missing = sorted(n for n in names if not re.search(r"\b%s\s*\(" % re.escape(n), body))
    if missing:
        print("tests/unit/test_hostile.c never calls %d of the %d public functions:"
              % (len(missing), len(names)))
        for n in missing:
            print("  %s (%s)" % (n, names[n]))
        return 1
    print("tests/unit/test_hostile.c calls all %d public functions" % len(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
