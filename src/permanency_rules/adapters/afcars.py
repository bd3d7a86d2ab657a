"""Legacy AFCARS foster-care records (one row per child, NDACAN variable names) as cases.

Files are read as distributed: NDACAN's tab-delimited text (``FC2023v1.tab``; also ``.tsv``
and ``.txt``), CSV, Parquet, or Stata ``.dta``; element names match whatever their case. AFCARS
holds a child's dates, current goal and setting, TPR dates and discharge, but no case plans,
services, hearings or visits: rules that need those are reported ``not_evaluable`` for the run
(``UNKNOWN``) instead of flagging every child for, say, a missing case plan.

A value that is missing where AFCARS requires one, outside its code list, or impossible next
to the record's other dates (birth after removal, a previous discharge before the first
removal) is left out of the case and reported as a data-quality issue naming the element and
its code or date; the rest of the record is still checked. Only codes and dates are echoed,
never free text. Codes follow the NDACAN FC2023v1 format program (domain.md, section 2.1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .tables import TABLES, ArrowTables, iter_table_cases

GOALS = {
    "1": "reunification",
    "2": "relative",
    "3": "adoption",
    "4": "long_term_foster_care",
    "5": "emancipation",
    "6": "guardianship",
    "7": "not_established",
}
SETTINGS = {
    "1": "pre_adoptive_home",
    "2": "relative_foster_home",
    "3": "nonrelative_foster_home",
    "4": "group_home",
    "5": "institution",
    "6": "supervised_independent_living",
    "7": "runaway",
    "8": "trial_home_visit",
}
DISCHARGE = {
    "1": "reunification",
    "2": "relative",
    "3": "adoption",
    "4": "emancipation",
    "5": "guardianship",
    "6": "transfer",
    "7": "runaway",
    "8": "death",
}
#: MANREM (element 25) to ``episode.manner_of_removal`` (``model.codes.RemovalManner``).
MANNER = {"1": "voluntary", "2": "court_ordered", "3": "not_yet_determined"}
MISSING = "99"
REMOVAL_FLAGS = {
    "PHYABUSE": "physical_abuse",
    "SEXABUSE": "sexual_abuse",
    "NEGLECT": "neglect",
    "AAPARENT": "parent_alcohol",
    "DAPARENT": "parent_drug",
    "AACHILD": "child_alcohol",
    "DACHILD": "child_drug",
    "CHILDIS": "child_disability",
    "CHBEHPRB": "child_behavior",
    "PRTSDIED": "parent_death",
    "PRTSJAIL": "parent_incarceration",
    "NOCOPE": "caretaker_inability_to_cope",
    "ABANDMNT": "abandonment",
    "RELINQSH": "relinquishment",
    "HOUSING": "inadequate_housing",
}
DATES = ["DOB", "REM1DT", "DLSTFCDT", "LATREMDT", "CURSETDT", "PEDREVDT", "TPRMOMDT", "TPRDADDT", "DODFCDT"]
COLUMNS = [
    "RECNUMBR",
    "STATE",
    "ST",
    "FIPSCODE",
    *DATES,
    "TOTALREM",
    "CASEGOAL",
    "CURPLSET",
    "DISREASN",
    "MANREM",
    *REMOVAL_FLAGS,
]
#: Extra case columns an AFCARS run can be grouped by (``--group-by state,county``).
GROUP_COLUMNS = ("state", "county")
SUFFIXES = (".csv", ".tab", ".tsv", ".txt", ".parquet", ".dta")

#: Fact fields an AFCARS record cannot tell; rules reading them are not evaluable for the run.
#: The TPR petition deadline is evaluable (15 of 22 months from REM1DT, TOTALREM, DLSTFCDT and
#: LATREMDT; met once every parent's rights are terminated), and AFCARS records no petition
#: date or exception, so ``case.tpr_petition_filed`` stays unknown.
UNKNOWN: set[str] = {
    *(
        f"deadline:{d}"
        for d in (
            "case_plan",
            "prevent_removal_finding",
            "permanency_hearing",
            "reasonable_efforts_finding",
            "caseworker_visit",
            "relative_notice",
            "transition_plan",
            "credit_report",
            "trial_home_visit",
            "contrary_to_welfare_finding",
            "best_interest_determination",
        )
    ),
    "case.visit_months_missed",
    "case.visits_in_window",
    "case.visits_in_residence_percent",
    "case.has_concurrent_goal",
    "case.parent_services_started",
    "case.days_since_parent_visit",
    "case.has_mentor",
    "case.adult_connections",
    "case.legal_permanency_step",
    "case.tpr_petition_filed",
    "case.housing_income_services",
    "case.post_permanency_services",
    "case.parents_reachable",
    "goal.role",
    "goal.ended",
    "goal.is_latest_primary",
    "goal.start_day",
    "goal.target_day",
    "goal.days_past_target",
    "parent.reachable",
    "parent.in_latest_plan",
    "parent.days_since_visit",
    "parent.deceased",
    "parent.whereabouts_known",
    "parent.needs_assessed",
    "case.reunification_efforts_required",
    *(
        f"{t}.{f}"
        for t in ("case_plan", "need", "service", "hearing", "sibling")
        for f in ("id", "day", "is_latest", "whose", "domain", "is_open", "type", "status", "in_care")
    ),
}


def _header(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    if path.suffix == ".dta":
        with pd.read_stata(path, iterator=True) as reader:
            return list(reader.read(1).columns)  # type: ignore[attr-defined]
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        first = fh.readline()
    return re.split(r"[\t,]", first.strip())


def _delimiter(path: Path) -> str:
    if path.suffix in (".tab", ".tsv"):
        return "\t"
    if path.suffix == ".csv":
        return ","
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        first = fh.readline()
    return "\t" if "\t" in first else ","


def is_afcars(path: Path) -> bool:
    """A file (not a folder) whose header has RECNUMBR and LATREMDT, in any letter case."""
    if path.suffix.lower() not in SUFFIXES or not path.is_file():
        return False
    names = {n.strip().upper() for n in _header(path)}
    return {"RECNUMBR", "LATREMDT"} <= names


def read_afcars(path: Path) -> pd.DataFrame:
    """The file as text columns with upper-case element names (blank cells are NA)."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        df = pd.read_parquet(path)
    elif suffix == ".dta":
        df = pd.read_stata(path, convert_categoricals=False)
    else:
        df = pd.read_csv(
            path,
            sep=_delimiter(path),
            dtype="string",
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8-sig",
        )
    df.columns = [str(c).strip().upper() for c in df.columns]
    for c in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[c]):
            df[c] = df[c].dt.strftime("%Y-%m-%d")
    return df.astype("string")


_NUMBER = r"\d+(?:\.0+)?"
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d")
ISSUE_COLUMNS = ["case_id", "element", "value", "problem"]


def _iso(d: pd.Series) -> pd.Series:
    """Dates as ``YYYY-MM-DD`` text (NaT as missing), by Arrow's cast rather than per value."""
    days = pa.array(d.to_numpy(dtype="datetime64[D]"), from_pandas=True)
    return pd.Series(pd.arrays.ArrowStringArray(days.cast(pa.string())), index=d.index)


def _spread(raw: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``raw``'s distinct values (a file has few codes and a few thousand dates) and, per row,
    the position of its value among them, -1 for missing: work on the distinct values, then
    ``_take`` the answers back to every row."""
    where, distinct = pd.factorize(raw)
    return where, pd.Series(distinct, dtype=raw.dtype)


def _rows(distinct: np.ndarray, where: np.ndarray, missing: Any) -> np.ndarray:
    """Per row, the answer for its distinct value (``missing`` where the row's value is)."""
    out: np.ndarray = np.append(distinct, np.array([missing], dtype=distinct.dtype))[where]  # -1: the last
    return out


def _text_rows(distinct: pd.Series, where: np.ndarray, index: pd.Index) -> pd.Series:
    """``_rows`` for text, in Arrow (missing where the row's value is)."""
    taken = pa.array(distinct, from_pandas=True).take(pa.array(where, mask=where < 0))
    return pd.Series(pd.arrays.ArrowStringArray(taken), index=index)


def _mask(m: Any, n: int) -> np.ndarray:
    if isinstance(m, pd.Series):
        m = m.fillna(False)
    return np.broadcast_to(np.asarray(m, dtype=bool), (n,))


class _Mapper:
    """Element-by-element mapping of a whole file, collecting the values it cannot use."""

    def __init__(self, df: pd.DataFrame) -> None:
        self.df = df.reset_index(drop=True)
        self.n = len(self.df)
        self._raw: dict[str, pd.Series] = {}
        numbered = pd.Series([f"row-{i}" for i in range(1, self.n + 1)], dtype="string")
        self.ids = self.raw("RECNUMBR").fillna(numbered)
        self.issues: list[pd.DataFrame] = []

    def raw(self, element: str) -> pd.Series:
        """The element's values, stripped, blank as missing (all missing if the column is absent)."""
        if element not in self._raw:
            if element not in self.df.columns:
                self._raw[element] = pd.Series(pd.NA, index=range(self.n), dtype="string")
            else:
                s = self.df[element].astype("string[pyarrow]").str.strip()
                self._raw[element] = s.where(s != "").astype("string")
        return self._raw[element]

    def flag(self, mask: Any, element: str, problem: str | pd.Series) -> None:
        m = _mask(mask, self.n)
        if not m.any():
            return
        why = problem[m].to_numpy() if isinstance(problem, pd.Series) else problem
        value = self.raw(element)[m].fillna("").to_numpy()
        self.issues.append(
            pd.DataFrame(
                {"case_id": self.ids[m].to_numpy(), "element": element, "value": value, "problem": why}
            )
        )

    def code(
        self,
        element: str,
        codes: dict[str, str],
        *,
        required: bool = False,
        where: Any = True,
        outside: str | None = None,
    ) -> pd.Series:
        """Mapped codes where ``where`` holds: 99, a blank where required, or a code outside the
        list is an issue and maps to missing. ``outside`` names the out-of-list problem."""
        raw = self.raw(element)
        where_u, distinct = _spread(raw)  # the same steps on each distinct value, then per row
        number = distinct.str.fullmatch(_NUMBER).fillna(False)
        canon = distinct.mask(number, distinct[number].astype(float).astype("Int64").astype("string"))
        scope = _mask(where, self.n)
        present = _rows(canon.notna().to_numpy(), where_u, False)
        known = _rows(canon.isin(list(codes)).to_numpy(), where_u, False) & present
        if required:
            self.flag(scope & ~present, element, "missing")
        if outside is None:
            is_99 = _rows((canon == MISSING).fillna(False).to_numpy(dtype=bool), where_u, False)
            self.flag(scope & is_99, element, "coded 99 (missing)")
            self.flag(scope & present & ~is_99 & ~known, element, f"not a {element} code")
        else:
            self.flag(scope & present & ~known, element, outside)
        return _text_rows(canon.map(codes).astype("string"), where_u, raw.index).where(scope & known)

    def date(self, element: str) -> pd.Series:
        raw = self.raw(element)
        where_u, distinct = _spread(raw)  # each distinct date parsed once
        parsed_u = pd.Series(pd.NaT, index=distinct.index, dtype="datetime64[ns]")
        for fmt in _DATE_FORMATS:
            todo = parsed_u.isna() & distinct.notna()
            if not todo.any():
                break
            got = pd.to_datetime(distinct[todo], format=fmt, errors="coerce")
            # pandas keeps 0001-01-01 at microsecond precision; outside nanosecond range it is
            # not a usable date here (flagged below), never a crash of the whole file
            inside = got.isna() | ((got >= pd.Timestamp.min) & (got <= pd.Timestamp.max))
            parsed_u[todo] = got.where(inside).astype("datetime64[ns]")
        parsed = pd.Series(_rows(parsed_u.to_numpy(), where_u, np.datetime64("NaT", "ns")), index=raw.index)
        self.flag(raw.notna() & parsed.isna(), element, "not a date")
        return parsed

    def drop(
        self, d: pd.Series, bad: Any, element: str, problem: str, other: str, at: pd.Series
    ) -> pd.Series:
        """``d`` without the values where ``bad`` holds, each an issue naming the other element."""
        m = _mask(bad, self.n)
        self.flag(m, element, _about(m, f"{problem} ({other} ", at))
        return d.mask(m)

    def issue_frame(self) -> pd.DataFrame:
        if not self.issues:
            return pd.DataFrame({c: pd.Series(dtype="string") for c in ISSUE_COLUMNS})
        return pd.concat(self.issues, ignore_index=True).astype("string")


def _reasons(flags: np.ndarray, index: pd.Index) -> pd.Series:
    """The removal reasons whose bits are set, joined by ``;`` in ``REMOVAL_FLAGS`` order (a
    file has few distinct combinations: each is spelt once)."""
    where, distinct = pd.factorize(flags)
    names = list(REMOVAL_FLAGS.values())
    spelt = [";".join(n for i, n in enumerate(names) if bits >> i & 1) for bits in distinct.tolist()]
    return _text_rows(pd.Series(spelt, dtype="string"), where, index)


def _about(m: np.ndarray, problem: str, at: pd.Series) -> pd.Series:
    """``problem`` followed by the date ``at`` and ``)``, built only on the rows ``m`` flags."""
    out = pd.Series(pd.NA, index=at.index, dtype="string")
    if m.any():
        out[m] = problem + _iso(at[m]).fillna("") + ")"
    return out


def _text_frame(columns: dict[str, Any], table: str) -> pd.DataFrame:
    """A table in ``adapters.tables`` layout: every declared column, as text."""
    n = len(next(iter(columns.values())))
    out = {}
    for c in TABLES[table].columns:
        v = columns.get(c.name)
        out[c.name] = (
            pd.Series(pd.NA, index=range(n), dtype="string")
            if v is None
            else pd.Series(v, dtype="string").reset_index(drop=True)
        )
    return pd.DataFrame(out)


def afcars_tables(df: pd.DataFrame) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The records of an AFCARS file as caseload tables (``adapters.tables`` layout, one case
    per record, in file order), and the values that could not be used (``ISSUE_COLUMNS``).

    A missing or unreadable LATREMDT leaves the case without a removal date, and the case model
    rejects it: without the latest removal nothing in the record can be timed."""
    m = _Mapper(df)
    ids = m.ids
    removal = m.date("LATREMDT")
    m.flag(m.raw("LATREMDT").isna(), "LATREMDT", "missing")
    has_removal = removal.notna().to_numpy()
    flags = np.zeros(m.n, dtype=np.int64)  # bit i: the i-th removal reason applies
    for i, (element, reason) in enumerate(REMOVAL_FLAGS.items()):
        flag = m.code(element, {"0": "", "1": reason}, outside="not 0 or 1")
        flags |= (flag == reason).fillna(False).to_numpy(dtype=bool).astype(np.int64) << i
    reasons = _reasons(flags, ids.index)

    dob = m.date("DOB")
    birth = m.drop(dob, dob > removal, "DOB", "birth after the latest removal", "LATREMDT", removal)
    end = m.date("DODFCDT")
    discharge = m.drop(
        end, end < removal, "DODFCDT", "discharge before the latest removal", "LATREMDT", removal
    )
    discharged = discharge.notna().to_numpy()
    not_applicable = (m.raw("DISREASN").str.fullmatch(r"0+(?:\.0+)?")).fillna(False).to_numpy()
    why = m.code("DISREASN", DISCHARGE, required=True, where=discharged & ~not_applicable)

    # the earlier time in care, for 15 of 22 (42 USC 675(5)(E)): exactly one prior episode,
    # REM1DT to DLSTFCDT, when there were two removals; with more, the episodes in between are
    # not in the file, so only the current one counts (a lower bound: late, never early)
    first = m.date("REM1DT")
    last = m.date("DLSTFCDT")
    total = m.raw("TOTALREM")
    count = pd.to_numeric(total.where(total.str.fullmatch(_NUMBER).fillna(False)), errors="coerce")
    m.flag(total.notna() & (count.isna() | (count < 1)), "TOTALREM", "not a number of removals")
    c1 = (first > removal).fillna(False)
    m.flag(c1, "REM1DT", _about(_mask(c1, m.n), "first removal after the latest removal (LATREMDT ", removal))
    c2 = ~c1 & (last < first).fillna(False)
    m.flag(
        c2, "DLSTFCDT", _about(_mask(c2, m.n), "previous discharge before the first removal (REM1DT ", first)
    )
    c3 = ~c1 & ~c2 & (last > removal).fillna(False)
    m.flag(
        c3,
        "DLSTFCDT",
        _about(_mask(c3, m.n), "previous discharge after the latest removal (LATREMDT ", removal),
    )
    prior = (~c1 & ~c2 & ~c3 & (count == 2).fillna(False) & first.notna() & last.notna()).to_numpy()

    goal = m.code("CASEGOAL", GOALS, required=True)
    setting = m.code("CURPLSET", SETTINGS, required=True)
    since = m.date("CURSETDT")
    since = m.drop(
        since, since < removal, "CURSETDT", "placed before the latest removal", "LATREMDT", removal
    )
    seen = m.date("PEDREVDT")
    review = m.drop(seen, seen < removal, "PEDREVDT", "review before the latest removal", "LATREMDT", removal)
    manner = m.code("MANREM", MANNER)
    tpr = {role: m.date(col) for role, col in (("mother", "TPRMOMDT"), ("father", "TPRDADDT"))}

    removal_iso = _iso(removal)
    cases = _text_frame(
        {
            "case_id": ids,
            "office": m.raw("FIPSCODE"),
            "child_id": ids,
            "birth_date": _iso(birth),
            "removal_date": removal_iso,
            "discharge_date": _iso(discharge),
            "discharge_reason": why,
            "removal_reasons": reasons.where(reasons != ""),
            "manner_of_removal": manner,
        },
        "cases",
    )
    tables = {"cases": cases}
    tables["episodes"] = _text_frame(
        {"case_id": ids[prior], "removal_date": _iso(first)[prior], "discharge_date": _iso(last)[prior]},
        "episodes",
    )
    g = (goal.notna() & removal.notna()).to_numpy()
    tables["goals"] = _text_frame(
        {
            "case_id": ids[g],
            "id": ["goal"] * int(g.sum()),
            "type": goal[g],
            "role": ["primary"] * int(g.sum()),
            "start_date": removal_iso[g],
        },
        "goals",
    )
    p = (setting.notna() & removal.notna()).to_numpy()
    tables["placements"] = _text_frame(
        {
            "case_id": ids[p],
            "id": ["placement"] * int(p.sum()),
            "setting": setting[p],
            "start_date": _iso(since.fillna(removal))[p],
        },
        "placements",
    )
    r = review.notna().to_numpy()
    tables["reviews"] = _text_frame(
        {
            "case_id": ids[r],
            "id": ["review"] * int(r.sum()),
            "type": ["court"] * int(r.sum()),
            "date": _iso(review)[r],
        },
        "reviews",
    )
    parents = [
        _text_frame(
            {"case_id": ids, "id": [role] * m.n, "role": [role] * m.n, "rights_terminated_date": _iso(d)},
            "parents",
        )
        for role, d in tpr.items()
    ]
    both = pd.concat(parents, keys=[0, 1]).swaplevel().sort_index(level=0, sort_remaining=True)
    tables["parents"] = both.reset_index(drop=True)
    del has_removal
    return tables, m.issue_frame()


@dataclass
class AfcarsSource:
    """One AFCARS file as caseload tables (read once), its data-quality issues, and each
    record's state and county for summaries. Iterating yields (case_id, case dict) per record
    for the per-case path; ``arrow()`` gives the tables to the column-wise path."""

    path: Path
    _tables: dict[str, pd.DataFrame] | None = None
    _issues: pd.DataFrame | None = None
    _groups: pd.DataFrame | None = None

    def _load(self) -> None:
        if self._tables is None:
            df = read_afcars(self.path)
            self._tables, self._issues = afcars_tables(df)
            m = _Mapper(df)
            state = m.raw("STATE").fillna(m.raw("ST"))
            self._groups = pd.DataFrame({"state": state, "county": m.raw("FIPSCODE")})

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        self._load()
        assert self._tables is not None
        return self._tables

    @property
    def issues(self) -> pd.DataFrame:
        self._load()
        assert self._issues is not None
        return self._issues

    @property
    def groups(self) -> pd.DataFrame:
        self._load()
        assert self._groups is not None
        return self._groups

    def arrow(self) -> ArrowTables:
        return ArrowTables(
            {n: pa.Table.from_pandas(t, preserve_index=False) for n, t in self.tables.items()}, [], []
        )

    def __iter__(self) -> Iterator[tuple[str, dict[str, Any]]]:
        yield from iter_table_cases(self.arrow().to_pandas())


def iter_afcars_cases(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(case_id, case dict) for each AFCARS record (see ``AfcarsSource``)."""
    return iter(AfcarsSource(path))
