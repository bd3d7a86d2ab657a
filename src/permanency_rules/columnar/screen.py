"""A column-wise screen for the cross-field checks of ``model.validation``.

``type_tables`` already routes every case with a value that is not plainly right (bad format,
unknown code, missing required value, duplicate given id). What is left for the per-case
validation to reject are problems *between* values: dates out of order, dates after ``as_of``,
ids derived from content that collide, references to ids the case does not have, overlapping
ranges. ``screen`` finds every case that might have one of them, a whole column at a time.

The screen only decides which cases go to the per-case path, which then reports the exact
errors; so it may flag a case the reference accepts (that costs time, never correctness) but
must never pass a case the reference rejects. The checks are the declarations of
``model.checks`` (read here column-wise, there case by case); the few written out by hand (the
prior-episode chain, parent ids derived from roles) mirror ``model/validation.py`` one for one.
Missing values: a date column is read as a ``clocks.dates.Maybe`` (the column-wise convention);
``before`` is false where either date is missing, exactly as ``validation._before`` skips it.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel

from ..adapters.tables import TABLES, Column
from ..clocks.dates import Maybe, day_column
from ..conventions import TYPED_KEY as KEY
from ..conventions import to_day
from ..model import checks
from ..model.case import Case
from ..model.codes import GoalRole
from .typed import Typed, column_kind

Bools = npt.NDArray[np.bool_]
Days = npt.NDArray[np.int64]
Ints = npt.NDArray[np.int64]


def before(later: Maybe, earlier: Maybe) -> Bools:
    """Rows where both days are given and ``later`` is strictly before ``earlier``
    (``validation._before``)."""
    out: Bools = later.has & earlier.has & (later.day < earlier.day)
    return out


def column_of(part: str, field: str) -> tuple[str, str]:
    """(table, column) holding ``Case.<part>.<field>``: ``("mentor", "end_date")`` is
    ``("cases", "mentor_end_date")``, ``("goals", "end_date")`` is ``("goals", "end_date")``."""
    for name, table in TABLES.items():
        for col in table.columns:
            target = col.field or col.name
            if (table.target == part and target == field) or (
                not table.target and target == f"{part}.{field}"
            ):
                return name, col.name
    raise KeyError(f"no table column holds {part}.{field}")


#: (table, column) whose dates may lie after ``as_of``: ``checks.FUTURE_ALLOWED`` in table
#: form (a plan, not an event). Scheduled rows are skipped separately.
FUTURE_ALLOWED: frozenset[tuple[str, str]] = frozenset(column_of(p, f) for p, f in checks.FUTURE_ALLOWED)
#: Column that marks a row as not yet held, so none of its dates can be late.
SCHEDULED = "scheduled"

#: An epoch day after every real date (``date.max`` is day 2,932,896): an open end.
_OPEN = 4_000_000
#: Spacing between cases when ranges of all cases are laid on one line; wider than any
#: range from ``date.min`` (day -719,162) to ``_OPEN``, so ranges of different cases never meet.
_SPAN = 10_000_000


#: ``checks.EARLIEST`` as an epoch day: an earlier date (on any row) is a data error.
_EARLIEST = to_day(date(*checks.EARLIEST))


def screen(t: Typed, as_of: date) -> Bools:
    """True for every case the per-case validation might reject for a cross-field reason.

    A superset of what ``structural_errors`` and ``date_errors`` reject among the cases
    ``t`` keeps (routed cases have no rows left here and are never flagged).
    """
    s = _Screen(t)
    s.late_dates(to_day(as_of))
    s.parts_without_required_fields()
    s.after_birth()
    s.given_with()
    s.date_orders()
    s.prior_episode_chain()
    s.overlaps()
    s.parent_ids_and_references()
    return s.flag


class _Screen:
    def __init__(self, t: Typed) -> None:
        self.t = t
        self.flag = np.zeros(t.n, dtype=bool)
        self._days: dict[tuple[str, str], Maybe] = {}

    def frame(self, name: str) -> pd.DataFrame:
        return self.t.frames[name]

    def keys(self, name: str) -> Ints:
        return np.asarray(self.frame(name)[KEY].to_numpy(), dtype=np.int64)

    def days(self, name: str, col: str) -> Maybe:
        """A date column of ``name`` (all missing if the table lacks it)."""
        hit = self._days.get((name, col))
        if hit is None:
            frame = self.frame(name)
            if col in frame.columns:
                hit = day_column(frame[col])
            else:
                hit = Maybe(np.zeros(len(frame), dtype=np.int64), np.zeros(len(frame), dtype=bool))
            self._days[(name, col)] = hit
        return hit

    def by_key(self, name: str, col: str) -> Maybe:
        """A ``cases`` date indexed by key (missing for keys without a row)."""
        day, has = np.zeros(self.t.n, dtype=np.int64), np.zeros(self.t.n, dtype=bool)
        m = self.days(name, col)
        day[self.keys(name)], has[self.keys(name)] = m.day, m.has
        return Maybe(day, has)

    def mark(self, name: str, rows: Bools) -> None:
        self.flag[self.keys(name)[rows]] = True

    # -- date_errors ------------------------------------------------------------------------

    def late_dates(self, as_of_day: int) -> None:
        """Any date column after ``as_of`` (walked generically like ``validation._dates``), and
        any date before ``checks.EARLIEST``.

        A date after ``as_of`` is either beyond the plausibility bound (an error) or the future,
        which only the per-case as-of view leaves out (``model.as_of``): either way the case
        goes to the per-case path. A new date column is covered without edits; only
        ``FUTURE_ALLOWED`` and rows marked scheduled are exempt from the upper bound.
        """
        for name, table in TABLES.items():
            frame = self.frame(name)
            if not len(frame):
                continue
            held: Bools | None = None
            if SCHEDULED in frame.columns:
                held = ~np.asarray(frame[SCHEDULED].fillna(False).to_numpy(dtype=bool), dtype=bool)
            for col in table.columns:
                if col.name == "case_id" or column_kind(table, col).name != "date":
                    continue
                d = self.days(name, col.name)
                self.mark(name, d.has & (d.day < _EARLIEST))
                if (name, col.name) in FUTURE_ALLOWED:
                    continue
                late = d.has & (d.day > as_of_day)
                self.mark(name, late if held is None else late & held)

    # -- field errors no routing can see --------------------------------------------------

    def parts_without_required_fields(self) -> None:
        """A nested part (e.g. ``mentor``) given some fields but not a required one.

        ``type_tables`` routes a missing value only in a column the table marks required;
        ``mentor_end_date`` without ``mentor_start_date`` still builds ``mentor: {end_date}``,
        which the case model rejects. Read from the model, so a new nested part is covered.
        (A boolean with a default cannot show whether it was given; it counts as absent.)
        """
        for name, parts in _PARTS.items():
            frame = self.frame(name)
            if not len(frame):
                continue
            for part in parts:
                present = np.zeros(len(frame), dtype=bool)
                for col in part.shown_by:
                    present |= np.asarray(frame[col].notna().to_numpy(), dtype=bool)
                lacking = np.full(len(frame), part.unfillable)
                for col in part.required:
                    lacking |= np.asarray(frame[col].isna().to_numpy(), dtype=bool)
                self.mark(name, present & lacking)

    # -- structural_errors ------------------------------------------------------------------

    def after_birth(self) -> None:
        """``checks.AFTER_BIRTH``."""
        birth = self.by_key("cases", "birth_date")
        for check in checks.AFTER_BIRTH:
            table, col = column_of(check.part, check.field)
            self.mark(table, before(self.days(table, col), birth.take(self.keys(table))))

    def given_with(self) -> None:
        """``checks.GIVEN_WITH``."""
        for check in checks.GIVEN_WITH:
            table, col = column_of(check.part, check.field)
            _, needs = column_of(check.part, check.needs)
            given = np.asarray(self.frame(table)[col].notna().to_numpy(), dtype=bool)
            self.mark(table, given & ~self.days(table, needs).has)

    def date_orders(self) -> None:
        """``checks.DATE_ORDERS``: the later date before the first given of the earlier ones."""
        for check in checks.DATE_ORDERS:
            table, later = column_of(check.part, check.later)
            earlier = self.days(table, column_of(check.part, check.earlier[-1])[1])
            for field in reversed(check.earlier[:-1]):
                first = self.days(table, column_of(check.part, field)[1])
                earlier = Maybe(np.where(first.has, first.day, earlier.day), first.has | earlier.has)
            self.mark(table, before(self.days(table, later), earlier))

    def prior_episode_chain(self) -> None:
        """``validation._prior_episode_errors``: closed, and before the current removal."""
        current = self.by_key("cases", "removal_date").take(self.keys("episodes"))
        removal = self.days("episodes", "removal_date")
        discharge = self.days("episodes", "discharge_date")
        # the reference's if/elif chain flags a row when any branch holds
        self.mark("episodes", ~before(removal, current) | ~discharge.has | before(current, discharge))

    def overlaps(self) -> None:
        """``checks.NO_OVERLAP``: a missing role is the model's default, primary."""
        for check in checks.NO_OVERLAP:
            table, start_col = column_of(check.part, check.start)
            start = self.days(table, start_col)
            end = self.days(table, column_of(check.part, check.end)[1])
            if check.open_end:
                end = Maybe(np.where(end.has, end.day, _OPEN), np.ones(len(end.has), dtype=bool))
            use = start.has & end.has & ~before(end, start)  # a range only where both are given
            if check.primary_only:
                role = self.frame(table)["role"]
                use &= np.asarray((role.isna() | (role == GoalRole.PRIMARY.value)).to_numpy(), dtype=bool)
            self.mark(table, _overlapping(self.keys(table), start.day, end.day, use))

    def parent_ids_and_references(self) -> None:
        """Parent ids derived from the role, and ``checks.REFERENCES``.

        ``type_tables`` routes duplicates among given ids only; a parent without an id takes
        its role as id (``parent_id``), so two mothers without ids collide here.
        """
        parents = self.frame("parents")
        ids = {"parents": parents["id"].fillna(parents["role"])}
        refs = [(check, *column_of(check.part, check.field)) for check in checks.REFERENCES]
        for check, _, _ in refs:
            ids.setdefault(check.target, self.frame(check.target)["id"])
        names = list(ids)
        codes, size = _codes([ids[n] for n in names] + [self.frame(t)[c] for _, t, c in refs])
        keyed = {n: self.keys(n) * size + codes[i] for i, n in enumerate(names)}
        self.mark("parents", np.asarray(pd.Series(keyed["parents"]).duplicated().to_numpy(), dtype=bool))
        for j, (check, table, col) in enumerate(refs):
            missing = ~np.isin(self.keys(table) * size + codes[len(names) + j], keyed[check.target])
            if check.optional:  # a required reference that is missing is routed by type_tables
                missing &= np.asarray(self.frame(table)[col].notna().to_numpy(), dtype=bool)
            self.mark(table, missing)


def _overlapping(keys: Ints, start: Days, end: Days, use: Bools) -> Bools:
    """Rows (among ``use``) whose half-open range overlaps another range of the same case.

    Exactly the pairwise test of ``validation._overlaps`` (``a_start < b_end and b_start <
    a_end``), in one sort: lay every case's ranges on one line, ``_SPAN`` apart, sorted by
    (start, end); a range overlaps an earlier one iff the greatest end before it lies after
    its start. (With ends as a tiebreak, an empty range never meets one starting at the same
    day, as the pairwise test says; it does meet a range around it, as the test also says.)
    """
    out = np.zeros(len(keys), dtype=bool)
    rows = np.flatnonzero(use)
    if len(rows) < 2:
        return out
    offset = keys[rows] * _SPAN
    s = start[rows] + offset
    e = end[rows] + offset
    order = np.lexsort((e, s))
    s, e = s[order], e[order]
    before = np.empty_like(e)
    before[0] = np.iinfo(np.int64).min
    before[1:] = np.maximum.accumulate(e)[:-1]
    out[rows[order[before > s]]] = True
    return out


def _codes(columns: list[pd.Series]) -> tuple[list[Ints], int]:
    """Integer codes for string columns over one shared vocabulary (missing: -1)."""
    sizes = [len(c) for c in columns]
    joined = pd.concat([c.reset_index(drop=True) for c in columns], ignore_index=True)
    codes, uniques = pd.factorize(joined)
    codes = np.asarray(codes, dtype=np.int64)
    bounds = np.cumsum([0, *sizes])
    parts = [codes[bounds[i] : bounds[i + 1]] for i in range(len(columns))]
    return parts, max(len(uniques), 1) + 1


def _unwrap(annotation: Any) -> Any:
    """The part class inside ``X | None`` or ``list[X]``."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return _unwrap(args[0]) if args else annotation


@dataclass(frozen=True)
class _Part:
    """A nested part filled from some columns of a table, e.g. ``mentor`` from ``cases``."""

    shown_by: tuple[str, ...]  # columns whose value makes the part exist
    required: tuple[str, ...]  # columns filling the part's required fields
    unfillable: bool  # a required field that no column fills


def _nested_parts() -> dict[str, list[_Part]]:
    """Per table, the nested parts its dotted column fields build (``child.birth_date``...)."""
    out: dict[str, list[_Part]] = {}
    for name, table in TABLES.items():
        row_model: type[BaseModel] = (
            _unwrap(Case.model_fields[table.target].annotation) if table.target else Case
        )
        groups: dict[str, list[Column]] = {}
        for col in table.columns:
            target = col.field or col.name
            if "." in target:
                groups.setdefault(target.rsplit(".", 1)[0], []).append(col)
        for prefix, cols in groups.items():
            model = row_model
            for step in prefix.split("."):
                model = _unwrap(model.model_fields[step].annotation)
            fields = {(c.field or c.name).rsplit(".", 1)[1]: c for c in cols}
            needed = [f for f, info in model.model_fields.items() if info.is_required()]
            if not needed:
                continue
            shown = []
            for c in cols:
                kind = column_kind(table, c)
                if not (kind.name == "bool" and kind.default is not None):
                    shown.append(c.name)
            out.setdefault(name, []).append(
                _Part(
                    tuple(shown),
                    tuple(fields[f].name for f in needed if f in fields),
                    any(f not in fields for f in needed),
                )
            )
    return out


_PARTS = _nested_parts()
