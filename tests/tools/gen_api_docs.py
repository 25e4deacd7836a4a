#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generate docs/api.md, the API reference, from the comments of the public headers.

    gen_api_docs.py [--check] [--root DIR]

Every declaration marked CPW_API (and every public type) must have a comment: a /** ... */
or /* ... */ block right above it, or the block above a group of declarations that follow
each other without a blank line. --check fails (exit 1) when docs/api.md is out of date or a
declaration has no comment, naming them.
"""
import os
import re
import sys

HEADERS = ["common.h", "errors.h", "context.h", "date.h", "policy.h", "eligibility.h",
           "workflow.h", "placement.h", "journal.h", "experimental.h"]


def clean_comment(text):
    text = re.sub(r"^/\*\*?", "", text.strip())
    text = re.sub(r"\*/$", "", text)
    lines = [re.sub(r"^\s*\* ?", "", l).rstrip() for l in text.splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def parse(path):
    """Items: (kind, text) with kind 'doc' (a comment), 'decl' (declaration), 'section'."""
    src = open(path, encoding="utf-8").read()
    items = []
    i = 0
    n = len(src)
    while i < n:
        if src.startswith("/*", i):
            j = src.index("*/", i) + 2
            if not src.startswith("/* SPDX-License-Identifier:", i):  # not documentation
                items.append(("comment", src[i:j]))
            i = j
            continue
        if src[i] == "\n":
            # a blank line ends a group
            if src.startswith("\n\n", i):
                items.append(("blank", ""))
            i += 1
            continue
        if src[i] == "#":
            j = src.find("\n", i)
            j = n if j < 0 else j
            while src[j - 1] == "\\":
                j = src.find("\n", j + 1)
            items.append(("pp", src[i:j]))
            i = j
            continue
        # a declaration: up to ';' at brace depth 0
        depth = 0
        j = i
        while j < n:
            c = src[j]
            if src.startswith("/*", j):
                j = src.index("*/", j) + 2
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            elif c == ";" and depth == 0:
                j += 1
                break
            j += 1
        text = src[i:j].strip()
        if text:
            items.append(("decl", text))
        i = j
    return items


def is_public(decl):
    return decl.startswith(("CPW_API", "CPW_XP_API", "typedef"))


def main():
    args = sys.argv[1:]
    check = "--check" in args
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if "--root" in args:
        root = args[args.index("--root") + 1]
    out = ["# libcpw API reference", "",
           "Generated from the comments of `include/cpw/*.h` by `tests/tools/gen_api_docs.py`;",
           "do not edit by hand. Conventions for every function: it returns `CPW_OK` (0) or a",
           "negative `cpw_status`, and the context's last error (`cpw_ctx_last_error`) says why;",
           "a pointer returned through `**out` is owned by the caller (free it with the matching",
           "`cpw_*_free`, or `cpw_free` where the comment says so); a pointer returned directly",
           "is borrowed from its parent object.", ""]
    missing = []
    for h in HEADERS:
        path = os.path.join(root, "include", "cpw", h)
        items = parse(path)
        out.append("## `cpw/%s`" % h)
        out.append("")
        first = [t for k, t in items if k == "comment"][:1]
        if first:
            out.append(clean_comment(first[0]).replace("\n", " "))
            out.append("")
        pending = None      # the last comment, still applying to the group that follows
        for k, t in items:
            if k == "comment":
                pending = t
                continue
            if k == "blank":
                pending = None
                continue
            if k == "pp":
                m = re.match(r"#define (CPW_[A-Z0-9_]+)", t)
                if m and pending is not None and not t.endswith("_H"):
                    out.append("```c\n%s\n```" % t)
                continue
            if k == "decl" and is_public(t):
                if pending is None:
                    missing.append("%s: %s" % (h, t.splitlines()[0][:90]))
                    doc = ""
                else:
                    doc = clean_comment(pending)
                out.append("```c\n%s\n```" % re.sub(r"\n\s+", "\n  ", t))
                if doc:
                    out.append(doc)
                out.append("")
                pending = pending  # a comment covers the declarations grouped under it
        out.append("")
    text = "\n".join(out).rstrip() + "\n"
    dest = os.path.join(root, "docs", "api.md")
    if missing:
        sys.stderr.write("declarations without a comment:\n  " + "\n  ".join(missing) + "\n")
    if check:
        current = open(dest, encoding="utf-8").read() if os.path.exists(dest) else ""
        if current != text:
            sys.stderr.write("docs/api.md is out of date: run tests/tools/gen_api_docs.py\n")
            return 1
        return 1 if missing else 0
    with open(dest, "w", encoding="utf-8") as f:
        f.write(text)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
