# SPDX-License-Identifier: Apache-2.0
"""The PEP 517 build backend of the cpw package: setuptools, with a fallback.

setuptools builds the wheel when it can. setuptools before 70.1 needs the separate `wheel`
package to do so, and with --no-build-isolation pip does not install it: then this module
builds the (pure Python) wheel itself with zipfile. Either way the wheel holds the cpw
package and, when the environment variable CPW_BUNDLE_LIBRARY names a built libcpw.so.1,
a copy of it (cpw/libcpw.so.1; the wheel is then tagged for this platform).
"""
import base64
import hashlib
import os
import re
import sysconfig
import zipfile

from setuptools import build_meta as _setuptools

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAME = "cpw"


def version():
    """The libcpw version _cdef.h was generated from (the package's version)."""
    with open(os.path.join(HERE, "cpw", "_cdef.h"), encoding="utf-8") as f:
        text = f.read()
    return ".".join(re.search(r"#define CPW_VERSION_%s (\d+)" % k, text).group(1)
                    for k in ("MAJOR", "MINOR", "PATCH"))


def bundle_path():
    """The library CPW_BUNDLE_LIBRARY names (an absolute path), or None when it is not set.

    pip runs this backend in the package's folder, not where the command was typed, so a
    relative path is looked up where the user's shell was (its $PWD), then from the
    repository's root (the README's commands run there), then from the package's folder.
    SystemExit names every place tried when the file is in none of them."""
    given = os.environ.get("CPW_BUNDLE_LIBRARY")
    if not given:
        return None
    given = os.path.expanduser(given)
    if os.path.isabs(given):
        bases = [""]
    else:
        bases = [os.environ.get("PWD") or "", os.path.dirname(os.path.dirname(HERE)), HERE,
                 os.getcwd()]
    tried = []
    for base in bases:
        path = os.path.abspath(os.path.join(base, given)) if base else given
        if path in tried:
            continue
        if os.path.isfile(path):
            return path
        tried.append(path)
    raise SystemExit("CPW_BUNDLE_LIBRARY=%s: no such file (looked for %s)"
                     % (given, ", ".join(tried)))


def _have_wheel():
    try:
        import wheel.bdist_wheel  # noqa: F401 pylint: disable=unused-import
        del wheel
        return True
    except ImportError:
        try:  # setuptools >= 70.1 has its own
            import setuptools.command.bdist_wheel  # noqa: F401
            del setuptools
            return True
        except ImportError:
            return False


get_requires_for_build_sdist = _setuptools.get_requires_for_build_sdist
build_sdist = _setuptools.build_sdist


def get_requires_for_build_wheel(config_settings=None):
    return _setuptools.get_requires_for_build_wheel(config_settings) if _have_wheel() else []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    if _have_wheel():
        return _setuptools.prepare_metadata_for_build_wheel(metadata_directory, config_settings)
    name = "%s-%s.dist-info" % (NAME, version())
    os.makedirs(os.path.join(metadata_directory, name), exist_ok=True)
    for fname, data in _dist_info(_tag()).items():
        with open(os.path.join(metadata_directory, name, fname), "wb") as f:
            f.write(data)
    return name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    if _have_wheel():
        return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
    return simple_wheel(wheel_directory)


# ------------------------------------------------------------------ the fallback

def _tag():
    if os.environ.get("CPW_BUNDLE_LIBRARY"):
        plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
        return "py3-none-" + plat
    return "py3-none-any"


def _metadata():
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    return ("Metadata-Version: 2.1\nName: %s\nVersion: %s\n"
            "Summary: Python bindings of libcpw: child-protection case work (eligibility, "
            "referral cases, placements, journal)\n"
            "License: Apache-2.0\n"
            "Classifier: License :: OSI Approved :: Apache Software License\n"
            "Requires-Python: >=3.8\nRequires-Dist: cffi>=1.12\n"
            "Provides-Extra: test\nRequires-Dist: pytest; extra == \"test\"\n"
            "Description-Content-Type: text/markdown\n\n%s" % (NAME, version(), readme))


def _dist_info(tag):
    with open(os.path.join(HERE, "LICENSE"), "rb") as f:  # the repository's, linked here
        licence = f.read()
    return {
        "METADATA": _metadata().encode("utf-8"),
        "LICENSE": licence,
        "WHEEL": ("Wheel-Version: 1.0\nGenerator: cpw_build_backend\nRoot-Is-Purelib: %s\n"
                  "Tag: %s\n" % ("true" if tag.endswith("any") else "false", tag)).encode(),
        "top_level.txt": b"cpw\n",
    }


def _files():
    pkg = os.path.join(HERE, "cpw")
    for fname in sorted(os.listdir(pkg)):
        if fname.endswith(".py") or fname in ("_cdef.h", "py.typed"):
            yield "cpw/" + fname, os.path.join(pkg, fname)
    bundle = bundle_path()
    if bundle:
        yield "cpw/libcpw.so.1", bundle


def _record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (arcname, digest, len(data))


def simple_wheel(wheel_directory):
    """Write the wheel with zipfile alone; return its file name."""
    tag = _tag()
    ver = version()
    name = "%s-%s-%s.whl" % (NAME, ver, tag)
    dist = "%s-%s.dist-info" % (NAME, ver)
    record = []
    os.makedirs(wheel_directory, exist_ok=True)
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w",
                         zipfile.ZIP_DEFLATED) as z:
        for arcname, path in _files():
            with open(path, "rb") as f:
                data = f.read()
            info = zipfile.ZipInfo(arcname, (2000, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if arcname.endswith(".so.1") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
            record.append(_record_line(arcname, data))
        for fname, data in _dist_info(tag).items():
            arcname = "%s/%s" % (dist, fname)
            z.writestr(zipfile.ZipInfo(arcname, (2000, 1, 1, 0, 0, 0)), data)
            record.append(_record_line(arcname, data))
        record.append("%s/RECORD,," % dist)
        z.writestr(zipfile.ZipInfo("%s/RECORD" % dist, (2000, 1, 1, 0, 0, 0)),
                   "\n".join(record) + "\n")
    return name
