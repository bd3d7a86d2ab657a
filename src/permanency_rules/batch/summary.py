"""Summaries of a run: per rule (optionally per group) and a roll-up per group.

Every count is the group's own: a group's cases in, checked, rejected and flagged are counted
from its own rows of the per-case table, so the groups add up to the run's totals. Group
columns are the per-case table's ``office`` and ``worker_id``, or extra columns of the cases
table (``supervisor``, ``unit``, ``county``...) passed through for grouping, checked before any
work is done.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import get_args

import numpy as np
import pandas as pd

from ..conventions import SEVERITIES, TEXT
from ..evaluation import Plan
from ..outputs.findings import Status
from ..outputs.quality import RULE_ID as QUALITY_RULE
from ..outputs.quality import TITLE as QUALITY_TITLE

#: Statuses a deadline rule's finding can carry (``outputs.findings.Status``; others: ``flagged``).
FINDING_STATUSES = tuple(s for s in get_args(Status) if s != "flagged")
ROLLUP_COUNTS = [
    "cases_in",
    "cases_checked",
    "cases_rejected",
    "cases_flagged",
    "findings",
    *SEVERITIES,
]
GroupBy = str | Sequence[str] | None


def group_keys(group_by: GroupBy) -> list[str]:
    """``"office,worker_id"`` or ``["office", "worker_id"]`` as a list of column names."""
    if group_by is None:
        return []
    parts = group_by.split(",") if isinstance(group_by, str) else list(group_by)
    keys = [p.strip() for p in parts if p.strip()]
    if len(set(keys)) != len(keys):
        raise ValueError(f"--group-by names a column twice: {','.join(keys)}")
    return keys


def check_group_keys(keys: Iterable[str], available: Iterable[str]) -> None:
    """Refuse an unknown group column before the run starts (naming the choices)."""
    choices = list(dict.fromkeys(available))
    unknown = [k for k in keys if k not in choices]
    if unknown:
        raise ValueError(f"unknown group-by column {unknown[0]!r} (choose from {', '.join(choices)})")


def _rules(plan: Plan, findings: pd.DataFrame) -> pd.DataFrame:
    rows = [
        {
            "rule_id": r.id,
            "family": r.spec.family.value,
            "severity": r.spec.severity.value,
            "title": r.spec.title,
        }
        for r in plan.rules
    ]
    if (findings["rule_id"] == QUALITY_RULE).any():
        rows.append(
            {"rule_id": QUALITY_RULE, "family": "data_quality", "severity": "info", "title": QUALITY_TITLE}
        )
    return pd.DataFrame(rows)


def _groups_of(cases: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Every group present in the per-case table (missing values kept as their own group)."""
    return cases[keys].drop_duplicates().reset_index(drop=True)


def _with_keys(findings: pd.DataFrame, cases: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    missing = [k for k in keys if k not in findings.columns]
    if not missing:
        return findings
    return findings.merge(cases[["case_id", *missing]], on="case_id", how="left")


def summarize(
    findings: pd.DataFrame, cases: pd.DataFrame, plan: Plan, group_by: GroupBy = None
) -> pd.DataFrame:
    """Per rule (every rule, 0 when it found nothing), optionally per group: findings, cases
    flagged, the group's cases checked, and findings by the severity they were given (a
    due-soon finding is often less severe than an overdue one) and by deadline status."""
    keys = group_keys(group_by)
    check_group_keys(keys, cases.columns)
    rules = _rules(plan, findings)
    f = _with_keys(findings, cases, keys)
    by = [*keys, "rule_id"]
    agg = f.groupby(by, dropna=False).agg(
        findings=("finding_id", "size"), cases_flagged=("case_id", "nunique")
    )
    sev = f.groupby([*by, "severity"], dropna=False).size().unstack("severity", fill_value=0)
    status = f.groupby([*by, "status"], dropna=False).size().unstack("status", fill_value=0)
    counts = agg.join(sev.reindex(columns=list(SEVERITIES), fill_value=0))
    counts = counts.join(status.reindex(columns=list(FINDING_STATUSES), fill_value=0)).reset_index()
    checked = cases[cases["status"] == "checked"]
    if keys:
        grid = _groups_of(cases, keys).merge(rules, how="cross")
        n_checked = checked.groupby(keys, dropna=False).size().rename("cases_checked").reset_index()
        out = grid.merge(counts, on=by, how="left").merge(n_checked, on=keys, how="left")
    else:
        out = rules.merge(counts, on="rule_id", how="left")
        out["cases_checked"] = len(checked)
    numbers = ["findings", "cases_flagged", "cases_checked", *SEVERITIES, *FINDING_STATUSES]
    out[numbers] = out[numbers].fillna(0).astype("int64")
    cols = [*keys, "family", "rule_id", "severity", "title", "findings", "cases_flagged", "cases_checked"]
    cols += [f"{s}_findings" for s in SEVERITIES] + list(FINDING_STATUSES)
    out = out.rename(columns={s: f"{s}_findings" for s in SEVERITIES})
    out = out[cols].sort_values([*keys, "family", "rule_id"], na_position="last").reset_index(drop=True)
    return out.astype({k: TEXT for k in keys})


def rollup(findings: pd.DataFrame, cases: pd.DataFrame, group_by: GroupBy = None) -> pd.DataFrame:
    """One row per group (one row in all without groups): its own cases in, checked, rejected
    and flagged, its findings and their severities. The rows add up to the run's totals."""
    keys = group_keys(group_by)
    check_group_keys(keys, cases.columns)
    c = cases.assign(
        _checked=(cases["status"] == "checked").to_numpy(),
        _rejected=(cases["status"] == "rejected").to_numpy(),
        _flagged=(cases["findings"].fillna(0) > 0).to_numpy(),
    )
    for s in ("findings", *SEVERITIES):
        c[f"_{s}"] = c[s].fillna(0).astype("int64")
    spec = {
        "cases_in": ("case_id", "size"),
        "cases_checked": ("_checked", "sum"),
        "cases_rejected": ("_rejected", "sum"),
        "cases_flagged": ("_flagged", "sum"),
        **{s: (f"_{s}", "sum") for s in ("findings", *SEVERITIES)},
    }
    if keys:
        out = c.groupby(keys, dropna=False).agg(**spec).reset_index()
        out = out.sort_values(keys, na_position="last").astype({k: TEXT for k in keys})
    else:
        out = pd.DataFrame([{name: c[col].agg(how) for name, (col, how) in spec.items()}])
    out[ROLLUP_COUNTS] = out[ROLLUP_COUNTS].astype("int64")
    return out.reset_index(drop=True)


def annotate(findings: pd.DataFrame, cases: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The findings table with each finding's office, worker and rule title.

    Findings come out in case order, so each case's office and worker are repeated over its
    findings (``cases.findings`` rows each); a merge on ``case_id`` is the fallback."""
    n = cases["findings"].fillna(0).to_numpy(dtype=np.int64)
    out = findings.copy()
    if int(n.sum()) == len(findings) and np.array_equal(
        np.repeat(cases["case_id"].to_numpy(dtype=object), n), findings["case_id"].to_numpy(dtype=object)
    ):
        for col in ("office", "worker_id"):
            out[col] = pd.array(np.repeat(cases[col].to_numpy(dtype=object), n), dtype=TEXT)
    else:
        extra = findings[["case_id"]].merge(
            cases[["case_id", "office", "worker_id"]].drop_duplicates("case_id"), how="left"
        )
        for col in ("office", "worker_id"):
            out[col] = extra[col].astype(TEXT).to_numpy()
    titles = {r.id: r.spec.title for r in plan.rules} | {QUALITY_RULE: QUALITY_TITLE}
    out["title"] = findings["rule_id"].map(titles).astype(TEXT)
    return out
