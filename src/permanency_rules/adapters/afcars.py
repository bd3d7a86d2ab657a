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
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

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
#: MANREM (element 25), kept as the AFCARS code names until the case model has a field for it.
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
        )
    ),
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
    *(
        f"{t}.{f}"
        for t in ("case_plan", "need", "service", "hearing", "sibling")
        for f in ("id", "day", "is_latest", "whose", "domain", "is_open", "type", "status", "in_care")
    ),
}


@dataclass(frozen=True)
class Issue:
    """One AFCARS value that could not be used: the element, its code or date, and why."""

    case_id: str
    element: str
    value: str
    problem: str

    def message(self) -> str:
        shown = f"{self.value!r}" if self.value else "blank"
        return f"AFCARS element {self.element} = {shown}: {self.problem}; the value is not used."


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


_NUMBER = re.compile(r"^\d+(\.0+)?$")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d", "%Y-%m-%d %H:%M:%S")


def _text(v: Any) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    text = str(v).strip()
    return text or None


def _code(v: str | None) -> str | None:
    """``"01"``, ``"1.0"`` and ``"1"`` are the same code (Stata and Parquet store numbers)."""
    if v is not None and _NUMBER.match(v):
        return str(int(float(v)))
    return v


def _date(v: str | None) -> date | None:
    if v is None:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(v, fmt).date()
        except ValueError:
            continue
    return None


@dataclass
class _Record:
    case_id: str
    row: dict[str, str | None]
    issues: list[Issue] = field(default_factory=list)

    def flag(self, element: str, problem: str) -> None:
        self.issues.append(Issue(self.case_id, element, self.row.get(element) or "", problem))

    def date(self, element: str) -> date | None:
        raw = self.row.get(element)
        d = _date(raw)
        if raw is not None and d is None:
            self.flag(element, "not a date")
        return d

    def code(self, element: str, codes: dict[str, str], *, required: bool = False) -> str | None:
        """The mapped code; 99, a blank where required, or a code outside the list is an issue."""
        raw = _code(self.row.get(element))
        if raw is None:
            if required:
                self.flag(element, "missing")
            return None
        if raw == MISSING:
            self.flag(element, "coded 99 (missing)")
            return None
        if raw not in codes:
            self.flag(element, f"not a {element} code")
            return None
        return codes[raw]


def afcars_case(row: dict[str, str | None], n: int) -> tuple[str, dict[str, Any], list[Issue]]:
    """The case dict of one AFCARS record (row ``n``) and the issues found in it.

    A missing or unreadable LATREMDT leaves the case without a removal date, and the case model
    rejects it: without the latest removal nothing in the record can be timed."""
    rec = _Record(row.get("RECNUMBR") or f"row-{n}", row)
    removal = rec.date("LATREMDT")
    if removal is None and row.get("LATREMDT") is None:
        rec.flag("LATREMDT", "missing")
    case: dict[str, Any] = {
        "case_id": rec.case_id,
        "child": {"id": rec.case_id},
        "office": row.get("FIPSCODE"),
        "episode": {"removal_date": removal.isoformat() if removal else None, "removal_reasons": []},
    }
    for element, reason in REMOVAL_FLAGS.items():
        flag = _code(row.get(element))
        if flag == "1":
            case["episode"]["removal_reasons"].append(reason)
        elif flag not in (None, "0"):
            rec.flag(element, "not 0 or 1")

    birth = rec.date("DOB")
    if birth and removal and birth > removal:
        rec.flag("DOB", f"birth after the latest removal (LATREMDT {removal.isoformat()})")
        birth = None
    if birth:
        case["child"]["birth_date"] = birth.isoformat()

    discharge = rec.date("DODFCDT")
    if discharge and removal and discharge < removal:
        rec.flag("DODFCDT", f"discharge before the latest removal (LATREMDT {removal.isoformat()})")
        discharge = None
    if discharge:
        case["episode"]["discharge_date"] = discharge.isoformat()
        if _code(row.get("DISREASN")) != "0":
            why = rec.code("DISREASN", DISCHARGE, required=True)
            if why:
                case["episode"]["discharge_reason"] = why

    if prior := _prior_episode(rec, removal):
        case["prior_episodes"] = [prior]

    goal = rec.code("CASEGOAL", GOALS, required=True)
    if goal and removal:
        case["goals"] = [{"type": goal, "role": "primary", "start_date": removal.isoformat()}]
    setting = rec.code("CURPLSET", SETTINGS, required=True)
    since = rec.date("CURSETDT")
    if since and removal and since < removal:
        rec.flag("CURSETDT", f"placed before the latest removal (LATREMDT {removal.isoformat()})")
        since = None
    if setting and removal:
        start = since or removal
        case["placements"] = [{"setting": setting, "start_date": start.isoformat()}]
    review = rec.date("PEDREVDT")
    if review and removal and review < removal:
        rec.flag("PEDREVDT", f"review before the latest removal (LATREMDT {removal.isoformat()})")
        review = None
    if review:
        case["reviews"] = [{"type": "court", "date": review.isoformat()}]
    rec.code("MANREM", MANNER)
    parents = []
    for role, col in (("mother", "TPRMOMDT"), ("father", "TPRDADDT")):
        tpr = rec.date(col)
        parents.append({"role": role, **({"rights_terminated_date": tpr.isoformat()} if tpr else {})})
    case["parents"] = parents
    return rec.case_id, case, rec.issues


def _prior_episode(rec: _Record, removal: date | None) -> dict[str, str] | None:
    """The earlier time in care, for the 15-of-22 count (42 USC 675(5)(E)).

    AFCARS gives only the first removal (REM1DT), the number of removals (TOTALREM) and the
    discharge that ended the previous episode (DLSTFCDT). With two removals that is exactly one
    prior episode, REM1DT to DLSTFCDT. With more, the dates of the episodes in between are not
    in the file, so only the current episode counts: the count is a lower bound and the check
    can come late, never early."""
    first = rec.date("REM1DT")
    last = rec.date("DLSTFCDT")
    raw_total = _code(rec.row.get("TOTALREM"))
    total = int(raw_total) if raw_total is not None and raw_total.isdigit() else None
    if raw_total is not None and (total is None or total < 1):
        rec.flag("TOTALREM", "not a number of removals")
    if first and removal and first > removal:
        rec.flag("REM1DT", f"first removal after the latest removal (LATREMDT {removal.isoformat()})")
        return None
    if last and first and last < first:
        rec.flag("DLSTFCDT", f"previous discharge before the first removal (REM1DT {first.isoformat()})")
        return None
    if last and removal and last > removal:
        rec.flag("DLSTFCDT", f"previous discharge after the latest removal (LATREMDT {removal.isoformat()})")
        return None
    if total == 2 and first and last:
        return {"removal_date": first.isoformat(), "discharge_date": last.isoformat()}
    return None


@dataclass
class AfcarsSource:
    """The records of one AFCARS file as (case_id, case dict), in file order.

    Iterating fills ``issues`` (data-quality problems, per record) and ``groups`` (state and
    county of each record, for summaries), so they are complete once the cases are consumed."""

    path: Path
    issues: list[Issue] = field(default_factory=list)
    groups: list[dict[str, str | None]] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple[str, dict[str, Any]]]:
        df = read_afcars(self.path)
        present = [c for c in COLUMNS if c in df.columns]
        self.issues.clear()
        self.groups.clear()
        for n, values in enumerate(df[present].itertuples(index=False, name=None), start=1):
            row = {k: _text(v) for k, v in zip(present, values, strict=True)}
            case_id, case, issues = afcars_case(row, n)
            self.issues += issues
            self.groups.append({"state": row.get("STATE") or row.get("ST"), "county": row.get("FIPSCODE")})
            yield case_id, case


def iter_afcars_cases(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(case_id, case dict) for each AFCARS record (see ``AfcarsSource``)."""
    return iter(AfcarsSource(path))
