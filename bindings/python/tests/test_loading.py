# SPDX-License-Identifier: Apache-2.0
"""Finding the library (bundled, CPW_LIBRARY, system loader), the generated header, and
installing the package with pip."""
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

import cpw

PKG_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(PKG_ROOT))
PROBE = "import cpw; print(cpw.LIBRARY_PATH); print(cpw.__version__)"


def python(code, env_update, cwd, path):
    env = {k: v for k, v in os.environ.items() if k not in ("CPW_LIBRARY", "LD_LIBRARY_PATH")}
    env.update(env_update)
    env["PYTHONPATH"] = path
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def package_copy(tmp_path):
    """The package copied alone into a temporary folder (no library next to it)."""
    dest = tmp_path / "site"
    shutil.copytree(os.path.join(PKG_ROOT, "cpw"), str(dest / "cpw"),
                    ignore=shutil.ignore_patterns("__pycache__", "libcpw.so.1"))
    return dest


def test_cpw_library_variable(package_copy, library):
    r = python(PROBE, {"CPW_LIBRARY": library}, str(package_copy), str(package_copy))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[0] == library and r.stdout.split()[1] == cpw.__version__
    # a directory holding libcpw.so.1 works too
    r = python(PROBE, {"CPW_LIBRARY": os.path.dirname(library)}, str(package_copy),
               str(package_copy))
    assert r.returncode == 0, r.stderr


def test_bundled_library_comes_first(package_copy, library):
    shutil.copy(library, str(package_copy / "cpw" / "libcpw.so.1"))
    r = python(PROBE, {"CPW_LIBRARY": "/nonexistent/libcpw.so.1"}, str(package_copy),
               str(package_copy))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[0] == str(package_copy / "cpw" / "libcpw.so.1")


def test_clear_import_error(package_copy):
    r = python(PROBE, {"CPW_LIBRARY": "/nonexistent/libcpw.so.1"}, str(package_copy),
               str(package_copy))
    if r.returncode == 0:
        pytest.skip("a libcpw.so.1 is installed where the system loader finds it")
    assert "ImportError" in r.stderr
    for what in ("bundled with the package", "CPW_LIBRARY: /nonexistent/libcpw.so.1",
                 "system loader", "CPW_BUNDLE_LIBRARY"):
        assert what in r.stderr


def test_wrong_major_version_is_refused(package_copy, library):
    cdef = package_copy / "cpw" / "_cdef.h"
    cdef.write_text(cdef.read_text().replace("#define CPW_VERSION_MAJOR 1",
                                             "#define CPW_VERSION_MAJOR 2"))
    r = python(PROBE, {"CPW_LIBRARY": library}, str(package_copy), str(package_copy))
    assert r.returncode != 0 and "these bindings need libcpw 2.x" in r.stderr


def test_cdef_is_up_to_date():
    gen = os.path.join(REPO, "tests", "tools", "gen_cdef.py")
    cc = os.environ.get("CC", "cc")
    if shutil.which(cc.split()[0]) is None:
        pytest.skip("no C compiler to run the preprocessor")
    r = subprocess.run([sys.executable, gen, "--check", "--cc", cc], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_cdef_declares_what_the_library_exports(library):
    if shutil.which("nm") is None:
        pytest.skip("nm is not installed")
    r = subprocess.run([sys.executable, os.path.join(REPO, "tests", "tools",
                                                     "check_symbols.py"), library],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_fallback_wheel_builder(tmp_path, library, monkeypatch):
    sys.path.insert(0, os.path.join(PKG_ROOT, "_build"))
    try:
        import cpw_build_backend as backend
    finally:
        sys.path.pop(0)
    monkeypatch.delenv("CPW_BUNDLE_LIBRARY", raising=False)
    name = backend.simple_wheel(str(tmp_path))
    assert name == "cpw-%s-py3-none-any.whl" % cpw.__version__
    with zipfile.ZipFile(str(tmp_path / name)) as z:
        names = z.namelist()
        assert "cpw/__init__.py" in names and "cpw/_cdef.h" in names
        assert "cpw/libcpw.so.1" not in names
        dist = "cpw-%s.dist-info/" % cpw.__version__
        assert dist + "RECORD" in names and dist + "WHEEL" in names
        assert b"Requires-Dist: cffi" in z.read(dist + "METADATA")
        assert b"License: Apache-2.0" in z.read(dist + "METADATA")
        assert b"Apache License" in z.read(dist + "LICENSE")
    monkeypatch.setenv("CPW_BUNDLE_LIBRARY", library)
    name = backend.simple_wheel(str(tmp_path / "bundled"))
    assert not name.endswith("-any.whl")
    with zipfile.ZipFile(str(tmp_path / "bundled" / name)) as z:
        assert "cpw/libcpw.so.1" in z.namelist()


def test_pip_install(tmp_path, library):
    """pip install --no-build-isolation ./bindings/python into a virtual environment (with the
    system's site packages, for cffi), with and without a bundled library."""
    venv = tmp_path / "venv"
    r = subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                       capture_output=True, text=True, timeout=300)
    vpy = venv / "bin" / "python"
    if r.returncode != 0 or subprocess.run([str(vpy), "-m", "pip", "--version"],
                                           capture_output=True).returncode != 0:
        pytest.skip("no venv with pip here (Debian: python3-venv)")
    src = tmp_path / "src"  # a copy: pip builds in place with --no-build-isolation
    shutil.copytree(PKG_ROOT, str(src), ignore=shutil.ignore_patterns(
        "__pycache__", "build", "*.egg-info", "libcpw.so.1"))

    def install(bundle, cwd=None):
        env = {k: v for k, v in os.environ.items() if k != "CPW_BUNDLE_LIBRARY"}
        if bundle:
            env["CPW_BUNDLE_LIBRARY"] = bundle
        env["PWD"] = str(cwd or tmp_path)  # what a shell that cd'ed there exports
        r = subprocess.run([str(vpy), "-m", "pip", "install", "--no-build-isolation",
                            "--no-index", "--force-reinstall", "--no-deps", str(src)],
                           env=env, cwd=str(cwd or tmp_path), capture_output=True, text=True,
                           timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr

    # the README's command: a path relative to where pip is run (not to the package)
    lib_dir = tmp_path / "build"
    lib_dir.mkdir()
    shutil.copyfile(library, str(lib_dir / "libcpw.so.1"))
    install(bundle=os.path.join("build", "libcpw.so.1"))
    r = subprocess.run([str(vpy), "-c", PROBE], cwd=str(tmp_path), capture_output=True,
                       text=True, env={k: v for k, v in os.environ.items()
                                       if k not in ("CPW_LIBRARY", "PYTHONPATH")})
    assert r.returncode == 0, r.stderr
    assert "site-packages/cpw/libcpw.so.1" in r.stdout
    r = subprocess.run([str(vpy), "-c", "import importlib.metadata as m; "
                        "print(m.metadata('cpw')['License'])"], capture_output=True, text=True)
    assert r.stdout.strip() == "Apache-2.0", r.stdout + r.stderr

    install(bundle=library)
    r = subprocess.run([str(vpy), "-c", PROBE], cwd=str(tmp_path), capture_output=True,
                       text=True, env={k: v for k, v in os.environ.items()
                                       if k not in ("CPW_LIBRARY", "PYTHONPATH")})
    assert r.returncode == 0, r.stderr
    assert "site-packages/cpw/libcpw.so.1" in r.stdout
    install(bundle=False)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["CPW_LIBRARY"] = library
    r = subprocess.run([str(vpy), "-c", PROBE], cwd=str(tmp_path), capture_output=True,
                       text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[0] == library
