"""Column helpers every fact module's column-wise derivation uses: typed fact frames and
per-case picks over whole tables.

Per-case values are arrays indexed by the typed ``key`` (0..n-1, the case's row in ``cases``),
so a table row reads its case's value as ``array[key]``. Picks such as "the latest primary goal"
are ``first_max``: a sort over (key, sort columns, row), never a loop over cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..adapters.tables import LIST_SEP
from ..columnar.typed import Typed
from ..conventions import KEY, TYPED_KEY
from .fields import FRAME_DTYPES, FactType

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

#: Stands in for a missing end date (later than any day) in comparisons.
NEVER = int(np.iinfo(np.int64).max)
#: Stands in for "no such day" where the latest day is taken.
NO_DAY = int(np.iinfo(np.int64).min)


def fact_frame(fact: FactType, keys: Ints, columns: Mapping[str, Any]) -> pd.DataFrame:
    """A frame typed as ``engines.frames.facts_to_frames`` types it: ``case_key`` then every
    field of the fact type in schema order. Series are taken by position, not index."""
    spec = fact.fields
    assert set(columns) == set(spec), sorted(set(columns) ^ set(spec))
    data: dict[str, Any] = {KEY: np.asarray(keys, dtype=np.int64)}
    for name in spec:
        col = columns[name]
        data[name] = col.array if isinstance(col, pd.Series) else col
    dtypes = {KEY: "int64", **{n: FRAME_DTYPES[f.kind] for n, f in spec.items()}}
    return pd.DataFrame(data, columns=[KEY, *spec]).astype(dtypes)


def by_key(values: Any, key: Ints) -> Any:
    """A per-case value (an array or a Series indexed 0..n-1 by key) at the rows ``key``."""
    return values.iloc[key] if isinstance(values, pd.Series) else values[key]


def days(s: pd.Series, fill: int = NEVER) -> Ints:
    """An ``Int64`` day column as int64, missing days as ``fill`` (by default: never)."""
    return np.asarray(s.to_numpy(dtype=np.int64, na_value=fill), dtype=np.int64)


def present(s: pd.Series) -> Flags:
    return np.asarray(s.notna().to_numpy(), dtype=bool)


def masked_int(values: Ints, missing: Flags) -> pd.arrays.IntegerArray:
    """An ``Int64`` column: ``values``, missing where ``missing`` (a key the reference omits)."""
    return pd.arrays.IntegerArray(
        np.where(missing, 0, values).astype(np.int64), np.asarray(missing, dtype=bool)
    )


def text(s: pd.Series) -> pd.Series:
    """A string column with a fresh 0..n-1 index."""
    return s.astype("string").reset_index(drop=True)


def prefixed(prefix: str, ids: pd.Series) -> pd.Series:
    """Fact ids such as ``goal:<id>``."""
    return prefix + text(ids)


def _arrow(s: pd.Series) -> pa.Array | pa.ChunkedArray:
    return pc.cast(pa.array(text(s).array), pa.large_string())


def is_code(s: pd.Series, values: Iterable[str]) -> Flags:
    """Whether each value is one of ``values`` (missing: no)."""
    return np.asarray(s.isin(list(values)).to_numpy(dtype=bool, na_value=False), dtype=bool)


class Codes:
    """A code column read once as its rank in the sorted code list (Python's string order),
    for repeated membership tests and for ordering by code; a missing code ranks -1."""

    def __init__(self, s: pd.Series, values: Iterable[StrEnum | str]) -> None:
        self.values = sorted(str(v) for v in values)
        ranks = pc.index_in(_arrow(s), value_set=pa.array(self.values, type=pa.large_string()))
        self.rank: Ints = np.asarray(pc.fill_null(ranks, -1).to_numpy(zero_copy_only=False), dtype=np.int64)

    def isin(self, wanted: Iterable[StrEnum | str]) -> Flags:
        return np.isin(self.rank, [self.values.index(str(w)) for w in wanted])


def text_rank(s: pd.Series) -> Ints:
    """Dense rank of each string in Python's order (UTF-8 byte order is code point order);
    a missing string ranks as ``""``, as the reference's ``id or ""``."""
    ranks = pc.rank(pc.fill_null(_arrow(s), ""), sort_keys="ascending", tiebreaker="dense")
    return np.asarray(ranks.to_numpy(zero_copy_only=False), dtype=np.int64)


def code_counts(s: pd.Series, wanted: Sequence[str]) -> dict[str, Ints]:
    """How many times each of ``wanted`` appears in each ``;``-joined list."""
    split = pc.split_pattern(_arrow(s), LIST_SEP)
    items = pc.list_flatten(split)
    owner = np.asarray(pc.list_parent_indices(split).to_numpy(zero_copy_only=False), dtype=np.int64)
    out: dict[str, Ints] = {}
    for code in wanted:
        hit = np.asarray(
            pc.fill_null(pc.equal(items, code), False).to_numpy(zero_copy_only=False), dtype=bool
        )
        out[code] = np.bincount(owner[hit], minlength=len(s)).astype(np.int64)
    return out


def per_key(n: int, keys: Ints, mask: Flags | None = None) -> Ints:
    """How many rows (where ``mask``) each key 0..n-1 has."""
    return np.bincount(keys if mask is None else keys[mask], minlength=n).astype(np.int64)


def scatter(n: int, keys: Ints, values: npt.NDArray[Any], fill: Any) -> npt.NDArray[Any]:
    """An array by key: ``values`` at ``keys``, ``fill`` elsewhere."""
    out = np.full(n, fill, dtype=values.dtype)
    out[keys] = values
    return out


def key_max(n: int, keys: Ints, values: Ints, mask: Flags) -> Ints:
    """Per key, the largest of ``values`` where ``mask`` (``NO_DAY`` when none)."""
    out = np.full(n, NO_DAY, dtype=np.int64)
    np.maximum.at(out, keys[mask], values[mask])
    return out


def first_max(keys: Ints, mask: Flags, *by: Ints) -> Flags:
    """Per key, the row Python's ``max(rows where mask, key=by)`` returns: the largest ``by``
    tuple, and the earliest row among equal ones (``max`` keeps the first maximum).

    One pass per ``by`` column keeps the rows that reach their key's maximum so far; the
    earliest row left wins. (Linear, unlike a sort.)"""
    n = int(np.max(keys)) + 1 if len(keys) else 0
    left = mask.copy()
    for b in by:
        best = np.full(n, NO_DAY, dtype=np.int64)
        np.maximum.at(best, keys[left], b[left])
        left &= b == best[keys]
    first = np.full(n, len(keys), dtype=np.int64)
    np.minimum.at(first, keys[left], np.flatnonzero(left))
    out = np.zeros(len(keys), dtype=bool)
    out[first[first < len(keys)]] = True
    return out


def pick(n: int, keys: Ints, chosen: Flags) -> Ints:
    """Row of each key's chosen row (at most one per key), -1 when none."""
    out = np.full(n, -1, dtype=np.int64)
    out[keys[chosen]] = np.flatnonzero(chosen)
    return out


def take_flag(flag: Flags, rows: Ints) -> Flags:
    """``flag`` at ``rows`` (-1: false)."""
    if not len(flag):
        return np.zeros(len(rows), dtype=bool)
    return np.asarray((rows >= 0) & flag[np.maximum(rows, 0)], dtype=bool)


def take_text(s: pd.Series, rows: Ints) -> pd.Series:
    """``s`` at ``rows`` (-1: missing), as a string column."""
    taken = pc.take(_arrow(s), pa.array(rows, mask=rows < 0, type=pa.int64()))
    return pd.Series(pd.array(taken, dtype="string"))


@dataclass(frozen=True)
class Scope:
    """What every fact builder reads: the typed tables, as_of, and case columns by key."""

    t: Typed
    as_day: int  # the caller's as_of (also for closed cases, as in ``build_facts``)
    removal: Ints  # removal day of the current episode
    birth: Ints  # birth day (0 where unknown)
    has_birth: Flags
    is_open: Flags  # no discharge date

    @property
    def n(self) -> int:
        return self.t.n

    @classmethod
    def of(cls, t: Typed, as_day: int) -> Scope:
        cases = t.frames["cases"]
        keys = cases[TYPED_KEY].to_numpy(dtype=np.int64)
        n = t.n
        return cls(
            t=t,
            as_day=as_day,
            removal=scatter(n, keys, days(cases["removal_date"], 0), 0),
            birth=scatter(n, keys, days(cases["birth_date"], 0), 0),
            has_birth=scatter(n, keys, present(cases["birth_date"]), False),
            is_open=scatter(n, keys, ~present(cases["discharge_date"]), False),
        )

    def table(self, name: str) -> tuple[pd.DataFrame, Ints]:
        """A typed table and its key column."""
        df = self.t.frames[name]
        return df, df[TYPED_KEY].to_numpy(dtype=np.int64)
