# SPDX-License-Identifier: Apache-2.0
"""Loading libcpw in cffi ABI mode.

The declarations come from ``_cdef.h`` (generated from the C headers and committed); the
library is found, in this order:

1. ``libcpw.so.1`` next to this file (copied into the package when it was built with the
   environment variable ``CPW_BUNDLE_LIBRARY`` pointing at a built library);
2. the ``CPW_LIBRARY`` environment variable: the path of ``libcpw.so.1`` (or of a directory
   holding it);
3. the system's dynamic loader (``libcpw.so.1`` installed in a standard place, or found
   through ``LD_LIBRARY_PATH``).

No compiler is needed: the same package runs against any 1.x library.
"""
from __future__ import annotations

import os

import cffi

__all__ = ["ffi", "lib", "LIBRARY_PATH", "HEADER_VERSION"]

SONAME = "libcpw.so.1"
_HERE = os.path.dirname(os.path.abspath(__file__))


def _read_cdef() -> str:
    with open(os.path.join(_HERE, "_cdef.h"), encoding="utf-8") as f:
        return f.read()


ffi = cffi.FFI()
ffi.cdef(_read_cdef())


def _candidates():
    yield "bundled with the package", os.path.join(_HERE, SONAME), True
    env = os.environ.get("CPW_LIBRARY")
    if env:
        path = os.path.join(env, SONAME) if os.path.isdir(env) else env
        yield "CPW_LIBRARY", path, True
    else:
        yield "CPW_LIBRARY", None, False
    yield "system loader", SONAME, False


def _load():
    tried = []
    for how, path, is_file in _candidates():
        if path is None:
            tried.append("%s: not set" % how)
            continue
        if is_file and not os.path.exists(path):
            tried.append("%s: %s does not exist" % (how, path))
            continue
        try:
            # RTLD_NODELETE: never unmapped, so a C object freed late in interpreter
            # shutdown never calls into an unloaded library
            return ffi.dlopen(path, ffi.RTLD_NOW | ffi.RTLD_LOCAL | ffi.RTLD_NODELETE), path
        except OSError as e:
            tried.append("%s: %s: %s" % (how, path, e))
    raise ImportError(
        "cpw: cannot load the C library %s. Tried:\n  %s\n"
        "Build libcpw (cmake) and set CPW_LIBRARY to the path of its libcpw.so.1, install it "
        "(cmake --install), or build this package with CPW_BUNDLE_LIBRARY=/path/to/libcpw.so.1."
        % (SONAME, "\n  ".join(tried)))


lib, LIBRARY_PATH = _load()

#: The version of the headers _cdef.h was generated from (major, minor, patch).
HEADER_VERSION = (lib.CPW_VERSION_MAJOR, lib.CPW_VERSION_MINOR, lib.CPW_VERSION_PATCH)


def _check_version():
    major, minor, patch = ffi.new("int *"), ffi.new("int *"), ffi.new("int *")
    lib.cpw_version(major, minor, patch)
    if major[0] != HEADER_VERSION[0]:
        raise ImportError(
            "cpw: %s is libcpw %d.%d.%d; these bindings need libcpw %d.x"
            % (LIBRARY_PATH, major[0], minor[0], patch[0], HEADER_VERSION[0]))
    return major[0], minor[0], patch[0]


LIBRARY_VERSION = _check_version()
