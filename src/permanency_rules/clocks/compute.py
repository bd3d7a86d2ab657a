"""Run every clock for one case on one date.

Pure and deterministic: no clock reads today's date, and each one picks events by date (min or
max), never by list position, so shuffling the case's lists cannot change the result.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..model.case import Case
from .context import Context
from .court import periodic_review, permanency_hearing, reasonable_efforts_finding
from .dates import age_on, months_between
from .deadline import Deadline, DeadlineStatus
from .entry import defc_known_on
from .removal_clocks import case_plan, prevent_removal_finding, relative_notice
from .tpr import months_in_care, tpr_petition
from .trial_home_visit import trial_home_visits
from .visits import caseworker_visit
from .youth import credit_report, transition_plan

_DONE = frozenset({DeadlineStatus.MET, DeadlineStatus.MET_LATE})


@dataclass(frozen=True)
class Clocks:
    as_of: date
    removal_date: date  # current episode removal
    defc: date  # date entered foster care (42 USC 675(5)(F)), as known on as_of
    age_years: int | None  # whole years at as_of; None if birth_date unknown
    months_since_removal: int  # whole calendar months removal -> as_of (0 if negative)
    months_since_defc: int  # whole calendar months defc -> as_of (0 if before defc)
    tpr_months_in_care: int  # whole cumulative months in care in the most recent 22 months
    deadlines: tuple[Deadline, ...]  # sorted by (name, subject or "", due_date or date.max)


def compute_clocks(case: Case, as_of: date, params: Mapping[str, int]) -> Clocks:
    """Every clock of ``case`` on ``as_of`` with resolved parameter values.

    A closed episode (discharged on or before as_of) is evaluated on its discharge date, and
    every deadline it had not met becomes not applicable: a closed case has no open deadlines.
    [R] A discharge date after as_of has not happened yet: the case is open on as_of.
    """
    discharge = case.episode.discharge_date
    closed = discharge is not None and discharge <= as_of
    effective = discharge if discharge is not None and closed else as_of
    removal = case.episode.removal_date
    defc = defc_known_on(case, effective, params["defc_days_after_removal"])
    ctx = Context(case=case, as_of=effective, removal=removal, defc=defc, params=params)

    deadlines = [
        case_plan(ctx),
        prevent_removal_finding(ctx),
        relative_notice(ctx),
        periodic_review(ctx),
        permanency_hearing(ctx),
        reasonable_efforts_finding(ctx),
        caseworker_visit(ctx),
        tpr_petition(ctx),
        transition_plan(ctx),
        credit_report(ctx),
        *trial_home_visits(ctx),
    ]
    if closed:
        deadlines = [_close(d, effective) for d in deadlines]
    deadlines.sort(key=lambda d: (d.name.value, d.subject or "", d.due_date or date.max))

    birth = case.child.birth_date
    return Clocks(
        as_of=as_of,
        removal_date=removal,
        defc=defc,
        age_years=age_on(birth, as_of) if birth is not None else None,
        months_since_removal=months_between(removal, as_of),
        months_since_defc=months_between(defc, as_of),
        tpr_months_in_care=months_in_care(ctx, as_of),
        deadlines=tuple(deadlines),
    )


def _close(deadline: Deadline, discharged: date) -> Deadline:
    if deadline.status in _DONE or deadline.status is DeadlineStatus.NOT_APPLICABLE:
        return deadline
    return dataclasses.replace(
        deadline,
        status=DeadlineStatus.NOT_APPLICABLE,
        basis=f"{deadline.basis}; episode closed {discharged.isoformat()}",
    )
