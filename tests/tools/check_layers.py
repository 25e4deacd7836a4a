#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The floors of lib/ keep apart (ARCHITECTURE.md; issue 17, improvement 2).

  base/                      includes nothing of the floors above it
  policy/ (compile time)     parser, checker, code generator: parse.h, check.h, code.h,
                             builtins.h, *_syntax.h
  policy/ (run time)         the compiled model, the VM, the explainer, the labels and bases
  workflow/ placement/ eligibility/ journal/
                             the engines and the journal: they include the run-time floor,
                             never (directly or through another header) a compile-time header
  policy/                    includes no engine

Each rule is checked on the transitive closure of quoted includes, so a header that pulls the
parser in through another header is caught. Exit 1 with every violation and its include
chain; 0 when the floors hold."""
import argparse
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
COMPILE_TIME = re.compile(r'^policy/(parse|check|code|builtins|lex_|[a-z]+_syntax)\.h$')
ENGINES = ('workflow/', 'placement/', 'eligibility/', 'journal/')


def includes(lib, rel, cache):
    if rel not in cache:
        path = os.path.join(lib, rel)
        try:
            with open(path, encoding='utf-8') as f:
                text = f.read()
        except OSError:
            cache[rel] = []
            return cache[rel]
        found = []
        for name in INCLUDE.findall(text):
            if os.path.exists(os.path.join(lib, name)):
                found.append(name)
            elif os.path.exists(os.path.join(lib, os.path.dirname(rel), name)):
                found.append(os.path.normpath(os.path.join(os.path.dirname(rel), name)))
        cache[rel] = found
    return cache[rel]


def closure(lib, rel, cache):
    """{header: the chain of includes from rel that reaches it}"""
    seen = {}
    todo = [(rel, [rel])]
    while todo:
        cur, chain = todo.pop()
        for inc in includes(lib, cur, cache):
            if inc not in seen:
                seen[inc] = chain + [inc]
                todo.append((inc, chain + [inc]))
    return seen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--root', default=os.path.join(os.path.dirname(__file__), '..', '..'))
    args = ap.parse_args()
    lib = os.path.join(args.root, 'lib')
    cache = {}
    bad = []
    files = []
    for d, _, names in os.walk(lib):
        for n in names:
            if n.endswith(('.c', '.h')):
                files.append(os.path.relpath(os.path.join(d, n), lib).replace(os.sep, '/'))
    for rel in sorted(files):
        reach = closure(lib, rel, cache)
        for inc, chain in sorted(reach.items()):
            why = None
            if rel.startswith('base/') and not inc.startswith('base/'):
                why = 'base/ includes a floor above it'
            elif rel.startswith(ENGINES) and COMPILE_TIME.match(inc):
                why = 'an engine reaches a compile-time header'
            elif rel.startswith('policy/') and inc.startswith(ENGINES):
                why = 'the policy floor includes an engine'
            if why:
                bad.append('%s: %s: %s' % (rel, why, ' -> '.join(chain)))
    for b in bad:
        print(b)
    if bad:
        print('check_layers: %d violation(s)' % len(bad))
        return 1
    print('check_layers: %d files, the floors hold' % len(files))
    return 0


if __name__ == '__main__':
    sys.exit(main())
