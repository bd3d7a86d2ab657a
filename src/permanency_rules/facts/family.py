"""Parent, need and service facts, and the case fact's parent and service fields: declared, then
derived per case and column-wise, side by side.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ..conventions import to_day
from ..model import codes
from ..model.case import Case, CasePlan, item_ids, parent_id
from .columns import (
    NO_DAY,
    Codes,
    Ints,
    Scope,
    days,
    fact_frame,
    is_code,
    key_max,
    per_key,
    prefixed,
    present,
    text,
)
from .fields import ID, F, Fact, FactType, columns
from .goals import LATEST_PLAN_READS, LatestPlan

ST = codes.ServiceType
_PARENT_PARTIES = {codes.Party.MOTHER, codes.Party.FATHER}
_HOUSING_INCOME = [ST.HOUSING_ASSISTANCE, ST.INCOME_SUPPORT]

_RIGHTS, _GONE = "parents.rights_terminated_date", "parents.whereabouts_unknown_since"
#: The last visit that counts: visits in [removal, as_of], by the parent they name.
_VISITS = "cases.removal_date parent_visits.date"
_PARENT_KEY = "parents.id parents.role"  # parent_id: the id, else the role
#: Assessed: an assessment of the party, or a need of theirs identified, on or before as_of.
_ASSESSED = "needs_assessments.party needs_assessments.date needs.whose needs.identified_date"

PARENT = FactType(
    "parent",
    {
        "id": ID(_PARENT_KEY),
        "role": F("str", "mother or father.", True, codes.ParentRole, reads="parents.role"),
        "rights_intact": F("bool", "Rights not terminated.", True, reads=_RIGHTS),
        "deceased": F("bool", "Deceased.", True, reads="parents.deceased"),
        "whereabouts_known": F("bool", "Whereabouts known at as_of.", True, reads=_GONE),
        "reachable": F(
            "bool",
            "Rights intact, living and whereabouts known.",
            True,
            reads=f"{_RIGHTS} {_GONE} parents.deceased",
        ),
        "incarcerated": F("bool", "Incarcerated.", True, reads="parents.incarcerated"),
        "in_latest_plan": F(
            "bool", "Took part in the latest case plan.", True, reads=f"parents.role {LATEST_PLAN_READS}"
        ),
        "days_since_visit": F(
            "int",
            "Days since this parent's last visit with the child (or since removal).",
            reads=f"{_VISITS} parent_visits.parent {_PARENT_KEY}",
        ),
        "needs_assessed": F(
            "bool",
            "A needs assessment of this parent, or a need of theirs, is on record by as_of "
            "(CFSR 12B1: 'not assessed' is not 'no need').",
            True,
            reads=f"{_ASSESSED} parents.role",
        ),
    },
)

NEED = FactType(
    "need",
    {
        "id": ID("needs.id"),
        "whose": F("str", "Whose need.", True, codes.Party, reads="needs.whose"),
        "domain": F("str", "Need domain.", True, codes.NeedDomain, reads="needs.domain"),
        "is_open": F("bool", "Not resolved at as_of.", True, reads="needs.resolved_date"),
        "identified_day": F("day", "Date identified.", True, reads="needs.identified_date"),
        "days_since_identified": F(
            "int", "Days from identification to as_of.", True, reads="needs.identified_date"
        ),
    },
    rows=columns("needs.identified_date"),  # needs identified after as_of are left out
)

_PARTY = "services.need needs.id needs.whose"  # whose need it answers (child if no such need)
_KIND = "services.type services.status"  # counted unless declined
SERVICE = FactType(
    "service",
    {
        "id": ID("services.id"),
        "need": F("str", "Fact id of the need it answers.", True, reads="services.need"),
        "for_party": F("str", "Whose need it answers.", True, codes.Party, reads=_PARTY),
        "type": F("str", "Service type.", True, codes.ServiceType, reads="services.type"),
        "status": F("str", "Service status.", True, codes.ServiceStatus, reads="services.status"),
        "trauma_informed": F(
            "bool",
            "Trauma-informed service (or trauma therapy).",
            True,
            reads="services.trauma_informed services.type",
        ),
        "started": F("bool", "Has a start date on or before as_of.", True, reads="services.started_date"),
        "is_active": F("bool", "Status active.", True, reads="services.status"),
        "referred_day": F("day", "Referral date.", True, reads="services.referred_date"),
        "days_since_referral": F("int", "Days from referral to as_of.", True, reads="services.referred_date"),
    },
    rows=columns("services.referred_date"),  # services referred after as_of are left out
)

#: Fields of the case fact derived from the parents and the services.
CASE_FIELDS = {
    "parent_count": F("int", "Parents recorded.", True, reads="parents.case_id"),
    "parents_rights_intact": F("int", "Parents whose rights are not terminated.", True, reads=_RIGHTS),
    "parents_reachable": F(
        "int",
        "Parents with rights intact, living, whereabouts known.",
        True,
        reads=f"{_RIGHTS} {_GONE} parents.deceased",
    ),
    "parents_tpr": F("int", "Parents whose rights are terminated.", True, reads=_RIGHTS),
    "parent_services_started": F(
        "int",
        "Services for a mother's or father's needs that have started.",
        True,
        reads=f"services.referred_date services.started_date {_PARTY}",
    ),
    "days_since_parent_visit": F(
        "int", "Days since the last parent-child visit (or since removal if none).", True, reads=_VISITS
    ),
    "housing_income_services": F(
        "int",
        "Housing-assistance or income-support services referred or provided.",
        True,
        reads=f"services.referred_date {_KIND}",
    ),
    "post_permanency_services": F(
        "int",
        "Post-permanency support services referred or provided.",
        True,
        reads=f"services.referred_date {_KIND}",
    ),
}


# --- per case ------------------------------------------------------------------------------


def parent_facts(
    case: Case, as_of: date, removal: date, latest_plan: CasePlan | None
) -> tuple[list[Fact], dict[str, Any]]:
    """The parent facts of one case, and its parent case fields."""
    latest_parts = set(latest_plan.participants) if latest_plan else set()
    visits_by_parent: dict[str | None, date] = {}
    for v in case.parent_visits:
        if removal <= v.date <= as_of:
            for key in (v.parent, None):
                if key not in visits_by_parent or v.date > visits_by_parent[key]:
                    visits_by_parent[key] = v.date
    assessed = {a.party.value for a in case.needs_assessments if a.date <= as_of}
    assessed |= {n.whose.value for n in case.needs if n.identified_date <= as_of}
    rights_intact = reachable = tpr_count = 0
    facts = []
    for par in case.parents:
        pid = parent_id(par)
        intact = par.rights_terminated_date is None or par.rights_terminated_date > as_of
        known = par.whereabouts_unknown_since is None or par.whereabouts_unknown_since > as_of
        is_reachable = intact and not par.deceased and known
        rights_intact += intact
        reachable += is_reachable
        tpr_count += not intact
        last_visit = visits_by_parent.get(pid)
        facts.append(
            {
                "id": f"parent:{pid}",
                "t": "parent",
                "role": par.role.value,
                "rights_intact": intact,
                "deceased": par.deceased,
                "whereabouts_known": known,
                "reachable": is_reachable,
                "incarcerated": par.incarcerated,
                "in_latest_plan": codes.Participant(par.role.value) in latest_parts,
                "days_since_visit": (as_of - (last_visit or removal)).days,
                "needs_assessed": par.role.value in assessed,
            }
        )
    return facts, {
        "parent_count": len(case.parents),
        "parents_rights_intact": rights_intact,
        "parents_reachable": reachable,
        "parents_tpr": tpr_count,
        "days_since_parent_visit": (as_of - visits_by_parent.get(None, removal)).days,
    }


def need_facts(case: Case, as_of: date) -> list[Fact]:
    return [
        {
            "id": f"need:{n.id}",
            "t": "need",
            "whose": n.whose.value,
            "domain": n.domain.value,
            "is_open": n.resolved_date is None or n.resolved_date > as_of,
            "identified_day": to_day(n.identified_date),
            "days_since_identified": (as_of - n.identified_date).days,
        }
        for n in case.needs
        if n.identified_date <= as_of
    ]


def service_facts(case: Case, as_of: date) -> tuple[list[Fact], dict[str, Any]]:
    """The service facts of one case, and its service case fields."""
    need_party = {n.id: n.whose for n in case.needs}
    parent_started = housing_income = post_perm = 0
    facts = []
    for sid, s in zip(item_ids("service", case.services), case.services, strict=True):
        if s.referred_date > as_of:
            continue
        party = need_party.get(s.need, codes.Party.CHILD)
        started = s.started_date is not None and s.started_date <= as_of
        if started and party in _PARENT_PARTIES:
            parent_started += 1
        if s.type in _HOUSING_INCOME and s.status != codes.ServiceStatus.DECLINED:
            housing_income += 1
        if s.type == ST.POST_PERMANENCY_SUPPORT and s.status != codes.ServiceStatus.DECLINED:
            post_perm += 1
        facts.append(
            {
                "id": f"service:{sid}",
                "t": "service",
                "need": f"need:{s.need}",
                "for_party": party.value,
                "type": s.type.value,
                "status": s.status.value,
                "trauma_informed": s.trauma_informed or s.type == ST.TRAUMA_THERAPY,
                "started": started,
                "is_active": s.status == codes.ServiceStatus.ACTIVE,
                "referred_day": to_day(s.referred_date),
                "days_since_referral": (as_of - s.referred_date).days,
            }
        )
    return facts, {
        "parent_services_started": parent_started,
        "housing_income_services": housing_income,
        "post_permanency_services": post_perm,
    }


# --- column-wise ---------------------------------------------------------------------------


def _last_visits(s: Scope) -> tuple[Ints, pd.Series]:
    """The last visit day in [removal, as_of] of each case, and of each (key, parent) named by
    a visit (``visits_by_parent`` of the per-case form, whose ``None`` entry is the first)."""
    pv, key = s.table("parent_visits")
    day = days(pv["date"])
    counts = (s.removal[key] <= day) & (day <= s.as_day)
    named = counts & present(pv["parent"])
    per_parent = (
        pd.DataFrame({"key": key[named], "parent": text(pv["parent"][named]).array, "last": day[named]})
        .groupby(["key", "parent"], sort=False, observed=True)["last"]
        .max()
    )
    return key_max(s.n, key, day, counts), per_parent


def _assessed(s: Scope, key: Ints, role: pd.Series) -> np.ndarray:
    """Whether each parent row's role has an assessment, or a need, on record by as_of."""
    rows = []
    for table, party, when in (("needs_assessments", "party", "date"), ("needs", "whose", "identified_date")):
        t, tkey = s.table(table)
        on = days(t[when]) <= s.as_day
        rows.append(pd.DataFrame({"key": tkey[on], "party": text(t[party][on]).array}))
    seen = pd.MultiIndex.from_frame(pd.concat(rows, ignore_index=True).drop_duplicates())
    return np.asarray(seen.get_indexer(pd.MultiIndex.from_arrays([key, text(role).array])) >= 0)


def parent_columns(s: Scope, plan: LatestPlan) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``parent_facts`` for every case: the frame, and the case fields by key."""
    par, key = s.table("parents")
    role = par["role"]
    pid = text(par["id"]).fillna(text(role))  # parent_id: the id, else the role
    intact = days(par["rights_terminated_date"]) > s.as_day  # a missing date is NEVER
    known = days(par["whereabouts_unknown_since"]) > s.as_day
    deceased = par["deceased"].to_numpy(dtype=bool)
    reachable = intact & ~deceased & known
    is_mother = is_code(role, [codes.ParentRole.MOTHER.value])
    is_father = is_code(role, [codes.ParentRole.FATHER.value])
    in_plan = (is_mother & plan.mother[key]) | (is_father & plan.father[key])

    overall, per_parent = _last_visits(s)
    at = per_parent.index.get_indexer(pd.MultiIndex.from_arrays([key, pid.array]))
    last = np.append(per_parent.to_numpy(dtype=np.int64), NO_DAY)[at]  # at -1: none
    last_day = np.where(last == NO_DAY, s.removal[key], last)
    frame = fact_frame(
        PARENT,
        key,
        {
            "id": "parent:" + pid,
            "role": role,
            "rights_intact": intact,
            "deceased": deceased,
            "whereabouts_known": known,
            "reachable": reachable,
            "incarcerated": par["incarcerated"].to_numpy(dtype=bool),
            "in_latest_plan": in_plan,
            "days_since_visit": s.as_day - last_day,
            "needs_assessed": _assessed(s, key, role),
        },
    )
    n = s.n
    return frame, {
        "parent_count": per_key(n, key),
        "parents_rights_intact": per_key(n, key, intact),
        "parents_reachable": per_key(n, key, reachable),
        "parents_tpr": per_key(n, key, ~intact),
        "days_since_parent_visit": s.as_day - np.where(overall == NO_DAY, s.removal, overall),
    }


def need_columns(s: Scope) -> pd.DataFrame:
    need, key = s.table("needs")
    identified = days(need["identified_date"])
    rows = identified <= s.as_day
    return fact_frame(
        NEED,
        key[rows],
        {
            "id": prefixed("need:", need["id"][rows]),
            "whose": need["whose"][rows],
            "domain": need["domain"][rows],
            "is_open": (days(need["resolved_date"]) > s.as_day)[rows],
            "identified_day": identified[rows],
            "days_since_identified": (s.as_day - identified)[rows],
        },
    )


def _need_party(s: Scope, svc: pd.DataFrame, key: Ints) -> pd.Series:
    """Whose need each service answers (``need_party.get(need, child)``: the last need of an id)."""
    need, nkey = s.table("needs")
    whose = pd.DataFrame({"key": nkey, "need": need["id"].array, "whose": need["whose"].array})
    whose = whose.drop_duplicates(["key", "need"], keep="last")
    merged = pd.DataFrame({"key": key, "need": svc["need"].array}).merge(
        whose, on=["key", "need"], how="left"
    )
    return merged["whose"].fillna(codes.Party.CHILD.value).astype("string")


def service_columns(s: Scope) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``service_facts`` for every case: the frame, and the case fields by key."""
    svc, key = s.table("services")
    referred = days(svc["referred_date"])
    rows = referred <= s.as_day
    party = _need_party(s, svc, key)
    started = days(svc["started_date"]) <= s.as_day  # a missing date is NEVER
    stype, status = svc["type"], svc["status"]
    kind, state = Codes(stype, ST), Codes(status, codes.ServiceStatus)
    not_declined = ~state.isin([codes.ServiceStatus.DECLINED])
    trauma = svc["trauma_informed"].to_numpy(dtype=bool) | kind.isin([ST.TRAUMA_THERAPY])
    frame = fact_frame(
        SERVICE,
        key[rows],
        {
            "id": prefixed("service:", svc["id"][rows]),
            "need": prefixed("need:", svc["need"][rows]),
            "for_party": party[rows],
            "type": stype[rows],
            "status": status[rows],
            "trauma_informed": trauma[rows],
            "started": started[rows],
            "is_active": state.isin([codes.ServiceStatus.ACTIVE])[rows],
            "referred_day": referred[rows],
            "days_since_referral": (s.as_day - referred)[rows],
        },
    )
    n = s.n
    parents = is_code(party, [p.value for p in _PARENT_PARTIES])
    return frame, {
        "parent_services_started": per_key(n, key, rows & started & parents),
        "housing_income_services": per_key(n, key, rows & kind.isin(_HOUSING_INCOME) & not_declined),
        "post_permanency_services": per_key(
            n, key, rows & kind.isin([ST.POST_PERMANENCY_SUPPORT]) & not_declined
        ),
    }
