#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""ctest python.pytest: run the Python bindings' tests against a built libcpw.so.1.

    python3 tests/tools/run_pytest.py path/to/libcpw.so.1 [pytest arguments...]

Sets CPW_LIBRARY to the library and runs `python3 -m pytest -q bindings/python/tests`. Exits
77 (ctest: skipped) with a message when cffi or pytest is not installed (Debian:
python3-cffi python3-pytest; `sh tests/run.sh deps` installs them).
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIP = 77


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    missing = []
    for mod, pkg in (("cffi", "python3-cffi"), ("pytest", "python3-pytest")):
        try:
            __import__(mod)
        except ImportError:
            missing.append(pkg)
    if missing:
        print("python.pytest skipped: %s cannot import %s (install the Debian packages %s)"
              % (sys.executable, ", ".join(m.split("-", 1)[1] for m in missing),
                 " ".join(missing)))
        return SKIP
    env = dict(os.environ)
    env["CPW_LIBRARY"] = os.path.abspath(sys.argv[1])
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
           os.path.join(ROOT, "bindings", "python", "tests")] + sys.argv[2:]
    return subprocess.call(cmd, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
