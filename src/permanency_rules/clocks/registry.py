"""The one list of deadlines: each clock module registers its clocks here, both forms at once.

``compute_clocks`` (per case) and ``column_clocks`` (every case at once) both run ``CLOCKS``,
so a deadline added to one path is in the other; ``tests/clocks/test_registry.py`` checks that
every ``DeadlineName`` has exactly one registered clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .context import ClockContext, Context
from .deadline import Deadline, DeadlineColumns, DeadlineName


@dataclass(frozen=True)
class Tickler:
    """What a case-management tickler shows of a deadline, as CCWIS ticklers state it."""

    created_by: str  # what event or fact creates the deadline
    due: str  # when it falls due
    shows: str  # how far ahead it shows (the parameter that sets the window)
    closed_by: str  # what closes it (met), and what else ends it


@dataclass(frozen=True)
class Clock:
    """One deadline: its per-case and column-wise forms and its citation.

    ``per_item`` clocks give a deadline per item (a trial-home-visit placement): a list per
    case, and rows carrying ``subject`` and ``pos`` column-wise.
    """

    name: DeadlineName
    citation: str
    per_case: Callable[[Context], Deadline | list[Deadline]]  # a list when ``per_item``
    columns: Callable[[ClockContext], DeadlineColumns]
    tickler: Tickler
    per_item: bool = False


CLOCKS: list[Clock] = []


def register(
    name: DeadlineName,
    citation: str,
    per_case: Callable[[Context], Deadline | list[Deadline]],
    columns: Callable[[ClockContext], DeadlineColumns],
    tickler: Tickler,
    *,
    per_item: bool = False,
) -> Clock:
    """Add a clock to ``CLOCKS`` (once per name)."""
    if any(c.name is name for c in CLOCKS):
        raise ValueError(f"clock {name.value} registered twice")

    clock = Clock(name, citation, per_case, columns, tickler, per_item)
    CLOCKS.append(clock)
    return clock


def clocks_page() -> str:
    """docs/clocks.md: the status model and every clock's tickler tuple (``make docs``)."""
    from .deadline import DeadlineStatus

    lines = [
        "# Clocks and the deadline status model",
        "",
        "Generated from `clocks/registry.py` and `clocks/deadline.py` by `permanency-rules docs`; do not "
        "edit by hand. Each deadline has one status, decided by its clock; the findings and the "
        "deadlines list both read it, so they cannot disagree.",
        "",
        "| status | meaning |",
        "|---|---|",
    ]
    for status in DeadlineStatus:
        lines.append(f"| `{status.value}` | {STATUS_MEANING[status.value]} |")
    lines += [
        "",
        "| deadline | citation | created by | due | shows ahead | closed by |",
        "|---|---|---|---|---|---|",
    ]
    for c in sorted(CLOCKS, key=lambda c: c.name.value):
        t = c.tickler
        lines.append(
            f"| `{c.name.value}` | {c.citation} | {t.created_by} | {t.due} | {t.shows} | {t.closed_by} |"
        )
    return "\n".join(lines)


STATUS_MEANING = {
    "met": "The duty was done on or before the due date.",
    "met_late": "A one-time duty was done, after its due date.",
    "overdue": "The due date has passed and the duty can still be done.",
    "due_soon": "Due within the window the tickler shows ahead, and nothing qualifying is scheduled.",
    "pending": "Due later than that window.",
    "not_applicable": "Does not apply (yet); `applies_from` says when it will, if known.",
    "scheduled": "Due within the window the tickler shows ahead, and a qualifying hearing or review is "
    "calendared (`scheduled: true`) on or before the due date.",
    "missed": "A one-time duty whose window has passed and that can no longer be done or cured: the day "
    "count stops growing.",
    "excepted": "A legal exception applies (`exception`, `exception_date`), decided in the clock.",
    "not_evaluable": "The record lacks the fact that decides it (e.g. no court order in the first 60 days).",
}
