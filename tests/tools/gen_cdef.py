#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generate bindings/python/cpw/_cdef.h (the cffi declarations of libcpw) from include/.

    python3 tests/tools/gen_cdef.py [--check] [--cc CC] [--build-include DIR]

The public headers are run through the C preprocessor with CPW_CDEF defined (CPW_API becomes
empty) and with small stand-ins for <stddef.h> and <stdint.h> (cffi knows size_t, int64_t and
the rest itself), so what remains is libcpw's own declarations. They are written back in a
canonical layout that does not depend on the compiler's whitespace, in three sections:

  1. typedefs (scalars, opaque types, function pointers, and `typedef struct X X;` for every
     struct the headers define);
  2. function prototypes;
  3. struct and enum definitions, then the integer #define constants.

This order is what lets tests/abi/test_cdef.c compile <cpw.h> and _cdef.h in one translation
unit: it includes _cdef.h inside a function body, where typedefs and prototypes redeclare the
real ones (a different prototype is a "conflicting types" error) and struct and enum
definitions shadow them; the generated tests/abi/cdef_check.h then asserts, member by member
and value by value, that the shadows equal the real ones.

Also written: tests/abi/cdef_check.h. With --check nothing is written: the script exits 1 and
prints a diff when a committed file differs from what it would generate.
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CDEF = os.path.join(ROOT, "bindings", "python", "cpw", "_cdef.h")
CHECK_H = os.path.join(ROOT, "tests", "abi", "cdef_check.h")

# The stand-ins for the system headers: only what pycparser-free parsing and cffi need.
FAKE_STDDEF = "typedef unsigned long size_t;\n"
FAKE_STDINT = """typedef signed char int8_t; typedef short int16_t; typedef int int32_t;
typedef long long int64_t; typedef unsigned char uint8_t; typedef unsigned short uint16_t;
typedef unsigned int uint32_t; typedef unsigned long long uint64_t;
typedef long intptr_t; typedef unsigned long uintptr_t;
"""

INT_LITERAL = re.compile(r"^\(?\s*(-?\s*(?:0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*)\s*\)?$")
TOKEN = re.compile(r"\s*(?:([A-Za-z_][A-Za-z_0-9]*)|(0[xX][0-9a-fA-F]+[uUlL]*|[0-9]+[uUlL]*)"
                   r"|(\.\.\.|[{}()\[\];,*=+\-<>|&~!/%?:.^]))")


class GenError(Exception):
    pass


# ---------------------------------------------------------------- preprocessing

def version_header(build_include, tmp):
    """The directory holding cpw/version.h: the build's, or one rendered from the template."""
    if build_include and os.path.exists(os.path.join(build_include, "cpw", "version.h")):
        return build_include
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
        m = re.search(r"project\s*\(\s*cpw\s+VERSION\s+(\d+)\.(\d+)\.(\d+)", f.read())
    if not m:
        raise GenError("cannot find project(cpw VERSION x.y.z) in CMakeLists.txt")
    major, minor, patch = (int(x) for x in m.groups())
    with open(os.path.join(ROOT, "cmake", "version.h.in"), encoding="utf-8") as f:
        text = f.read()
    subst = {
        "PROJECT_VERSION_MAJOR": str(major), "PROJECT_VERSION_MINOR": str(minor),
        "PROJECT_VERSION_PATCH": str(patch), "PROJECT_VERSION": "%d.%d.%d" % (major, minor, patch),
        "CPW_VERSION_NUMBER_VALUE": str(major * 10000 + minor * 100 + patch),
    }
    text = re.sub(r"@([A-Z_]+)@", lambda m: subst[m.group(1)], text)
    d = os.path.join(tmp, "version", "cpw")
    os.makedirs(d)
    with open(os.path.join(d, "version.h"), "w", encoding="utf-8") as f:
        f.write(text)
    return os.path.dirname(d)


def preprocess(cc, build_include):
    """Run the preprocessor; return [(file, line_text)] for lines of libcpw's headers."""
    tmp = tempfile.mkdtemp(prefix="cpw-cdef-")
    try:
        fake = os.path.join(tmp, "fake")
        os.makedirs(fake)
        with open(os.path.join(fake, "stddef.h"), "w") as f:
            f.write(FAKE_STDDEF)
        with open(os.path.join(fake, "stdint.h"), "w") as f:
            f.write(FAKE_STDINT)
        vdir = version_header(build_include, tmp)
        include = os.path.join(ROOT, "include")
        cmd = cc.split() + ["-E", "-dD", "-undef", "-nostdinc", "-DCPW_CDEF", "-I", fake,
                            "-I", include, "-I", vdir, os.path.join(include, "cpw.h")]
        try:
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        except (OSError, subprocess.CalledProcessError) as e:
            raise GenError("the preprocessor failed: %s\n%s" % (" ".join(cmd),
                                                                getattr(e, "stderr", "") or e))
        ours = (os.path.realpath(include) + os.sep, os.path.realpath(vdir) + os.sep)
        lines, current = [], None
        for line in out.splitlines():
            m = re.match(r'^#\s*(?:line\s+)?\d+\s+"([^"]*)"', line)
            if m:
                path = m.group(1)
                current = None
                if not path.startswith("<"):
                    real = os.path.realpath(path)
                    for base in ours:
                        if real.startswith(base):
                            current = os.path.relpath(real, base)
                continue
            if current is not None and line.strip():
                lines.append((current, line))
        return lines
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------- parsing

def tokenize(text):
    toks, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise GenError("cannot read the declarations near: %r" % text[pos:pos + 40])
        toks.append(m.group(m.lastindex))
        pos = m.end()
    return toks


def split_top(toks, sep, depth0=0):
    """Split tokens on `sep` at bracket depth depth0."""
    parts, cur, depth = [], [], 0
    for t in toks:
        if t in "({[":
            depth += 1
        elif t in ")}]":
            depth -= 1
        if t == sep and depth == depth0:
            parts.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        parts.append(cur)
    return parts


KEYWORDS = {"typedef", "struct", "enum", "union", "const", "volatile", "unsigned", "signed",
            "int", "char", "short", "long", "void", "float", "double", "_Bool"}


def is_word(t):
    return t[0].isalnum() or t[0] == "_"


def join(toks):
    """Canonical spacing for a token list."""
    out = ""
    prev = before = None
    for t in toks:
        unary = prev in ("-", "+") and (before is None or not (is_word(before) or before in ")]"))
        if prev is None:
            sp = ""
        elif t in (",", ";", ")", "]") or prev in ("(", "[", "*", "~", "!") or unary:
            sp = ""
        elif t == "(":
            sp = "" if (is_word(prev) and prev not in KEYWORDS) or prev == ")" else " "
        elif t == "[":
            sp = ""
        else:
            sp = " "
        out += sp + t
        before, prev = prev, t
    return out


def declarator_name(toks):
    """The declared identifier of one declarator ("char head_hash[65]", "int (*fn)(int)")."""
    for i in range(len(toks) - 2):
        if toks[i] == "(" and toks[i + 1] == "*" and is_word(toks[i + 2]):
            return toks[i + 2]
    depth, name = 0, None
    for t in toks:
        if t in "([":
            depth += 1
        elif t in ")]":
            depth -= 1
        elif depth == 0 and is_word(t) and t not in KEYWORDS:
            name = t
    if name is None:
        raise GenError("no name in declarator: %s" % join(toks))
    return name


class Struct:
    def __init__(self, tag, members, body, file):
        self.tag, self.members, self.body, self.file = tag, members, body, file


class Enum:
    def __init__(self, tag, typedef, body, file):
        self.tag, self.typedef, self.body, self.file = tag, typedef, body, file
        self.values = enum_values(body)


def parse(lines):
    """Split the preprocessed lines into typedefs, prototypes, structs, enums and macros."""
    macros, code = [], []
    for file, line in lines:
        s = line.strip()
        if s.startswith("#"):
            m = re.match(r"#\s*define\s+([A-Za-z_][A-Za-z_0-9]*)(\(?)\s*(.*)$", s)
            if m and not m.group(2):
                macros.append((m.group(1), m.group(3).strip(), file))
            continue
        code.append((file, s))
    # tokens with the file each came from
    toks = []
    for file, s in code:
        toks.extend((t, file) for t in tokenize(s))
    decls, cur, depth = [], [], 0
    for t, file in toks:
        cur.append((t, file))
        if t in "({[":
            depth += 1
        elif t in ")}]":
            depth -= 1
        elif t == ";" and depth == 0:
            decls.append(cur)
            cur = []
    if cur:
        raise GenError("declarations end without ';': %s" % join([t for t, _ in cur]))

    typedefs, prototypes, definitions, structs, enums, forward_tags = [], [], [], [], [], []
    typedef_tags = set()
    for d in decls:
        file = d[0][1]
        t = [x for x, _ in d][:-1]  # without ';'
        if t[0] == "typedef" and t[1] in ("struct", "enum") and "{" in t:
            kind, tag = t[1], t[2]
            if tag == "{":
                raise GenError("anonymous %s in a typedef (%s): give it a tag" % (kind, join(t)))
            close = len(t) - 1 - t[::-1].index("}")
            body, name = t[t.index("{") + 1:close], t[close + 1:]
            if len(name) != 1:
                raise GenError("one typedef name expected after %s %s" % (kind, tag))
            if kind == "struct":
                if name[0] != tag:
                    raise GenError("struct %s: its typedef must have the same name" % tag)
                typedefs.append((file, ["typedef", "struct", tag, tag], tag))
                typedef_tags.add(tag)
                structs.append(Struct(tag, struct_members(body), body, file))
                definitions.append(("struct", structs[-1]))
            else:
                enums.append(Enum(tag, name[0], body, file))
                definitions.append(("enum", enums[-1]))
        elif t[0] == "typedef":
            name = declarator_name(t[1:])
            if t[1] == "struct" and len(t) == 4 and t[3] == t[2]:
                typedef_tags.add(t[2])
            typedefs.append((file, t, name))
        elif t[0] in ("struct", "enum") and len(t) == 2:
            forward_tags.append((t[1], file))
        elif t[0] in ("struct", "enum") and "{" in t:
            raise GenError("%s %s is defined without a typedef" % (t[0], t[1]))
        elif "(" in t:
            prototypes.append((file, t, declarator_name(t[:t.index("(")])))
        else:
            raise GenError("unexpected declaration: %s" % join(t))
    for tag, file in forward_tags:
        if tag not in typedef_tags:
            raise GenError("%s: 'struct %s;' has no typedef (add 'typedef struct %s %s;')"
                           % (file, tag, tag, tag))
    # enums are only defined in section 3: nothing before may use their typedef names
    enum_names = {e.typedef for e in enums} | {e.tag for e in enums}
    for file, t, name in typedefs + prototypes:
        used = enum_names.intersection(t[1:] if t[0] == "typedef" else t)
        if used:
            raise GenError("%s uses the enum type %s: declare it as int (the ABI is int)"
                           % (name, ", ".join(sorted(used))))
    for s in structs:
        used = enum_names.intersection(s.body)
        if used:
            raise GenError("struct %s uses the enum type %s: use int" % (s.tag, ", ".join(used)))
    return typedefs, prototypes, definitions, structs, enums, macros


def struct_members(body):
    members = []
    for decl in split_top(body, ";"):
        if not decl:
            continue
        parts = split_top(decl, ",")
        first = parts[0]
        members.append(declarator_name(first))
        for p in parts[1:]:
            members.append(declarator_name(p))
    return members


def enum_values(body):
    return [part[0] for part in split_top(body, ",") if part]


# ---------------------------------------------------------------- writing

HEADER = """\
/* bindings/python/cpw/_cdef.h: the declarations cffi reads (ABI mode) to call libcpw.
 * GENERATED by tests/tools/gen_cdef.py from include/cpw.h and the headers it includes, with
 * CPW_CDEF defined: do not edit; regenerate with `python3 tests/tools/gen_cdef.py`.
 * CI checks it is up to date (ctest python.cdef_check) and that it agrees with <cpw.h>
 * (ctest abi.cdef). Sections: typedefs, functions, struct and enum definitions, constants.
 */
"""


def format_struct(s):
    lines = ["struct %s {" % s.tag]
    for decl in split_top(s.body, ";"):
        if decl:
            lines.append("  %s;" % join(decl))
    lines.append("};")
    return "\n".join(lines)


def render_cdef(typedefs, prototypes, definitions, macros):
    out = [HEADER]

    def grouped(items, fmt):
        last = None
        for file, item in items:
            if file != last:
                out.append("\n/* %s */" % file)
                last = file
            out.append(fmt(item))

    out.append("\n/* ---------------------------------------------------------- typedefs */")
    grouped([(f, t) for f, t, _ in typedefs], lambda t: join(t) + ";")
    out.append("\n/* ---------------------------------------------------------- functions */")
    grouped([(f, t) for f, t, _ in prototypes], lambda t: join(t) + ";")
    out.append("\n/* ---------------------------------------------------------- structs and enums */")

    def fmt_def(item):
        kind, obj = item
        if kind == "struct":
            return format_struct(obj)
        body = obj.body
        lines = ["typedef enum %s {" % obj.tag]
        parts = [join(p) for p in split_top(body, ",") if p]
        for i, p in enumerate(parts):
            lines.append("  %s%s" % (p, "," if i + 1 < len(parts) else ""))
        lines.append("} %s;" % obj.typedef)
        return "\n".join(lines)

    grouped([(obj.file, (kind, obj)) for kind, obj in definitions], fmt_def)
    out.append("\n/* ---------------------------------------------------------- constants */")
    grouped([(f, (n, v)) for n, v, f in macros], lambda nv: "#define %s %s" % nv)
    return "\n".join(out) + "\n"


def integer_macros(macros):
    """Object-like macros whose value is an integer literal, normalized for cffi."""
    keep = []
    for name, value, file in macros:
        m = INT_LITERAL.match(value)
        if m and name.startswith("CPW_"):
            keep.append((name, m.group(1).replace(" ", ""), file))
    return keep


CHECK_HEADER = """\
/* tests/abi/cdef_check.h: GENERATED by tests/tools/gen_cdef.py with _cdef.h; do not edit.
 * Included twice by tests/abi/test_cdef.c:
 *   with CPW_CDEF_CHECK_BEFORE, at file scope after <cpw.h>: keeps the real typedefs and the
 *   real values of the enumerators and constants under other names, then #undef's the
 *   constants so that _cdef.h can define them again;
 *   then, inside the function body that included _cdef.h: asserts that every typedef names
 *   the same type, every struct has the same size and every member the same offset and type,
 *   and every enumerator and constant the same value.
 */
"""


def render_check(typedefs, structs, enums, macros):
    out = [CHECK_HEADER, "#if defined(CPW_CDEF_CHECK_BEFORE)"]
    for _, _, name in typedefs:
        out.append("typedef %s cdef_real_%s;" % (name, name))
    for e in enums:
        out.append("typedef %s cdef_real_%s;" % (e.typedef, e.typedef))
    values = [v for e in enums for v in e.values]
    out.append("enum {")
    for v in values:
        out.append("  cdef_real_%s = %s," % (v, v))
    out.append("  cdef_real_enumerators_end = 0\n};")
    out.append("enum {")
    for name, _, _ in macros:
        out.append("  cdef_real_%s = (%s)," % (name, name))
    out.append("  cdef_real_constants_end = 0\n};")
    for name, _, _ in macros:
        out.append("#undef %s" % name)
    out.append("#else")
    out.append("#define CDEF_SAME_TYPE(a, b) _Generic((a *)0, b *: 1, default: 0)")
    out.append("#define CDEF_SAME_MEMBER(s, m) \\\n  _Generic(&((struct s *)0)->m, "
               "__typeof__(&((s *)0)->m): 1, default: 0)")
    for _, _, name in typedefs:
        out.append('_Static_assert(CDEF_SAME_TYPE(%s, cdef_real_%s), "typedef %s differs");'
                   % (name, name, name))
    for e in enums:
        out.append('_Static_assert(sizeof(%s) == sizeof(cdef_real_%s), "enum %s size");'
                   % (e.typedef, e.typedef, e.typedef))
    for s in structs:
        out.append('_Static_assert(sizeof(struct %s) == sizeof(%s), "struct %s: size differs");'
                   % (s.tag, s.tag, s.tag))
        for m in s.members:
            out.append('_Static_assert(offsetof(struct %s, %s) == offsetof(%s, %s), '
                       '"%s.%s: offset differs");' % (s.tag, m, s.tag, m, s.tag, m))
            out.append('_Static_assert(CDEF_SAME_MEMBER(%s, %s), "%s.%s: type differs");'
                       % (s.tag, m, s.tag, m))
    for v in values:
        out.append('_Static_assert((long long)%s == (long long)cdef_real_%s, "%s differs");'
                   % (v, v, v))
    for name, _, _ in macros:
        out.append('_Static_assert((long long)(%s) == (long long)cdef_real_%s, "%s differs");'
                   % (name, name, name))
    out.append("#undef CDEF_SAME_TYPE\n#undef CDEF_SAME_MEMBER")
    out.append("#endif")
    return "\n".join(out) + "\n"


def generate(cc, build_include):
    lines = preprocess(cc, build_include)
    typedefs, prototypes, definitions, structs, enums, macros = parse(lines)
    macros = integer_macros(macros)
    cdef = render_cdef(typedefs, prototypes, definitions, macros)
    check = render_check(typedefs, structs, enums, macros)
    validate_with_cffi(cdef)
    return {CDEF: cdef, CHECK_H: check}


def validate_with_cffi(cdef):
    """Let cffi parse the result when it is installed (it is what will read it)."""
    try:
        import cffi
    except ImportError:
        return
    try:
        cffi.FFI().cdef(cdef)
    except Exception as e:  # cffi.CDefError and pycparser's errors
        raise GenError("cffi cannot parse the generated header: %s" % e)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="compare with the committed files; exit 1 with a diff if they differ")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"),
                    help="the C compiler used as preprocessor (default: $CC or cc)")
    ap.add_argument("--build-include", default=None,
                    help="a build's include directory with cpw/version.h (default: rendered "
                         "from cmake/version.h.in and CMakeLists.txt's version)")
    args = ap.parse_args(argv)
    try:
        files = generate(args.cc, args.build_include)
    except GenError as e:
        print("gen_cdef.py: %s" % e, file=sys.stderr)
        return 2
    status = 0
    for path, text in files.items():
        rel = os.path.relpath(path, ROOT)
        try:
            with open(path, encoding="utf-8") as f:
                old = f.read()
        except FileNotFoundError:
            old = None
        if args.check:
            if old != text:
                status = 1
                print("gen_cdef.py: %s is out of date; regenerate it with "
                      "`python3 tests/tools/gen_cdef.py`" % rel, file=sys.stderr)
                sys.stdout.writelines(difflib.unified_diff(
                    (old or "").splitlines(True), text.splitlines(True),
                    "a/" + rel, "b/" + rel))
        elif old != text:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            print("wrote %s" % rel)
    if args.check and status == 0:
        print("gen_cdef.py: %s are up to date" % ", ".join(
            os.path.relpath(p, ROOT) for p in files))
    return status


if __name__ == "__main__":
    sys.exit(main())
