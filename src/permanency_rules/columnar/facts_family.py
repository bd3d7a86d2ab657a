"""Parent, need and service facts, column-wise (``facts.build``'s parent, need, service loops)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model import codes
from .facts_columns import (
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
from .facts_plan import LatestPlan

_PARENT_PARTIES = [codes.Party.MOTHER.value, codes.Party.FATHER.value]
ST = codes.ServiceType


@dataclass
class ParentSummary:
    """Per-case parent values of the case fact, indexed by key."""

    count: Ints
    rights_intact: Ints
    reachable: Ints
    tpr: Ints
    last_visit: Ints  # day of the last parent visit in [removal, as_of], ``NO_DAY`` if none


def _last_visits(s: Scope) -> tuple[Ints, pd.Series]:
    """The last visit day in [removal, as_of] of each case, and of each (key, parent) named by
    a visit (``visits_by_parent`` of the reference, whose ``None`` entry is the first)."""
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


def parent_facts(s: Scope, plan: LatestPlan) -> tuple[pd.DataFrame, ParentSummary]:
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
        "parent",
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
        },
    )
    n = s.n
    return frame, ParentSummary(
        count=per_key(n, key),
        rights_intact=per_key(n, key, intact),
        reachable=per_key(n, key, reachable),
        tpr=per_key(n, key, ~intact),
        last_visit=overall,
    )


def need_facts(s: Scope) -> pd.DataFrame:
    need, key = s.table("needs")
    identified = days(need["identified_date"])
    rows = identified <= s.as_day
    return fact_frame(
        "need",
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


@dataclass
class ServiceSummary:
    """Per-case service counts of the case fact, indexed by key."""

    parent_started: Ints
    housing_income: Ints
    post_permanency: Ints


def _need_party(s: Scope, svc: pd.DataFrame, key: Ints) -> pd.Series:
    """Whose need each service answers (``need_party.get(need, child)``: the last need of an id)."""
    need, nkey = s.table("needs")
    whose = pd.DataFrame({"key": nkey, "need": need["id"].array, "whose": need["whose"].array})
    whose = whose.drop_duplicates(["key", "need"], keep="last")
    merged = pd.DataFrame({"key": key, "need": svc["need"].array}).merge(
        whose, on=["key", "need"], how="left"
    )
    return merged["whose"].fillna(codes.Party.CHILD.value).astype("string")


def service_facts(s: Scope) -> tuple[pd.DataFrame, ServiceSummary]:
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
        "service",
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
    post = kind.isin([ST.POST_PERMANENCY_SUPPORT])
    return frame, ServiceSummary(
        parent_started=per_key(n, key, rows & started & is_code(party, _PARENT_PARTIES)),
        housing_income=per_key(
            n, key, rows & kind.isin([ST.HOUSING_ASSISTANCE, ST.INCOME_SUPPORT]) & not_declined
        ),
        post_permanency=per_key(n, key, rows & post & not_declined),
    )
