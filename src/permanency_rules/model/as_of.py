"""A case as it stood on ``as_of``: records dated after it are the future, not errors (R19).

An analyst who checks a caseload as of a date five months back must see what a worker saw
then. So a record dated after ``as_of`` is left out of that evaluation: a list item whose own
date (its first required date: a placement's start, a hearing's date...) is later is dropped,
unless it is scheduled (a hearing or review on the calendar) or a plan (``checks.FUTURE_ALLOWED``);
a later optional date on a kept item is cleared (a placement that ends later is ongoing; a case
discharged later is open). Each dropped item and cleared date counts once in
``records_after_as_of``. Derived ids are fixed first, so a finding keeps its id.

The column-wise path sends every case with a date after ``as_of`` to this per-case path (the
screen flags it), so both paths agree by construction.
"""

from __future__ import annotations

import typing
from datetime import date
from typing import Any

from pydantic import BaseModel

from . import checks
from .case import Case, item_ids

#: Lists whose items may lack an id: the prefix of their derived ids (as the facts use them).
ID_PREFIX = {
    "goals": "goal",
    "placements": "placement",
    "case_plans": "plan",
    "services": "service",
    "hearings": "hearing",
    "siblings": "sibling",
}


def as_of_view(case: Case, as_of: date) -> tuple[Case, int]:
    """(the case as of ``as_of``, how many records were left out or cleared)."""
    update: dict[str, Any] = {}
    left_out = 0
    for name, field in Case.model_fields.items():
        value = getattr(case, name)
        if isinstance(value, list):
            if not value or not isinstance(value[0], BaseModel):
                continue
            kept, n = _list(name, value, as_of)
            if n:
                update[name], left_out = kept, left_out + n
        elif isinstance(value, BaseModel):
            part, n = _part(name, value, as_of, required=field.is_required())
            if n:
                update[name], left_out = part, left_out + n
    if not left_out:
        return case, 0
    return case.model_copy(update=update), left_out


def _list(name: str, items: list[Any], as_of: date) -> tuple[list[Any], int]:
    kept: list[tuple[Any, Any]] = []  # (item as of as_of, the original item)
    n = 0
    for item in items:
        if getattr(item, "scheduled", False) is True:
            kept.append((item, item))
        elif any(d is not None and d > as_of for d in _record_dates(item)):
            n += 1
        else:
            new, cleared = _clear(name, item, as_of)
            kept.append((new, item))
            n += cleared
    prefix = ID_PREFIX.get(name)
    if not n or not prefix:
        return [k for k, _ in kept], n
    ids = dict(zip(map(id, items), item_ids(prefix, items), strict=True))
    return [k if k.id else k.model_copy(update={"id": ids[id(orig)]}) for k, orig in kept], n


def _part(name: str, part: BaseModel, as_of: date, *, required: bool) -> tuple[BaseModel | None, int]:
    """A single part: left out if its own date is later (unless the case needs it), else cleared."""
    if not required and any(d is not None and d > as_of for d in _record_dates(part)):
        return None, 1
    return _clear(name, part, as_of)


def _record_dates(item: BaseModel) -> list[date | None]:
    """The dates that make the item a record: its required date fields."""
    return [getattr(item, f) for f in _plan(type(item))[0]]


def _clear(name: str, item: BaseModel, as_of: date) -> tuple[Any, int]:
    """``item`` with every later optional date (and what goes with it) cleared."""
    update: dict[str, Any] = {}
    for f in _plan(type(item))[1]:
        if (name, f) in checks.FUTURE_ALLOWED:
            continue
        d = getattr(item, f)
        if d is not None and d > as_of:
            update[f] = None
            for other in checks.CLEARED_WITH.get(f, ()):
                update[other] = None
    if not update:
        return item, 0
    return item.model_copy(update=update), sum(1 for f in update if f not in _WITH)


_WITH = frozenset(f for fields in checks.CLEARED_WITH.values() for f in fields)
_PLANS: dict[type[BaseModel], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _plan(cls: type[BaseModel]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required date fields, optional date fields) of a part class, computed once."""
    hit = _PLANS.get(cls)
    if hit is None:
        required, optional = [], []
        for name, f in cls.model_fields.items():
            if _is_date(f.annotation):
                required.append(name)
            elif any(_is_date(a) for a in typing.get_args(f.annotation)):
                optional.append(name)
        hit = _PLANS[cls] = (tuple(required), tuple(optional))
    return hit


def _is_date(t: Any) -> bool:
    """``date``, or an annotated date such as ``model.case.IsoDate``."""
    return t is date or (typing.get_origin(t) is typing.Annotated and typing.get_args(t)[0] is date)
