"""Deadline facts: every clock's deadline as a fact, per case and column-wise, side by side.

The values come from the clocks (``clocks/``); this module only turns them into facts. Which
table columns a deadline reads depends on the deadline, so the columns are declared per name
(``READS_BY_NAME``): a rule binding ``deadline`` with ``name == X`` reads the columns of ``X``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ..clocks import Clocks
from ..clocks.compute import ClockColumns
from ..clocks.dates import iso
from ..clocks.deadline import OPEN_STATUSES, DeadlineName, DeadlineStatus
from ..conventions import to_day
from .columns import NO_DAY, Flags, Ints, Scope, days, fact_frame, masked_int, present, text
from .fields import ID, F, Fact, FactType, columns, drop_none

DEADLINE = FactType(
    "deadline",
    {
        "id": ID(""),
        "name": F("str", "Deadline name.", True, DeadlineName, reads=""),
        "status": F("str", "Deadline status.", True, DeadlineStatus, reads=""),
        "due_day": F("day", "Due date.", reads=""),
        "days_overdue": F(
            "int",
            "Days from the due date to as_of (negative before it); only while the deadline is open "
            "(a missed or excepted duty has no growing count).",
            reads="",
        ),
        "last_event_day": F("day", "The last event that counts toward it.", reads=""),
        "subject": F("str", "The item it is about (e.g. a placement id).", reads=""),
        "basis": F("str", "How the due date was reached.", True, reads=""),
        "scheduled_day": F(
            "day", "The calendared hearing or review that answers it (status scheduled).", reads=""
        ),
        "exception": F("str", "The legal exception that applies (status excepted).", reads=""),
        "exception_day": F("day", "When that exception was documented or arose.", reads=""),
        "exception_ended_day": F(
            "day", "The day the exception's basis ended (it still applies: once).", reads=""
        ),
        "applies_day": F("day", "Not applicable yet: the day it starts to apply.", reads=""),
    },
)

#: Every clock runs from removal, and closes when the episode is discharged.
_EPISODE = "cases.removal_date cases.discharge_date"
_HELD = "hearings.scheduled hearings.date"  # held hearings of this episode
#: The date entered foster care: first adjudication, or a held hearing finding one.
DEFC_READS = f"{_EPISODE} cases.first_adjudication_date {_HELD} hearings.findings"
#: The 15-of-22 count: this and earlier episodes, less runaway and trial-home-visit stretches.
CARE_READS = (
    f"{DEFC_READS} episodes.removal_date episodes.discharge_date"
    " placements.setting placements.start_date placements.end_date episodes.first_adjudication_date"
)
_D = DeadlineName
READS_BY_NAME = {
    _D.CASE_PLAN: columns(f"{_EPISODE} case_plans.date"),
    # cases.manner_of_removal is not a read but a defaulted column (DEFAULTED, below)
    _D.PREVENT_REMOVAL_FINDING: columns(f"{_EPISODE} {_HELD} hearings.findings"),
    _D.CONTRARY_TO_WELFARE_FINDING: columns(f"{_EPISODE} {_HELD} hearings.findings"),
    _D.BEST_INTEREST_DETERMINATION: columns(f"{_EPISODE} {_HELD} hearings.findings"),
    _D.RELATIVE_NOTICE: columns(
        f"{_EPISODE} cases.relative_notice_date cases.relative_notice_exception_date"
    ),
    _D.PERIODIC_REVIEW: columns(f"{DEFC_READS} hearings.type reviews.date reviews.scheduled"),
    _D.PERMANENCY_HEARING: columns(f"{DEFC_READS} hearings.type"),
    _D.REASONABLE_EFFORTS_FINDING: columns(f"{DEFC_READS} hearings.type"),
    _D.CASEWORKER_VISIT: columns(f"{_EPISODE} caseworker_visits.date"),
    _D.TPR_PETITION: columns(
        f"{CARE_READS} cases.tpr_petition_date parents.case_id parents.rights_terminated_date"
        " parents.deceased cases.tpr_exception cases.tpr_exception_date placements.relative"
    ),
    _D.TRANSITION_PLAN: columns(f"{_EPISODE} cases.birth_date cases.transition_plan_date"),
    _D.CREDIT_REPORT: columns(f"{_EPISODE} cases.birth_date credit_reports.date"),
    _D.TRIAL_HOME_VISIT: columns(
        f"{_EPISODE} placements.id placements.setting placements.start_date placements.end_date"
        f" placements.extended_until {_HELD} hearings.findings"
    ),
}

#: Columns that are not reads: a missing value, or a folder without the column, means the case
#: model's default, so their absence leaves the rules evaluable. Dropping one still changes the
#: facts listed here (tests/facts/test_registry.py holds every change to a declaration).
#: manner_of_removal: unknown counts as court-ordered (the 60-day findings apply, the voluntary
#: placement's best-interest determination does not).
DEFAULTED: dict[tuple[str, str], set[str]] = {
    ("cases", "manner_of_removal"): {
        f"deadline:{d.value}"
        for d in (_D.PREVENT_REMOVAL_FINDING, _D.CONTRARY_TO_WELFARE_FINDING, _D.BEST_INTEREST_DETERMINATION)
    },
}


def deadline_facts(clocks: Clocks) -> list[Fact]:
    as_of = clocks.as_of
    return [
        drop_none(
            {
                "id": f"deadline:{d.key}",
                "t": "deadline",
                "name": d.name.value,
                "status": d.status.value,
                "due_day": to_day(d.due_date) if d.due_date else None,
                "days_overdue": (as_of - d.due_date).days
                if d.due_date and d.status in OPEN_STATUSES
                else None,
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
        for d in clocks.deadlines
    ]


def _deadline_ids(name: pd.Series, subject: pd.Series, due: Ints, has_due: Flags) -> pd.Series:
    """``deadline:<name>:<subject or ->:<due iso or none>`` (``Deadline.key``) of each row.

    Names, subjects and due days repeat across cases, so each distinct (name, subject, due)
    is spelled once and the rows take their spelling (a join of ten million strings costs
    several times more)."""
    name_code, names = pd.factorize(name)
    subject_code, subjects = pd.factorize(subject)  # missing: -1
    due_code, dues = pd.factorize(np.where(has_due, due, NO_DAY))
    n_subjects, n_dues = len(subjects) + 1, len(dues)
    combo, combos = pd.factorize((name_code * n_subjects + subject_code + 1) * n_dues + due_code)
    combos = np.asarray(combos, dtype=np.int64)
    rest, due_at = np.divmod(combos, n_dues)
    name_at, subject_at = np.divmod(rest, n_subjects)
    subject_text = np.append(np.asarray(subjects, dtype=object), "-")[subject_at - 1]  # -1: "-"
    due_day = np.asarray(dues, dtype=np.int64)[due_at]
    due_text = np.where(
        due_day == NO_DAY, "none", np.asarray(iso(np.maximum(due_day, 0)).to_pylist(), dtype=object)
    )
    spelled = [
        f"deadline:{a}:{b}:{c}"
        for a, b, c in zip(np.asarray(names, dtype=object)[name_at], subject_text, due_text, strict=True)
    ]
    return pd.Series(pd.array(pa.array(spelled, pa.large_string()).take(pa.array(combo)), dtype="string"))


def deadline_columns(s: Scope, clocks: ClockColumns) -> pd.DataFrame:
    """``deadline_facts`` for every case."""
    dl = clocks.deadlines
    key = dl["key"].to_numpy(dtype=np.int64)
    due = days(dl["due_day"], 0)
    has_due = present(dl["due_day"])
    name = text(dl["name"])
    subject = text(dl["subject"])
    last = dl["last_event_day"]
    open_ = dl["status"].isin([st.value for st in OPEN_STATUSES]).to_numpy(dtype=bool)

    def day(column: str) -> pd.api.extensions.ExtensionArray:
        return masked_int(days(dl[column], 0), ~present(dl[column]))

    return fact_frame(
        DEADLINE,
        key,
        {
            "id": _deadline_ids(name, subject, due, has_due),
            "name": name,
            "status": dl["status"],
            "due_day": masked_int(due, ~has_due),
            "days_overdue": masked_int(s.as_day - due, ~has_due | ~open_),
            "last_event_day": masked_int(days(last, 0), ~present(last)),
            "subject": subject,
            "basis": dl["basis"],
            "scheduled_day": day("scheduled_day"),
            "exception": text(dl["exception"]),
            "exception_day": day("exception_day"),
            "exception_ended_day": day("exception_ended_day"),
            "applies_day": day("applies_day"),
        },
    )
