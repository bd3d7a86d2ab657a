"""What every clock reads: the case, the evaluation date, the two clock starts, parameters.

Only events that happened count: dated on or before the evaluation date, not merely scheduled,
and (for the current episode) on or after its removal date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ..model.case import Case, Hearing
from ..model.codes import HearingFinding, HearingType
from .deadline import DeadlineStatus


@dataclass(frozen=True)
class Context:
    case: Case
    as_of: date  # evaluation date: the caller's as_of, or the discharge date if earlier
    removal: date  # current episode's removal date
    defc: date  # current episode's date entered foster care, as known on as_of
    params: Mapping[str, int]

    @property
    def due_soon_days(self) -> int:
        return self.params["due_soon_days"]

    def counts(self, d: date) -> bool:
        """An event counts for the current episode if it happened in [removal, as_of]."""
        return self.removal <= d <= self.as_of

    def hearing_dates(
        self,
        *,
        types: Iterable[HearingType] | None = None,
        finding: HearingFinding | None = None,
    ) -> list[date]:
        """Sorted dates of held hearings of this episode, filtered by type and finding."""
        wanted = frozenset(types) if types is not None else None
        return sorted(h.date for h in self.case.hearings if self._held(h, wanted, finding))

    def _held(self, h: Hearing, types: frozenset[HearingType] | None, finding: HearingFinding | None) -> bool:
        return (
            not h.scheduled
            and self.counts(h.date)
            and (types is None or h.type in types)
            and (finding is None or finding in h.findings)
        )


def open_status(due: date, as_of: date, window: int) -> DeadlineStatus:
    """Status of a deadline with no satisfying event: overdue, due soon or pending."""
    if as_of > due:
        return DeadlineStatus.OVERDUE
    if (due - as_of).days <= window:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.PENDING


def one_time_status(due: date, event: date | None, as_of: date, window: int) -> DeadlineStatus:
    """A one-time deadline: met (on time or late) once its event happened, else open."""
    if event is not None:
        return DeadlineStatus.MET if event <= due else DeadlineStatus.MET_LATE
    return open_status(due, as_of, window)
