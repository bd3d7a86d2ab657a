"""Legacy AFCARS foster-care records (one row per child, NDACAN variable names) as cases.

AFCARS holds a child's dates, current goal and setting, TPR dates and discharge, but no case
plans, services, hearings or visits. Rules that need those are reported ``not_evaluable`` for
the run (``UNKNOWN``) instead of flagging every child for, say, a missing case plan.
Codes follow the NDACAN FC2023v1 format program (shared/reference/domain.md, section 2.1).
"""

from __future__ import annotations

from collections.abc import Iterator
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
COLUMNS = [
    "RECNUMBR",
    "FIPSCODE",
    "DOB",
    "REM1DT",
    "TOTALREM",
    "DLSTFCDT",
    "LATREMDT",
    "CURSETDT",
    "PEDREVDT",
    "CASEGOAL",
    "CURPLSET",
    "TPRMOMDT",
    "TPRDADDT",
    "DODFCDT",
    "DISREASN",
    *REMOVAL_FLAGS,
]

#: Fact fields an AFCARS record cannot tell; rules reading them are not evaluable for the run.
UNKNOWN: set[str] = {
    *(
        f"deadline:{d}"
        for d in (
            "case_plan",
            "prevent_removal_finding",
            "permanency_hearing",
            "reasonable_efforts_finding",
            "tpr_petition",
            "caseworker_visit",
            "relative_notice",
            "transition_plan",
            "credit_report",
            "trial_home_visit",
        )
    ),
    "case.has_concurrent_goal",
    "case.established_goal_count",
    "case.parent_services_started",
    "case.days_since_parent_visit",
    "case.has_mentor",
    "case.adult_connections",
    "case.legal_permanency_step",
    "case.tpr_petition_filed",
    "case.tpr_exception",
    "case.tpr_exception_relative_care",
    "case.tpr_exception_compelling_reason",
    "case.tpr_exception_services_not_provided",
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


def is_afcars(path: Path) -> bool:
    if path.suffix not in (".csv", ".parquet") or not path.is_file():
        return False
    cols = pd.read_parquet(path).columns if path.suffix == ".parquet" else pd.read_csv(path, nrows=0).columns
    return "RECNUMBR" in cols and "LATREMDT" in cols


def _s(row: dict[str, Any], key: str) -> str | None:
    v = row.get(key)
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    text = str(v).strip()
    return text or None


def iter_afcars_cases(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(case_id, case dict) for each AFCARS record; unknown codes are passed on to be rejected."""
    if path.suffix == ".parquet":
        df = pd.read_parquet(path).astype("string")
    else:
        df = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    present = [c for c in COLUMNS if c in df.columns]
    for n, values in enumerate(df[present].itertuples(index=False, name=None), start=1):
        row = dict(zip(present, values, strict=True))
        rec = _s(row, "RECNUMBR") or f"row-{n}"
        removal = _s(row, "LATREMDT")
        case: dict[str, Any] = {
            "case_id": rec,
            "child": {"id": rec},
            "office": _s(row, "FIPSCODE"),
            "episode": {
                "removal_date": removal,
                "removal_reasons": [v for k, v in REMOVAL_FLAGS.items() if _s(row, k) == "1"],
            },
        }
        if birth := _s(row, "DOB"):
            case["child"]["birth_date"] = birth
        if end := _s(row, "DODFCDT"):
            case["episode"]["discharge_date"] = end
            reason = _s(row, "DISREASN")
            if reason and reason not in ("0", "99"):
                case["episode"]["discharge_reason"] = DISCHARGE.get(reason, reason)
        if _s(row, "TOTALREM") == "2" and (first := _s(row, "REM1DT")) and (last := _s(row, "DLSTFCDT")):
            case["prior_episodes"] = [{"removal_date": first, "discharge_date": last}]
        goal = _s(row, "CASEGOAL")
        if goal and goal != "99" and removal:
            case["goals"] = [{"type": GOALS.get(goal, goal), "role": "primary", "start_date": removal}]
        setting = _s(row, "CURPLSET")
        if setting and setting != "99":
            case["placements"] = [
                {"setting": SETTINGS.get(setting, setting), "start_date": _s(row, "CURSETDT") or removal}
            ]
        if review := _s(row, "PEDREVDT"):
            case["reviews"] = [{"type": "court", "date": review}]
        parents = []
        for role, col in (("mother", "TPRMOMDT"), ("father", "TPRDADDT")):
            tpr = _s(row, col)
            parents.append({"role": role, **({"rights_terminated_date": tpr} if tpr else {})})
        case["parents"] = parents
        yield rec, case
