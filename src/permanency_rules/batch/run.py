"""Check a whole caseload: tables or JSON Lines in, a findings table and per-case table out.

A folder of tables with the pandas backend takes the column-wise path (``blocks``): blocks
of up to 100,000 cases are typed, screened, clocked, turned into facts, matched and rendered
over whole columns; a case with anything unusual falls back to the per-case path inside its
block. Everything else (JSON Lines, AFCARS, iterables, the durable-rules backend) takes the
per-case path in chunks (``job``): validate each case (a bad case is recorded with all its
errors and the rest go on), compute clocks and facts, match. Both paths give the same
findings, ids and messages (``tests/columnar``, ``tests/engines/test_differential.py``).
Totals reconcile: cases in = cases checked + cases rejected.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..adapters.afcars import GROUP_COLUMNS, AfcarsSource
from ..adapters.tables import read_arrow
from ..conventions import TEXT, empty_findings, typed_findings
from ..engines.choice import EngineName
from ..evaluation import Plan, ProfileArg, RulesArg, plan_for, resolve_catalogue
from ..language.ir import Literal, Op
from ..model.case import Case
from ..model.errors import CaseError
from ..outputs.quality import quality_rows
from .blocks import Block, Blocks, drop_repeated_ids
from .deadlines import DEADLINE_COLUMNS, raw_frame, tickler
from .frames import case_frame, typed_cases
from .job import CaseJob
from .pool import (
    CASE_CHUNK,
    block_size,
    blocks_in_order,
    default_workers,
    fork_here,
    forked_helpers,
    forkserver_helpers,
    parallel_chunks,
)
from .sources import (
    AFCARS_NOTES,
    AFCARS_UNKNOWN,
    REPEATED_ID,
    afcars_source,
    case_rows,
    case_table_columns,
    chunks,
    group_columns,
    per_case_source,
    table_notes,
    unique_ids,
)
from .summary import GroupBy, annotate, check_group_keys, group_keys, rollup, summarize


@dataclass
class CaseloadResult:
    findings: pd.DataFrame
    cases: pd.DataFrame
    summary: pd.DataFrame
    run_not_evaluable: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Every deadline of every checked case (``deadlines.DEADLINE_COLUMNS``), the tickler.
    deadlines: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DEADLINE_COLUMNS))
    #: One row per group (``summary.rollup``): the group's own cases and findings.
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    group_by: list[str] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        c = self.cases
        return {
            "cases_in": len(c),
            "cases_checked": int((c["status"] == "checked").sum()),
            "cases_rejected": int((c["status"] == "rejected").sum()),
            "findings": len(self.findings),
        }


def check_caseload(
    source: str | Path | Iterable[Case | dict[str, Any]],
    as_of: date,
    *,
    rules: RulesArg = None,
    profile: ProfileArg = None,
    backend: EngineName = "pandas",
    group_by: GroupBy = None,
    chunk_size: int | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> CaseloadResult:
    """Check every case in ``source`` on ``as_of``; a bad case never stops the run.

    ``workers`` processes check blocks or chunks (default: the machine's cores; results are
    identical for any number); ``chunk_size`` sets the cases per block or chunk (default: up to
    100,000 column-wise, split between the workers down to 10,000; 5,000 per case)."""
    workers = workers or default_workers()
    keys = group_keys(group_by)
    check_group_keys(keys, group_columns(source))
    catalogue = resolve_catalogue(rules, profile)
    plan = plan_for(catalogue, as_of)
    afcars = afcars_source(source)
    folder = isinstance(source, (str, Path)) and Path(source).is_dir()
    if backend == "pandas" and (folder or afcars is not None):
        job = CaseJob(catalogue, as_of, backend, frozenset())

        def split() -> bool:  # more than one block: helpers start while the tables are read
            n = case_rows(Path(source))  # type: ignore[arg-type]
            return n > block_size(n, workers, chunk_size)

        fork = fork_here()  # forked once the tables are read; else started while they are read
        with forkserver_helpers(job, 0 if fork else workers - 1, split) as early:
            tables = afcars.arrow() if afcars is not None else read_arrow(Path(source))  # type: ignore[arg-type]
            at, positions, repeated = drop_repeated_ids(tables)
            blocks = Blocks(at, block_size(at.tables["cases"].num_rows, workers, chunk_size))
            notes, unknown = table_notes(at, blocks.orphans())
            if afcars is not None:
                notes, unknown = AFCARS_NOTES, AFCARS_UNKNOWN
            blind = blind_rules(plan, unknown)
            job = dataclasses.replace(job, blind=frozenset(blind))
            several = len(blocks) > 1  # one block is checked here, with no helper
            late = forked_helpers(job, workers - 1, blocks) if fork and several and workers > 1 else None
            with late or nullcontext(early) as helping:
                done = blocks_in_order(job, blocks, helping if several else None)
                cases_df, findings_df, raw_due = _collect(done, positions, repeated, progress)
    else:
        raw, notes, unknown = per_case_source(afcars or source)
        blind = blind_rules(plan, unknown)
        job = CaseJob(catalogue, as_of, backend, frozenset(blind))
        findings: list[pd.DataFrame] = [empty_findings()]
        per_case: list[pd.DataFrame] = [case_frame([])]
        due: list[pd.DataFrame] = [raw_frame([])]
        parts = chunks(unique_ids(raw), chunk_size or CASE_CHUNK)
        first = list(islice(parts, 2))
        parts = chain(first, parts)
        if workers > 1 and len(first) > 1:  # helpers only for more than one chunk
            results: Iterable[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = parallel_chunks(
                job, parts, workers
            )
        else:
            results = (job.run(chunk) for chunk in parts)
        for rows, found, dues in results:
            per_case.append(rows)
            findings.append(found)
            due.append(dues)
            if progress:
                progress(len(rows))
        cases_df = pd.concat(per_case, ignore_index=True)
        findings_df = pd.concat(findings, ignore_index=True)
        raw_due = pd.concat(due, ignore_index=True)
    if afcars is not None:
        cases_df, findings_df = _with_quality(cases_df, findings_df, afcars)
    cases_df = _pass_through(cases_df, source, keys)
    findings_df = annotate(findings_df, cases_df, plan)
    notes = [*notes, *_later_note(cases_df, as_of)]
    return CaseloadResult(
        findings_df,
        cases_df,
        summarize(findings_df, cases_df, plan, keys),
        [{"rule_id": r, "missing": c} for r, c in sorted(blind.items())],
        [n for n in notes if not any(n == f"cases.{k}: unknown column ignored" for k in keys)],
        tickler(raw_due, cases_df, as_of),
        rollup(findings_df, cases_df, keys),
        keys,
    )


def blind_rules(plan: Plan, unknown: dict[str, set[str]]) -> dict[str, str]:
    """Rules that read a column missing from the whole run (rule id -> column)."""
    blind: dict[str, str] = {}
    for col, fields in unknown.items():
        for r in plan.rules:
            if r.id not in blind and _rule_fields(plan, r.id) & fields:
                blind[r.id] = col
    return blind


def _collect(
    results: Iterable[tuple[int, Block]],
    positions: np.ndarray,
    repeated: pd.DataFrame,
    progress: Callable[[int], None] | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Blocks' results in input order; rows of repeated case ids rejected in their place."""
    none = case_frame([])
    none.insert(0, "pos", np.zeros(0, np.int64))  # a header-only cases table has no blocks
    per_case = [none]
    findings = [empty_findings()]
    due = [raw_frame([])]
    if len(repeated):
        rejected = case_frame(
            [
                {"case_id": cid, "status": "rejected", "errors": str(CaseError("", REPEATED_ID))}
                for cid in repeated["case_id"]
            ]
        )
        rejected.insert(0, "pos", repeated["pos"].to_numpy())
        per_case.append(rejected)
    for lo, b in results:
        rows = b.cases
        rows["pos"] = positions[rows["pos"].to_numpy() + lo]
        per_case.append(rows)
        findings.append(b.findings)
        due.append(b.deadlines)
        if progress:
            progress(len(rows))
    cases_df = pd.concat(per_case, ignore_index=True).sort_values("pos", kind="stable")
    return (
        typed_cases(cases_df.drop(columns="pos")),
        typed_findings(pd.concat(findings, ignore_index=True)),
        pd.concat(due, ignore_index=True),
    )


def _pass_through(cases: pd.DataFrame, source: Any, keys: list[str]) -> pd.DataFrame:
    """Group columns that are not per-case columns, from the cases table (row for row: the
    per-case table keeps the cases table's order, repeated ids included)."""
    extra = [k for k in keys if k not in cases.columns]
    if not extra:
        return cases
    values = case_table_columns(Path(source), extra)
    return pd.concat([cases.reset_index(drop=True), values.reset_index(drop=True)], axis=1)


def _with_quality(
    cases: pd.DataFrame, findings: pd.DataFrame, source: AfcarsSource
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """AFCARS data-quality findings added to the findings and counts of checked cases, and
    each record's state and county as group columns."""
    checked = set(cases.loc[cases["status"] == "checked", "case_id"])
    dq = quality_rows(source.issues, checked)
    if len(dq):
        both = pd.concat([findings, typed_findings(dq)], ignore_index=True)

        def text(s: pd.Series) -> pa.Array:
            return pa.array(s, type=pa.string(), from_pandas=True)

        # in case order, then rule and finding id, in Arrow (pandas sorted the text in Python)
        pos = pc.index_in(text(both["case_id"]), value_set=text(cases["case_id"]))
        keys = pa.table({"pos": pos, "r": text(both["rule_id"]), "f": text(both["finding_id"])})
        order = pc.sort_indices(keys, sort_keys=[(k, "ascending") for k in ("pos", "r", "f")])
        findings = both.take(np.asarray(order)).reset_index(drop=True)
        extra = dq["case_id"].value_counts().reindex(cases["case_id"]).fillna(0).astype("int64").to_numpy()
        cases = cases.copy()
        for col in ("findings", "info"):
            cases[col] = cases[col] + np.where(cases["status"] == "checked", extra, 0)
    groups = source.groups[list(GROUP_COLUMNS)].astype(TEXT)
    cases = pd.concat([cases.reset_index(drop=True), groups.reset_index(drop=True)], axis=1)
    return cases, findings


def _rule_fields(plan: Plan, rule_id: str) -> set[str]:
    rule = plan.catalogue.rule(rule_id)
    out = {f"case.{t.field}" for t in rule.effective_condition().case_tests}
    for c in rule.condition.clauses:
        out |= {f"{c.fact}.{t.field}" for t in c.tests} | {f"{c.fact}.*"}
        if c.fact == "deadline":
            out |= {
                f"deadline:{t.operand.value}"
                for t in c.tests
                if t.field == "name" and t.op == Op.EQ and isinstance(t.operand, Literal)
            }
    return out


def _later_note(cases_df: pd.DataFrame, as_of: date) -> list[str]:
    """One run note for the records dated after ``as_of`` that were left out (R19)."""
    if "records_after_as_of" not in cases_df:
        return []
    later = cases_df["records_after_as_of"].fillna(0)
    if not later.sum():
        return []
    return [
        f"{int(later.sum())} records dated after as_of {as_of.isoformat()} in {int((later > 0).sum())} "
        "cases were left out (the future as of that date, not errors)"
    ]
