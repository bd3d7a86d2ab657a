"""The cross-field checks of a case, declared once as data.

Two readers interpret the same declarations: ``model.validation`` case by case (naming every
offending path) and ``columnar.screen`` a whole column at a time (flagging the cases that must
take the per-case path). Adding a check here adds it to both; ``tests/cases/screen`` runs every
edge-case file through both.

A *part* is a field of ``Case``: a list of parts (``placements``), one optional part
(``mentor``) or the current ``episode``. Missing values never fail a check: a comparison with
a missing date is skipped (``None`` per case, ``NaN`` column-wise).
"""

from __future__ import annotations

from dataclasses import dataclass

#: How an error names the date a field is compared with.
LABEL = {
    "removal_date": "the removal date",
    "start_date": "the start date",
    "started_date": "the start date",
    "identified_date": "the identified date",
    "referred_date": "the referral date",
}


@dataclass(frozen=True)
class DateOrder:
    """On every ``part``, ``later`` is not before ``earlier`` (the first of them that is given).

    Error at ``<part>.<later>``: "<later> is before <label of the earlier field used>".
    """

    part: str
    later: str
    earlier: tuple[str, ...]

    def reason(self, used: str) -> str:
        return f"{self.later.replace('_', ' ')} is before {LABEL[used]}"


@dataclass(frozen=True)
class NotBeforeBirth:
    """``part.field`` is not before the child's birth date.

    ``at_birth``: the error names ``child.birth_date`` rather than the part's field (the
    current removal: the birth date is what is wrong there).
    """

    part: str
    field: str
    reason: str
    at_birth: bool = False


@dataclass(frozen=True)
class GivenWith:
    """``part.field`` is given only together with ``part.needs``."""

    part: str
    field: str
    needs: str
    reason: str


@dataclass(frozen=True)
class NoOverlap:
    """Half-open ranges [start, end) of one case's ``part`` items do not overlap.

    ``primary_only``: only items whose ``role`` is primary (a missing role is primary, the
    model's default); ``open_end``: a missing end runs for ever (else the item has no range).
    Error at ``<part>[j]`` for the later item j of each overlapping pair (i, j).
    """

    part: str
    start: str
    end: str
    reason: str  # with ``{i}``: the index of the earlier item
    primary_only: bool = False
    open_end: bool = False


@dataclass(frozen=True)
class Reference:
    """``part.field`` names an item of ``target`` in the same case (``optional``: may be empty)."""

    part: str
    field: str
    target: str
    reason: str
    optional: bool = False


DATE_ORDERS: tuple[DateOrder, ...] = (
    DateOrder("episode", "discharge_date", ("removal_date",)),
    DateOrder("prior_episodes", "discharge_date", ("removal_date",)),
    DateOrder("placements", "end_date", ("start_date",)),
    DateOrder("goals", "end_date", ("start_date",)),
    DateOrder("goals", "target_date", ("start_date",)),
    DateOrder("needs", "resolved_date", ("identified_date",)),
    DateOrder("services", "started_date", ("referred_date",)),
    DateOrder("services", "ended_date", ("started_date", "referred_date")),
    DateOrder("mentor", "end_date", ("start_date",)),
)

AFTER_BIRTH: tuple[NotBeforeBirth, ...] = (
    NotBeforeBirth("episode", "removal_date", "birth date is after the removal date", at_birth=True),
    NotBeforeBirth("prior_episodes", "removal_date", "removal date is before the birth date"),
    NotBeforeBirth("parents", "rights_terminated_date", "rights terminated before the child's birth date"),
)

GIVEN_WITH: tuple[GivenWith, ...] = (
    GivenWith(
        "episode", "discharge_reason", "discharge_date", "discharge reason given without a discharge date"
    ),
    GivenWith(
        "prior_episodes",
        "discharge_reason",
        "discharge_date",
        "discharge reason given without a discharge date",
    ),
)

NO_OVERLAP: tuple[NoOverlap, ...] = (
    NoOverlap("prior_episodes", "removal_date", "discharge_date", "episode overlaps prior_episodes[{i}]"),
    NoOverlap(
        "goals",
        "start_date",
        "end_date",
        "primary goal overlaps the primary goal at goals[{i}]",
        primary_only=True,
        open_end=True,
    ),
)

REFERENCES: tuple[Reference, ...] = (
    Reference("services", "need", "needs", "no need has this id"),
    Reference("parent_visits", "parent", "parents", "no parent has this id", optional=True),
)

#: (part, field) whose dates may lie after ``as_of``: plans, not events. (Items with
#: ``scheduled: true``, hearings and reviews not yet held, are exempt as a whole.)
FUTURE_ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {("goals", "target_date"), ("placements", "extended_until")}
)

#: Cleared together with a later date in the as-of view (``model.as_of``): a discharge reason
#: without its date, an exception without its date, describe nothing that happened yet.
CLEARED_WITH: dict[str, tuple[str, ...]] = {
    "discharge_date": ("discharge_reason",),
    "exception_date": ("exception",),
}

#: Plausibility bounds on dates (R19): before ``EARLIEST`` is a data error; so is a date more
#: than ``YEARS_AFTER_AS_OF`` years after as_of on anything but a scheduled hearing or review
#: or a plan (``FUTURE_ALLOWED``). Between as_of and that bound a record is the future: left
#: out of the evaluation, not an error.
EARLIEST = (1900, 1, 1)
YEARS_AFTER_AS_OF = 2
