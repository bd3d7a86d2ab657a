"""Caseload tables typed column by column, and the cases that need the per-case path.

The column-wise path only accepts values in their canonical form: ISO dates (``YYYY-MM-DD``),
exact code values, ``true``/``false``, ``;``-joined code lists without spaces, and a row id on
every row that becomes a fact. Anything else (a bad date, an unknown code, a stray space, a
missing id, a duplicate case id) *routes* its whole case to the per-case path, which parses it
with the case model and reports every error exactly as ``evaluate`` would. So this module never
decides that a value is wrong, only that it is not plainly right.

Each typed table has ``key`` (the case's position in ``cases``), then its declared columns:
dates as ``Int64`` epoch days (``conventions.to_day``), booleans as ``bool`` with the model's default
filled in (``boolean`` where the model allows unknown), codes, ids and lists as strings (lists
stay ``;``-joined; ``has_code`` tests membership).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from ..adapters.tables import LIST_SEP, TABLES, ArrowTables, Column, Table
from ..conventions import TEXT
from ..conventions import TYPED_KEY as KEY
from ..model.case import Case
from ..model.validation import DERIVED_ID_PREFIX, MAX_ITEMS

#: Earlier dates are routed: the per-case path judges them (plausibility, and deadlines that
#: would fall before year 1), so both paths give the same verdict and ids.
_FIRST_DAY = pa.scalar(date(1900, 1, 1), pa.date32())
#: Whitespace other than a plain space (exactly ``c.isspace() and c != " "``): text holding it
#: is routed, so messages built from ids only ever hold plain spaces.
_ODD_SPACE = r"[\t\n\x0b\x0c\r\x{1c}-\x{1f}\x{85}\p{Zl}\p{Zp}]|[^\P{Zs} ]"
#: Tables whose rows become facts, so each row needs its own id (others may leave it empty).
_NEEDS_ID = frozenset({"placements", "goals", "case_plans", "services", "hearings", "siblings"})


@dataclass(frozen=True)
class Kind:
    """How a column is typed: ``date``, ``bool``, ``code``, ``codes`` (a list) or ``text``."""

    name: str
    codes: frozenset[str] | None = None  # allowed values for code(s)
    default: Any = None  # model default for a missing bool (None: stays unknown)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, is_list) of ``X | None`` / ``list[X]`` / ``Annotated[X, ...]`` annotations."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(inner[0])
    if origin is list:
        return typing.get_args(annotation)[0], True
    return annotation, False


def _model_field(table: Table, col: Column) -> tuple[type[BaseModel], str]:
    """The case-model class and field a table column fills."""
    path = (col.field or col.name).split(".")
    model: type[BaseModel] = Case
    if table.target:
        model = _unwrap(Case.model_fields[table.target].annotation)[0]
    for part in path[:-1]:
        model = _unwrap(model.model_fields[part].annotation)[0]
    return model, path[-1]


def column_kind(table: Table, col: Column) -> Kind:
    """The kind of a declared column, read from the case model (so the two cannot drift)."""
    if col.name == "case_id":
        return Kind("text")
    model, name = _model_field(table, col)
    info = model.model_fields[name]
    inner, is_list = _unwrap(info.annotation)
    if inner is date:
        return Kind("date")
    if inner is bool:
        default = info.default if isinstance(info.default, bool) else None
        return Kind("bool", default=default)
    if isinstance(inner, type) and issubclass(inner, StrEnum):
        return Kind("codes" if is_list else "code", frozenset(m.value for m in inner))
    return Kind("text")


def has_code(values: pd.Series, code: str) -> np.ndarray:
    """Whether each ``;``-joined list holds ``code`` (missing lists hold nothing)."""
    wrapped = (LIST_SEP + values.fillna("") + LIST_SEP).astype(TEXT)
    return np.asarray(wrapped.str.contains(f"{LIST_SEP}{code}{LIST_SEP}", regex=False), dtype=bool)


@dataclass
class Typed:
    """Typed tables of the cases the column-wise path takes, and which cases it leaves."""

    frames: dict[str, pd.DataFrame]  # table name -> typed frame (rows of routed cases dropped)
    case_ids: np.ndarray  # case_id (object) of every row of ``cases``, by key
    routed: np.ndarray  # bool per key: the case goes to the per-case path

    @property
    def n(self) -> int:
        return len(self.case_ids)


def flags(a: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow boolean column as a numpy bool array (null is False)."""
    return np.asarray(pc.fill_null(a, False).to_numpy(zero_copy_only=False), dtype=bool)


def _canonical_text(a: pa.ChunkedArray) -> tuple[pa.ChunkedArray, np.ndarray]:
    """Values with empty strings as null, and where a value is not stripped of spaces."""
    a = pc.if_else(pc.equal(a, ""), pa.scalar(None, a.type), a)
    stripped = pc.utf8_trim_whitespace(a)
    bad = pc.fill_null(pc.not_equal(stripped, a), False)
    return a, np.asarray(bad.to_numpy(zero_copy_only=False), dtype=bool)


def _typed_column(a: pa.ChunkedArray, kind: Kind) -> tuple[pd.Series | np.ndarray, np.ndarray]:
    """A typed column and a mask of rows whose value is not canonical."""
    a, bad = _canonical_text(a)
    null = np.asarray(a.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    if kind.name == "date":
        # a date is canonical when it parses and prints back as the same text: strptime alone
        # rolls 2025-02-29 over to March and reads "2025-01- 1"; year 0 does not exist
        parsed = pc.strptime(a, "%Y-%m-%d", "s", error_is_null=True)
        day = pc.cast(parsed, pa.date32())
        same = pc.and_(pc.equal(pc.cast(day, pa.string()), a), pc.greater_equal(day, _FIRST_DAY))
        bad |= ~null & ~flags(same)
        out = pd.Series(pc.cast(day, pa.int32()).to_numpy(zero_copy_only=False)).astype("Int64")
        return out, bad
    if kind.name == "bool":
        is_true = np.asarray(
            pc.fill_null(pc.equal(a, "true"), False).to_numpy(zero_copy_only=False), dtype=bool
        )
        is_false = np.asarray(
            pc.fill_null(pc.equal(a, "false"), False).to_numpy(zero_copy_only=False), dtype=bool
        )
        bad |= ~null & ~is_true & ~is_false
        if kind.default is None:
            s = pd.Series(is_true, dtype="boolean")
            s[null] = pd.NA
            return s, bad
        return np.where(null, kind.default, is_true), bad
    if kind.name in ("code", "codes") and kind.codes is not None:
        allowed = pa.array(sorted(kind.codes))
        if kind.name == "code":
            member = pc.is_in(a, value_set=allowed)
        else:
            items = pc.list_flatten(pc.split_pattern(a, LIST_SEP))
            parents = pc.list_parent_indices(pc.split_pattern(a, LIST_SEP))
            item_bad = pc.invert(pc.is_in(items, value_set=allowed))
            counts = np.bincount(
                np.asarray(parents.to_numpy(zero_copy_only=False))[
                    np.asarray(item_bad.to_numpy(zero_copy_only=False), dtype=bool)
                ],
                minlength=len(a),
            )
            member = pa.array(counts == 0)
        bad |= ~null & ~flags(member)
    elif kind.name == "text":
        plain = pc.and_(pc.string_is_ascii(a), pc.utf8_is_printable(a))  # cheap; most text is
        if not pc.all(pc.fill_null(plain, True)).as_py():
            bad |= flags(pc.match_substring_regex(a, _ODD_SPACE))
    return pd.Series(a.to_pandas(types_mapper=pd.ArrowDtype)).astype(TEXT), bad


def type_tables(at: ArrowTables) -> Typed:
    """Type every table; mark cases with any non-canonical value, missing id or duplicate id."""
    ids = at.tables["cases"]["case_id"]
    n = len(ids)
    # a case's key is its row in cases; rows of other tables go to the first row with their id
    keys_of_ids = np.asarray(
        pc.fill_null(pc.index_in(ids, value_set=ids), -1).to_numpy(zero_copy_only=False), dtype=np.int64
    )
    routed = keys_of_ids != np.arange(n)  # a later row reusing an earlier id
    routed |= np.asarray(pc.fill_null(pc.equal(ids, ""), True).to_numpy(zero_copy_only=False), dtype=bool)
    padded = pc.not_equal(pc.utf8_trim_whitespace(ids), ids)  # " C1": the per-case path rejects it
    routed |= np.asarray(pc.fill_null(padded, False).to_numpy(zero_copy_only=False), dtype=bool)
    np.logical_or.at(routed, keys_of_ids[routed & (keys_of_ids >= 0)], True)  # and its first row
    frames: dict[str, pd.DataFrame] = {}
    for name, table in TABLES.items():
        t = at.tables.get(name)
        if t is None:
            frames[name] = _empty(table)
            continue
        if name == "cases":
            keys = np.arange(n, dtype=np.int64)
        else:
            found = pc.index_in(t["case_id"], value_set=ids)
            keys = np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
        cols: dict[str, Any] = {KEY: keys}
        bad = np.zeros(len(t), dtype=bool)
        for col in table.columns:
            if col.name == "case_id":
                continue
            kind = column_kind(table, col)
            must = col.required or (col.name == "id" and name in _NEEDS_ID)
            if col.name in t.column_names:
                values, col_bad = _typed_column(t[col.name], kind)
                bad |= col_bad
                if must:
                    bad |= np.asarray(pd.isna(values), dtype=bool)
            else:
                values = _missing(kind, len(t))
                bad |= must
            cols[col.name] = values
        frame = pd.DataFrame(cols)
        if name == "cases":
            frame.insert(1, "case_id", ids.to_numpy(zero_copy_only=False))
        known = keys >= 0
        np.logical_or.at(routed, keys[known & bad], True)
        if name != "cases":  # a case over the size cap is judged (rejected) per case
            routed |= np.bincount(keys[known], minlength=n)[:n] > MAX_ITEMS
        frames[name] = frame[known] if not known.all() else frame
    for name, frame in frames.items():
        if name != "cases" and "id" in frame.columns and len(frame):
            twice = frame.duplicated([KEY, "id"], keep=False).to_numpy() & frame["id"].notna().to_numpy()
            np.logical_or.at(routed, frame[KEY].to_numpy()[twice], True)
            prefix = DERIVED_ID_PREFIX.get(name)
            if prefix:  # a given id shaped like a derived one may collide: the per-case path decides
                shaped = frame["id"].str.startswith(f"{prefix}-").fillna(False).to_numpy(dtype=bool)
                np.logical_or.at(routed, frame[KEY].to_numpy()[shaped], True)
    keep = {name: f[~routed[f[KEY].to_numpy()]].reset_index(drop=True) for name, f in frames.items()}
    return Typed(keep, ids.to_numpy(zero_copy_only=False), routed)


def _missing(kind: Kind, n: int) -> pd.Series | np.ndarray:
    if kind.name == "date":
        return pd.Series(pd.array([pd.NA] * n, dtype="Int64"))
    if kind.name == "bool":
        if kind.default is None:
            return pd.Series(pd.array([pd.NA] * n, dtype="boolean"))
        return np.full(n, kind.default, dtype=bool)
    return pd.Series(pd.array([pd.NA] * n, dtype=TEXT))


def _empty(table: Table) -> pd.DataFrame:
    cols: dict[str, Any] = {KEY: np.zeros(0, dtype=np.int64)}
    for col in table.columns:
        if col.name != "case_id":
            cols[col.name] = _missing(column_kind(table, col), 0)
    return pd.DataFrame(cols)
