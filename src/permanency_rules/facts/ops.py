"""One definition, two executors: a fact type written once as operations (prototype).

Each fact module today writes its derivation twice, once per case and once over columns, and
tests hold the two equal. Here a fact type is written once, as a small tree of operations on
one table's columns; ``per_case`` compiles it to Python closures over a case's items and
``columns`` to numpy over a typed table, as Ibis, narwhals and CDISC CORE compile one expression
to several backends. The columns a field reads fall out of the tree (``reads``), so they need
not be declared. Only what ``need`` facts use exists yet; see docs/design.md for the measurements
and what the rest would need (joins to other tables, per-case picks such as "the latest").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

import numpy as np
import pandas as pd

from ..conventions import to_day
from .columns import NEVER, Scope, days, fact_frame, prefixed
from .fields import Column, Fact, FactType


class Expr:
    """An operation; ``Col`` leaves read the fact's table."""

    def cols(self) -> frozenset[str]:
        return frozenset()


@dataclass(frozen=True)
class Col(Expr):
    """A column of the fact's table (the model field of the same name); a missing day reads as
    ``fill`` (``NEVER``: later than any day)."""

    name: str
    fill: int | None = None

    def cols(self) -> frozenset[str]:
        return frozenset({self.name})


@dataclass(frozen=True)
class AsOf(Expr):
    """The evaluation date, as a day number."""


@dataclass(frozen=True)
class Bin(Expr):
    """``a <op> b`` for ``<=``, ``>`` and ``-`` on day numbers."""

    op: str
    a: Expr
    b: Expr

    def cols(self) -> frozenset[str]:
        return self.a.cols() | self.b.cols()


@dataclass(frozen=True)
class Prefix(Expr):
    """A fact id: ``prefix`` then the text of ``a``."""

    prefix: str
    a: Expr

    def cols(self) -> frozenset[str]:
        return self.a.cols()


def le(a: Expr, b: Expr) -> Bin:
    return Bin("<=", a, b)


def gt(a: Expr, b: Expr) -> Bin:
    return Bin(">", a, b)


def minus(a: Expr, b: Expr) -> Bin:
    return Bin("-", a, b)


@dataclass(frozen=True)
class Definition:
    """A fact type as operations: which rows of ``table`` become facts, and each field."""

    fact: FactType
    table: str
    target: str  # the case's list of items (``Case.<target>``)
    rows: Expr
    fields: Mapping[str, Expr]

    def reads(self, name: str) -> frozenset[Column]:
        """The table columns behind a field: its own and those that pick the rows."""
        return frozenset((self.table, c) for c in self.fields[name].cols() | self.rows.cols())


# --- per case: closures over one item ------------------------------------------------------

Item = Callable[[Any, int], Any]


def _value(v: Any, fill: int | None) -> Any:
    if v is None:
        return fill
    if isinstance(v, date):
        return to_day(v)
    if isinstance(v, Enum):
        return v.value
    return v


_PY: dict[str, Callable[[Any, Any], Any]] = {
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "-": lambda a, b: a - b,
}


def _compile(e: Expr) -> Item:
    if isinstance(e, Col):
        name, fill = e.name, e.fill
        return lambda item, day: _value(getattr(item, name), fill)
    if isinstance(e, AsOf):
        return lambda item, day: day
    if isinstance(e, Bin):
        f, a, b = _PY[e.op], _compile(e.a), _compile(e.b)
        return lambda item, day: f(a(item, day), b(item, day))
    if isinstance(e, Prefix):
        p, a = e.prefix, _compile(e.a)
        return lambda item, day: p + str(a(item, day))
    raise TypeError(type(e).__name__)


def per_case(d: Definition) -> Callable[[Any, date], list[Fact]]:
    """The facts of one case: ``f(case, as_of)``."""
    rows = _compile(d.rows)
    fields = [(name, _compile(e)) for name, e in d.fields.items()]
    t, target = d.fact.name, d.target

    def facts(case: Any, as_of: date) -> list[Fact]:
        day = to_day(as_of)
        out = []
        for item in getattr(case, target):
            if rows(item, day):
                fact: Fact = {"t": t}
                for name, f in fields:
                    v = f(item, day)
                    if v is not None:
                        fact[name] = v
                out.append(fact)
        return out

    return facts


# --- column-wise: numpy over the typed table -----------------------------------------------


def _column(e: Expr, frame: pd.DataFrame, day: int) -> Any:
    if isinstance(e, Col):
        s = frame[e.name]
        if pd.api.types.is_integer_dtype(s.dtype):  # days (Int64)
            return days(s, NEVER if e.fill is None else e.fill)
        return s
    if isinstance(e, AsOf):
        return day
    if isinstance(e, Bin):
        a, b = _column(e.a, frame, day), _column(e.b, frame, day)
        return {"<=": np.less_equal, ">": np.greater, "-": np.subtract}[e.op](a, b)
    if isinstance(e, Prefix):
        return prefixed(e.prefix, _column(e.a, frame, day))
    raise TypeError(type(e).__name__)


def columns(d: Definition, s: Scope) -> pd.DataFrame:
    """The fact frame for every case of ``s``."""
    frame, key = s.table(d.table)
    rows = np.asarray(_column(d.rows, frame, s.as_day), dtype=bool)
    picked = frame[rows].reset_index(drop=True)
    values = {name: _column(e, picked, s.as_day) for name, e in d.fields.items()}
    return fact_frame(d.fact, key[rows], values)


# --- the prototype: need facts, written once -------------------------------------------------


def _need() -> Definition:
    from .family import NEED

    identified = Col("identified_date")
    return Definition(
        NEED,
        "needs",
        "needs",
        rows=le(identified, AsOf()),  # needs identified after as_of are left out
        fields={
            "id": Prefix("need:", Col("id")),
            "whose": Col("whose"),
            "domain": Col("domain"),
            "is_open": gt(Col("resolved_date", fill=NEVER), AsOf()),
            "identified_day": identified,
            "days_since_identified": minus(AsOf(), identified),
        },
    )


NEED_OPS = _need()
need_facts = per_case(NEED_OPS)


def need_columns(s: Scope) -> pd.DataFrame:
    return columns(NEED_OPS, s)
