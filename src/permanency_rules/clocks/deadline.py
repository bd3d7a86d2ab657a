"""Deadline records: what a case system shows as a tickler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class DeadlineStatus(StrEnum):
    MET = "met"  # the event happened on or before the due date
    MET_LATE = "met_late"  # a one-time event happened, but after its due date
    OVERDUE = "overdue"  # due date passed, no event
    DUE_SOON = "due_soon"  # due within the warning window
    PENDING = "pending"  # due later than the warning window
    NOT_APPLICABLE = "not_applicable"  # does not apply (e.g. closed case, child too young)


class DeadlineName(StrEnum):
    CASE_PLAN = "case_plan"
    PERIODIC_REVIEW = "periodic_review"
    PERMANENCY_HEARING = "permanency_hearing"
    REASONABLE_EFFORTS_FINDING = "reasonable_efforts_finding"
    TPR_PETITION = "tpr_petition"
    CASEWORKER_VISIT = "caseworker_visit"
    RELATIVE_NOTICE = "relative_notice"
    TRANSITION_PLAN = "transition_plan"
    CREDIT_REPORT = "credit_report"
    PREVENT_REMOVAL_FINDING = "prevent_removal_finding"
    TRIAL_HOME_VISIT = "trial_home_visit"


@dataclass(frozen=True)
class Deadline:
    name: DeadlineName
    status: DeadlineStatus
    due_date: date | None
    basis: str  # how the due date was reached, e.g. "DEFC 2026-03-02 + 12 months"
    citation: str  # e.g. "42 USC 675(5)(C)"
    last_event: date | None = None  # the event that met it, or the last one before it
    subject: str | None = None  # the item it is about, e.g. a trial-home-visit placement id

    @property
    def key(self) -> str:
        """Stable id of this deadline within a case (used as a fact id)."""
        due = self.due_date.isoformat() if self.due_date else "none"
        return f"{self.name.value}:{self.subject or '-'}:{due}"
