"""Build script: compiles the Cython kernel, or installs the pure-Python package.

Environment switches (read at build time):

* ``FASTPRIME_NO_EXTENSIONS=1``: do not compile; install the pure-Python package.
* ``FASTPRIME_REQUIRE_EXTENSION=1`` (implied by ``CIBUILDWHEEL=1``): a failed compile
  fails the build.  Otherwise a failed compile installs the pure-Python package with a
  loud warning, so ``pip install`` works on a machine without a C compiler.
"""

import glob
import os
import sys

from setuptools import Extension, setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_ext import build_ext


def _flag(name):
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


NO_EXTENSIONS = _flag("FASTPRIME_NO_EXTENSIONS")
REQUIRE_EXTENSION = _flag("FASTPRIME_REQUIRE_EXTENSION") or _flag("CIBUILDWHEEL")

_WARNING = """
**********************************************************************
* fastprime: the compiled kernel could not be built:                 *
*   {error}
* Installing the pure-Python implementation instead; it gives the     *
* same answers, much more slowly.  Set FASTPRIME_REQUIRE_EXTENSION=1  *
* to make this an error.                                              *
**********************************************************************
"""


class optional_build_ext(build_ext):
    """Fall back to pure Python when compiling fails, unless the extension is required.

    ``Extension(optional=True)`` would do this, but ``cythonize()`` returns new
    Extension objects without it, and a missing Cython must be handled too.
    """

    def run(self):
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any compiler failure
            self._fail(exc)

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)

    def _fail(self, exc):
        if REQUIRE_EXTENSION:
            raise
        _fell_back(f"{type(exc).__name__}: {exc}")


# Set when the compiled kernel could not be built and the package is pure Python.
_FELL_BACK = []

# The wheel's build tag when it holds no compiled kernel: pip prints the wheel's name
# in its normal output ("Created wheel for pyfastprime: filename=pyfastprime-0.1.0-
# 0_pure_python-py3-none-any.whl"), where nothing else of the build shows.  A build tag
# must start with a digit.
FALLBACK_BUILD_TAG = "0_pure_python"


def _fell_back(error):
    """Say that the package will be pure Python: on stderr, which pip shows only with -v
    (PEP 517 has no channel for a backend's warnings; pip captures the backend's output
    and prints it only when the build fails), and on the terminal, when there is one,
    since that is what a user of a plain ``pip install`` sees.  The wheel's name says
    it too (FALLBACK_BUILD_TAG)."""
    message = _WARNING.format(error=error)
    _FELL_BACK.append(error)
    sys.stderr.write(message)
    if os.name == "posix":
        try:
            with open("/dev/tty", "w") as tty:  # no terminal (CI, a service): nothing
                tty.write(message)
        except OSError:
            pass


class bdist_wheel_marking_fallback(bdist_wheel):
    """A wheel without the compiled kernel is named for it: ``py3-none-any`` (it holds
    no platform code) with the build tag FALLBACK_BUILD_TAG."""

    def get_tag(self):
        # Called after the build, before the wheel's name is made.
        if _FELL_BACK:
            self.root_is_pure = True
            self.build_number = FALLBACK_BUILD_TAG
        return super().get_tag()


# The C sources: every header in csrc/ (one glob, so a new header needs no edit here),
# and one extension per .pyx in the package (so a new .pyx needs none either).  The
# headers are compiled into the extensions; the wheel does not ship them.
PACKAGE = "src/fastprime"
CSRC = f"{PACKAGE}/csrc"
HEADERS = sorted(glob.glob(f"{CSRC}/*.h"))
PYX = sorted(glob.glob(f"{PACKAGE}/*.pyx"))


def _extensions():
    if NO_EXTENSIONS:
        return []
    if os.name == "nt":
        compile_args = ["/O2"]
    else:
        compile_args = ["-O3", "-fno-strict-aliasing"]
    exts = [
        Extension(
            "fastprime." + os.path.splitext(os.path.basename(pyx))[0],
            sources=[pyx],
            depends=HEADERS + glob.glob(f"{PACKAGE}/*.pxd"),
            include_dirs=[CSRC],
            extra_compile_args=compile_args,
        )
        for pyx in PYX
    ]
    try:
        from Cython.Build import cythonize
    except ImportError as exc:
        if REQUIRE_EXTENSION:
            raise
        _fell_back(f"Cython is not installed ({exc})")
        return []
    try:
        return cythonize(
            exts,
            compiler_directives={"language_level": 3},
            quiet=True,
        )
    except Exception as exc:  # noqa: BLE001 - a Cython compile error
        if REQUIRE_EXTENSION:
            raise
        _fell_back(f"{type(exc).__name__}: {exc}")
        return []


setup(
    ext_modules=_extensions(),
    cmdclass={"build_ext": optional_build_ext, "bdist_wheel": bdist_wheel_marking_fallback},
)
