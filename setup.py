"""Build script: compiles the Cython kernel, or installs the pure-Python package.

Environment switches (read at build time):

* ``FASTPRIME_NO_EXTENSIONS=1``: do not compile; install the pure-Python package.
* ``FASTPRIME_REQUIRE_EXTENSION=1`` (implied by ``CIBUILDWHEEL=1``): a failed compile
  fails the build.  Otherwise a failed compile installs the pure-Python package with a
  loud warning, so ``pip install`` works on a machine without a C compiler.
"""

import os
import sys

from setuptools import Extension, setup
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
        sys.stderr.write(_WARNING.format(error=f"{type(exc).__name__}: {exc}"))


def _extensions():
    if NO_EXTENSIONS:
        return []
    if os.name == "nt":
        compile_args = ["/O2"]
    else:
        compile_args = ["-O3", "-fno-strict-aliasing"]
    ext = Extension(
        "fastprime._cfastprime",
        sources=["src/fastprime/_cfastprime.pyx"],
        depends=["src/fastprime/_kernel.h", "src/fastprime/_wordops.h", "src/fastprime/_pylong.h", "src/fastprime/_lines.h"],
        include_dirs=["src/fastprime"],
        extra_compile_args=compile_args,
    )
    try:
        from Cython.Build import cythonize
    except ImportError as exc:
        if REQUIRE_EXTENSION:
            raise
        sys.stderr.write(_WARNING.format(error=f"Cython is not installed ({exc})"))
        return []
    try:
        return cythonize(
            [ext],
            compiler_directives={"language_level": 3},
            quiet=True,
        )
    except Exception as exc:  # noqa: BLE001 - a Cython compile error
        if REQUIRE_EXTENSION:
            raise
        sys.stderr.write(_WARNING.format(error=f"{type(exc).__name__}: {exc}"))
        return []


setup(ext_modules=_extensions(), cmdclass={"build_ext": optional_build_ext})
