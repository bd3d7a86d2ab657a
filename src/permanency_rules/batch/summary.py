"""The summary table: findings and flagged cases per rule (and family), optionally per group."""

from __future__ import annotations

import pandas as pd

from ..evaluation import Plan
from ..outputs.quality import RULE_ID as QUALITY_RULE
from ..outputs.quality import TITLE as QUALITY_TITLE


def summarize(
    findings: pd.DataFrame, cases: pd.DataFrame, plan: Plan, group_by: str | None = None
) -> pd.DataFrame:
    """Findings and flagged cases per rule (and family), optionally per group column."""
    rules = pd.DataFrame(
        [
            {
                "rule_id": r.id,
                "family": r.spec.family.value,
                "severity": r.spec.severity.value,
                "title": r.spec.title,
            }
            for r in plan.rules
        ]
    )
    if (findings["rule_id"] == QUALITY_RULE).any():
        quality = {
            "rule_id": QUALITY_RULE,
            "family": "data_quality",
            "severity": "info",
            "title": QUALITY_TITLE,
        }
        rules = pd.concat([rules, pd.DataFrame([quality])], ignore_index=True)
    keys = ["rule_id"]
    f = findings
    if group_by:
        if group_by not in cases.columns:
            raise ValueError(f"unknown group-by column {group_by!r} (choose from {', '.join(cases.columns)})")
        f = f.merge(cases[["case_id", group_by]], on="case_id", how="left")
        keys = [group_by, "rule_id"]
    agg = (
        f.groupby(keys, dropna=False)
        .agg(findings=("finding_id", "size"), cases_flagged=("case_id", "nunique"))
        .reset_index()
    )
    out = rules.merge(agg, on="rule_id", how="left" if not group_by else "right")
    out[["findings", "cases_flagged"]] = out[["findings", "cases_flagged"]].fillna(0).astype("int64")
    checked = int((cases["status"] == "checked").sum())
    out["cases_checked"] = checked
    cols = ([group_by] if group_by else []) + [
        "family",
        "rule_id",
        "severity",
        "title",
        "findings",
        "cases_flagged",
        "cases_checked",
    ]
    return out[cols].sort_values(cols[: 2 if not group_by else 3]).reset_index(drop=True)
