"""The severity policy, written once: a rule's duty class and a finding's status give its severity.

Every rule declares its ``duty``; the loader refuses a rule whose ``severity`` or
``due_soon_severity`` disagrees with this table, and findings take their severity from it, so
one duty class and one due date always give one severity. docs/severity.md explains it in
plain words (a test keeps the two equal).
"""

from __future__ import annotations

from enum import StrEnum


class Duty(StrEnum):
    LEGAL_DEADLINE = "legal_deadline"  # a legal duty with a due date the clocks track
    LEGAL_DUTY = "legal_duty"  # a legal duty whose time has passed, with no due-soon phase
    LEGAL_BAR = "legal_bar"  # a goal the law does not allow for this child
    PRACTICE = "practice"  # a practice standard, not a federal per-child duty
    REMINDER = "reminder"  # a prompt: nothing is late or wrong yet


class FindingStatus(StrEnum):
    FLAGGED = "flagged"  # a condition found (no deadline)
    OVERDUE = "overdue"  # a deadline passed, the duty still open
    DUE_SOON = "due_soon"  # due within the warning window, nothing scheduled
    SCHEDULED = "scheduled"  # due soon or later, and a qualifying event is calendared in time
    MISSED = "missed"  # a one-time duty whose window has passed; it can no longer be done


CRITICAL, WARNING, INFO = "critical", "warning", "info"

#: The policy. Rows: duty class; columns: the finding's status.
POLICY: dict[Duty, dict[FindingStatus, str]] = {
    Duty.LEGAL_DEADLINE: {
        FindingStatus.OVERDUE: CRITICAL,
        FindingStatus.DUE_SOON: WARNING,
        FindingStatus.SCHEDULED: INFO,
        FindingStatus.MISSED: INFO,
    },
    Duty.LEGAL_DUTY: {FindingStatus.FLAGGED: CRITICAL},
    Duty.LEGAL_BAR: {FindingStatus.FLAGGED: CRITICAL},
    Duty.PRACTICE: {
        FindingStatus.FLAGGED: WARNING,
        FindingStatus.OVERDUE: WARNING,
        FindingStatus.DUE_SOON: INFO,
        FindingStatus.SCHEDULED: INFO,
        FindingStatus.MISSED: INFO,
    },
    Duty.REMINDER: {
        FindingStatus.FLAGGED: INFO,
        FindingStatus.OVERDUE: INFO,
        FindingStatus.DUE_SOON: INFO,
        FindingStatus.SCHEDULED: INFO,
        FindingStatus.MISSED: INFO,
    },
}

#: What each duty class means, for the docs and for error messages.
MEANING: dict[Duty, str] = {
    Duty.LEGAL_DEADLINE: "a legal duty with a due date: critical once overdue, warning while due soon",
    Duty.LEGAL_DUTY: "a legal duty whose time has passed and that can still be done: critical",
    Duty.LEGAL_BAR: "a goal the law does not allow for this child: critical",
    Duty.PRACTICE: "a practice concern: warning (a practice due date coming up: info)",
    Duty.REMINDER: "a reminder or prompt: info",
}


def severity(duty: Duty, status: str) -> str:
    """The severity of a finding of a rule of class ``duty`` with status ``status``."""
    return POLICY[duty][FindingStatus(status)]


def expected(duty: Duty, status: str) -> str | None:
    """The policy's severity, or None when a rule of that class cannot have that status."""
    return POLICY[duty].get(FindingStatus(status))
