"""Check a whole caseload: tables or JSON Lines in, a findings table and per-case table out.

A folder of tables with the pandas backend takes the column-wise path (``columnar``): blocks
of up to 100,000 cases are typed, screened, clocked, turned into facts, matched and rendered
over whole columns; a case with anything unusual falls back to the per-case path inside its
block. Everything else (JSON Lines, AFCARS, iterables, the durable-rules backend) takes the
per-case path in chunks: validate each case (a bad case is recorded with all its errors and
the rest go on), compute clocks and facts, match. Both paths give the same findings, ids and
messages (``tests/columnar``, ``tests/engines/test_differential.py``). Totals reconcile:
cases in = cases checked + cases rejected.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

from .adapters.afcars import UNKNOWN, is_afcars, iter_afcars_cases
from .adapters.jsonl import iter_jsonl_cases
from .adapters.tables import ArrowTables, iter_table_cases, orphan_rows, read_arrow
from .columnar.pipeline import Block, Blocks, check_block, drop_repeated_ids
from .engines.base import Match
from .engines.frames import KEY, FrameEngine, facts_to_frames
from .evaluation import (
    EngineName,
    Plan,
    ProfileArg,
    RulesArg,
    case_facts,
    plan_for,
    resolve_catalogue,
)
from .language.catalogue import Catalogue
from .language.ir import Literal, Op
from .model.case import Case
from .model.errors import CaseError, CaseValidationError
from .model.io import parse_and_check

FINDING_COLUMNS = [
    "case_id",
    "rule_id",
    "rule_version",
    "family",
    "severity",
    "deadline",
    "due_date",
    "status",
    "message",
    "finding_id",
]
SEVERITIES = ["critical", "warning", "info"]
RawCase = tuple[str, dict[str, Any] | str]


@dataclass
class CaseloadResult:
    findings: pd.DataFrame
    cases: pd.DataFrame
    summary: pd.DataFrame
    run_not_evaluable: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        c = self.cases
        return {
            "cases_in": len(c),
            "cases_checked": int((c["status"] == "checked").sum()),
            "cases_rejected": int((c["status"] == "rejected").sum()),
            "findings": len(self.findings),
        }


def _table_notes(at: ArrowTables, orphans: dict[str, int]) -> tuple[list[str], dict[str, set[str]]]:
    notes = [f"{t}.{c}: column missing" for t, c in at.missing_columns]
    notes += [f"{t}.{c}: unknown column ignored" for t, c in at.unknown_columns]
    notes += [f"{t}: {n} row(s) whose case_id is not in cases, ignored" for t, n in orphans.items()]
    return notes, _unknown_fields(at.missing_columns)


def _source(source: Any) -> tuple[Iterable[RawCase], list[str], dict[str, set[str]]]:
    """Raw cases, notes, and the fact fields a missing column leaves unknown."""
    if isinstance(source, (str, Path)):
        p = Path(source)
        if p.is_dir():
            at = read_arrow(p)
            notes, unknown = _table_notes(at, orphan_rows(at))
            return iter_table_cases(at.to_pandas()), notes, unknown
        if p.suffix in (".jsonl", ".ndjson"):
            return iter_jsonl_cases(p), [], {}
        if is_afcars(p):
            return (
                iter_afcars_cases(p),
                ["AFCARS record: no case plans, services, hearings or visits"],
                {"case plans, services, hearings and visits (AFCARS has none)": UNKNOWN},
            )
        raise ValueError(f"{p}: expected a folder of tables, a .jsonl file or an AFCARS file")
    return (
        (
            (
                str(getattr(c, "case_id", None) or (c.get("case_id") if isinstance(c, dict) else ""))
                or f"item-{i}",
                c,
            )
            for i, c in enumerate(source)
        ),
        [],
        {},
    )


#: Optional columns whose absence leaves fact fields unknown for the whole run (their model
#: defaults would otherwise pass for data). Required columns surface as errors per case.
COLUMN_FACTS: dict[tuple[str, str], set[str]] = {
    ("cases", "birth_date"): {
        "case.age_years",
        "case_plan.child_age_at_plan",
        "deadline:transition_plan",
        "deadline:credit_report",
    },
    ("cases", "first_adjudication_date"): {
        "case.defc_day",
        "case.months_since_defc",
        "deadline:permanency_hearing",
        "deadline:periodic_review",
        "deadline:reasonable_efforts_finding",
        "deadline:tpr_petition",
    },
    ("cases", "tpr_exception"): {
        "case.tpr_exception",
        "case.tpr_exception_relative_care",
        "case.tpr_exception_compelling_reason",
        "case.tpr_exception_services_not_provided",
    },
    ("cases", "tpr_petition_date"): {
        "case.tpr_petition_filed",
        "case.legal_permanency_step",
        "deadline:tpr_petition",
    },
    ("cases", "removal_reasons"): {"case.removal_for_housing"},
    ("cases", "relative_notice_date"): {"deadline:relative_notice"},
    ("cases", "transition_plan_date"): {"deadline:transition_plan"},
    ("cases", "mentor_start_date"): {"case.has_mentor"},
    ("services", "trauma_informed"): {"service.trauma_informed"},
    ("hearings", "findings"): {
        "deadline:reasonable_efforts_finding",
        "deadline:prevent_removal_finding",
        "deadline:trial_home_visit",
    },
    ("hearings", "appla_intensive_family_finding"): {"hearing.appla_family_finding"},
    ("hearings", "appla_child_asked"): {"hearing.appla_child_asked"},
    ("hearings", "appla_compelling_reasons"): {"hearing.appla_compelling_reasons"},
    ("hearings", "appla_normalcy"): {"hearing.appla_normalcy"},
    ("case_plans", "participants"): {
        "case_plan.child_participated",
        "case_plan.mother_participated",
        "case_plan.father_participated",
        "case_plan.caregiver_participated",
        "parent.in_latest_plan",
    },
    ("case_plans", "components"): {"case_plan.missing_components", "case_plan.missing_component_count"},
    ("siblings", "contact_plan"): {"sibling.contact_plan"},
}


def _unknown_fields(missing: list[tuple[str, str]]) -> dict[str, set[str]]:
    return {f"{t}.{c}": COLUMN_FACTS[(t, c)] for t, c in missing if (t, c) in COLUMN_FACTS}


def _rule_fields(plan: Plan, rule_id: str) -> set[str]:
    rule = plan.catalogue.rule(rule_id)
    out = {f"case.{t.field}" for t in rule.effective_condition().case_tests}
    for c in rule.condition.clauses:
        out |= {f"{c.fact}.{t.field}" for t in c.tests}
        if c.fact == "deadline":
            out |= {
                f"deadline:{t.operand.value}"
                for t in c.tests
                if t.field == "name" and t.op == Op.EQ and isinstance(t.operand, Literal)
            }
    return out


def _chunks(it: Iterable[RawCase], size: int) -> Iterator[list[RawCase]]:
    it = iter(it)
    while chunk := list(islice(it, size)):
        yield chunk


def check_caseload(
    source: str | Path | Iterable[Case | dict[str, Any]],
    as_of: date,
    *,
    rules: RulesArg = None,
    profile: ProfileArg = None,
    backend: EngineName = "pandas",
    group_by: str | None = None,
    chunk_size: int | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> CaseloadResult:
    """Check every case in ``source`` on ``as_of``; a bad case never stops the run.

    ``workers`` > 1 checks blocks or chunks in that many processes (results are identical);
    ``chunk_size`` sets the cases per block or chunk (default: 100,000 column-wise, split so
    every worker gets one; 5,000 per case)."""
    catalogue = resolve_catalogue(rules, profile)
    plan = plan_for(catalogue, as_of)
    if backend == "pandas" and isinstance(source, (str, Path)) and Path(source).is_dir():
        job = _Job(catalogue, as_of, backend, frozenset())
        with _pool(job, workers) as pool:  # workers start while the tables are read
            at, positions, repeated = drop_repeated_ids(read_arrow(Path(source)))
            blocks = Blocks(at, _block_size(at.tables["cases"].num_rows, workers, chunk_size))
            notes, unknown = _table_notes(at, blocks.orphans())
            blind = _blind(plan, unknown)
            job = dataclasses.replace(job, blind=frozenset(blind))
            done: Iterable[tuple[int, Block]]
            if pool is None:
                done = ((lo, job.run_block(part)) for lo, part in blocks)
            else:
                done = _parallel_blocks(pool, job.blind, blocks, workers)
            cases_df, findings_df = _collect(done, positions, repeated, progress)
    else:
        raw, notes, unknown = _source(source)
        blind = _blind(plan, unknown)
        job = _Job(catalogue, as_of, backend, frozenset(blind))
        findings: list[pd.DataFrame] = [_finding_frame([])]
        per_case: list[pd.DataFrame] = [_case_frame([])]
        chunks = _chunks(_unique_ids(raw), chunk_size or CASE_CHUNK)
        if workers > 1:
            results: Iterable[tuple[pd.DataFrame, pd.DataFrame]] = _parallel(job, chunks, workers)
        else:
            results = (job.run(chunk) for chunk in chunks)
        for rows, found in results:
            per_case.append(rows)
            findings.append(found)
            if progress:
                progress(len(rows))
        cases_df = pd.concat(per_case, ignore_index=True)
        findings_df = pd.concat(findings, ignore_index=True)
    summary = summarize(findings_df, cases_df, plan, group_by)
    return CaseloadResult(
        findings_df,
        cases_df,
        summary,
        [{"rule_id": r, "missing": c} for r, c in sorted(blind.items())],
        notes,
    )


#: Cases per block on the column-wise path: big enough that per-operation overhead vanishes,
#: small enough that a block's facts stay well under a gigabyte.
COLUMN_BLOCK = 100_000
#: Cases per chunk on the per-case path (JSON Lines, AFCARS, iterables, durable-rules).
CASE_CHUNK = 5000


def _block_size(cases: int, workers: int, chunk_size: int | None) -> int:
    """``chunk_size`` if given, else up to ``COLUMN_BLOCK`` cases and small enough that every
    worker gets a block."""
    if chunk_size:
        return chunk_size
    return max(1, min(COLUMN_BLOCK, -(-cases // max(workers, 1))))


def _blind(plan: Plan, unknown: dict[str, set[str]]) -> dict[str, str]:
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
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Blocks' results in input order; rows of repeated case ids rejected in their place."""
    per_case = [_case_frame([])]
    findings = [_finding_frame([])]
    if len(repeated):
        rejected = _case_frame(
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
        if progress:
            progress(len(rows))
    cases_df = pd.concat(per_case, ignore_index=True).sort_values("pos", kind="stable")
    return _typed_cases(cases_df.drop(columns="pos")), _typed_findings(pd.concat(findings, ignore_index=True))


CASE_COLUMNS = [
    "case_id",
    "office",
    "worker_id",
    "status",
    "findings",
    *SEVERITIES,
    "not_evaluable",
    "errors",
]


_TEXT = "string[pyarrow]"  # compact: a million cases' findings stay in Arrow buffers
DATE = pd.ArrowDtype(pa.date32())


def _typed_findings(df: pd.DataFrame) -> pd.DataFrame:
    text = ["case_id", "rule_id", "family", "severity", "deadline", "status", "message", "finding_id"]
    df = df[FINDING_COLUMNS].astype({c: _TEXT for c in text} | {"rule_version": "int64", "due_date": DATE})
    return df.reset_index(drop=True)


def _finding_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return _typed_findings(pd.DataFrame(rows, columns=FINDING_COLUMNS))


_COUNTS = ["findings", *SEVERITIES, "not_evaluable"]


def _typed_cases(df: pd.DataFrame) -> pd.DataFrame:
    df = df[CASE_COLUMNS].astype(
        {c: "Int64" for c in _COUNTS} | {c: _TEXT for c in CASE_COLUMNS if c not in _COUNTS}
    )
    return df.reset_index(drop=True)


def _case_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return _typed_cases(pd.DataFrame(rows, columns=CASE_COLUMNS))


REPEATED_ID = "case_id: the same id as an earlier case"


def _unique_ids(raw: Iterable[RawCase]) -> Iterator[RawCase]:
    """Later cases that reuse an earlier case_id are rejected, not merged or dropped."""
    seen: set[str] = set()
    for case_id, data in raw:
        if case_id in seen:
            yield case_id, REPEATED_ID
            continue
        seen.add(case_id)
        yield case_id, data


@dataclass(frozen=True)
class _Job:
    """What a chunk needs to be checked, in this process or another one (picklable)."""

    catalogue: Catalogue
    as_of: date
    backend: EngineName
    blind: frozenset[str]

    def run(self, chunk: list[RawCase]) -> tuple[pd.DataFrame, pd.DataFrame]:
        plan = plan_for(self.catalogue, self.as_of)
        per_case: list[dict[str, Any]] = []
        good: list[tuple[Case, list[dict[str, Any]], dict[str, Any]]] = []
        for case_id, data in chunk:
            row: dict[str, Any] = {"case_id": case_id, "status": "checked", "errors": ""}
            per_case.append(row)
            try:
                if isinstance(data, str):
                    raise CaseValidationError(case_id, [CaseError("", data)])
                case = parse_and_check(data, self.as_of)
                facts = case_facts(case, plan)
            except CaseValidationError as exc:
                row.update(status="rejected", errors="; ".join(str(e) for e in exc.errors))
                if isinstance(data, dict):
                    row.update({k: data[k] for k in ("office", "worker_id") if isinstance(data.get(k), str)})
                continue
            row.update(office=case.office, worker_id=case.worker_id)
            good.append((case, facts, row))
        findings: list[dict[str, Any]] = []
        matches = _match(plan, self.backend, [f for _c, f, _r in good])
        for (case, facts, row), case_matches in zip(good, matches, strict=True):
            not_eval = {n.rule_id for n in plan.not_evaluable(facts[-1])} | self.blind
            found = plan.finding_rows(case_matches, facts, case.case_id, not_eval)
            found.sort(key=lambda f: (f["rule_id"], f["finding_id"]))
            findings += found
            counts = {s: 0 for s in SEVERITIES}
            for f in found:
                counts[f["severity"]] += 1
            row.update(findings=len(found), **counts, not_evaluable=len(not_eval))
        return _case_frame(per_case), _finding_frame(findings)

    def run_block(self, part: ArrowTables) -> Block:
        """A block of tables, column-wise (cases it cannot take go through ``run``)."""
        return check_block(part, plan_for(self.catalogue, self.as_of), self.blind, self.run)


_job: _Job | None = None


def _init_worker(job: _Job) -> None:
    global _job
    _job = job


def _run_in_worker(chunk: list[RawCase]) -> tuple[pd.DataFrame, pd.DataFrame]:
    assert _job is not None
    return _job.run(chunk)


def _block_in_worker(part: ArrowTables, blind: frozenset[str]) -> Block:
    assert _job is not None
    return dataclasses.replace(_job, blind=blind).run_block(part)


def _warm() -> None:
    """Compile the plan and engine in a worker before the first block arrives."""
    assert _job is not None
    plan_for(_job.catalogue, _job.as_of).engine("pandas")


def _executor(job: _Job, workers: int) -> ProcessPoolExecutor:
    ctx = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(job,))


@contextmanager
def _pool(job: _Job, workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes, started (and warmed) at once; None for a single process."""
    if workers <= 1:
        yield None
        return
    with _executor(job, workers) as pool:
        for _ in range(workers):
            pool.submit(_warm)
        yield pool


T = TypeVar("T")


def _in_order(calls: Iterable[Callable[[], Future[T]]], workers: int) -> Iterator[T]:
    """Results in order, at most two calls per worker in flight (memory stays bounded)."""
    pending: deque[Future[T]] = deque()
    for call in calls:
        pending.append(call())
        if len(pending) >= 2 * workers:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _parallel(
    job: _Job, chunks: Iterator[list[RawCase]], workers: int
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    with _executor(job, workers) as pool:
        yield from _in_order((partial(pool.submit, _run_in_worker, c) for c in chunks), workers)


def _parallel_blocks(
    pool: ProcessPoolExecutor, blind: frozenset[str], blocks: Iterable[tuple[int, ArrowTables]], workers: int
) -> Iterator[tuple[int, Block]]:
    offsets: deque[int] = deque()

    def calls() -> Iterator[Callable[[], Future[Block]]]:
        for lo, part in blocks:
            offsets.append(lo)
            yield partial(pool.submit, _block_in_worker, part, blind)

    for b in _in_order(calls(), workers):
        yield offsets.popleft(), b


def _match(plan: Plan, backend: EngineName, facts: list[list[dict[str, Any]]]) -> list[list[Match]]:
    if backend != "pandas":
        engine = plan.engine(backend)
        return [engine.match_case(f) for f in facts]
    frame_engine = plan.engine("pandas")
    assert isinstance(frame_engine, FrameEngine)
    out: list[list[Match]] = [[] for _ in facts]
    if not facts:
        return out
    frames = facts_to_frames(facts)
    for rule_id, df in frame_engine.match_frames(frames).items():
        aliases = [c for c in df.columns if c != KEY]
        for row in df.itertuples(index=False, name=None):
            out[row[0]].append(Match(rule_id, tuple(zip(aliases, (str(x) for x in row[1:]), strict=True))))
    return [sorted(set(m)) for m in out]


def summarize(
    findings: pd.DataFrame, cases: pd.DataFrame, plan: Plan, group_by: str | None = None
) -> pd.DataFrame:
    """Findings and flagged cases per rule (and family), optionally per group column."""
    rules = pd.DataFrame(
        [
            {
                "rule_id": r.id,
                "family": r.spec.family.value,
                "severity": r.spec.severity.value,
                "title": r.spec.title,
            }
            for r in plan.rules
        ]
    )
    keys = ["rule_id"]
    f = findings
    if group_by:
        if group_by not in cases.columns:
            raise ValueError(f"unknown group-by column {group_by!r} (choose from {', '.join(cases.columns)})")
        f = f.merge(cases[["case_id", group_by]], on="case_id", how="left")
        keys = [group_by, "rule_id"]
    agg = (
        f.groupby(keys, dropna=False)
        .agg(findings=("finding_id", "size"), cases_flagged=("case_id", "nunique"))
        .reset_index()
    )
    out = rules.merge(agg, on="rule_id", how="left" if not group_by else "right")
    out[["findings", "cases_flagged"]] = out[["findings", "cases_flagged"]].fillna(0).astype("int64")
    checked = int((cases["status"] == "checked").sum())
    out["cases_checked"] = checked
    cols = ([group_by] if group_by else []) + [
        "family",
        "rule_id",
        "severity",
        "title",
        "findings",
        "cases_flagged",
        "cases_checked",
    ]
    return out[cols].sort_values(cols[: 2 if not group_by else 3]).reset_index(drop=True)
