"""A work and time budget for evaluating queries, so no search runs on unbounded.

The evaluator counts *steps* (roughly: one big-integer operation over a document's positions, one
span of a term, one document) into the active `Budget`; every `check_every` steps the budget looks
at its clock and its cancel flag and raises `BudgetExceeded` (a `monitio.errors.TooCostly`) when
the deadline has passed, `max_steps` is spent or someone called `cancel()`.

Callers pass a budget in one of two ways:

- `compiled.matches(doc, budget=b)` (also `explain`, `match_text`, `RuleSet.match(..., budget=b)`);
- `with b:` around a loop: every evaluation inside (in this thread or task) charges `b`.

To stop a search when its client goes away, hand the budget to whatever notices the disconnect and
call `b.cancel()` there; the evaluation raises at its next check.

>>> from monitio.query import compile_query
>>> q = compile_query("scam NEAR/3 refund")
>>> b = Budget(max_steps=10_000)
>>> q.match_text("scam, then the refund never came", budget=b), b.steps > 0
(True, True)
>>> b.cancel()
>>> try:
...     q.match_text("scam refund", budget=b)
... except BudgetExceeded as exc:
...     print(exc)
search cancelled after 0.00 s; the client went away or the search was stopped
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar, Token

from monitio.errors import TooCostly

_ACTIVE: ContextVar[Budget | None] = ContextVar("monitio_query_budget", default=None)


class BudgetExceeded(TooCostly):
    """The evaluation ran past its deadline or step allowance, or was cancelled."""


class Budget:
    """Steps and seconds one search (or one alert run) may spend evaluating queries.

    `seconds`: wall-clock allowance from creation (None: no deadline); `max_steps`: work allowance
    (None: unlimited; `steps` still counts, which tests use to bound work without timing anything);
    `cancelled`: an optional callable polled at each check (e.g. "has the client disconnected?").
    """

    __slots__ = (
        "_cancel_fn",
        "_cancelled",
        "_next",
        "_tokens",
        "check_every",
        "deadline",
        "max_steps",
        "started",
        "steps",
    )

    def __init__(
        self,
        seconds: float | None = None,
        *,
        max_steps: int | None = None,
        cancelled: Callable[[], bool] | None = None,
        check_every: int = 2_000,
    ) -> None:
        self.started = time.monotonic()
        self.deadline = None if seconds is None else self.started + seconds
        self.max_steps = max_steps
        self.steps = 0
        self.check_every = check_every
        self._cancel_fn = cancelled
        self._cancelled = False
        self._next = 1  # the first charge checks (a deadline may have passed already)
        self._tokens: list[Token] = []

    def charge(self, steps: int = 1) -> None:
        """Count `steps` of work; at each check point, raise `BudgetExceeded` if the budget is spent."""
        self.steps += steps
        if self.steps >= self._next:
            self.check()

    def check(self) -> None:
        """Raise `BudgetExceeded` now if cancelled, past the deadline or past `max_steps`."""
        self._next = self.steps + self.check_every
        if self.max_steps is not None:
            if self.steps > self.max_steps:
                raise BudgetExceeded(
                    f"the search needed more than {self.max_steps} evaluation steps; "
                    "narrow it with fields (lang:, market:, date:) or fewer NEAR/wildcards",
                    hint="or raise the budget",
                )
            self._next = min(self._next, self.max_steps + 1)
        elapsed = time.monotonic() - self.started
        if self._cancelled or (self._cancel_fn is not None and self._cancel_fn()):
            self._cancelled = True
            raise BudgetExceeded(
                f"search cancelled after {elapsed:.2f} s; the client went away or the search was stopped"
            )
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise BudgetExceeded(
                f"the search took longer than its {self.deadline - self.started:g} s budget; "
                "narrow it with fields (lang:, market:, date:) or fewer NEAR/wildcards"
            )

    def cancel(self) -> None:
        """Make the evaluation using this budget stop at its next check (safe from another thread)."""
        self._cancelled = True
        self._next = 0

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def __enter__(self) -> Budget:
        self._tokens.append(_ACTIVE.set(self))
        return self

    def __exit__(self, *exc: object) -> None:
        _ACTIVE.reset(self._tokens.pop())


def active() -> Budget | None:
    """The budget evaluations are charged to here (None: nothing is counted)."""
    return _ACTIVE.get()


def charge(steps: int) -> None:
    """Charge the active budget, if any."""
    b = _ACTIVE.get()
    if b is not None:
        b.charge(steps)
