"""Turn cases and their clocks into the flat facts both engines evaluate, one case at a time
(``build_facts``) or every case of a caseload's tables at once (``column_facts``).

Each fact module derives its facts both ways; these two functions only call them in order.
``column_facts`` returns the frames ``engines.frames.facts_to_frames`` builds from the per-case
facts, column for column and value for value, except that ``case_key`` is the typed ``key``
(the case's row in ``cases``) rather than a list position; rows may come in another order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from ..clocks import Clocks
from ..clocks.compute import ClockColumns
from ..columnar.typed import Typed
from ..conventions import to_day
from ..model.case import Case
from .case import case_columns, case_fact
from .columns import Scope
from .court import court_case_columns, court_case_fields, hearing_columns, hearing_facts
from .deadlines import deadline_columns, deadline_facts
from .family import need_columns, need_facts, parent_columns, parent_facts, service_columns, service_facts
from .fields import Fact
from .goals import case_plan_columns, case_plan_facts, goal_columns, goal_facts
from .placements import placement_columns, placement_facts, sibling_columns, sibling_facts


def build_facts(case: Case, clocks: Clocks) -> list[Fact]:
    """All facts of one case; the ``case`` fact comes last (the durable engine needs that)."""
    as_of, removal = clocks.as_of, clocks.removal_date
    goals, goal_part = goal_facts(case, as_of)
    placements, placement_part = placement_facts(case, as_of)
    plans, latest_plan = case_plan_facts(case, as_of)
    parents, parent_part = parent_facts(case, as_of, removal, latest_plan)
    services, service_part = service_facts(case, as_of)
    parts: dict[str, Any] = {**goal_part, **placement_part, **parent_part, **service_part}
    parts.update(court_case_fields(case, as_of, removal))
    return [
        *goals,
        *placements,
        *plans,
        *parents,
        *need_facts(case, as_of),
        *services,
        *hearing_facts(case, as_of, removal),
        *deadline_facts(clocks),
        *sibling_facts(case),
        case_fact(case, clocks, parts),
    ]


def column_facts(t: Typed, clocks: ClockColumns, as_of: date) -> dict[str, pd.DataFrame]:
    """One typed frame per fact type for every case of ``t`` (see the module docstring).

    ``as_of`` is the caller's evaluation date (``Clocks.as_of``), also for closed cases.
    """
    s = Scope.of(t, to_day(as_of))
    goals, goal_part = goal_columns(s)
    placements, placement_part = placement_columns(s)
    plans, latest_plan = case_plan_columns(s)
    parents, parent_part = parent_columns(s, latest_plan)
    services, service_part = service_columns(s)
    parts: dict[str, Any] = {**goal_part, **placement_part, **parent_part, **service_part}
    parts.update(court_case_columns(s))
    return {
        "case": case_columns(s, clocks, parts),
        "goal": goals,
        "placement": placements,
        "case_plan": plans,
        "parent": parents,
        "need": need_columns(s),
        "service": services,
        "hearing": hearing_columns(s),
        "deadline": deadline_columns(s, clocks),
        "sibling": sibling_columns(s),
    }
