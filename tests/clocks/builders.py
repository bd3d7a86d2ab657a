"""Synthetic cases for the clock tests (no real people; ids are made up)."""

from __future__ import annotations

from datetime import date
from typing import Any

from permanency_rules.clocks import Clocks, Deadline, DeadlineName, compute_clocks
from permanency_rules.language.parameters import ParameterSet, load_parameters
from permanency_rules.model.case import Case, Child, Episode

#: The federal floor in force on 2026-01-01 (credit_report_age 14, transition_age 18, ...).
PARAMS: dict[str, int] = ParameterSet(load_parameters()).resolve(date(2026, 1, 1))


def make_case(
    removal: date,
    *,
    birth: date | None = date(2012, 6, 15),
    adjudicated: date | None = None,
    discharged: date | None = None,
    **parts: Any,
) -> Case:
    return Case(
        case_id="T-CLOCK",
        child=Child(birth_date=birth),
        episode=Episode(removal_date=removal, first_adjudication_date=adjudicated, discharge_date=discharged),
        **parts,
    )


def clocks(case: Case, as_of: date, **overrides: int) -> Clocks:
    return compute_clocks(case, as_of, {**PARAMS, **overrides})


def one(result: Clocks, name: DeadlineName, subject: str | None = None) -> Deadline:
    found = [d for d in result.deadlines if d.name is name and d.subject == subject]
    assert len(found) == 1, found
    return found[0]


def get(case: Case, as_of: date, name: DeadlineName, **overrides: int) -> Deadline:
    return one(clocks(case, as_of, **overrides), name)
