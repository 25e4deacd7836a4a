#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check that the Python bindings account for every symbol libcpw exports.

    python3 tests/tools/check_symbols.py [--nm NM] path/to/libcpw.so.1

Every symbol exported by the library (``nm -D --defined-only``) must be
  1. declared in bindings/python/cpw/_cdef.h (cffi can call it), and
  2. called by the package (``lib.<symbol>`` in bindings/python/cpw/*.py),
unless bindings/python/unbound.txt lists it, with the reason it is deliberately left out.
unbound.txt must not list a symbol that is not exported or that the package calls.
Exit status 0 when everything is accounted for, 1 otherwise (with the list), 2 on usage.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PKG = os.path.join(ROOT, "bindings", "python", "cpw")
CDEF = os.path.join(PKG, "_cdef.h")
UNBOUND = os.path.join(ROOT, "bindings", "python", "unbound.txt")


def exported_versions(nm, library):
    """{symbol: version node} of the functions and data the library exports (``nm -D
    --defined-only``; binutils >= 2.35 prints ``name@@CPW_1.0``). The version is None for an
    unversioned symbol. Version node names themselves (CPW_1.0, kind A) are left out."""
    out = subprocess.run([nm, "-D", "--defined-only", library], check=True,
                         capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        kind = parts[1]
        name, _, version = parts[2].replace("@@", "@").partition("@")
        if kind in "TDBRVWiu" and name and not name.startswith("_") \
                and not re.match(r"^CPW_\d", name):
            syms[name] = version or None
    return syms


def exported(nm, library):
    return set(exported_versions(nm, library))


def declared():
    with open(CDEF, encoding="utf-8") as f:
        text = re.sub(r"/\*.*?\*/", " ", f.read(), flags=re.S)
    return set(re.findall(r"\b(cpw_[A-Za-z0-9_]+)\s*\(", text))


def used():
    names = set()
    for path in glob.glob(os.path.join(PKG, "*.py")):
        with open(path, encoding="utf-8") as f:
            names.update(re.findall(r"\b_?lib\.(cpw_[A-Za-z0-9_]+)", f.read()))
    return names


def unbound():
    """symbol -> reason, from unbound.txt ("symbol: reason" lines; # comments)."""
    entries, problems = {}, []
    with open(UNBOUND, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            m = re.match(r"^(cpw_[A-Za-z0-9_]+)\s*:\s*(\S.*)$", line)
            if not m:
                problems.append("unbound.txt:%d: expected 'symbol: reason'" % n)
                continue
            if m.group(1) in entries:
                problems.append("unbound.txt:%d: %s is listed twice" % (n, m.group(1)))
            entries[m.group(1)] = m.group(2)
    return entries, problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("library", help="the built libcpw.so.1")
    ap.add_argument("--nm", default=os.environ.get("NM", "nm"))
    args = ap.parse_args(argv)
    try:
        syms = exported(args.nm, args.library)
    except (OSError, subprocess.CalledProcessError) as e:
        print("check_symbols.py: cannot list the symbols of %s: %s" % (args.library, e),
              file=sys.stderr)
        return 2
    decl, calls = declared(), used()
    listed, problems = unbound()
    for s in sorted(syms - decl - set(listed)):
        problems.append("%s is exported but not declared in _cdef.h (regenerate it with "
                        "tests/tools/gen_cdef.py, or list it in unbound.txt with a reason)" % s)
    for s in sorted((syms & decl) - calls - set(listed)):
        problems.append("%s is exported and declared but the package never calls it: bind it "
                        "in bindings/python/cpw/, or list it in unbound.txt with a reason" % s)
    for s in sorted(set(listed) - syms):
        problems.append("unbound.txt lists %s, which the library does not export" % s)
    for s in sorted(set(listed) & calls):
        problems.append("unbound.txt lists %s, but the package calls it" % s)
    for s in sorted(calls - decl):
        problems.append("the package calls lib.%s, which _cdef.h does not declare" % s)
    if problems:
        print("check_symbols.py: %d problem(s):" % len(problems))
        for p in problems:
            print("  " + p)
        return 1
    print("check_symbols.py: %d exported symbols: %d called by the package, %d deliberately "
          "unbound (bindings/python/unbound.txt)" % (len(syms), len(syms & calls), len(listed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
