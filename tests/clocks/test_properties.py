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


def between(lo: date, hi: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=lo, max_value=max(lo, hi))


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def placement(draw: st.DrawFn, lo: date, as_of: date) -> Placement:
    start = draw(between(lo, as_of))
    return Placement(
        setting=draw(st.sampled_from(PlacementSetting)),
        start_date=start,
        end_date=draw(maybe(between(start, as_of))),
    )


@st.composite
def hearing(draw: st.DrawFn, removal: date, as_of: date) -> Hearing:
    scheduled = draw(st.booleans().filter(lambda _: True)) and draw(st.integers(0, 4)) == 0
    return Hearing(
        type=draw(st.sampled_from(HearingType)),
        date=draw(between(removal, HI if scheduled else as_of)),
        scheduled=scheduled,
        findings=draw(st.lists(st.sampled_from(HearingFinding), max_size=3, unique=True)),
    )


@st.composite
def prior_episode(draw: st.DrawFn, removal: date) -> Episode:
    start = draw(between(LO, removal - timedelta(days=1)))
    return Episode(removal_date=start, discharge_date=draw(maybe(between(start, removal))))


@st.composite
def scenario(draw: st.DrawFn) -> tuple[Case, date, date]:
    """A valid case, an as_of no earlier than any event in it, and a later as_of."""
    removal = draw(between(date(2015, 6, 1), date(2026, 6, 30)))
    as_of = draw(between(removal, HI))
    later = draw(between(as_of, HI))
    priors = draw(st.lists(prior_episode(removal), max_size=2)) if removal > LO else []
    earliest = min([removal, *(p.removal_date for p in priors)])
    events = between(removal, as_of)
    around = between(removal - timedelta(days=40), as_of)  # some from before this removal
    case = Case(
        case_id="P-1",
        child=Child(birth_date=draw(maybe(between(date(1998, 1, 1), removal)))),
        episode=Episode(
            removal_date=removal,
            first_adjudication_date=draw(maybe(around)),
            discharge_date=draw(maybe(events)),
        ),
        prior_episodes=priors,
        placements=draw(st.lists(placement(earliest, as_of), max_size=5)),
        case_plans=draw(st.lists(around.map(lambda d: CasePlan(date=d)), max_size=3)),
        parents=draw(
            st.lists(
                st.builds(
                    Parent,
                    role=st.sampled_from(ParentRole),
                    rights_terminated_date=maybe(between(LO, as_of)),
                ),
                max_size=2,
            )
        ),
        hearings=draw(st.lists(hearing(removal, as_of), max_size=6)),
        reviews=draw(
            st.lists(
                st.builds(Review, type=st.sampled_from(ReviewType), date=events),
                max_size=3,
            )
        ),
        tpr=draw(
            maybe(
                st.builds(
                    Tpr,
                    petition_date=maybe(around),
                    exception=maybe(st.sampled_from(TprException)),
                )
            )
        ),
        caseworker_visits=draw(
            st.lists(events.map(lambda d: CaseworkerVisit(date=d)), max_size=4)
        ),
        relative_notice=draw(maybe(around.map(lambda d: DatedRecord(date=d)))),
        transition_plan=draw(maybe(events.map(lambda d: DatedRecord(date=d)))),
        credit_reports=draw(st.lists(around.map(lambda d: DatedRecord(date=d)), max_size=3)),
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
def test_list_order_never_changes_the_result(
    s: tuple[Case, date, date], rng: random.Random
) -> None:
    case, as_of, _ = s
    other = shuffled(case, rng)
    assert compute_clocks(other, as_of, PARAMS) == compute_clocks(case, as_of, PARAMS)
