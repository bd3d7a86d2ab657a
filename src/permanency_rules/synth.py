"""A seeded generator of realistic synthetic caseloads, with problems planted at known rates.

Feeds the tests, the benchmark and the demo. Synthetic data only: ids are random tokens,
there are no names. The same seed always gives the same caseload.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from dateutil.relativedelta import relativedelta

from .adapters.tables import LIST_SEP, TABLES

#: Chance that each planted problem is put into a case (it may also arise on its own).
PLANTED = {
    "no_goal": 0.04,
    "ltfc_under_16": 0.03,
    "need_without_service": 0.15,
    "missed_permanency_hearing": 0.08,
    "no_caseworker_visit": 0.08,
    "child_left_out_of_plan": 0.10,
    "reunification_after_tpr": 0.02,
}

OFFICES = ["north", "south", "east", "west", "central"]
NEED_SERVICE = {
    "substance_use": "substance_treatment",
    "mental_health": "counseling",
    "trauma": "trauma_therapy",
    "parenting": "parenting_education",
    "housing": "housing_assistance",
    "education": "education_support",
    "physical_health": "medical",
    "employment": "employment_services",
    "caregiver_support": "respite",
    "developmental": "developmental_services",
    "domestic_violence": "domestic_violence_services",
}


def _d(x: date) -> str:
    return x.isoformat()


def _between(rng: random.Random, a: date, b: date) -> date:
    if b <= a:
        return b
    return a + timedelta(days=rng.randint(0, (b - a).days))


def synth_case(rng: random.Random, n: int, as_of: date) -> dict[str, Any]:
    """One synthetic case (a dict in the case model's shape)."""
    plant = {k: rng.random() < p for k, p in PLANTED.items()}
    removal = as_of - timedelta(days=rng.randint(20, 4 * 365))
    age_at_removal = rng.choice([0, 1, 2, 3, 5, 7, 9, 11, 13, 14, 15, 16, 17])
    birth = removal - relativedelta(years=age_at_removal) - timedelta(days=rng.randint(0, 360))
    if plant["ltfc_under_16"]:
        birth = max(birth, as_of - relativedelta(years=15))
        birth = min(birth, removal - timedelta(days=30))
    age = relativedelta(as_of, birth).years
    adjudication = removal + timedelta(days=rng.randint(15, 100)) if rng.random() < 0.85 else None
    if adjudication and adjudication > as_of:
        adjudication = None
    case: dict[str, Any] = {
        "case_id": f"C{n:07d}",
        "office": rng.choice(OFFICES),
        "worker_id": f"W{rng.randint(1, 400):03d}",
        "child": {"id": f"K{rng.getrandbits(32):08x}", "birth_date": _d(birth)},
        "episode": {
            "removal_date": _d(removal),
            "removal_reasons": rng.sample(
                [
                    "neglect",
                    "physical_abuse",
                    "parent_drug",
                    "inadequate_housing",
                    "caretaker_inability_to_cope",
                ],
                k=rng.randint(1, 2),
            ),
        },
    }
    if adjudication:
        case["episode"]["first_adjudication_date"] = _d(adjudication)
    closed = rng.random() < 0.12 and (as_of - removal).days > 200
    if closed:
        case["episode"]["discharge_date"] = _d(_between(rng, removal + timedelta(days=150), as_of))
        case["episode"]["discharge_reason"] = rng.choice(
            ["reunification", "adoption", "guardianship", "relative"]
        )
    end = date.fromisoformat(case["episode"].get("discharge_date", _d(as_of)))
    if rng.random() < 0.1 and removal - relativedelta(years=1) > birth + timedelta(days=60):
        prior_end = removal - timedelta(days=rng.randint(40, 300))
        prior_start = prior_end - timedelta(days=rng.randint(30, 300))
        if prior_start > birth:
            case["prior_episodes"] = [
                {
                    "removal_date": _d(prior_start),
                    "discharge_date": _d(prior_end),
                    "discharge_reason": "reunification",
                }
            ]
    # placements: a chain from removal to now
    placements = []
    start = removal
    for i in range(rng.choice([1, 1, 2, 2, 3])):
        setting = rng.choice(
            [
                "relative_foster_home",
                "nonrelative_foster_home",
                "nonrelative_foster_home",
                "group_home",
                "pre_adoptive_home",
            ]
            + (["institution"] if age > 11 else [])
        )
        stop = None if i == 2 or rng.random() < 0.5 else _between(rng, start + timedelta(days=10), end)
        placements.append(
            {
                "id": f"p{i}",
                "setting": setting,
                "start_date": _d(start),
                **({"end_date": _d(stop)} if stop else {}),
                "relative": setting == "relative_foster_home",
            }
        )
        if stop is None or stop >= end:
            break
        start = stop
    if rng.random() < 0.04 and not closed:
        last = placements[-1]
        if "end_date" not in last:
            thv_start = _between(rng, date.fromisoformat(str(last["start_date"])) + timedelta(days=1), as_of)
            last["end_date"] = _d(thv_start)
            if thv_start < as_of:
                placements.append({"id": "p9", "setting": "trial_home_visit", "start_date": _d(thv_start)})
    case["placements"] = placements
    # goals
    goals = []
    if not plant["no_goal"]:
        g_start = removal + timedelta(days=rng.randint(5, 75))
        if g_start <= as_of:
            if plant["ltfc_under_16"]:
                primary = rng.choice(["long_term_foster_care", "appla", "emancipation"])
            elif age >= 16 and rng.random() < 0.25:
                primary = "appla"
            else:
                primary = rng.choice(["reunification"] * 6 + ["adoption", "guardianship", "relative"])
            goals.append(
                {
                    "id": "g1",
                    "type": primary,
                    "role": "primary",
                    "start_date": _d(g_start),
                    **({"target_date": _d(g_start + relativedelta(months=12))} if rng.random() < 0.5 else {}),
                }
            )
            if rng.random() < 0.45:
                goals.append(
                    {
                        "id": "g2",
                        "type": rng.choice(["adoption", "guardianship", "relative"]),
                        "role": "concurrent",
                        "start_date": _d(_between(rng, g_start, as_of)),
                    }
                )
    case["goals"] = goals
    # parents
    parents = [{"id": "mother", "role": "mother"}]
    if rng.random() < 0.7:
        parents.append({"id": "father", "role": "father"})
    for p in parents:
        if plant["reunification_after_tpr"] or rng.random() < 0.08:
            p["rights_terminated_date"] = _d(_between(rng, min(removal + timedelta(days=200), as_of), as_of))
        elif rng.random() < 0.05:
            p["whereabouts_unknown_since"] = _d(_between(rng, removal, as_of))
    if plant["reunification_after_tpr"] and goals:
        goals[0]["type"] = "reunification"
    case["parents"] = parents
    # case plan
    if rng.random() < 0.9:
        plan_date = removal + timedelta(days=rng.randint(20, 80))
        if plan_date <= as_of:
            parts = ["caregiver"] + [p["role"] for p in parents if rng.random() < 0.8]
            if age >= 14 and not plant["child_left_out_of_plan"]:
                parts.append("child")
            comps = [
                "needs",
                "services",
                "intervention_strategies",
                "timelines_and_goals",
                "progress_measures",
            ]
            if rng.random() < 0.1:
                comps.remove(rng.choice(comps))
            case["case_plans"] = [
                {"id": "cp1", "date": _d(plan_date), "components": comps, "participants": parts}
            ]
    # needs and services
    needs, services = [], []
    for i in range(rng.randint(1, 4)):
        domain = rng.choice(list(NEED_SERVICE))
        whose = "caregiver" if domain == "caregiver_support" else rng.choice(["child", "mother", "father"])
        if whose == "father" and len(parents) < 2:
            whose = "mother"
        found = _between(rng, removal, as_of)
        needs.append({"id": f"n{i}", "whose": whose, "domain": domain, "identified_date": _d(found)})
        if plant["need_without_service"] and i == 0:
            found = min(found, as_of - timedelta(days=45))
            needs[-1]["identified_date"] = _d(max(found, removal))
            continue
        if rng.random() < 0.9:
            referred = _between(rng, found, min(as_of, found + timedelta(days=20)))
            status = rng.choice(["active", "active", "active", "completed", "referred", "waitlisted"])
            svc = {
                "id": f"s{i}",
                "need": f"n{i}",
                "type": NEED_SERVICE[domain],
                "status": status,
                "referred_date": _d(referred),
            }
            if status in ("active", "completed"):
                svc["started_date"] = _d(_between(rng, referred, min(as_of, referred + timedelta(days=15))))
            services.append(svc)
    case["needs"], case["services"] = needs, services
    # hearings and reviews
    defc = min(adjudication or removal + timedelta(days=60), removal + timedelta(days=60))
    hearings: list[dict[str, Any]] = (
        [
            {
                "id": "h0",
                "type": "removal",
                "date": _d(removal + timedelta(days=2)),
                "findings": ["contrary_to_welfare", "reasonable_efforts_prevent_removal"],
            }
        ]
        if removal + timedelta(days=2) <= as_of
        else []
    )
    ph = defc + relativedelta(months=12)
    k = 1
    while ph <= as_of and not plant["missed_permanency_hearing"]:
        held = ph - timedelta(days=rng.randint(0, 40))
        if end < held:
            break
        doc = {
            "intensive_family_finding": rng.random() < 0.8,
            "child_asked": rng.random() < 0.85,
            "compelling_reasons": rng.random() < 0.85,
            "normalcy": rng.random() < 0.85,
        }
        hearings.append(
            {
                "id": f"h{k}",
                "type": "permanency",
                "date": _d(held),
                "findings": ["reasonable_efforts_finalize"],
                "appla_documentation": doc,
            }
        )
        ph = held + relativedelta(months=12)
        k += 1
    case["hearings"] = hearings
    reviews = []
    rv = defc + relativedelta(months=6)
    j = 0
    while rv <= min(as_of, end):
        held = rv - timedelta(days=rng.randint(0, 25 if rng.random() < 0.9 else 0))
        reviews.append({"id": f"r{j}", "type": rng.choice(["court", "administrative"]), "date": _d(held)})
        rv = held + relativedelta(months=6)
        j += 1
    case["reviews"] = reviews
    # recent caseworker visits (the last three months)
    visits = []
    if not plant["no_caseworker_visit"]:
        for m in range(3):
            vd = as_of - relativedelta(months=m) - timedelta(days=rng.randint(0, 20))
            if removal <= vd <= end:
                visits.append({"id": f"v{m}", "date": _d(vd), "in_residence": rng.random() < 0.8})
    case["caseworker_visits"] = visits
    case["parent_visits"] = [
        {"id": f"pv{m}", "parent": "mother", "date": _d(as_of - timedelta(days=rng.randint(1, 50) + 30 * m))}
        for m in range(rng.randint(0, 2))
        if as_of - timedelta(days=50 + 30 * m) >= removal
    ]
    if rng.random() < 0.8 and removal + timedelta(days=25) <= as_of:
        case["relative_notice"] = {"date": _d(min(as_of, removal + timedelta(days=rng.randint(1, 40))))}
    if age >= 14 and rng.random() < 0.6:
        case["credit_reports"] = [
            {"date": _d(_between(rng, max(removal, as_of - timedelta(days=400)), as_of))}
        ]
    if age >= 16 and rng.random() < 0.5:
        case["mentor"] = {"start_date": _d(_between(rng, removal, as_of))}
    if rng.random() < 0.3:
        together = rng.random() < 0.6
        case["siblings"] = [
            {
                "id": "sib1",
                "in_care": True,
                "placed_together": together,
                "contact_plan": together or rng.random() < 0.7,
            }
        ]
    if rng.random() < 0.06:
        case["tpr"] = {
            "exception": rng.choice(["relative_care", "compelling_reason"]),
            "exception_date": _d(_between(rng, removal, as_of)),
        }
    elif rng.random() < 0.6 and defc + relativedelta(months=14) <= min(as_of, end):
        # most agencies file (or join) on time; the rest are the TPR rule's planted share
        case["tpr"] = {
            "petition_date": _d(
                min(as_of, end, defc + relativedelta(months=14) + timedelta(days=rng.randint(0, 20)))
            )
        }
    return case


def synth_cases(n: int, as_of: date, seed: int = 0) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    for i in range(n):
        yield synth_case(rng, i, as_of)


def _get(d: dict[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d


def cases_to_tables(cases: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """The inverse of ``adapters.tables``: case dicts to one string table per entity."""
    out = {}
    for name, table in TABLES.items():
        rows = []
        for case in cases:
            items = [case] if table.target == "" else case.get(table.target, [])
            for item in items:
                row = {}
                for col in table.columns:
                    v = case["case_id"] if col.name == "case_id" else _get(item, col.field or col.name)
                    if isinstance(v, list):
                        v = LIST_SEP.join(v)
                    elif isinstance(v, bool):
                        v = "true" if v else "false"
                    row[col.name] = None if v is None else str(v)
                rows.append(row)
        out[name] = pd.DataFrame(rows, columns=[c.name for c in table.columns], dtype="string")
    return out


def write_caseload(cases: list[dict[str, Any]], out: Path, fmt: str = "csv") -> None:
    """Write a caseload as a folder of tables (csv or parquet) or a .jsonl file."""
    if fmt == "jsonl" or out.suffix == ".jsonl":
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as fh:
            for c in cases:
                fh.write(json.dumps(c, sort_keys=True) + "\n")
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, df in cases_to_tables(cases).items():
        if fmt == "parquet":
            df.to_parquet(out / f"{name}.parquet", index=False)
        else:
            df.to_csv(out / f"{name}.csv", index=False)


#: AFCARS problems planted by ``synth_afcars``: element -> (chance per record, bad value maker).
AFCARS_PLANTED = {
    "DOB": 0.01,  # birth after the latest removal
    "CASEGOAL": 0.02,  # coded 99 (missing)
    "CURPLSET": 0.01,  # 9: not an AFCARS setting code
    "DLSTFCDT": 0.01,  # previous discharge before the first removal
    "MANREM": 0.01,  # 4: not a manner-of-removal code
    "NEGLECT": 0.01,  # 2: a removal reason flag that is neither 0 nor 1
}
AFCARS_COUNTIES = {"26": ["26163", "26081", "26125"], "27": ["27053", "27123"]}


def synth_afcars(n: int, as_of: date, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A legacy AFCARS foster-care file (text columns, NDACAN names) and its planted problems
    (``RECNUMBR``, ``element``): each planted record has exactly that one bad value."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    rows: list[dict[str, str]] = []
    plants: list[tuple[str, str]] = []
    for i in range(n):
        rec = f"R{i:07d}"
        state = rng.choice(sorted(AFCARS_COUNTIES))
        removal = as_of - timedelta(days=rng.randint(20, 4 * 365))
        birth = removal - timedelta(days=rng.randint(30, 17 * 365))
        row = {
            "RECNUMBR": rec,
            "STATE": state,
            "FIPSCODE": rng.choice(AFCARS_COUNTIES[state]),
            "DOB": _d(birth),
            "REM1DT": _d(removal),
            "TOTALREM": "1",
            "DLSTFCDT": "",
            "LATREMDT": _d(removal),
            "CURSETDT": _d(_between(rng, removal, min(as_of, removal + timedelta(days=400)))),
            "PEDREVDT": _d(_between(rng, removal, as_of)) if rng.random() < 0.8 else "",
            "CASEGOAL": rng.choice("1111233345677"),
            "CURPLSET": rng.choice("12233345678"),
            "TPRMOMDT": "",
            "TPRDADDT": "",
            "DODFCDT": "",
            "DISREASN": "0",
            "MANREM": rng.choice("1223"),
            **{flag: "0" for flag in ("PHYABUSE", "SEXABUSE", "NEGLECT", "PRTSJAIL", "HOUSING")},
        }
        row[rng.choice(["PHYABUSE", "NEGLECT", "NEGLECT", "HOUSING", "PRTSJAIL"])] = "1"
        if rng.random() < 0.15 and removal - timedelta(days=400) > birth:
            last = removal - timedelta(days=rng.randint(30, 300))
            first = max(birth + timedelta(days=1), last - timedelta(days=rng.randint(30, 500)))
            row.update(REM1DT=_d(first), TOTALREM="2", DLSTFCDT=_d(last))
        if rng.random() < 0.08 and (as_of - removal).days > 500:
            tpr = _d(_between(rng, removal + timedelta(days=300), as_of))
            row.update(TPRMOMDT=tpr, TPRDADDT=tpr)
        if rng.random() < 0.1 and (as_of - removal).days > 200:
            row.update(DODFCDT=_d(_between(rng, removal + timedelta(days=150), as_of)), DISREASN="1")
        element = next((e for e, p in AFCARS_PLANTED.items() if rng.random() < p), None)
        if element == "DOB":
            row["DOB"] = _d(removal + timedelta(days=rng.randint(1, 100)))
        elif element == "CASEGOAL":
            row["CASEGOAL"] = "99"
        elif element == "CURPLSET":
            row["CURPLSET"] = "9"
        elif element == "DLSTFCDT":
            first = removal - timedelta(days=rng.randint(200, 400))
            row.update(
                REM1DT=_d(first), TOTALREM="2", DLSTFCDT=_d(first - timedelta(days=rng.randint(1, 90)))
            )
        elif element == "MANREM":
            row["MANREM"] = "4"
        elif element == "NEGLECT":
            row["NEGLECT"] = "2"
        if element:
            plants.append((rec, element))
        rows.append(row)
    return pd.DataFrame(rows, dtype="string"), pd.DataFrame(plants, columns=["RECNUMBR", "element"])


def write_afcars(df: pd.DataFrame, out: Path) -> None:
    """An AFCARS file by extension: tab-delimited text (.tab/.tsv/.txt), .csv or .parquet."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".parquet":
        df.to_parquet(out, index=False)
    else:
        df.to_csv(out, index=False, sep="," if out.suffix == ".csv" else "\t")
