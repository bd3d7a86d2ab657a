"""The pandas backend: the same rule IR evaluated column-wise over many cases at once.

Facts of every case are stacked into one DataFrame per fact type (typed from
``facts.schema``), keyed by ``case_key``. A rule starts from the case frame, merges in one
frame per positive clause (equality joins become merge keys) and anti-joins each absent clause.
Missing values use pandas' nullable dtypes, so a comparison with a missing field is false, as
in durable-rules.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..conventions import KEY
from ..facts.fields import FRAME_DTYPES as _DTYPES
from ..facts.schema import FACT_TYPES
from ..language.ir import CASE_ALIAS, Clause, Literal, Op, Ref, Test
from .base import CompiledRule, Fact, Match


def empty_frame(fact_type: str) -> pd.DataFrame:
    cols = {KEY: pd.Series(dtype="int64")}
    for name, spec in FACT_TYPES[fact_type].items():
        cols[name] = pd.Series(dtype=_DTYPES[spec.kind])
    return pd.DataFrame(cols)


def facts_to_frames(cases: Sequence[Sequence[Fact]]) -> dict[str, pd.DataFrame]:
    """One typed frame per fact type; ``case_key`` is the case's position in ``cases``."""
    rows: dict[str, list[Fact]] = {t: [] for t in FACT_TYPES}
    for key, facts in enumerate(cases):
        for f in facts:
            rows[f["t"]].append({KEY: key, **f})
    out = {}
    for t, spec in FACT_TYPES.items():
        if not rows[t]:
            out[t] = empty_frame(t)
            continue
        df = pd.DataFrame.from_records(rows[t], columns=[KEY, *spec])
        out[t] = df.astype({KEY: "int64", **{n: _DTYPES[s.kind] for n, s in spec.items()}})
    return out


def test_mask(df: pd.DataFrame, t: Test) -> pd.Series:
    """Rows of ``df`` where test ``t`` holds (a missing value fails every comparison)."""
    s = df[t.field]
    if t.op == Op.EXISTS:
        return s.notna()
    if t.op == Op.MISSING:
        return s.isna()
    o = t.operand
    assert isinstance(o, Literal), "references are join keys; parameters must be bound"
    v = o.value
    if t.op in (Op.IN, Op.NOT_IN):
        values = list(v) if isinstance(v, tuple) else [v]
        hit = s.isin(values).fillna(False).astype(bool)
        return hit if t.op == Op.IN else (~hit & s.notna())
    res = {
        Op.EQ: lambda: s == v,
        Op.NE: lambda: s != v,
        Op.LT: lambda: s < v,
        Op.LE: lambda: s <= v,
        Op.GT: lambda: s > v,
        Op.GE: lambda: s >= v,
    }[t.op]()
    return res.fillna(False).astype(bool)


#: Masks already computed in one ``match_frames`` call, by (frame name, test): rules share
#: most of their tests (``in_care``, a deadline's name), and each mask is a few pandas calls.
Masks = dict[tuple[str, Test], np.ndarray]


def _filter(
    df: pd.DataFrame,
    tests: Sequence[Test],
    columns: Sequence[str] | None = None,
    masks: tuple[str, Masks] | None = None,
) -> pd.DataFrame:
    """Rows of ``df`` passing ``tests``; only ``columns`` of them (all if None), since copying
    the rows of columns no one reads is most of the cost."""
    keep: np.ndarray | None = None
    for t in tests:
        if isinstance(t.operand, Ref):
            continue
        m = None if masks is None else masks[1].get((masks[0], t))
        if m is None:
            m = test_mask(df, t).to_numpy()
            if masks is not None:
                masks[1][masks[0], t] = m
        keep = m if keep is None else keep & m
    picked = df if columns is None else df[list(dict.fromkeys(columns))]
    return picked if keep is None else picked[keep]


def _joins(c: Clause) -> list[tuple[str, str]]:
    """(own field, 'alias.field' column in the running frame) for each equality join."""
    return [(t.field, f"{t.operand.alias}.{t.operand.field}") for t in c.tests if isinstance(t.operand, Ref)]


class FrameEngine:
    """Evaluates many cases' facts with pandas; same answers as ``DurableEngine``."""

    name = "pandas"

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        self.rules = list(rules)

    def _needed(self, rule: CompiledRule) -> set[str]:
        return {col for c in rule.condition.clauses for _f, col in _joins(c)}

    def match_rule(
        self,
        rule: CompiledRule,
        frames: dict[str, pd.DataFrame],
        rows: bool = False,
        masks: Masks | None = None,
    ) -> pd.DataFrame:
        """Rows of ``case_key`` plus one ``<alias>`` id column per bound alias; with ``rows``,
        also ``<alias>@row``, the fact's index label in its frame (so callers need no join)."""
        needed = self._needed(rule)
        cond = rule.condition
        keep = [KEY] + [f for f in FACT_TYPES["case"] if f"{CASE_ALIAS}.{f}" in needed]
        memo: Masks = {} if masks is None else masks
        case = _filter(frames["case"], cond.case_tests, keep, ("case", memo))
        cur = case[keep].rename(columns={f: f"{CASE_ALIAS}.{f}" for f in keep if f != KEY})
        aliases: list[str] = []
        for c in cond.clauses:
            if cur.empty:
                break
            joins = _joins(c)
            left = [KEY] + [col for _f, col in joins]
            right = [KEY] + [f for f, _col in joins]
            alias = c.alias or ""
            own = [f for f in FACT_TYPES[c.fact] if f"{alias}.{f}" in needed or f == "id"]
            sub = _filter(frames[c.fact], c.tests, right if c.absent else [*right, *own], (c.fact, memo))
            cur = cur.dropna(subset=left[1:]) if joins else cur
            if c.absent:
                keys = sub[right].dropna().drop_duplicates()
                keys.columns = pd.Index(left)
                merged = cur.merge(keys, on=left, how="left", indicator=True)
                cur = merged[merged["_merge"] == "left_only"].drop(columns="_merge")
                continue
            cols = list(dict.fromkeys([*right, *own]))
            part = sub[cols].rename(columns={f: f"{alias}.{f}" for f in cols if f != KEY})
            if rows:
                part[f"{alias}@row"] = sub.index.to_numpy()
            on_right = [KEY] + [f"{alias}.{f}" for f, _col in joins]
            part = part.dropna(subset=on_right[1:]) if joins else part
            cur = cur.merge(part, left_on=left, right_on=on_right, how="inner")
            aliases.append(alias)
        out = cur[[KEY] + [f"{a}.id" for a in aliases]].copy()
        out.columns = pd.Index([KEY, *aliases])
        if rows:
            for a in aliases:
                out[f"{a}@row"] = cur[f"{a}@row"].to_numpy()
        return out.drop_duplicates(subset=[KEY, *aliases])

    def match_frames(self, frames: dict[str, pd.DataFrame], rows: bool = False) -> dict[str, pd.DataFrame]:
        masks: Masks = {}
        return {r.rule_id: self.match_rule(r, frames, rows, masks) for r in self.rules}

    def match_case(self, facts: Sequence[Fact]) -> list[Match]:
        frames = facts_to_frames([facts])
        out: list[Match] = []
        for rule_id, df in self.match_frames(frames).items():
            aliases = [c for c in df.columns if c != KEY]
            for row in df.itertuples(index=False):
                out.append(Match(rule_id, tuple(zip(aliases, (str(x) for x in row[1:]), strict=True))))
        return sorted(set(out))
