"""Property tests over generated cases: one status per deadline, monotone in as_of, and
independent of list order."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from permanency_rules.clocks import Clocks, DeadlineName, DeadlineStatus, compute_clocks
from permanency_rules.model.case import (
    Case,
    CasePlan,
    CaseworkerVisit,
    Child,
    DatedRecord,
    Episode,
    Hearing,
    Parent,
    Placement,
    Review,
    Tpr,
)
from permanency_rules.model.codes import (
    HearingFinding,
    HearingType,
    ParentRole,
    PlacementSetting,
    ReviewType,
    TprException,
)

from .builders import PARAMS

LO, HI = date(2015, 1, 1), date(2026, 12, 31)
DONE = {DeadlineStatus.MET, DeadlineStatus.MET_LATE}
OPEN = {DeadlineStatus.OVERDUE, DeadlineStatus.DUE_SOON, DeadlineStatus.PENDING}


# Shared strategies, drawn through ``Draw``: building a fresh strategy per value (st.dates with
# case-specific bounds) made generation, not the clocks, the slow part of these tests.
_FRACTION = st.integers(min_value=0, max_value=10_000)
_COIN = st.booleans()
_COUNTS = {n: st.integers(min_value=0, max_value=n) for n in range(1, 7)}
_CHOICES: dict[type[Any], st.SearchStrategy[Any]] = {
    kind: st.sampled_from(list(kind))
    for kind in (HearingFinding, HearingType, ParentRole, PlacementSetting, ReviewType, TprException)
}


class Draw:
    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw

    def day(self, lo: date, hi: date) -> date:
        """A date in [lo, hi] (lo if hi < lo); shrinks toward lo."""
        span = max(0, (hi - lo).days)
        return lo + timedelta(days=span * self.draw(_FRACTION) // 10_000)

    def coin(self) -> bool:
        return bool(self.draw(_COIN))

    def maybe_day(self, lo: date, hi: date) -> date | None:
        return self.day(lo, hi) if self.coin() else None

    def count(self, most: int) -> int:
        return int(self.draw(_COUNTS[most]))

    def choice(self, kind: type[Any]) -> Any:
        return self.draw(_CHOICES[kind])


@st.composite
def scenario(draw: st.DrawFn) -> tuple[Case, date, date]:
    """A valid case, an as_of no earlier than any event in it, and a later as_of."""
    g = Draw(draw)
    removal = g.day(date(2015, 6, 1), date(2026, 6, 30))
    as_of = g.day(removal, HI)
    later = g.day(as_of, HI)
    early = removal - timedelta(days=40)  # some events from before this removal

    priors = []
    for _ in range(g.count(2)):
        start = g.day(LO, removal - timedelta(days=1))
        priors.append(Episode(removal_date=start, discharge_date=g.maybe_day(start, removal)))
    earliest = min([removal, *(p.removal_date for p in priors)])

    placements = []
    for _ in range(g.count(5)):
        start = g.day(removal if g.coin() else earliest, as_of)
        placements.append(
            Placement(
                setting=g.choice(PlacementSetting),
                start_date=start,
                end_date=g.maybe_day(start, as_of),
            )
        )
    hearings = []
    for _ in range(g.count(6)):
        scheduled = g.coin() and g.coin()
        hearings.append(
            Hearing(
                type=g.choice(HearingType),
                date=g.day(removal, HI if scheduled else as_of),
                scheduled=scheduled,
                findings=sorted({g.choice(HearingFinding) for _ in range(g.count(3))}),
            )
        )
    tpr = None
    if g.coin():
        tpr = Tpr(
            petition_date=g.maybe_day(early, as_of),
            exception=g.choice(TprException) if g.coin() else None,
        )
    case = Case(
        case_id="P-1",
        child=Child(birth_date=g.maybe_day(date(1998, 1, 1), removal)),
        episode=Episode(
            removal_date=removal,
            first_adjudication_date=g.maybe_day(early, as_of),
            discharge_date=g.maybe_day(removal, as_of),
        ),
        prior_episodes=priors,
        placements=placements,
        case_plans=[CasePlan(date=g.day(early, as_of)) for _ in range(g.count(3))],
        parents=[
            Parent(role=g.choice(ParentRole), rights_terminated_date=g.maybe_day(LO, as_of))
            for _ in range(g.count(2))
        ],
        hearings=hearings,
        reviews=[
            Review(
                type=g.choice(ReviewType),
                date=g.day(removal, HI) if (scheduled := g.coin() and g.coin()) else g.day(removal, as_of),
                scheduled=scheduled,
            )
            for _ in range(g.count(3))
        ],
        tpr=tpr,
        caseworker_visits=[CaseworkerVisit(date=g.day(removal, as_of)) for _ in range(g.count(4))],
        relative_notice=DatedRecord(date=g.day(early, as_of)) if g.coin() else None,
        transition_plan=DatedRecord(date=g.day(removal, as_of)) if g.coin() else None,
        credit_reports=[DatedRecord(date=g.day(early, as_of)) for _ in range(g.count(3))],
    )
    return case, as_of, later


def by_key(c: Clocks) -> dict[tuple[DeadlineName, str | None], Any]:
    return {(d.name, d.subject): d for d in c.deadlines}


@settings(max_examples=200, deadline=None)
@given(scenario())
def test_each_deadline_has_exactly_one_consistent_status(s: tuple[Case, date, date]) -> None:
    case, as_of, _ = s
    c = compute_clocks(case, as_of, PARAMS)
    keys = [(d.name, d.subject) for d in c.deadlines]
    assert len(keys) == len(set(keys))
    assert {d.name for d in c.deadlines} >= set(DeadlineName) - {DeadlineName.TRIAL_HOME_VISIT}
    sort_key = [(d.name.value, d.subject or "", d.due_date or date.max) for d in c.deadlines]
    assert sort_key == sorted(sort_key)
    closed = case.episode.discharge_date is not None
    for d in c.deadlines:
        assert isinstance(d.status, DeadlineStatus)
        if d.status in DONE:
            assert d.last_event is not None and d.last_event <= as_of
            if d.name is not DeadlineName.TPR_PETITION:  # TPR also ends with the terminations
                assert d.due_date is not None
                assert (d.last_event <= d.due_date) == (d.status is DeadlineStatus.MET)
        if closed:
            assert d.status not in OPEN
        if d.status is DeadlineStatus.OVERDUE:
            assert d.due_date is not None and as_of > d.due_date
        if d.status is DeadlineStatus.DUE_SOON:
            assert d.due_date is not None and d.due_date >= as_of
        if d.status is DeadlineStatus.PENDING and d.due_date is not None:
            assert d.due_date > as_of
        if d.last_event is not None and d.name is not DeadlineName.TPR_PETITION:
            assert case.episode.removal_date <= d.last_event <= as_of


@settings(max_examples=200, deadline=None)
@given(scenario())
def test_overdue_stays_overdue_as_time_passes(s: tuple[Case, date, date]) -> None:
    case, as_of, later = s
    before = by_key(compute_clocks(case, as_of, PARAMS))
    after = by_key(compute_clocks(case, later, PARAMS))
    assert before.keys() == after.keys()
    for key, d in before.items():
        if d.status is DeadlineStatus.OVERDUE:
            assert (after[key].status, after[key].due_date) == (d.status, d.due_date), key
        if d.status in DONE:
            assert (after[key].status, after[key].last_event) == (d.status, d.last_event), key


def shuffled(value: Any, rng: random.Random) -> Any:
    """The same parts with every list (at any depth) in a random order."""
    if isinstance(value, list):
        items = [shuffled(v, rng) for v in value]
        rng.shuffle(items)
        return items
    if isinstance(value, Case | Episode | Hearing | CasePlan | Tpr | Child):
        return value.model_copy(
            update={k: shuffled(getattr(value, k), rng) for k in type(value).model_fields}
        )
    return value


@settings(max_examples=200, deadline=None)
@given(scenario(), st.randoms(use_true_random=False))
def test_list_order_never_changes_the_result(s: tuple[Case, date, date], rng: random.Random) -> None:
    case, as_of, _ = s
    other = shuffled(case, rng)
    assert compute_clocks(other, as_of, PARAMS) == compute_clocks(case, as_of, PARAMS)
