"""What one task of a chunked ``Executor.map`` computes.

A fast-path ``map(fastprime.is_prime, ...)`` cuts its input into chunks; each chunk is
one task, run by these functions in a worker thread or a worker process.  Every
function returns ``(results, error)``: the results of the leading items, and the
exception the first refused item raised (or ``None``), so the result iterator can
yield every result before that item and then raise its error, at its position, as
the standard library's ``map`` raises an exception from ``fn`` where it happened.

They live at module level, taking the implementation by name, so worker processes
can unpickle them.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Callable, List, Optional, Sequence, Tuple

from .._arguments import as_int
from .._env import IMPLEMENTATIONS, implementation_module
from .base import Outcome

__all__ = [
    "KINDS",
    "fast_function",
    "batch_is_prime",
    "apply_each",
    "to_ints",
    "run_task",
]

#: The functions whose ``map`` is chunked: a batch call exists for them.
KINDS = ("is_prime", "next_prime", "prev_prime")

_FAST: Optional[List[Tuple[Callable[..., Any], str, ModuleType]]] = None


def _fast_functions() -> List[Tuple[Callable[..., Any], str, ModuleType]]:
    found = []
    for name in IMPLEMENTATIONS:
        try:
            module = implementation_module(name)
        except ImportError:  # the compiled kernel was not built
            continue
        found.extend((getattr(module, kind), kind, module) for kind in KINDS)
    return found


def fast_function(fn: object) -> Optional[Tuple[str, ModuleType]]:
    """``(kind, implementation module)`` if ``fn`` is one of fastprime's batched functions.

    Args:
        fn: any callable (even an unhashable one: it is compared by identity).

    Returns:
        ``("is_prime" | "next_prime" | "prev_prime", module)`` for either
        implementation's function, else ``None``.
    """
    global _FAST
    if _FAST is None:
        _FAST = _fast_functions()
    for function, kind, module in _FAST:
        if fn is function:
            return kind, module
    return None


def batch_is_prime(
    impl: ModuleType,
    values: Sequence[Any],
    big_out: Optional[List[Tuple[int, int]]] = None,
    start: int = 0,
    stop: Optional[int] = None,
) -> Outcome:
    """``is_prime`` over ``values[start:stop]`` through the kernel's batch call.

    The results are a bytearray of flags (1 = prime), see ``is_prime_flags``;
    ``big_out`` is passed on: ``(position, value)`` pairs of the numbers >= 2**64 are
    appended to it and their flags are left 0, for the caller to test elsewhere.
    """
    try:
        return impl.is_prime_flags(values, start, stop, big_out), None
    except Exception as batch_error:  # noqa: BLE001 - reported at the first refused item
        # The batch refuses as a whole; find the first item the kernel itself refuses
        # so that every result before it still counts.  Rare, so one call per item is fine.
        part = list(values[start:stop])
        if big_out is not None:
            del big_out[:]
        for position, value in enumerate(part):
            try:
                impl.is_prime_flags((value,))
            except Exception as item_error:  # noqa: BLE001 - this item's error, kept for its position
                return impl.is_prime_flags(part, 0, position, big_out), item_error
        # No single item is refused (an __index__ that fails only sometimes?):
        # report the batch's own error at the start of the chunk.
        return bytearray(), batch_error


def apply_each(func: Callable[[Any], Any], values: Sequence[Any]) -> Outcome:
    """``[func(v) for v in values]``, stopping at the first exception."""
    out: List[Any] = []
    append = out.append
    try:
        for value in values:
            append(func(value))
    except Exception as error:  # noqa: BLE001 - raised by the map at this item's position
        return out, error
    return out, None


def to_ints(values: Sequence[Any], func_name: str) -> Tuple[List[int], Optional[BaseException]]:
    """The leading ``values`` as ints, checked as the public functions check them.

    Both implementations validate their argument with ``as_int``, so the error is the
    one ``func_name(value)`` raises (TypeError naming the type).
    """
    ints: List[int] = []
    append = ints.append
    try:
        for value in values:
            append(value if type(value) is int else as_int(value, func_name))
    except Exception as error:  # noqa: BLE001 - raised by the map at this item's position
        return ints, error
    return ints, None


def run_task(impl_name: str, kind: str, values: Sequence[Any]) -> Outcome:
    """One task in a worker process: ``kind`` over ``values`` with the named implementation.

    ``is_prime`` results come back as a bytearray of flags: a byte per number to pickle.
    """
    impl = implementation_module(impl_name)
    if kind == "is_prime":
        return batch_is_prime(impl, values)
    return apply_each(getattr(impl, kind), values)
