# SPDX-License-Identifier: Apache-2.0
"""Build hooks of the cpw package (the metadata is in pyproject.toml).

* The version is the libcpw version _cdef.h was generated from.
* When the environment variable CPW_BUNDLE_LIBRARY names a built libcpw.so.1, it is copied
  into the package (cpw/libcpw.so.1), which then loads it before anything else; the wheel is
  then platform-specific. Without it the package is pure Python and finds the library
  through CPW_LIBRARY or the system loader at import time.

    CPW_BUNDLE_LIBRARY=build/libcpw.so.1 pip install --no-build-isolation ./bindings/python
"""
import os
import shutil
import sys

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "_build"))
from cpw_build_backend import bundle_path, version  # noqa: E402

BUNDLE = bundle_path()  # absolute; a relative CPW_BUNDLE_LIBRARY is found from the shell's $PWD


class BuildPy(build_py):
    def run(self):
        super().run()
        target = os.path.join(self.build_lib, "cpw", "libcpw.so.1")
        if not BUNDLE and os.path.exists(target):  # left by an earlier bundled build
            os.remove(target)
        if BUNDLE:
            self.announce("bundling %s as %s" % (BUNDLE, target), level=2)
            shutil.copyfile(BUNDLE, target)


class BinaryDistribution(Distribution):
    def has_ext_modules(self):  # a bundled library makes the wheel platform-specific
        return bool(BUNDLE)


setup(version=version(), cmdclass={"build_py": BuildPy}, distclass=BinaryDistribution)
