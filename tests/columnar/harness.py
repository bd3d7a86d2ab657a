"""Shared by the column-wise tests: one caseload seen both ways (typed tables and Case objects)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from permanency_rules.adapters.tables import iter_table_cases, read_arrow
from permanency_rules.clocks import ClockColumns, compute_clocks
from permanency_rules.columnar.typed import Typed, type_tables
from permanency_rules.conventions import to_day
from permanency_rules.model.case import Case
from permanency_rules.model.errors import CaseValidationError
from permanency_rules.model.io import parse_and_check
from permanency_rules.synth import synth_cases, write_caseload

DEADLINE_COLUMNS = (
    "key",
    "name",
    "status",
    "due_day",
    "last_event_day",
    "subject",
    "basis",
    "scheduled_day",
    "exception",
    "exception_day",
    "exception_ended_day",
    "applies_day",
)


@dataclass
class Both:
    typed: Typed
    cases: dict[int, Case]  # key -> parsed case, for every case the reference path accepts
    rejected: set[int]  # keys the reference path rejects


def both_ways(folder: Path, as_of: date) -> Both:
    """Read a caseload folder as typed tables and as per-case models."""
    at = read_arrow(folder)
    typed = type_tables(at)
    ts = at.to_pandas()
    cases: dict[int, Case] = {}
    rejected: set[int] = set()
    seen: set[str] = set()
    for key, (case_id, data) in enumerate(iter_table_cases(ts)):
        if case_id in seen:
            rejected.add(key)
            continue
        seen.add(case_id)
        try:
            cases[key] = parse_and_check(data, as_of)
        except CaseValidationError:
            rejected.add(key)
    return Both(typed, cases, rejected)


def synth_folder(tmp: Path, n: int, seed: int, synth_as_of: date, fmt: str = "parquet") -> Path:
    out = tmp / f"caseload_{n}_{seed}"
    write_caseload(list(synth_cases(n, synth_as_of, seed=seed)), out, fmt)
    return out


def write_cases(tmp: Path, cases: list[dict[str, Any]], fmt: str = "csv") -> Path:
    out = tmp / "cases"
    write_caseload(cases, out, fmt)
    return out


def reference_clocks(cases: Mapping[int, Case], as_of: date, params: Mapping[str, int]) -> ClockColumns:
    """``ClockColumns`` built case by case with ``compute_clocks`` (the reference)."""
    rows = []
    deadlines = []
    for key in sorted(cases):
        c = compute_clocks(cases[key], as_of, params)
        rows.append(
            {
                "key": key,
                "removal_day": to_day(c.removal_date),
                "defc_day": to_day(c.defc),
                "age_years": c.age_years,
                "months_since_removal": c.months_since_removal,
                "months_since_defc": c.months_since_defc,
                "tpr_months_in_care": c.tpr_months_in_care,
                **{f"visit_{k}": v for k, v in vars(c.visits).items()},
            }
        )
        for d in c.deadlines:
            deadlines.append(
                {
                    "key": key,
                    "name": d.name.value,
                    "status": d.status.value,
                    "due_day": to_day(d.due_date) if d.due_date else None,
                    "last_event_day": to_day(d.last_event) if d.last_event else None,
                    "subject": d.subject,
                    "basis": d.basis,
                    "scheduled_day": to_day(d.scheduled_date) if d.scheduled_date else None,
                    "exception": d.exception,
                    "exception_day": to_day(d.exception_date) if d.exception_date else None,
                    "exception_ended_day": to_day(d.exception_ended) if d.exception_ended else None,
                    "applies_day": to_day(d.applies_from) if d.applies_from else None,
                }
            )
    case = pd.DataFrame(rows, columns=list(rows[0]) if rows else ["key"]).astype({"age_years": "Int64"})
    dl = pd.DataFrame(deadlines, columns=[*DEADLINE_COLUMNS]).astype(
        {
            "due_day": "Int64",
            "last_event_day": "Int64",
            "subject": "string",
            "basis": "string",
            "scheduled_day": "Int64",
            "exception": "string",
            "exception_day": "Int64",
            "exception_ended_day": "Int64",
            "applies_day": "Int64",
        }
    )
    return ClockColumns(case, dl)
