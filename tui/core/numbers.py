"""The one number path: every figure dealmon reads, computes or prints is an exact `Decimal`
(or an int) handled in one fixed context.

The grammar (`values`) refuses what could not be printed: an amount or number of 10^30 or
more (after `K`/`M`/`B`/`T`), more than `MAX_DIGITS` significant digits, an exponent beyond
±30. Within those bounds every sum, product, ratio and rounding of the evaluation and the
formatting fits `CONTEXT`'s 80 digits exactly (the largest: a sum over a million deals of
amounts under 10^30 × 365, quantized to 0.001), and `CONTEXT` traps nothing, so no accepted
value can raise (`decimal.InvalidOperation` from Python's default 28 digits was the crash).
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

LIMIT = Decimal(10) ** 30  # an amount or number at or over this is an error (SPEC §1)
MAX_EXPONENT = 30  # |adjusted exponent| of a written number, at most
MAX_DIGITS = 24  # significant digits of a written number, at most
CONTEXT = Context(prec=80, rounding=ROUND_HALF_EVEN, Emin=-999_999, Emax=999_999, traps=[])


def exact(work: Callable[P, R]) -> Callable[P, R]:
    """Decorator: run `work` in `CONTEXT` (whatever the calling thread's context is)."""
    @wraps(work)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with localcontext(CONTEXT):
            return work(*args, **kwargs)
    return run
