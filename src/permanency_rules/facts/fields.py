"""How a fact module declares its facts: typed fields, each with the table columns it is read from.

A field's ``reads`` names the caseload table columns (``table.column``) its value is derived
from, whether directly or through a clock. ``facts.schema`` collects them into ``COLUMN_FACTS``:
when a caseload lacks one of those columns, the rules reading the field are not evaluable for
the run, rather than judged on a default that would pass for data. A fact type's ``rows`` are
the columns that decide which table rows become facts at all; every field depends on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Literal

Kind = Literal["bool", "int", "day", "str"]
Fact = dict[str, Any]
Column = tuple[str, str]  # (table, column) of adapters.tables.TABLES

#: The nullable pandas dtype of each kind, in fact frames (both engines compare through them).
FRAME_DTYPES: Mapping[str, str] = {"bool": "boolean", "int": "Int64", "day": "Int64", "str": "string"}


def columns(spec: str) -> frozenset[Column]:
    """``"goals.start_date goals.end_date"`` as {("goals", "start_date"), ("goals", "end_date")}."""
    out = set()
    for item in spec.split():
        table, _, col = item.partition(".")
        if not col:
            raise ValueError(f"expected table.column, got {item!r}")
        out.add((table, col))
    return frozenset(out)


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    doc: str
    required: bool = False  # always present (never missing) in a fact of this type
    values: tuple[str, ...] | None = None  # allowed values of a coded str field
    reads: frozenset[Column] = field(default=frozenset())  # table columns it is derived from

    def python_type(self) -> type:
        return {"bool": bool, "int": int, "day": int, "str": str}[self.kind]


def _codes(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(e.value for e in enum)


def F(
    kind: Kind,
    doc: str,
    required: bool = False,
    values: type[StrEnum] | None = None,
    *,
    reads: str | frozenset[Column],
) -> FieldSpec:
    """A field; ``reads`` is a space-separated list of ``table.column`` (see ``columns``), ""
    only for a field that no table column can change."""
    cols = columns(reads) if isinstance(reads, str) else reads
    return FieldSpec(kind, doc, required, _codes(values) if values else None, cols)


def ID(reads: str) -> FieldSpec:
    return F("str", "Fact id, unique within the case.", True, reads=reads)


@dataclass(frozen=True)
class FactType:
    """One fact type: its fields (in frame order) and the columns that decide its rows."""

    name: str
    fields: dict[str, FieldSpec]
    rows: frozenset[Column] = frozenset()

    def reads(self, name: str) -> frozenset[Column]:
        return self.rows | self.fields[name].reads


def in_effect(start: date, end: date | None, as_of: date) -> bool:
    return start <= as_of and (end is None or end > as_of)


def drop_none(fact: Fact) -> Fact:
    """Missing values are left out of a fact (never ``None``): both engines treat a comparison
    with a missing field as false."""
    return {k: v for k, v in fact.items() if v is not None}
