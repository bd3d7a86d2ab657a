"""Cross-field checks that pydantic's per-field validation cannot express, case by case.

Rules read dates and references as given; a case whose discharge precedes its removal, or
whose service answers a need that does not exist, would yield wrong findings rather than a
crash. These checks name the offending path and never echo a value (values may be free text).
The checks are declared once in ``model.checks`` (read here and by ``columnar.screen``); only
the prior-episode chain and parent ids derived from roles are written out, here and there.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, get_args

from pydantic import BaseModel

from . import checks
from .case import Case, item_ids, parent_id
from .codes import GoalRole
from .errors import CaseError

_INF = date.max


def _part_class(part: str) -> type[BaseModel]:
    """The model class of a ``Case`` field (``goals`` -> ``Goal``)."""
    annotation: Any = Case.model_fields[part].annotation
    while not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    return annotation


#: ``checks.FUTURE_ALLOWED`` as (model class, field) pairs, for the generic walk.
FUTURE_ALLOWED: frozenset[tuple[type[BaseModel], str]] = frozenset(
    (_part_class(part), field) for part, field in checks.FUTURE_ALLOWED
)


def structural_errors(case: Case) -> list[CaseError]:
    """Every cross-field problem in ``case`` that does not depend on the evaluation date."""
    too_large = size_errors(case)
    if too_large:  # checked first: the other checks' cost grows with the lists
        return too_large
    errors: list[CaseError] = []
    errors += _birth_errors(case)
    errors += _given_with_errors(case)
    errors += _date_order_errors(case)
    errors += _prior_episode_errors(case)
    errors += _overlap_errors(case)
    errors += _duplicate_id_errors(case)
    errors += _derived_id_errors(case)
    errors += _reference_errors(case)
    return errors


def _items(case: Case, part: str) -> list[Any]:
    """The items of ``part``: a list, or a single optional part (paths are built on error)."""
    value = getattr(case, part)
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _path(case: Case, part: str, i: int) -> str:
    return f"{part}[{i}]" if isinstance(getattr(case, part), list) else part


EARLIEST = date(*checks.EARLIEST)


def date_errors(case: Case, as_of: date) -> list[CaseError]:
    """Dates beyond the plausibility bounds of ``checks`` (R19): before 1900, or more than two
    years after ``as_of`` on anything but a scheduled hearing or review or a planned target.

    A date after ``as_of`` within the bound is the future, not an error: ``as_of.as_of_view``
    leaves it out. Walks the model generically, so a date field added later is covered.
    """
    latest = _years_after(as_of, checks.YEARS_AFTER_AS_OF)
    found: list[tuple[tuple[str | int, ...], date, bool]] = []
    _dates(case, (), False, found)
    errors = []
    for path, d, exempt in found:
        if d < EARLIEST:
            errors.append(CaseError(_format(path), f"date is before {EARLIEST.isoformat()}"))
        elif d > latest and not exempt:
            errors.append(
                CaseError(
                    _format(path),
                    f"date is more than {checks.YEARS_AFTER_AS_OF} years after as_of {as_of.isoformat()}",
                )
            )
    return errors


def _years_after(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # Feb 29, or beyond year 9999
        return date.max if d.year + years > 9999 else d.replace(year=d.year + years, day=28)


def late_dates(case: Case, as_of: date) -> int:
    """How many dates of ``case`` fall after ``as_of`` (scheduled items and plans aside)."""
    found: list[tuple[tuple[str | int, ...], date, bool]] = []
    _dates(case, (), False, found)
    return sum(1 for _, d, exempt in found if d > as_of and not exempt)


def _format(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


_WALK: dict[type[BaseModel], tuple[bool, tuple[tuple[str, bool], ...]]] = {}


def _may_hold_dates(annotation: Any) -> bool:
    if annotation is date or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return True
    return any(_may_hold_dates(a) for a in get_args(annotation))


def _walk_plan(cls: type[BaseModel]) -> tuple[bool, tuple[tuple[str, bool], ...]]:
    """(has a ``scheduled`` flag, (field, is a plan) for fields that can hold a date), once per class."""
    hit = _WALK.get(cls)
    if hit is None:
        fields = cls.model_fields
        hit = _WALK[cls] = (
            "scheduled" in fields,
            tuple(
                (name, (cls, name) in FUTURE_ALLOWED)
                for name, f in fields.items()
                if _may_hold_dates(f.annotation)
            ),
        )
    return hit


def _dates(
    obj: Any, path: tuple[str | int, ...], exempt: bool, out: list[tuple[tuple[str | int, ...], date, bool]]
) -> None:
    """Every date under ``obj``: (path, date, exempt from the upper bound)."""
    if not isinstance(obj, BaseModel):
        return
    scheduled, fields = _walk_plan(type(obj))
    exempt = exempt or (scheduled and getattr(obj, "scheduled", False) is True)  # not yet held
    for name, plan in fields:
        value = getattr(obj, name)
        if value is None:
            continue
        if isinstance(value, date):
            out.append(((*path, name), value, exempt or plan))
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                _dates(item, (*path, name, i), exempt, out)
        else:
            _dates(value, (*path, name), exempt, out)


def _before(later: date | None, earlier: date | None) -> bool:
    """True when both dates are known and ``later`` is strictly before ``earlier``."""
    return later is not None and earlier is not None and later < earlier


def _birth_errors(case: Case) -> list[CaseError]:
    birth = case.child.birth_date
    if birth is None:
        return []
    errors: list[CaseError] = []
    for check in checks.AFTER_BIRTH:
        for i, item in enumerate(_items(case, check.part)):
            if _before(getattr(item, check.field), birth):
                at = "child.birth_date" if check.at_birth else f"{_path(case, check.part, i)}.{check.field}"
                errors.append(CaseError(at, check.reason))
    return errors


def _given_with_errors(case: Case) -> list[CaseError]:
    return [
        CaseError(f"{_path(case, check.part, i)}.{check.field}", check.reason)
        for check in checks.GIVEN_WITH
        for i, item in enumerate(_items(case, check.part))
        if getattr(item, check.field) is not None and getattr(item, check.needs) is None
    ]


#: ``checks.DATE_ORDERS`` grouped by part: each item is read once for all its checks.
_ORDERS_BY_PART: dict[str, list[checks.DateOrder]] = {}
for _check in checks.DATE_ORDERS:
    _ORDERS_BY_PART.setdefault(_check.part, []).append(_check)


def _date_order_errors(case: Case) -> list[CaseError]:
    """``checks.DATE_ORDERS``: end dates not before start dates, services in referral order."""
    errors: list[CaseError] = []
    for part, orders in _ORDERS_BY_PART.items():
        for i, item in enumerate(_items(case, part)):
            for check in orders:
                later = getattr(item, check.later)
                if later is None:
                    continue
                for used in check.earlier:
                    earlier = getattr(item, used)
                    if earlier is not None:
                        if later < earlier:
                            errors.append(
                                CaseError(f"{_path(case, part, i)}.{check.later}", check.reason(used))
                            )
                        break
    return errors


def _prior_episode_errors(case: Case) -> list[CaseError]:
    """Prior episodes are closed, precede the current removal and do not overlap each other."""
    current = case.episode.removal_date
    errors: list[CaseError] = []
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
    return errors


def _overlap_errors(case: Case) -> list[CaseError]:
    """``checks.NO_OVERLAP``: prior episodes, and primary goals (at most one at a time)."""
    errors: list[CaseError] = []
    for check in checks.NO_OVERLAP:
        ranges: list[tuple[int, date, date]] = []
        for i, item in enumerate(getattr(case, check.part)):
            if check.primary_only and item.role is not GoalRole.PRIMARY:
                continue
            start, end = getattr(item, check.start), getattr(item, check.end)
            if end is None and check.open_end:
                end = _INF
            if end is not None and end >= start:
                ranges.append((i, start, end))
        errors += [CaseError(f"{check.part}[{j}]", check.reason.format(i=i)) for i, j in _overlaps(ranges)]
    return errors


def _overlaps(ranges: list[tuple[int, date, date]]) -> Iterator[tuple[int, int]]:
    """Index pairs (earlier, later in the list) of half-open [start, end) ranges that overlap."""
    for a, (i, a_start, a_end) in enumerate(ranges):
        for j, b_start, b_end in ranges[a + 1 :]:
            if a_start < b_end and b_start < a_end:
                yield i, j


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


#: Most items one list of a case may hold. Real cases hold tens; a list of thousands is an
#: extract error, and matching cost grows faster than linearly with it (60,000 services in one
#: case took 44 s), so such a case is rejected instead of stalling the run.
MAX_ITEMS = 2000


def size_errors(case: Case) -> list[CaseError]:
    """Lists longer than ``MAX_ITEMS``."""
    return [
        CaseError(name, f"more than {MAX_ITEMS} items: too many to check in one case")
        for name in type(case).model_fields
        if isinstance(items := getattr(case, name), list) and len(items) > MAX_ITEMS
    ]


#: Lists whose items without an id get a content id ``<prefix>-<hash>`` (``item_ids``).
DERIVED_ID_PREFIX = {
    "goals": "goal",
    "placements": "placement",
    "case_plans": "plan",
    "services": "service",
    "hearings": "hearing",
    "siblings": "sibling",
}


def _derived_id_errors(case: Case) -> list[CaseError]:
    """A given id equal to the id derived for another item of the list would merge the two."""
    errors: list[CaseError] = []
    for name, prefix in DERIVED_ID_PREFIX.items():
        items = getattr(case, name)
        given = {item.id: i for i, item in enumerate(items) if item.id}
        if not given or len(given) == len(items):
            continue
        for i, (item, final) in enumerate(zip(items, item_ids(prefix, items), strict=True)):
            if not item.id and final in given:
                errors.append(
                    CaseError(f"{name}[{given[final]}].id", f"the same as the id derived for {name}[{i}]")
                )
    return errors


def _reference_errors(case: Case) -> list[CaseError]:
    """``checks.REFERENCES``: a service's need and a visit's parent exist in this case."""
    errors: list[CaseError] = []
    for check in checks.REFERENCES:
        targets = getattr(case, check.target)
        ids = {parent_id(t) for t in targets} if check.target == "parents" else {t.id for t in targets}
        for i, item in enumerate(_items(case, check.part)):
            value = getattr(item, check.field)
            if value is None and check.optional:
                continue
            if value not in ids:
                errors.append(CaseError(f"{_path(case, check.part, i)}.{check.field}", check.reason))
    return errors
