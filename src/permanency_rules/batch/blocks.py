"""Check a block of caseload tables column-wise, handing unusual cases to the per-case path.

Every case takes one of two routes with the same answers. Cases whose values are all in
canonical form and pass the cross-field screen are checked column-wise: typed tables, clocks,
facts, the pandas engine and findings, all over whole columns. The rest (a bad date, an
unknown code, a missing id, a service pointing to a missing need...) are rebuilt as case dicts
and checked one by one by ``job.CaseJob``, which reports every error with its path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..adapters.tables import ArrowTables, iter_table_cases
from ..clocks.compute import column_clocks
from ..columnar.screen import screen
from ..columnar.typed import Typed, type_tables
from ..conventions import KEY as CASE_KEY
from ..conventions import SEVERITIES, TEXT, empty_findings
from ..conventions import TYPED_KEY as KEY
from ..engines.frames import FrameEngine, test_mask
from ..facts.build import column_facts
from ..language import precedence
from ..outputs.findings_columns import rule_findings
from .deadlines import frame_rows, raw_frame

if TYPE_CHECKING:
    from ..evaluation import Plan

#: Runs the per-case path on (case_id, case dict) pairs: returns (per-case rows, findings,
#: deadline rows).
PerCase = Callable[[list[tuple[str, Any]]], tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]


@dataclass(frozen=True)
class Block:
    """One block's results: per-case rows (with ``pos``, the row in cases), findings and
    deadline rows (``deadlines.RAW_COLUMNS``, in case order)."""

    cases: pd.DataFrame
    findings: pd.DataFrame
    fast: int  # cases checked column-wise
    slow: int  # cases handed to the per-case path
    deadlines: pd.DataFrame = field(default_factory=lambda: raw_frame([]))


def _keep(t: Typed, keep: np.ndarray) -> Typed:
    frames = {name: f[keep[f[KEY].to_numpy()]].reset_index(drop=True) for name, f in t.frames.items()}
    return Typed(frames, t.case_ids, t.routed | ~keep)


def not_evaluable(plan: Plan, case: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per rule, which cases lack a case field it needs (and the rule applies to them):
    ``Plan.not_evaluable`` for a whole case frame."""
    out: dict[str, np.ndarray] = {}
    for r in plan.rules:
        missing = np.zeros(len(case), dtype=bool)
        for f in plan.needs[r.id]:
            missing |= case[f].isna().to_numpy()
        if not missing.any():
            continue
        for t in plan.applicability[r.id]:
            missing &= test_mask(case, t).to_numpy()
        out[r.id] = missing
    return out


def suppress_frames(plan: Plan, judged: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``Plan.visible`` for match frames: drop the matches ``suppressed_by`` makes redundant."""
    if not plan.suppressed_by:
        return judged
    wanted = set(plan.suppressed_by) | {s for v in plan.suppressed_by.values() for s in v}
    keyed: dict[str, list[precedence.Keyed]] = {}
    for rule_id, m in judged.items():
        if rule_id in wanted:
            cols = [m[c].astype(str).tolist() for c in m.columns if c != CASE_KEY and "@" not in c]
            keyed[rule_id] = (
                list(zip(m[CASE_KEY].tolist(), zip(*cols, strict=True), strict=True))
                if cols
                else [(k, ()) for k in m[CASE_KEY].tolist()]
            )
    out = dict(judged)
    for rule_id, drop in precedence.hidden(plan.suppressed_by, keyed).items():
        keep = np.ones(len(judged[rule_id]), dtype=bool)
        keep[drop] = False
        if keep.any():
            out[rule_id] = judged[rule_id][keep]
        else:
            del out[rule_id]
    return out


def check_block(at: ArrowTables, plan: Plan, blind: frozenset[str], per_case: PerCase) -> Block:
    """Check every case of ``at`` (its cases table holds no repeated case_id)."""
    typed = type_tables(at)
    flagged = screen(typed, plan.as_of)
    fast_mask = ~typed.routed & ~flagged
    fast_keys = np.flatnonzero(fast_mask)
    found = [_empty_findings()]
    rows = [_empty_cases()]
    due = [raw_frame([]).assign(pos=pd.Series(dtype="int64"))]
    if len(fast_keys):
        t = _keep(typed, fast_mask)
        facts = column_facts(t, column_clocks(t, plan.as_of, plan.params), plan.as_of)
        frames = {name: f.reset_index(drop=True) for name, f in facts.items()}
        engine = plan.engine("pandas")
        assert isinstance(engine, FrameEngine)
        case = frames["case"].sort_values(CASE_KEY).reset_index(drop=True)
        due.append(frame_rows(frames["deadline"], CASE_KEY, typed.case_ids))
        skip = not_evaluable(plan, case)
        keys = case[CASE_KEY].to_numpy()
        not_eval = np.zeros(len(case), dtype=np.int64)
        for r in plan.rules:
            if r.id in blind:
                not_eval += 1
            elif r.id in skip:
                not_eval += skip[r.id]
        judged: dict[str, pd.DataFrame] = {}
        for rule_id, matches in engine.match_frames(frames, rows=True).items():
            if rule_id in blind or matches.empty:
                continue
            if rule_id in skip:
                excused = keys[skip[rule_id]]
                matches = matches[~np.isin(matches[CASE_KEY].to_numpy(), excused)]
                if matches.empty:
                    continue
            judged[rule_id] = matches
        for rule_id, matches in suppress_frames(plan, judged).items():
            rule = plan.catalogue.rule(rule_id)
            rows_found = rule_findings(rule, matches, frames, typed.case_ids, plan.params)
            found.append(rows_found.rename(columns={CASE_KEY: KEY}))
        findings = pd.concat(found, ignore_index=True)
        rows.append(_fast_cases(at, keys, findings, not_eval))
    else:
        findings = found[0]
    slow_keys = np.flatnonzero(~fast_mask)
    if len(slow_keys):
        slow_rows, slow_found, slow_due = per_case(list(_slow_cases(at, slow_keys)))
        slow_rows.insert(0, "pos", slow_keys)
        ok = (slow_rows["status"] == "checked").to_numpy()
        at_row = pd.Series(slow_keys[ok], index=slow_rows["case_id"].astype(object)[ok])
        due.append(slow_due.assign(pos=at_row.reindex(slow_due["case_id"].astype(object)).to_numpy()))
        slow_found.insert(0, KEY, np.repeat(slow_keys, _counts(slow_rows)))
        rows.append(slow_rows)
        findings = pd.concat([findings, slow_found], ignore_index=True)
    cases = pd.concat(rows, ignore_index=True).sort_values("pos", kind="stable").reset_index(drop=True)
    order = pc.sort_indices(
        pa.table({c: pa.array(findings[c]) for c in (KEY, "rule_id", "finding_id")}),
        sort_keys=[(KEY, "ascending"), ("rule_id", "ascending"), ("finding_id", "ascending")],
    )
    findings = findings.take(np.asarray(order)).reset_index(drop=True)
    deadlines = pd.concat(due, ignore_index=True).sort_values("pos", kind="stable").drop(columns="pos")
    return Block(
        cases, findings.drop(columns=KEY), len(fast_keys), len(slow_keys), deadlines.reset_index(drop=True)
    )


def _counts(rows: pd.DataFrame) -> np.ndarray:
    return rows["findings"].fillna(0).to_numpy(dtype=np.int64)


def _slow_cases(at: ArrowTables, keys: np.ndarray) -> Iterator[tuple[str, Any]]:
    """(case_id, case dict) for the cases at ``keys``, built by the table adapter."""
    cases = at.tables["cases"]
    wanted = cases.take(pa.array(keys))
    ids = wanted["case_id"]
    tables = {"cases": wanted}
    for name, t in at.tables.items():
        if name != "cases":
            tables[name] = t.filter(pc.fill_null(pc.is_in(t["case_id"], value_set=ids), False))
    sub = ArrowTables(tables, at.missing_columns, at.unknown_columns)
    return iter_table_cases(sub.to_pandas())


def _fast_cases(
    at: ArrowTables, keys: np.ndarray, findings: pd.DataFrame, not_eval: np.ndarray
) -> pd.DataFrame:
    cases = at.tables["cases"].take(pa.array(keys))
    out = pd.DataFrame({"pos": keys})
    out["case_id"] = pd.Series(pd.arrays.ArrowStringArray(cases["case_id"]))
    for col in ("office", "worker_id"):
        if col in cases.column_names:
            values = pc.if_else(pc.equal(cases[col], ""), pa.scalar(None, pa.string()), cases[col])
            out[col] = pd.Series(pd.arrays.ArrowStringArray(pc.utf8_trim_whitespace(values)))
        else:
            out[col] = pd.Series([pd.NA] * len(keys), dtype=TEXT)
    out["status"] = "checked"
    pos = pd.Index(keys)
    counts = np.zeros((len(keys), len(SEVERITIES)), dtype=np.int64)
    if len(findings):
        where = pos.get_indexer(findings[KEY].to_numpy())
        sev = pd.Categorical(findings["severity"], categories=list(SEVERITIES)).codes
        np.add.at(counts, (where, sev), 1)
    out["findings"] = counts.sum(axis=1)
    for i, s in enumerate(SEVERITIES):
        out[s] = counts[:, i]
    out["not_evaluable"] = not_eval
    out["records_after_as_of"] = 0  # a case with any later record takes the per-case path
    out["errors"] = ""
    return out


def _empty_findings() -> pd.DataFrame:
    """No findings yet, with the column of their case's key."""
    out = empty_findings()
    out.insert(0, KEY, pd.Series(dtype="int64"))
    return out


def _empty_cases() -> pd.DataFrame:
    return pd.DataFrame({"pos": pd.Series(dtype="int64")})


class Blocks:
    """The tables cut into blocks of ``size`` cases; each table's rows go with their case.

    Rows are matched to cases once, up front (which also counts rows for no case). Each block's
    rows are gathered into fresh buffers (``take``): a zero-copy slice would pickle its
    parent's whole buffers when sent to a worker process."""

    def __init__(self, at: ArrowTables, size: int) -> None:
        self.at, self.size = at, size
        ids = at.tables["cases"]["case_id"]

        def keyed(t: pa.Table) -> tuple[pa.Table, np.ndarray, np.ndarray]:
            found = pc.fill_null(pc.index_in(t["case_id"], value_set=ids), -1)
            key = np.asarray(found.to_numpy(), dtype=np.int64)
            order = np.argsort(key, kind="stable")
            return t, order, key[order]

        names = [name for name in at.tables if name != "cases"]
        with ThreadPoolExecutor(2) as threads:  # Arrow and numpy release the GIL here
            self.ordered = dict(zip(names, threads.map(keyed, [at.tables[n] for n in names]), strict=True))

    def __len__(self) -> int:
        return -(-int(self.at.tables["cases"].num_rows) // self.size)

    def orphans(self) -> dict[str, int]:
        """Rows per table whose case_id is not in ``cases`` (ignored, and reported)."""
        counts = {name: int(np.searchsorted(key, 0)) for name, (_t, _o, key) in self.ordered.items()}
        return {name: n for name, n in counts.items() if n}

    def starts(self) -> range:
        """The first case row of every block."""
        return range(0, int(self.at.tables["cases"].num_rows), self.size)

    def part(self, lo: int) -> ArrowTables:
        """The block that starts at case row ``lo``, in fresh buffers."""
        cases = self.at.tables["cases"]
        hi = min(lo + self.size, len(cases))
        tables = {"cases": cases.take(pa.array(np.arange(lo, hi)))}
        for name, (t, order, key) in self.ordered.items():
            a, b = np.searchsorted(key, [lo, hi])
            tables[name] = t.take(pa.array(order[a:b]))
        return ArrowTables(tables, self.at.missing_columns, self.at.unknown_columns)

    def __iter__(self) -> Iterator[tuple[int, ArrowTables]]:
        for lo in self.starts():
            yield lo, self.part(lo)


def drop_repeated_ids(at: ArrowTables) -> tuple[ArrowTables, np.ndarray, pd.DataFrame]:
    """Tables without cases rows that repeat an earlier case_id (missing ids count as '').

    Returns the tables, the original row of each remaining case, and the dropped rows
    (``pos``, ``case_id``), which the caller rejects: a later case never merges into an earlier.
    """
    cases = at.tables["cases"]
    ids = pc.fill_null(cases["case_id"], "")
    first = np.asarray(pc.index_in(ids, value_set=ids).to_numpy(), dtype=np.int64)
    rows = np.arange(len(cases))
    later = first != rows
    if not later.any():
        return at, rows, pd.DataFrame({"pos": np.zeros(0, np.int64), "case_id": []})
    keep = np.flatnonzero(~later)
    tables = dict(at.tables)
    tables["cases"] = cases.take(pa.array(keep))
    dropped = pd.DataFrame({"pos": np.flatnonzero(later), "case_id": ids.to_numpy()[later]})
    return replace(at, tables=tables), keep, dropped
