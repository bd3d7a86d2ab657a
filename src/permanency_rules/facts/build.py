"""Turn a case and its clocks into the flat facts both engines evaluate.

This is the one place derived values are computed for rules; the durable-rules and pandas
engines read the same facts, so they can only differ in how they match, never in the values.
Missing values are left out of a fact (never ``None``): both engines treat a comparison with a
missing field as false.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..clocks import Clocks
from ..clocks.dates import age_on, months_between
from ..conventions import to_day
from ..model import codes
from ..model.case import Case, Goal, item_ids, parent_id

Fact = dict[str, Any]

_HOUSING_INCOME = {codes.ServiceType.HOUSING_ASSISTANCE, codes.ServiceType.INCOME_SUPPORT}
_PARENT_PARTIES = {codes.Party.MOTHER, codes.Party.FATHER}


def _in_effect(start: date, end: date | None, as_of: date) -> bool:
    return start <= as_of and (end is None or end > as_of)


def _drop_none(fact: Fact) -> Fact:
    return {k: v for k, v in fact.items() if v is not None}


def build_facts(case: Case, clocks: Clocks) -> list[Fact]:
    """All facts of one case; the ``case`` fact comes last (the durable engine needs that)."""
    as_of = clocks.as_of
    removal = clocks.removal_date
    facts: list[Fact] = []

    goals = case.goals
    goal_ids = item_ids("goal", goals)
    current_goals = [g for g in goals if _in_effect(g.start_date, g.end_date, as_of)]
    established = [g for g in goals if g.type != codes.GoalType.NOT_ESTABLISHED and g.start_date <= as_of]
    primaries = [g for g in goals if g.role == codes.GoalRole.PRIMARY and g.start_date <= as_of]
    latest_primary: Goal | None = max(primaries, key=lambda g: (g.start_date, g.type.value), default=None)
    for gid, g in zip(goal_ids, goals, strict=True):
        if g.start_date > as_of:
            continue
        facts.append(
            _drop_none(
                {
                    "id": f"goal:{gid}",
                    "t": "goal",
                    "type": g.type.value,
                    "role": g.role.value,
                    "is_current": _in_effect(g.start_date, g.end_date, as_of),
                    "ended": g.end_date is not None and g.end_date <= as_of,
                    "is_latest_primary": g is latest_primary,
                    "is_legal_permanency": g.type in codes.LEGAL_PERMANENCY_GOALS,
                    "is_appla_like": g.type in codes.APPLA_LIKE_GOALS,
                    "start_day": to_day(g.start_date),
                    "end_day": to_day(g.end_date) if g.end_date else None,
                    "target_day": to_day(g.target_date) if g.target_date else None,
                    "days_past_target": (as_of - g.target_date).days if g.target_date else None,
                }
            )
        )
    current_est = [g for g in current_goals if g.type != codes.GoalType.NOT_ESTABLISHED]
    current_primary = next(
        (
            g
            for g in sorted(current_est, key=lambda g: (g.start_date, g.type.value), reverse=True)
            if g.role == codes.GoalRole.PRIMARY
        ),
        None,
    )

    placements = case.placements
    current_placement = None
    for pid, p in zip(item_ids("placement", placements), placements, strict=True):
        if p.start_date > as_of:
            continue
        is_current = case.is_open and _in_effect(p.start_date, p.end_date, as_of)
        if is_current and (current_placement is None or p.start_date > current_placement.start_date):
            current_placement = p
        facts.append(
            _drop_none(
                {
                    "id": f"placement:{pid}",
                    "t": "placement",
                    "setting": p.setting.value,
                    "is_current": is_current,
                    "start_day": to_day(p.start_date),
                    "end_day": to_day(p.end_date) if p.end_date else None,
                    "months_in_setting": months_between(p.start_date, min(p.end_date or as_of, as_of)),
                    "relative": p.relative,
                    "is_family_setting": p.setting in codes.FAMILY_SETTINGS,
                }
            )
        )

    plans = [p for p in case.case_plans if p.date <= as_of]
    latest_plan = max(plans, key=lambda p: (p.date, p.id or ""), default=None)
    birth = case.child.birth_date
    for cid, cp in zip(item_ids("plan", case.case_plans), case.case_plans, strict=True):
        if cp.date > as_of:
            continue
        missing = [c.value for c in codes.CasePlanComponent if c not in cp.components]
        parts = set(cp.participants)
        facts.append(
            _drop_none(
                {
                    "id": f"case_plan:{cid}",
                    "t": "case_plan",
                    "day": to_day(cp.date),
                    "is_latest": cp is latest_plan,
                    "child_participated": codes.Participant.CHILD in parts,
                    "mother_participated": codes.Participant.MOTHER in parts,
                    "father_participated": codes.Participant.FATHER in parts,
                    "caregiver_participated": codes.Participant.CAREGIVER in parts,
                    "advisor_count": sum(1 for x in cp.participants if x == codes.Participant.CHILD_ADVISOR),
                    "missing_components": ", ".join(missing),
                    "missing_component_count": len(missing),
                    "child_age_at_plan": age_on(birth, cp.date) if birth else None,
                }
            )
        )

    latest_parts = set(latest_plan.participants) if latest_plan else set()
    visits_by_parent: dict[str | None, date] = {}
    for v in case.parent_visits:
        if removal <= v.date <= as_of:
            for key in (v.parent, None):
                if key not in visits_by_parent or v.date > visits_by_parent[key]:
                    visits_by_parent[key] = v.date
    rights_intact = reachable = tpr_count = 0
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
            }
        )

    need_party = {n.id: n.whose for n in case.needs}
    for n in case.needs:
        if n.identified_date > as_of:
            continue
        facts.append(
            {
                "id": f"need:{n.id}",
                "t": "need",
                "whose": n.whose.value,
                "domain": n.domain.value,
                "is_open": n.resolved_date is None or n.resolved_date > as_of,
                "identified_day": to_day(n.identified_date),
                "days_since_identified": (as_of - n.identified_date).days,
            }
        )

    parent_started = housing_income = post_perm = 0
    for sid, s in zip(item_ids("service", case.services), case.services, strict=True):
        if s.referred_date > as_of:
            continue
        party = need_party.get(s.need, codes.Party.CHILD)
        started = s.started_date is not None and s.started_date <= as_of
        if started and party in _PARENT_PARTIES:
            parent_started += 1
        if s.type in _HOUSING_INCOME and s.status != codes.ServiceStatus.DECLINED:
            housing_income += 1
        if s.type == codes.ServiceType.POST_PERMANENCY_SUPPORT and s.status != codes.ServiceStatus.DECLINED:
            post_perm += 1
        facts.append(
            {
                "id": f"service:{sid}",
                "t": "service",
                "need": f"need:{s.need}",
                "for_party": party.value,
                "type": s.type.value,
                "status": s.status.value,
                "trauma_informed": s.trauma_informed or s.type == codes.ServiceType.TRAUMA_THERAPY,
                "started": started,
                "is_active": s.status == codes.ServiceStatus.ACTIVE,
                "referred_day": to_day(s.referred_date),
                "days_since_referral": (as_of - s.referred_date).days,
            }
        )

    held = [
        (hid, h)
        for hid, h in zip(item_ids("hearing", case.hearings), case.hearings, strict=True)
        if not h.scheduled and h.date <= as_of
    ]
    perm = [x for x in held if x[1].type == codes.HearingType.PERMANENCY and x[1].date >= removal]
    latest_perm = max(perm, key=lambda x: (x[1].date, x[0]), default=None)
    appla_goals = [g for g in goals if g.type in codes.APPLA_LIKE_GOALS]
    for hid, h in held:
        doc = h.appla_documentation
        facts.append(
            {
                "id": f"hearing:{hid}",
                "t": "hearing",
                "type": h.type.value,
                "day": to_day(h.date),
                "is_latest_permanency": latest_perm is not None and hid == latest_perm[0],
                "appla_goal_in_effect": any(
                    _in_effect(g.start_date, g.end_date, h.date) for g in appla_goals
                ),
                "appla_family_finding": bool(doc and doc.intensive_family_finding),
                "appla_child_asked": bool(doc and doc.child_asked),
                "appla_compelling_reasons": bool(doc and doc.compelling_reasons),
                "appla_normalcy": bool(doc and doc.normalcy),
            }
        )

    for d in clocks.deadlines:
        facts.append(
            _drop_none(
                {
                    "id": f"deadline:{d.key}",
                    "t": "deadline",
                    "name": d.name.value,
                    "status": d.status.value,
                    "due_day": to_day(d.due_date) if d.due_date else None,
                    "days_overdue": (as_of - d.due_date).days if d.due_date else None,
                    "last_event_day": to_day(d.last_event) if d.last_event else None,
                    "subject": d.subject,
                    "basis": d.basis,
                }
            )
        )

    for sib_id, sib in zip(item_ids("sibling", case.siblings), case.siblings, strict=True):
        facts.append(
            {
                "id": f"sibling:{sib_id}",
                "t": "sibling",
                "in_care": sib.in_care,
                "placed_together": sib.placed_together,
                "contact_plan": sib.contact_plan,
                "contact_contraindicated": sib.contact_contraindicated,
            }
        )

    tpr = case.tpr
    exc = None
    if tpr and tpr.exception and (tpr.exception_date is None or tpr.exception_date <= as_of):
        exc = tpr.exception
    petition = bool(tpr and tpr.petition_date and tpr.petition_date <= as_of)
    mentor = case.mentor
    goal_types = {g.type for g in current_est}
    appla_now = sorted(
        (g for g in current_est if g.type in codes.APPLA_LIKE_GOALS),
        key=lambda g: (g.role != codes.GoalRole.PRIMARY, g.type.value),
    )
    in_relative = bool(
        current_placement
        and (
            current_placement.relative
            or current_placement.setting == codes.PlacementSetting.RELATIVE_FOSTER_HOME
        )
    )
    ep = case.episode
    facts.append(
        _drop_none(
            {
                "id": "case",
                "t": "case",
                "is_open": case.is_open,
                "removal_day": to_day(removal),
                "defc_day": to_day(clocks.defc),
                "discharge_reason": ep.discharge_reason.value if ep.discharge_reason else None,
                "days_since_discharge": (as_of - ep.discharge_date).days if ep.discharge_date else None,
                "age_years": clocks.age_years,
                "days_since_removal": (as_of - removal).days,
                "months_since_removal": clocks.months_since_removal,
                "months_since_defc": clocks.months_since_defc,
                "tpr_months_in_care": clocks.tpr_months_in_care,
                "established_goal_count": len(established),
                "has_current_goal": bool(current_est),
                "has_current_primary_goal": current_primary is not None,
                "current_primary_goal": current_primary.type.value if current_primary else None,
                "has_reunification_goal": codes.GoalType.REUNIFICATION in goal_types,
                "has_concurrent_goal": any(g.role == codes.GoalRole.CONCURRENT for g in current_est),
                "has_appla_like_goal": bool(appla_now),
                "appla_like_goal": appla_now[0].type.value if appla_now else None,
                "parent_count": len(case.parents),
                "parents_rights_intact": rights_intact,
                "parents_reachable": reachable,
                "parents_tpr": tpr_count,
                "parent_services_started": parent_started,
                "days_since_parent_visit": (as_of - visits_by_parent.get(None, removal)).days,
                "has_mentor": bool(mentor and _in_effect(mentor.start_date, mentor.end_date, as_of)),
                "adult_connections": len(case.adult_connections),
                "legal_permanency_step": petition
                or bool(
                    goal_types
                    & {codes.GoalType.ADOPTION, codes.GoalType.GUARDIANSHIP, codes.GoalType.RELATIVE}
                ),
                "tpr_exception": exc.value if exc else None,
                "tpr_exception_relative_care": exc == codes.TprException.RELATIVE_CARE and in_relative,
                "tpr_exception_compelling_reason": exc == codes.TprException.COMPELLING_REASON,
                "tpr_exception_services_not_provided": exc == codes.TprException.SERVICES_NOT_PROVIDED,
                "tpr_petition_filed": petition,
                "removal_for_housing": codes.RemovalReason.INADEQUATE_HOUSING in ep.removal_reasons,
                "housing_income_services": housing_income,
                "post_permanency_services": post_perm,
                "current_setting": current_placement.setting.value if current_placement else None,
                "in_family_setting": bool(
                    current_placement and current_placement.setting in codes.FAMILY_SETTINGS
                ),
                "in_relative_care": in_relative,
                "on_trial_home_visit": bool(
                    current_placement and current_placement.setting == codes.PlacementSetting.TRIAL_HOME_VISIT
                ),
            }
        )
    )
    return facts
