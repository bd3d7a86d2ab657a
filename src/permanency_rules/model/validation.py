"""Cross-field checks that pydantic's per-field validation cannot express.

Rules read dates and references as given; a case whose discharge precedes its removal, or
whose service answers a need that does not exist, would yield wrong findings rather than a
crash. These checks name the offending path and never echo a value (values may be free text).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, get_args

from pydantic import BaseModel

from .case import Case, Episode, Goal, parent_id
from .codes import GoalRole
from .errors import CaseError

_INF = date.max

#: (model, field) pairs whose dates may lie after ``as_of``: plans, not events.
FUTURE_ALLOWED: frozenset[tuple[type[BaseModel], str]] = frozenset({(Goal, "target_date")})


def structural_errors(case: Case) -> list[CaseError]:
    """Every cross-field problem in ``case`` that does not depend on the evaluation date."""
    errors: list[CaseError] = []
    errors += _child_errors(case)
    errors += _episode_errors(case.episode, "episode")
    for i, ep in enumerate(case.prior_episodes):
        errors += _episode_errors(ep, f"prior_episodes[{i}]")
    errors += _prior_episode_errors(case)
    errors += _range_errors(case)
    errors += _duplicate_id_errors(case)
    errors += _reference_errors(case)
    errors += _overlapping_primary_goals(case)
    return errors


def date_errors(case: Case, as_of: date) -> list[CaseError]:
    """Every recorded date after ``as_of``, except scheduled events and planned targets.

    Walks the model generically so that a date field added later is covered without edits.
    """
    late: list[tuple[str | int, ...]] = []
    _late_dates(case, (), as_of, late)
    return [CaseError(_format(path), f"date is after as_of {as_of.isoformat()}") for path in late]


def _format(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


_WALK: dict[type[BaseModel], tuple[bool, tuple[str, ...]]] = {}


def _may_hold_dates(annotation: Any) -> bool:
    if annotation is date or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return True
    return any(_may_hold_dates(a) for a in get_args(annotation))


def _walk_plan(cls: type[BaseModel]) -> tuple[bool, tuple[str, ...]]:
    """(has a ``scheduled`` flag, fields that can hold a date), computed once per class."""
    hit = _WALK.get(cls)
    if hit is None:
        fields = cls.model_fields
        hit = _WALK[cls] = (
            "scheduled" in fields,
            tuple(
                name
                for name, f in fields.items()
                if (cls, name) not in FUTURE_ALLOWED and _may_hold_dates(f.annotation)
            ),
        )
    return hit


def _late_dates(obj: Any, path: tuple[str | int, ...], as_of: date, out: list[tuple[str | int, ...]]) -> None:
    if isinstance(obj, date):
        if obj > as_of:
            out.append(path)
        return
    if not isinstance(obj, BaseModel):
        return
    scheduled, fields = _walk_plan(type(obj))
    if scheduled and getattr(obj, "scheduled", False) is True:
        return  # a scheduled hearing or review has not happened yet
    for name in fields:
        value = getattr(obj, name)
        if value is None:
            continue
        if isinstance(value, date):
            if value > as_of:
                out.append((*path, name))
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                _late_dates(item, (*path, name, i), as_of, out)
        else:
            _late_dates(value, (*path, name), as_of, out)


def _before(later: date | None, earlier: date | None) -> bool:
    """True when both dates are known and ``later`` is strictly before ``earlier``."""
    return later is not None and earlier is not None and later < earlier


def _child_errors(case: Case) -> list[CaseError]:
    birth = case.child.birth_date
    errors: list[CaseError] = []
    if _before(case.episode.removal_date, birth):
        errors.append(CaseError("child.birth_date", "birth date is after the removal date"))
    for i, ep in enumerate(case.prior_episodes):
        if _before(ep.removal_date, birth):
            errors.append(
                CaseError(f"prior_episodes[{i}].removal_date", "removal date is before the birth date")
            )
    for i, parent in enumerate(case.parents):
        if _before(parent.rights_terminated_date, birth):
            errors.append(
                CaseError(
                    f"parents[{i}].rights_terminated_date",
                    "rights terminated before the child's birth date",
                )
            )
    return errors


def _episode_errors(ep: Episode, path: str) -> list[CaseError]:
    errors: list[CaseError] = []
    if _before(ep.discharge_date, ep.removal_date):
        errors.append(CaseError(f"{path}.discharge_date", "discharge date is before the removal date"))
    if ep.discharge_reason is not None and ep.discharge_date is None:
        errors.append(
            CaseError(f"{path}.discharge_reason", "discharge reason given without a discharge date")
        )
    return errors


def _prior_episode_errors(case: Case) -> list[CaseError]:
    """Prior episodes are closed, precede the current removal and do not overlap each other."""
    current = case.episode.removal_date
    errors: list[CaseError] = []
    ranges: list[tuple[int, date, date]] = []
    for i, ep in enumerate(case.prior_episodes):
        path = f"prior_episodes[{i}]"
        if ep.removal_date >= current:
            errors.append(
                CaseError(f"{path}.removal_date", "prior episode starts on or after the current removal")
            )
        elif ep.discharge_date is None:
            errors.append(CaseError(f"{path}.discharge_date", "prior episode has no discharge date"))
        elif ep.discharge_date > current:
            errors.append(CaseError(f"{path}.discharge_date", "prior episode ends after the current removal"))
        if ep.discharge_date is not None and ep.discharge_date >= ep.removal_date:
            ranges.append((i, ep.removal_date, ep.discharge_date))
    errors += [
        CaseError(f"prior_episodes[{j}]", f"episode overlaps prior_episodes[{i}]")
        for i, j in _overlaps(ranges)
    ]
    return errors


def _overlaps(ranges: list[tuple[int, date, date]]) -> Iterator[tuple[int, int]]:
    """Index pairs (earlier, later in the list) of half-open [start, end) ranges that overlap."""
    for a, (i, a_start, a_end) in enumerate(ranges):
        for j, b_start, b_end in ranges[a + 1 :]:
            if a_start < b_end and b_start < a_end:
                yield i, j


def _range_errors(case: Case) -> list[CaseError]:
    """End dates not before start dates, and service dates in referral order."""
    errors: list[CaseError] = []

    def check(path: str, field: str, end: date | None, start: date | None, what: str) -> None:
        if _before(end, start):
            errors.append(CaseError(f"{path}.{field}", f"{field.replace('_', ' ')} is before {what}"))

    for i, p in enumerate(case.placements):
        check(f"placements[{i}]", "end_date", p.end_date, p.start_date, "the start date")
    for i, g in enumerate(case.goals):
        check(f"goals[{i}]", "end_date", g.end_date, g.start_date, "the start date")
        check(f"goals[{i}]", "target_date", g.target_date, g.start_date, "the start date")
    for i, n in enumerate(case.needs):
        check(
            f"needs[{i}]",
            "resolved_date",
            n.resolved_date,
            n.identified_date,
            "the identified date",
        )
    for i, s in enumerate(case.services):
        path = f"services[{i}]"
        check(path, "started_date", s.started_date, s.referred_date, "the referral date")
        if s.started_date is not None:
            check(path, "ended_date", s.ended_date, s.started_date, "the start date")
        else:
            check(path, "ended_date", s.ended_date, s.referred_date, "the referral date")
    if case.mentor is not None:
        check("mentor", "end_date", case.mentor.end_date, case.mentor.start_date, "the start date")
    return errors


def _lists_with_ids() -> tuple[str, ...]:
    """Case fields that are lists of parts carrying an ``id`` (parents aside: see below)."""
    out = []
    for name, f in Case.model_fields.items():
        args = get_args(f.annotation)
        item = args[0] if args else None
        if isinstance(item, type) and issubclass(item, BaseModel) and "id" in item.model_fields:
            out.append(name)
    return tuple(out)


_ID_LISTS = _lists_with_ids()


def _given_ids(case: Case) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """For each list of parts that carry ids: (list name, [(path of id, id)]) for given ids.

    A parent's id defaults to its role, so parents always have one."""
    for name in _ID_LISTS:
        if name == "parents":
            parents = case.parents
            yield (
                name,
                [(f"parents[{i}].{'id' if p.id else 'role'}", parent_id(p)) for i, p in enumerate(parents)],
            )
        else:
            items = getattr(case, name)
            yield name, [(f"{name}[{i}].id", item.id) for i, item in enumerate(items) if item.id]


def _duplicate_id_errors(case: Case) -> list[CaseError]:
    errors: list[CaseError] = []
    for _, pairs in _given_ids(case):
        first: dict[str, str] = {}
        for path, item_id in pairs:
            if item_id in first:
                errors.append(CaseError(path, f"duplicate id (first used at {first[item_id]})"))
            else:
                first[item_id] = path.rsplit(".", 1)[0]
    return errors


def _reference_errors(case: Case) -> list[CaseError]:
    need_ids = {n.id for n in case.needs}
    parent_ids = {parent_id(p) for p in case.parents}
    errors = [
        CaseError(f"services[{i}].need", "no need has this id")
        for i, s in enumerate(case.services)
        if s.need not in need_ids
    ]
    errors += [
        CaseError(f"parent_visits[{i}].parent", "no parent has this id")
        for i, v in enumerate(case.parent_visits)
        if v.parent is not None and v.parent not in parent_ids
    ]
    return errors


def _overlapping_primary_goals(case: Case) -> list[CaseError]:
    """At most one primary goal at a time; ranges are [start, end) with open end = forever."""
    ranges = [
        (i, g.start_date, g.end_date or _INF)
        for i, g in enumerate(case.goals)
        if g.role is GoalRole.PRIMARY and not _before(g.end_date, g.start_date)
    ]
    return [
        CaseError(f"goals[{j}]", f"primary goal overlaps the primary goal at goals[{i}]")
        for i, j in _overlaps(ranges)
    ]
