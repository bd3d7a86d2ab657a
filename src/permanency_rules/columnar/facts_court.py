"""Hearing and deadline facts, column-wise (``facts.build``'s hearing and deadline loops)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ..model import codes
from .clocks import ClockColumns
from .dates import iso
from .facts_columns import (
    NO_DAY,
    Flags,
    Ints,
    Scope,
    days,
    fact_frame,
    first_max,
    is_code,
    masked_int,
    prefixed,
    present,
    text,
    text_rank,
)
from .facts_plan import appla_goals


def _appla_goal_in_effect(s: Scope, key: Ints, day: Ints) -> Flags:
    """Whether any APPLA-like goal of the case is in effect on each day (start <= day < end)."""
    goals = appla_goals(s)
    out = np.zeros(len(key), dtype=bool)
    if not len(goals) or not len(key):
        return out
    rows = pd.DataFrame({"row": np.arange(len(key)), "key": key, "day": day})
    pairs = rows[np.isin(key, goals["key"].to_numpy())].merge(goals, on="key")
    hit = (pairs["start_day"] <= pairs["day"]) & (pairs["end_day"] > pairs["day"])
    out[pairs["row"].to_numpy()[hit.to_numpy()]] = True
    return out


def hearing_facts(s: Scope) -> pd.DataFrame:
    h, key = s.table("hearings")
    day = days(h["date"])
    held = ~h["scheduled"].to_numpy(dtype=bool) & (day <= s.as_day)
    perm = held & is_code(h["type"], [codes.HearingType.PERMANENCY.value]) & (day >= s.removal[key])
    latest = first_max(key, perm, day, text_rank(h["id"]))
    k, d = key[held], day[held]
    return fact_frame(
        "hearing",
        k,
        {
            "id": prefixed("hearing:", h["id"][held]),
            "type": h["type"][held],
            "day": d,
            "is_latest_permanency": latest[held],
            "appla_goal_in_effect": _appla_goal_in_effect(s, k, d),
            "appla_family_finding": h["appla_intensive_family_finding"].to_numpy(dtype=bool)[held],
            "appla_child_asked": h["appla_child_asked"].to_numpy(dtype=bool)[held],
            "appla_compelling_reasons": h["appla_compelling_reasons"].to_numpy(dtype=bool)[held],
            "appla_normalcy": h["appla_normalcy"].to_numpy(dtype=bool)[held],
        },
    )


def _deadline_ids(name: pd.Series, subject: pd.Series, due: Ints, has_due: Flags) -> pd.Series:
    """``deadline:<name>:<subject or ->:<due iso or none>`` (``Deadline.key``) of each row.

    Names, subjects and due days repeat across cases, so each distinct (name, subject, due)
    is spelled once and the rows take their spelling (a join of ten million strings costs
    several times more)."""
    name_code, names = pd.factorize(name)
    subject_code, subjects = pd.factorize(subject)  # missing: -1
    due_code, dues = pd.factorize(np.where(has_due, due, NO_DAY))
    n_subjects, n_dues = len(subjects) + 1, len(dues)
    combo, combos = pd.factorize((name_code * n_subjects + subject_code + 1) * n_dues + due_code)
    combos = np.asarray(combos, dtype=np.int64)
    rest, due_at = np.divmod(combos, n_dues)
    name_at, subject_at = np.divmod(rest, n_subjects)
    subject_text = np.append(np.asarray(subjects, dtype=object), "-")[subject_at - 1]  # -1: "-"
    due_day = np.asarray(dues, dtype=np.int64)[due_at]
    due_text = np.where(
        due_day == NO_DAY, "none", np.asarray(iso(np.maximum(due_day, 0)).to_pylist(), dtype=object)
    )
    spelled = [
        f"deadline:{a}:{b}:{c}"
        for a, b, c in zip(np.asarray(names, dtype=object)[name_at], subject_text, due_text, strict=True)
    ]
    return pd.Series(pd.array(pa.array(spelled, pa.large_string()).take(pa.array(combo)), dtype="string"))


def deadline_facts(s: Scope, clocks: ClockColumns) -> pd.DataFrame:
    dl = clocks.deadlines
    key = dl["key"].to_numpy(dtype=np.int64)
    due = days(dl["due_day"], 0)
    has_due = present(dl["due_day"])
    name = text(dl["name"])
    subject = text(dl["subject"])
    last = dl["last_event_day"]
    return fact_frame(
        "deadline",
        key,
        {
            "id": _deadline_ids(name, subject, due, has_due),
            "name": name,
            "status": dl["status"],
            "due_day": masked_int(due, ~has_due),
            "days_overdue": masked_int(s.as_day - due, ~has_due),
            "last_event_day": masked_int(days(last, 0), ~present(last)),
            "subject": subject,
            "basis": dl["basis"],
        },
    )
