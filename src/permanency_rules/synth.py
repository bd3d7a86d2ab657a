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

#: Each problem the generator can plant: its chance per case, and the rule that should flag it.
#: A case with nothing planted is compliant: no rule raises a warning or critical finding on it
#: (``tests/test_synth.py``); info-level reminders may remain.
PLANTS: dict[str, tuple[float, str]] = {
    "no_goal": (0.04, "PR-MG-001"),
    "no_case_plan": (0.03, "PR-OT-001"),
    "case_plan_due_soon": (0.5, "PR-OT-001"),  # only in cases 31-59 days old: due soon, a warning
    "ltfc_under_16": (0.03, "PR-LT-001"),
    "need_without_service": (0.12, "PR-SG-001"),
    "stalled_referral": (0.06, "PR-SG-002"),
    "parent_not_assessed": (0.05, "PR-SG-003"),
    "missed_permanency_hearing": (0.06, "PR-OT-003"),
    "no_caseworker_visit": (0.06, "PR-OT-006"),
    "child_left_out_of_plan": (0.10, "PR-EN-001"),
    "reunification_after_tpr": (0.02, "PR-UG-001"),
    "reunification_only": (0.05, "PR-UG-003"),
    "no_parent_visits": (0.05, "PR-UG-006"),
    "housing_no_help": (0.04, "PR-SG-006"),
    "no_relative_notice": (0.04, "PR-OT-007"),
    "tpr_not_filed": (0.05, "PR-OT-005"),
    "missed_visit_months": (0.05, "PR-EN-007"),
    "visits_away_from_home": (0.03, "PR-EN-008"),
    "no_contrary_to_welfare": (0.02, "PR-EL-001"),
    "no_best_interest_determination": (0.3, "PR-EL-002"),  # only in voluntary placements
}
#: Plants added after the first release: drawn from the case's second generator (below).
LATER_PLANTS = (
    "missed_visit_months",
    "visits_away_from_home",
    "no_contrary_to_welfare",
    "no_best_interest_determination",
)
#: Months back from the end of care that get a caseworker visit each.
VISIT_MONTHS = 24
#: Share of removals that are voluntary placements (AFCARS MANREM 1).
VOLUNTARY_SHARE = 0.06
PLANTED = {k: rate for k, (rate, _rule) in PLANTS.items()}
PLANT_RULES = {k: rule for k, (_rate, rule) in PLANTS.items()}

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
CHILD_NEEDS = ["mental_health", "trauma", "education", "physical_health", "developmental"]
PARENT_NEEDS = ["substance_use", "mental_health", "trauma", "parenting", "employment", "domestic_violence"]
COMPONENTS = ["needs", "services", "intervention_strategies", "timelines_and_goals", "progress_measures"]


def _d(x: date) -> str:
    return x.isoformat()


def _between(rng: random.Random, a: date, b: date) -> date:
    if b <= a:
        return b
    return a + timedelta(days=rng.randint(0, (b - a).days))


def synth_case(rng: random.Random, n: int, as_of: date) -> dict[str, Any]:
    """One synthetic case (a dict in the case model's shape)."""
    return synth_case_planted(rng, n, as_of)[0]


def synth_case_planted(rng: random.Random, n: int, as_of: date) -> tuple[dict[str, Any], list[str]]:
    """One synthetic case and the problems planted in it (``PLANTS`` keys; empty: compliant).

    The case is built compliant (every duty met early enough that nothing is due within the
    warning window), then each drawn problem that fits the case is planted and recorded."""
    want = {k for k, (p, _r) in PLANTS.items() if k not in LATER_PLANTS and rng.random() < p}
    # Fields added after the first release draw from their own generator, so that the values
    # the main one draws (and every caseload made before) stay as they were.
    extra = random.Random(hash(rng.getstate()))  # noqa: S311 - ints hash the same in every run
    want |= {k for k in LATER_PLANTS if extra.random() < PLANTS[k][0]}
    planted: list[str] = []
    removal = as_of - timedelta(days=rng.randint(20, 4 * 365))
    age_at_removal = rng.choice([0, 1, 2, 3, 5, 7, 9, 11, 13, 14, 15, 16, 17])
    birth = removal - relativedelta(years=age_at_removal) - timedelta(days=rng.randint(0, 360))
    age = relativedelta(as_of, birth).years
    adjudication = removal + timedelta(days=rng.randint(15, 100)) if rng.random() < 0.85 else None
    if adjudication and adjudication > as_of:
        adjudication = None
    defc = min(adjudication or removal + timedelta(days=60), removal + timedelta(days=60))
    reasons = rng.sample(
        ["neglect", "physical_abuse", "parent_drug", "inadequate_housing", "caretaker_inability_to_cope"],
        k=rng.randint(1, 2),
    )
    case: dict[str, Any] = {
        "case_id": f"C{n:07d}",
        "office": rng.choice(OFFICES),
        "worker_id": f"W{rng.randint(1, 400):03d}",
        "child": {"id": f"K{rng.getrandbits(32):08x}", "birth_date": _d(birth)},
        "episode": {"removal_date": _d(removal), "removal_reasons": reasons},
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
    # a prior episode long enough ago to be outside the 22-month look-back
    prior_end = min(removal - timedelta(days=rng.randint(40, 300)), as_of - relativedelta(months=25))
    prior_start = prior_end - timedelta(days=rng.randint(30, 200))
    if rng.random() < 0.1 and prior_start > birth + timedelta(days=30):
        case["prior_episodes"] = [
            {
                "removal_date": _d(prior_start),
                "discharge_date": _d(prior_end),
                "discharge_reason": "reunification",
            }
        ]

    # placements: a chain from removal to now
    placements: list[dict[str, Any]] = []
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
        tail = placements[-1]
        if "end_date" not in tail:  # home on a trial visit for under five months
            thv_start = _between(
                rng,
                max(
                    date.fromisoformat(str(tail["start_date"])) + timedelta(days=1),
                    as_of - timedelta(days=140),
                ),
                as_of,
            )
            if thv_start < as_of:
                tail["end_date"] = _d(thv_start)
                placements.append({"id": "p9", "setting": "trial_home_visit", "start_date": _d(thv_start)})
                if extra.random() < 0.3:  # the court already set how long it may run
                    placements[-1]["extended_until"] = _d(thv_start + relativedelta(months=9))
    case["placements"] = placements
    current_setting = placements[-1]["setting"] if not closed else None

    # goals: set within three weeks; a concurrent goal by month 8 while reunification is the plan
    goals: list[dict[str, Any]] = []
    g_start = removal + timedelta(days=rng.randint(3, 18))
    age_at_goal = relativedelta(g_start, birth).years
    if age_at_goal >= 16 and rng.random() < 0.25:
        primary = "appla"
    else:
        primary = rng.choice(["reunification"] * 6 + ["adoption", "guardianship", "relative"])
    target = g_start + relativedelta(months=rng.choice([12, 18, 24]))
    goals.append(
        {
            "id": "g1",
            "type": primary,
            "role": "primary",
            "start_date": _d(g_start),
            **({"target_date": _d(target)} if target > as_of + timedelta(days=1) else {}),
        }
    )
    conc_start = defc + relativedelta(months=rng.randint(3, 8))
    if primary in ("reunification", "appla") and conc_start <= as_of:
        goals.append(
            {
                "id": "g2",
                "type": "guardianship"
                if primary == "appla"
                else rng.choice(["adoption", "guardianship", "relative"]),
                "role": "concurrent",
                "start_date": _d(conc_start),
            }
        )
    case["goals"] = goals
    reunify = primary == "reunification"

    # parents
    parents: list[dict[str, Any]] = [{"id": "mother", "role": "mother"}]
    if rng.random() < 0.7:
        parents.append({"id": "father", "role": "father"})
    tpr_day = defc + relativedelta(months=13)
    if primary == "adoption" and tpr_day + relativedelta(months=4) <= as_of:
        for p in parents:
            p["rights_terminated_date"] = _d(tpr_day + relativedelta(months=4))
    elif len(parents) == 2 and rng.random() < 0.05:
        parents[1]["whereabouts_unknown_since"] = _d(_between(rng, removal, as_of))
    case["parents"] = parents

    def reachable(p: dict[str, Any]) -> bool:
        return "rights_terminated_date" not in p and "whereabouts_unknown_since" not in p

    # the case plan, with everyone who should take part
    plan_date = min(as_of, removal + timedelta(days=rng.randint(5, 19)))
    parts = ["caregiver"] + [p["role"] for p in parents if reachable(p)]
    if relativedelta(plan_date, birth).years >= 14:
        parts.append("child")
    case["case_plans"] = [
        {"id": "cp1", "date": _d(plan_date), "components": list(COMPONENTS), "participants": parts}
    ]

    # needs assessments, needs and services: each need answered within days, the service started
    found_by = removal + timedelta(days=rng.randint(2, 12))
    assessed = ["child", "caregiver"] + [p["role"] for p in parents]
    case["needs_assessments"] = [
        {"id": f"a{i}", "party": party, "date": _d(min(found_by, as_of)), "kind": "initial"}
        for i, party in enumerate(assessed)
    ]
    needs: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []

    def add_need(whose: str, domain: str) -> None:
        i = len(needs)
        found = _between(rng, removal, min(found_by, as_of))
        needs.append({"id": f"n{i}", "whose": whose, "domain": domain, "identified_date": _d(found)})
        referred = min(as_of, found + timedelta(days=rng.randint(0, 10)))
        started = min(as_of, referred + timedelta(days=rng.randint(0, 10)))
        services.append(
            {
                "id": f"s{i}",
                "need": f"n{i}",
                "type": NEED_SERVICE[domain],
                "status": "active",
                "referred_date": _d(referred),
                "started_date": _d(started),
            }
        )

    for _ in range(rng.randint(0, 2)):
        add_need("child", rng.choice(CHILD_NEEDS))
    for p in parents:
        if reachable(p) and (reunify or rng.random() < 0.5):
            add_need(p["role"], rng.choice(PARENT_NEEDS))
    if "inadequate_housing" in reasons:
        add_need("mother", "housing")
    if rng.random() < 0.2:
        add_need("caregiver", "caregiver_support")
    case["needs"], case["services"] = needs, services

    # court: findings at the removal hearing; permanency hearings and reviews ahead of their dates
    last = min(as_of, end)
    hearings: list[dict[str, Any]] = []
    voluntary = extra.random() < VOLUNTARY_SHARE
    case["episode"]["manner_of_removal"] = "voluntary" if voluntary else "court_ordered"
    if removal + timedelta(days=2) <= as_of:
        hearings.append(  # a voluntary placement: the court's best-interest review instead
            {
                "id": "h0",
                "type": "review" if voluntary else "removal",
                "date": _d(removal + timedelta(days=2)),
                "findings": ["voluntary_best_interest"]
                if voluntary
                else ["contrary_to_welfare", "reasonable_efforts_prevent_removal"],
            }
        )
    k = 1
    while defc + relativedelta(months=10 * k) <= last:
        hearings.append(
            {
                "id": f"h{k}",
                "type": "permanency",
                "date": _d(defc + relativedelta(months=10 * k)),
                "findings": ["reasonable_efforts_finalize"],
                "appla_documentation": {
                    "intensive_family_finding": True,
                    "child_asked": True,
                    "compelling_reasons": True,
                    "normalcy": True,
                },
            }
        )
        k += 1
    case["hearings"] = hearings
    case["reviews"] = [
        {
            "id": f"r{j}",
            "type": rng.choice(["court", "administrative"]),
            "date": _d(defc + relativedelta(months=4 * j)),
        }
        for j in range(1, 100)
        if defc + relativedelta(months=4 * j) <= last
    ]
    # a caseworker visit in every month of the last two years in care (the second year from
    # its own draws, so the first year's values stay those of earlier versions)
    visits = []
    for m in range(VISIT_MONTHS):
        month = date(last.year, last.month, 1) - relativedelta(months=m)
        month_end = month + relativedelta(months=1) - timedelta(days=1)
        r = rng if m < 12 else extra
        vd = min(month_end, max(month, removal) + timedelta(days=r.randint(0, 10)))
        if removal <= vd <= last:
            visits.append({"id": f"v{m}", "date": _d(vd), "in_residence": r.random() < 0.8})
    case["caseworker_visits"] = visits
    case["parent_visits"] = [
        {
            "id": f"pv{m}-{p['id']}",
            "parent": p["id"],
            "date": _d(as_of - timedelta(days=rng.randint(1, 25) + 28 * m)),
        }
        for p in parents
        if reunify and reachable(p)
        for m in range(3)
        if as_of - timedelta(days=25 + 28 * m) >= removal
    ]
    case["relative_notice"] = {"date": _d(min(as_of, removal + timedelta(days=rng.randint(1, 10))))}
    if extra.random() < 0.02:  # relatives not told, for the family's safety (671(a)(29))
        del case["relative_notice"]
        case["relative_notice_exception"] = {"date": _d(min(as_of, removal + timedelta(days=3)))}
    eligible = max(removal, birth + relativedelta(years=14))
    case["credit_reports"] = [
        {"date": _d(eligible + relativedelta(months=10 * j))}
        for j in range(1, 10)
        if eligible + relativedelta(months=10 * j) <= last
    ]
    eighteen = birth + relativedelta(years=18)
    if eighteen - timedelta(days=90) <= last:
        planned = max(removal, eighteen - timedelta(days=rng.randint(60, 89)))
        case["transition_plan"] = {"date": _d(min(last, planned))}
    if age >= 16 or primary == "appla":
        case["mentor"] = {"start_date": _d(_between(rng, removal, as_of))}
    if rng.random() < 0.3:
        together = rng.random() < 0.6
        case["siblings"] = [
            {"id": "sib1", "in_care": True, "placed_together": together, "contact_plan": not together}
        ]
    if tpr_day <= last:  # file (or join) or document an exception before month 15
        if primary == "adoption":
            case["tpr"] = {"petition_date": _d(tpr_day)}
        else:
            case["tpr"] = {"exception": "compelling_reason", "exception_date": _d(tpr_day)}

    # plants: each one breaks one thing, only where it can show
    is_open = not closed
    days_in = (as_of - removal).days

    def plant(name: str, fits: bool) -> bool:
        if name in want and fits:
            planted.append(name)
            return True
        return False

    if plant("no_goal", is_open and days_in > 75):
        case["goals"] = []
        goals = []
    elif plant("ltfc_under_16", is_open and age < 15 and days_in > 30):
        goals[0]["type"] = rng.choice(["long_term_foster_care", "appla", "emancipation"])
    no_plan = plant("no_case_plan", is_open and days_in > 75 and "no_goal" not in planted)
    if no_plan or plant("case_plan_due_soon", is_open and 31 <= days_in <= 59):
        case["case_plans"] = []
    elif plant("child_left_out_of_plan", is_open and "child" in parts):
        case["case_plans"][0]["participants"] = [x for x in parts if x != "child"]
    alive = bool(goals) and goals[0]["type"] == "reunification"
    tpr_all = "reunification_after_tpr" in want and is_open and alive and days_in > 200
    if plant(
        "parent_not_assessed",
        is_open
        and days_in > 75
        and reachable(parents[0])
        and not tpr_all
        and current_setting != "trial_home_visit",
    ):
        case["needs_assessments"] = [a for a in case["needs_assessments"] if a["party"] != "mother"]
        mine = {nd["id"] for nd in case["needs"] if nd["whose"] == "mother"}
        case["needs"] = [nd for nd in case["needs"] if nd["id"] not in mine]
        case["services"] = [sv for sv in case["services"] if sv["need"] not in mine]
    open_needs = [
        nd
        for nd in case["needs"]
        if nd["whose"] != "caregiver"
        and nd["domain"] != "housing"
        and (as_of - date.fromisoformat(nd["identified_date"])).days > 55
    ]
    if plant("need_without_service", is_open and bool(open_needs)):
        gone = open_needs[0]["id"]
        case["services"] = [sv for sv in case["services"] if sv["need"] != gone]
    elif plant("stalled_referral", is_open and bool(open_needs)):
        sv = next(sv for sv in case["services"] if sv["need"] == open_needs[0]["id"])
        sv["status"] = "waitlisted"
        sv.pop("started_date", None)
    if plant("missed_permanency_hearing", is_open and defc + relativedelta(months=13) <= as_of):
        case["hearings"] = [h for h in hearings if h["type"] != "permanency"]
    if plant("no_caseworker_visit", is_open and days_in > 75):
        cutoff = date(as_of.year, as_of.month, 1) - relativedelta(months=1)
        case["caseworker_visits"] = [v for v in visits if date.fromisoformat(str(v["date"])) < cutoff]
    if plant("reunification_after_tpr", tpr_all):
        for p in parents:
            p["rights_terminated_date"] = _d(_between(rng, removal + timedelta(days=180), as_of))
            p.pop("whereabouts_unknown_since", None)
    elif plant(
        "no_parent_visits", is_open and alive and current_setting != "trial_home_visit" and days_in > 90
    ):
        case["parent_visits"] = []
    if plant(
        "reunification_only",
        is_open
        and alive
        and current_setting != "trial_home_visit"
        and defc + relativedelta(months=12) <= as_of,
    ):
        case["goals"] = [g for g in case["goals"] if g["role"] == "primary"]
    if plant(
        "housing_no_help",
        is_open and alive and not tpr_all and "inadequate_housing" in reasons and days_in > 40,
    ):
        gone = {nd["id"] for nd in case["needs"] if nd["domain"] == "housing"}
        case["services"] = [sv for sv in case["services"] if sv["need"] not in gone]
        case["needs"] = [nd for nd in case["needs"] if nd["id"] not in gone]
    if plant("no_relative_notice", is_open and days_in > 40 and "relative_notice" in case):
        del case["relative_notice"]
    # never with a relative: a child placed with a relative at the 15/22 mark is excepted (R5)
    kin = any(pl.get("relative") for pl in placements)
    if plant(
        "tpr_not_filed", is_open and "tpr" in case and primary == "adoption" and bool(goals) and not kin
    ):
        del case["tpr"]
        for p in parents:
            p.pop("rights_terminated_date", None)
    if plant("missed_visit_months", is_open and days_in > 240 and "no_caseworker_visit" not in planted):
        gone = {f"v{m}" for m in (3, 5)}  # two months of the last half-year, later visits kept
        case["caseworker_visits"] = [v for v in visits if v["id"] not in gone]
    if plant("visits_away_from_home", is_open and days_in > 150):
        for v in case["caseworker_visits"]:
            v["in_residence"] = False
    if plant("no_contrary_to_welfare", is_open and not voluntary and days_in > 75 and bool(hearings)):
        hearings[0]["findings"] = ["reasonable_efforts_prevent_removal"]
    if plant("no_best_interest_determination", is_open and voluntary and days_in > 200 and bool(hearings)):
        hearings[0]["findings"] = []
    return case, planted


def synth_cases(n: int, as_of: date, seed: int = 0) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    for i in range(n):
        yield synth_case(rng, i, as_of)


def synth_caseload(n: int, as_of: date, seed: int = 0) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """``synth_cases`` and its ground truth: one row per planted problem (``case_id``,
    ``problem``, ``rule_id``), written beside the tables as ``planted.csv``."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    cases, rows = [], []
    for i in range(n):
        case, planted = synth_case_planted(rng, i, as_of)
        cases.append(case)
        rows += [(case["case_id"], p, PLANT_RULES[p]) for p in planted]
    return cases, pd.DataFrame(rows, columns=["case_id", "problem", "rule_id"], dtype="string")


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


def write_caseload(
    cases: list[dict[str, Any]], out: Path, fmt: str = "csv", planted: pd.DataFrame | None = None
) -> None:
    """Write a caseload as a folder of tables (csv or parquet) or a .jsonl file; with
    ``planted`` (``synth_caseload``), its ground truth too, as ``planted.csv`` beside it."""
    if planted is not None:
        where = out.parent / f"{out.stem}.planted.csv" if out.suffix == ".jsonl" else out / "planted.csv"
        where.parent.mkdir(parents=True, exist_ok=True)
        planted.to_csv(where, index=False)
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
