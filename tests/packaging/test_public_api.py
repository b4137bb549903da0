"""The public names: listed, documented, with real signatures (issue 12, item 6).

On a85fbb6 ``dir(fastprime)`` left out the lazily imported names, ``help(fastprime)``
showed a module-level ``__getattr__``, and ``inspect.signature`` failed on the compiled
functions.
"""

from __future__ import annotations

import inspect
import pydoc
import subprocess
import sys

import pytest

import fastprime
from fastprime import fallback

CALLABLES = [name for name in fastprime.__all__ if name not in ("__version__", "implementation")]


def test_dir_lists_every_public_name():
    assert set(fastprime.__all__) <= set(dir(fastprime))


def test_help_documents_the_lazy_names_and_hides_the_machinery():
    text = pydoc.render_doc(fastprime, renderer=pydoc.plaintext)
    assert "__getattr__" not in text
    for name in CALLABLES:
        assert name in text


@pytest.mark.parametrize("name", CALLABLES)
def test_every_public_callable_has_a_signature_and_a_docstring(name):
    obj = getattr(fastprime, name)
    inspect.signature(obj)  # raised ValueError for the compiled functions
    assert obj.__doc__ and len(obj.__doc__) > 40


def _shape(function):
    # Names, kinds and defaults: a compiled function's text signature carries no
    # annotations (inspect drops them), and those are for type checkers (the .pyi).
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("name", ["is_prime", "next_prime", "prev_prime"])
def test_compiled_and_pure_signatures_agree(name):
    assert _shape(getattr(fastprime, name)) == _shape(getattr(fallback, name))


def test_import_stays_lazy():
    # `import fastprime` imports neither numpy, the executor, nor dask.
    code = "import sys, fastprime; print(sorted(m for m in ('numpy', 'dask', 'distributed', 'fastprime.executor') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
