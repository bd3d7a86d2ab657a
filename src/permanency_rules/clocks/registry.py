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
class Clock:
    """One deadline: its per-case and column-wise forms and its citation.

    ``per_item`` clocks give a deadline per item (a trial-home-visit placement): a list per
    case, and rows carrying ``subject`` and ``pos`` column-wise.
    """

    name: DeadlineName
    citation: str
    per_case: Callable[[Context], Deadline | list[Deadline]]  # a list when ``per_item``
    columns: Callable[[ClockContext], DeadlineColumns]
    per_item: bool = False


CLOCKS: list[Clock] = []


def register(
    name: DeadlineName,
    citation: str,
    per_case: Callable[[Context], Deadline | list[Deadline]],
    columns: Callable[[ClockContext], DeadlineColumns],
    *,
    per_item: bool = False,
) -> Clock:
    """Add a clock to ``CLOCKS`` (once per name)."""
    if any(c.name is name for c in CLOCKS):
        raise ValueError(f"clock {name.value} registered twice")

    clock = Clock(name, citation, per_case, columns, per_item)
    CLOCKS.append(clock)
    return clock
