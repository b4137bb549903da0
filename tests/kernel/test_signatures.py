"""Every public function has a signature (issue 12, item 6), the same in both twins.

a85fbb6: ``inspect.signature`` raised ``ValueError`` on the compiled functions (Cython
functions without ``binding=True`` carry none), and the pure ``is_prime``,
``next_prime`` and ``prev_prime`` took ``n`` by keyword where the compiled ones (and
the stub) do not.  The compiled module now starts each docstring with its signature
(CPython's ``__text_signature__``: free per call, where ``binding=True`` is not).
"""

from __future__ import annotations

import inspect

import pytest

import fastprime
from fastprime import fallback

FUNCTIONS = ["is_prime", "next_prime", "prev_prime", "is_prime_flags", "is_prime_many", "chain_results",
             "is_prime_into"]


def _shape(func) -> list[tuple[str, object, object]]:
    # Names, kinds and defaults; annotations cannot be written in a text signature.
    return [(p.name, p.kind, p.default) for p in inspect.signature(func).parameters.values()]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_signature_is_the_pure_twins(impl, name):
    assert _shape(getattr(impl, name)) == _shape(getattr(fallback, name))


@pytest.mark.parametrize("name", ["is_prime", "next_prime", "prev_prime"])
def test_public_functions_have_signatures(name):
    sig = inspect.signature(getattr(fastprime, name))
    assert [(p.name, p.kind) for p in sig.parameters.values()] == [("n", inspect.Parameter.POSITIONAL_ONLY)]


@pytest.mark.parametrize("name", ["is_prime", "next_prime", "prev_prime"])
def test_n_is_positional_only_in_both(impl, name):
    with pytest.raises(TypeError):
        getattr(impl, name)(n=7)


@pytest.mark.compiled
def test_scan_lines_has_a_signature():
    from fastprime import _cfastprime

    assert str(inspect.signature(_cfastprime.scan_lines)) == "(text, mode, out=None)"


@pytest.mark.compiled
@pytest.mark.parametrize("name", FUNCTIONS)
def test_docstring_still_reads_as_prose(name):
    from fastprime import _cfastprime

    doc = getattr(_cfastprime, name).__doc__
    assert doc and not doc.startswith(name + "("), "the signature line belongs in __text_signature__"
