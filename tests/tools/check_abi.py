#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check the ABI of a built libcpw.so.1 against the headers, lib/cpw.map and abi/.

The baseline abi/ is committed. Normally run through tests/tools/check_abi.sh, which builds the
library first (RelWithDebInfo: abidw needs -g).

    python3 tests/tools/check_abi.py [--symbols-only | --update] [--nm NM] [--cc CC]
                                     path/to/libcpw.so.1

1. Symbol sets. These three must be the same set of names (differences are printed):
     - the functions declared with CPW_API in include/cpw.h and include/cpw/*.h;
     - the names listed under `global:` in lib/cpw.map (no wildcards there);
     - the symbols the library exports (``nm -D --defined-only``),
   and each exported symbol must carry the version node the map lists it in.

2. Baseline (skipped with --symbols-only). `abidiff` compares abi/libcpw.abi with the library,
   with only the types of include/ counted (--headers-dir2 include --drop-private-types) and
   the deliberate exceptions of abi/suppr.ini (the versioned option structs and cpw_error
   may grow at the end).
   abidiff's exit status is a bit mask:
       1  ABIDIFF_ERROR                   the tool failed (unreadable input, ...)
       2  ABIDIFF_USAGE_ERROR             bad command line
       4  ABIDIFF_ABI_CHANGE              some ABI change: an added or changed function or
                                          variable, a changed type (size, layout, enumerator
                                          values), ... Not necessarily incompatible, but
                                          abidiff cannot tell, and type changes are only 4
       8  ABIDIFF_ABI_INCOMPATIBLE_CHANGE certainly incompatible: a symbol was removed
   Here: 1 or 2 is a tool failure (exit 2); 8 fails; 4 fails too, except for added symbols.
   abidiff runs with --no-added-syms, so added functions do not set 4: any 4 left is a change
   to something that already existed, and fails. The added symbols are checked here instead,
   against the baseline's ELF symbol table: each must be in a version node the baseline does
   not have (a new CPW_1.n node, not CPW_1.0 or any released node). A symbol of the baseline
   that is missing or has moved to another node fails.
   The enums are int in every signature and struct, so abidiff never sees their values: the
   enumerators and integer #defines of the headers (values from the C compiler) are compared
   with abi/constants.txt instead. None may disappear or change value; *_VERSION and *_COUNT
   may grow; new ones pass.

3. --update regenerates abi/libcpw.abi from the library (after step 1 passes) with abidw:
   --headers-dir include --drop-private-types (public types only), --drop-undefined-syms,
   --no-corpus-path --no-comp-dir-path --type-id-style hash, and the source directory cut from
   every path (check_abi.sh maps the build directory to build-abi/ in the tree), so a fresh clone in another directory regenerates the same
   file with the same toolchain (other absolute paths, the system's headers, keep their file
   name only); and abi/constants.txt. Do this only in a release commit (docs/abi.md).

Exit status: 0 compatible, 1 a difference or an ABI break (printed), 2 usage or tool failure.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_symbols import exported_versions  # noqa: E402  (shared with the bindings' check)
import gen_cdef  # noqa: E402  (its header parser lists the enumerators and constants)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INCLUDE = os.path.join(ROOT, "include")
MAP = os.path.join(ROOT, "lib", "cpw.map")
BASELINE = os.path.join(ROOT, "abi", "libcpw.abi")
SUPPRESSIONS = os.path.join(ROOT, "abi", "suppr.ini")
CONSTANTS = os.path.join(ROOT, "abi", "constants.txt")
# Constants whose value may grow within 1.x (an options struct's version, a count of
# enumerators); every other enumerator and integer constant keeps its value.
MAY_GROW = re.compile(r"_(VERSION|COUNT)$")

ABIDIFF_ERROR, ABIDIFF_USAGE_ERROR = 1, 2
ABIDIFF_ABI_CHANGE, ABIDIFF_ABI_INCOMPATIBLE_CHANGE = 4, 8


class ToolError(Exception):
    pass


def rel(path):
    return os.path.relpath(path, ROOT)


# ---------------------------------------------------------------- the three sets

def strip_c_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def header_functions():
    """{name: header} of every function declared with CPW_API in the public headers."""
    names = {}
    paths = [os.path.join(INCLUDE, "cpw.h")] + sorted(glob.glob(os.path.join(INCLUDE, "cpw", "*.h")))
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = strip_c_comments(f.read())
        text = re.sub(r"//[^\n]*", " ", text)
        text = re.sub(r"^[ \t]*#.*?(?<!\\)$", " ", text, flags=re.M | re.S)  # directives
        for m in re.finditer(r"\bCPW_API\b[^;{}()]*?\b([A-Za-z_]\w*)\s*\(", text):
            names[m.group(1)] = rel(path)
    return names


def map_nodes(path=MAP):
    """The version script as a list of (node, [global names], [local patterns], parent)."""
    with open(path, encoding="utf-8") as f:
        text = strip_c_comments(f.read())
    nodes, pos = [], 0
    node_re = re.compile(r"\s*([A-Za-z_][\w.]*)\s*\{(.*?)\}\s*([A-Za-z_][\w.]*)?\s*;", re.S)
    while text[pos:].strip():
        m = node_re.match(text, pos)
        if not m:
            raise ToolError("%s: cannot read the version script near: %r"
                            % (rel(path), text[pos:pos + 60].strip()))
        body, section = m.group(2), "global"
        globals_, locals_ = [], []
        for item in re.split(r"\s*;\s*", body):
            item = item.strip()
            while True:
                s = re.match(r"(global|local)\s*:\s*", item)
                if not s:
                    break
                section, item = s.group(1), item[s.end():]
            if item:
                (globals_ if section == "global" else locals_).append(item)
        nodes.append((m.group(1), globals_, locals_, m.group(3)))
        pos = m.end()
    return nodes


def check_map(nodes):
    problems = []
    if not nodes:
        return ["%s defines no version node" % rel(MAP)]
    seen = {}
    for i, (node, globals_, locals_, parent) in enumerate(nodes):
        if i == 0:
            if locals_ != ["*"]:
                problems.append("%s: the first node %s must end with `local: *;`" % (rel(MAP), node))
            if parent:
                problems.append("%s: the first node %s must not inherit a node" % (rel(MAP), node))
        else:
            if locals_:
                problems.append("%s: node %s has a local: section; only the first node hides "
                                "symbols" % (rel(MAP), node))
            if parent != nodes[i - 1][0]:
                problems.append("%s: node %s must inherit the node before it, `} %s;`"
                                % (rel(MAP), node, nodes[i - 1][0]))
        if not re.match(r"^CPW_1\.\d+$", node):
            problems.append("%s: node %s is not named CPW_1.<minor>" % (rel(MAP), node))
        for name in globals_:
            if re.search(r"[*?\[\]]", name) or not re.match(r"^[A-Za-z_]\w*$", name):
                problems.append("%s: node %s: `%s` is not a symbol name (list every symbol "
                                "explicitly, no wildcards)" % (rel(MAP), node, name))
            elif name in seen:
                problems.append("%s: %s is listed in %s and again in %s"
                                % (rel(MAP), name, seen[name], node))
            else:
                seen[name] = node
    if len({n[0] for n in nodes}) != len(nodes):
        problems.append("%s: a node name is used twice" % rel(MAP))
    return problems


def check_sets(nm, library):
    """Problems (list of strings) and the exported {symbol: version}."""
    declared = header_functions()
    nodes = map_nodes()
    problems = check_map(nodes)
    listed = {name: node for node, globals_, _, _ in nodes for name in globals_}
    exported = exported_versions(nm, library)
    h, m, e = set(declared), set(listed), set(exported)
    for name in sorted(h - m):
        problems.append("%s is declared with CPW_API in %s but not listed in %s"
                        % (name, declared[name], rel(MAP)))
    for name in sorted(m - h):
        problems.append("%s is listed in %s (node %s) but no public header declares it with "
                        "CPW_API" % (name, rel(MAP), listed[name]))
    for name in sorted(h - e):
        problems.append("%s is declared with CPW_API in %s but the library does not export it"
                        % (name, declared[name]))
    for name in sorted(e - h):
        problems.append("%s is exported by the library but not declared with CPW_API in "
                        "include/" % name)
    for name in sorted(e & m):
        if exported[name] != listed[name]:
            problems.append("%s is exported with version %s but %s lists it in %s (was the "
                            "library linked with the version script?)"
                            % (name, exported[name], rel(MAP), listed[name]))
    return problems, exported, len(h)


# ---------------------------------------------------------------- the baseline

def run(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        raise ToolError("cannot run %s: %s (install abigail-tools)" % (cmd[0], e))


def has_debug_info(library):
    p = run([os.environ.get("READELF", "readelf"), "-S", "-W", library])
    return p.returncode == 0 and ".debug_info" in p.stdout


def baseline_symbols(path):
    """{symbol: version} of the functions and variables in an abixml file."""
    try:
        tree = ET.parse(path)
    except (OSError, ET.ParseError) as e:
        raise ToolError("cannot read %s: %s" % (rel(path), e))
    syms = {}
    for tag in ("elf-function-symbols", "elf-variable-symbols"):
        for section in tree.getroot().iter(tag):
            for sym in section.iter("elf-symbol"):
                syms[sym.get("name")] = sym.get("version") or None
    return syms


def abidiff(baseline, library, extra=()):
    cmd = ["abidiff", "--headers-dir2", INCLUDE, "--drop-private-types"]
    if os.path.exists(SUPPRESSIONS):
        cmd += ["--suppressions", SUPPRESSIONS]
    cmd += list(extra) + [baseline, library]
    p = run(cmd)
    return p.returncode, (p.stdout + p.stderr).strip()


def check_baseline(library, exported, cc, build_include):
    if not os.path.exists(BASELINE):
        print("check_abi: no baseline %s: create it with tests/tools/check_abi.sh --update "
              "(in a release commit)" % rel(BASELINE))
        return 1
    problems = []
    base = baseline_symbols(BASELINE)
    released = {v for v in base.values() if v}
    for name in sorted(set(base) - set(exported)):
        problems.append("%s@%s was removed (it is in the baseline)" % (name, base[name]))
    for name in sorted(set(base) & set(exported)):
        if base[name] != exported[name]:
            problems.append("%s moved from version %s to %s" % (name, base[name], exported[name]))
    added = sorted(set(exported) - set(base))
    for name in added:
        if exported[name] is None or exported[name] in released:
            problems.append("%s was added to %s, a node the baseline already has (released): "
                            "list it in a new node CPW_1.n { global: %s; } CPW_1.(n-1); in %s"
                            % (name, exported[name] or "no version node", name, rel(MAP)))

    const_problems, const_added = check_constants(cc, build_include)
    problems += const_problems

    rc, report = abidiff(BASELINE, library, ["--no-added-syms"])
    if rc & (ABIDIFF_ERROR | ABIDIFF_USAGE_ERROR):
        raise ToolError("abidiff failed (exit %d):\n%s" % (rc, report))
    if rc & ABIDIFF_ABI_INCOMPATIBLE_CHANGE:
        problems.append("abidiff: incompatible ABI change (exit %d)" % rc)
    elif rc & ABIDIFF_ABI_CHANGE:
        problems.append("abidiff: changes to existing functions or public types (exit %d); "
                        "1.x allows none but the exceptions of abi/suppr.ini"
                        % rc)
    if rc:
        print(report)
    if problems:
        print("check_abi: %d problem(s) against the baseline in abi/:" % len(problems))
        for p in problems:
            print("  " + p)
        return 1
    print("check_abi: compatible with %s (%d symbols in %s; %d added%s) and %s (constants "
          "added: %d)"
          % (rel(BASELINE), len(base), ", ".join(sorted(released)) or "no node", len(added),
             (": " + ", ".join("%s@%s" % (n, exported[n]) for n in added)) if added else "",
             rel(CONSTANTS), const_added))
    return 0


def header_constants(cc, build_include):
    """{name: (value, where)} of every enumerator and integer #define of the public headers
    (cpw/version.h left out: it changes with every release), with the values the compiler
    gives them. The ABI of the enums is int (functions and structs use int), so abidiff does
    not see them: this is how renumbering is caught."""
    try:
        _, _, _, _, enums, macros = gen_cdef.parse(gen_cdef.preprocess(cc, build_include))
    except gen_cdef.GenError as e:
        raise ToolError("cannot read the public headers: %s" % e)
    names = [(v, "enum " + e.typedef) for e in enums for v in e.values]
    names += [(n, "#define in " + f) for n, _, f in gen_cdef.integer_macros(macros)
              if f != "cpw/version.h"]
    with tempfile.TemporaryDirectory() as tmp:
        vdir = gen_cdef.version_header(build_include, tmp)
        src, exe = os.path.join(tmp, "constants.c"), os.path.join(tmp, "constants")
        with open(src, "w", encoding="utf-8") as f:
            f.write("#include <stdio.h>\n#include <cpw.h>\nint main(void)\n{\n")
            for n, _ in names:
                f.write('  printf("%%s %%lld\\n", "%s", (long long)(%s));\n' % (n, n))
            f.write("  return 0;\n}\n")
        p = run(cc.split() + ["-std=c11", "-I", INCLUDE, "-I", vdir, "-o", exe, src])
        if p.returncode:
            raise ToolError("cannot compile the constants of the headers:\n%s" % p.stderr)
        p = run([exe])
        if p.returncode:
            raise ToolError("the constants program failed (exit %d)" % p.returncode)
    values = dict(line.split() for line in p.stdout.splitlines())
    return {n: (int(values[n]), where) for n, where in names}


def render_constants(constants):
    out = ["# The enumerators and integer constants of the public headers and their values,",
           "# written by tests/tools/check_abi.py --update with abi/libcpw.abi. Each keeps its",
           "# value in 1.x; names ending in _VERSION or _COUNT may only grow. Do not edit.",
           ""]
    for n in sorted(constants):
        value, where = constants[n]
        out.append("%s %d  # %s" % (n, value, where))
    return "\n".join(out) + "\n"


def read_constants(path):
    constants = {}
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.split("#", 1)[0].strip()
                if not line:
                    continue
                m = re.match(r"^([A-Za-z_]\w*)\s+(-?\d+)$", line)
                if not m:
                    raise ToolError("%s:%d: expected 'NAME VALUE'" % (rel(path), n))
                constants[m.group(1)] = int(m.group(2))
    except OSError as e:
        raise ToolError("cannot read %s: %s" % (rel(path), e))
    return constants


def check_constants(cc, build_include):
    """Problems with the enumerators and constants, and the number of added ones."""
    if not os.path.exists(CONSTANTS):
        return ["no %s: regenerate the baseline with tests/tools/check_abi.sh --update"
                % rel(CONSTANTS)], 0
    base, now = read_constants(CONSTANTS), header_constants(cc, build_include)
    problems = []
    for n in sorted(base):
        if n not in now:
            problems.append("constant %s (%d) was removed from the public headers" % (n, base[n]))
        elif now[n][0] != base[n] and not (MAY_GROW.search(n) and now[n][0] > base[n]):
            problems.append("constant %s changed from %d to %d (%s)%s"
                            % (n, base[n], now[n][0], now[n][1],
                               "" if MAY_GROW.search(n) else
                               ": enumerators and constants are never renumbered"))
    return problems, len(set(now) - set(base))


def portable_path(path):
    """A path in the ABI dump that does not depend on where the tree or the toolchain are:
    relative to the source tree, and only the file name for anything else (system and
    compiler headers). check_abi.sh builds with -ffile-prefix-map so that the debug info
    places the build directory (the generated sources) at build-abi/ in the tree."""
    for b in {ROOT, os.path.realpath(ROOT)}:
        if path.startswith(b + "/"):
            return path[len(b) + 1:]
    return os.path.basename(path)


def update_baseline(library, cc, build_include):
    constants = render_constants(header_constants(cc, build_include))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "libcpw.abi")
        p = run(["abidw", "--headers-dir", INCLUDE, "--drop-private-types", "--drop-undefined-syms",
                 "--no-corpus-path", "--no-comp-dir-path", "--type-id-style", "hash",
                 "--out-file", out, library])
        if p.returncode:
            raise ToolError("abidw failed (exit %d):\n%s" % (p.returncode, p.stdout + p.stderr))
        with open(out, encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r"(\b(?:file)?path=')(/[^']*)'",
                      lambda m: m.group(1) + portable_path(m.group(2)) + "'", text)
        if os.path.exists(BASELINE):
            rc, report = abidiff(BASELINE, library)
            print("check_abi: the old baseline against this library (abidiff exit %d)%s"
                  % (rc, ":\n" + report if report else ""))
        os.makedirs(os.path.dirname(BASELINE), exist_ok=True)
        with open(BASELINE, "w", encoding="utf-8") as f:
            f.write(text)
        with open(CONSTANTS, "w", encoding="utf-8") as f:
            f.write(constants)
    rc, report = abidiff(BASELINE, library)
    if rc:
        raise ToolError("the new baseline differs from the library it was made from "
                        "(abidiff exit %d):\n%s" % (rc, report))
    print("check_abi: wrote %s (%d symbols) and %s (%d constants); commit them with the "
          "release" % (rel(BASELINE), len(baseline_symbols(BASELINE)), rel(CONSTANTS),
                       len(read_constants(CONSTANTS))))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("library", help="the built libcpw.so.1 (with -g for the baseline check)")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true",
                      help="regenerate abi/libcpw.abi from the library (release commits only)")
    mode.add_argument("--symbols-only", action="store_true",
                      help="compare the three symbol sets only (no abidiff)")
    ap.add_argument("--nm", default=os.environ.get("NM", "nm"))
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"),
                    help="the C compiler that evaluates the headers' constants")
    args = ap.parse_args(argv)
    if not os.path.exists(args.library):
        print("check_abi: %s does not exist" % args.library, file=sys.stderr)
        return 2
    library = os.path.abspath(args.library)
    try:
        problems, exported, count = check_sets(args.nm, library)
    except (OSError, subprocess.CalledProcessError) as e:
        print("check_abi: cannot list the symbols of %s: %s" % (args.library, e), file=sys.stderr)
        return 2
    except ToolError as e:
        print("check_abi: %s" % e, file=sys.stderr)
        return 2
    if problems:
        print("check_abi: the headers, %s and the library disagree, %d problem(s):"
              % (rel(MAP), len(problems)))
        for p in problems:
            print("  " + p)
        return 1
    print("check_abi: %d symbols: CPW_API declarations, %s and the exports agree"
          % (count, rel(MAP)))
    if args.symbols_only:
        return 0
    if not shutil.which("abidiff") or not shutil.which("abidw"):
        print("check_abi: abidiff/abidw not found: apt-get install abigail-tools",
              file=sys.stderr)
        return 2
    try:
        if not has_debug_info(library):
            print("check_abi: %s has no DWARF (.debug_info): build it with -g "
                  "(RelWithDebInfo), or abidiff compares symbol names only" % args.library,
                  file=sys.stderr)
            return 2
        # the build's cpw/version.h, next to the library (else gen_cdef renders the template)
        build_include = os.path.join(os.path.dirname(library), "include")
        if args.update:
            return update_baseline(library, args.cc, build_include)
        return check_baseline(library, exported, args.cc, build_include)
    except ToolError as e:
        print("check_abi: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
