"""Run-to-run diff of two findings tables, by ``finding_id``.

A finding id hashes the rule, its version, the case and the facts matched, so the same problem
keeps its id from one run to the next: an id only in the new run is a *new* finding, only in
the old run *resolved*, in both *persisting*. (A rule whose version changed gives new ids: its
old findings show as resolved and its new ones as new.)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

CHANGES = ("new", "resolved", "persisting")
GROUPS = ("office", "worker_id")
#: Columns of the diff table, one row per finding id in either run.
DIFF_COLUMNS = ["change", "finding_id", "case_id", *GROUPS, "rule_id", "family", "severity", "message"]


@dataclass(frozen=True)
class FindingsDiff:
    rows: pd.DataFrame  # DIFF_COLUMNS, sorted by change, office, worker, case, rule
    summary: pd.DataFrame  # level, office, worker_id, new, resolved, persisting

    @property
    def totals(self) -> dict[str, int]:
        counts = self.rows["change"].value_counts()
        return {c: int(counts.get(c, 0)) for c in CHANGES}


def _prepared(df: pd.DataFrame, name: str) -> pd.DataFrame:
    if "finding_id" not in df.columns or "case_id" not in df.columns:
        raise ValueError(f"{name}: not a findings table (needs finding_id and case_id columns)")
    out = df.astype({c: "string" for c in df.columns if c != "due_date"}).copy()
    for c in DIFF_COLUMNS[1:]:
        if c not in out.columns:
            out[c] = pd.Series(pd.NA, index=out.index, dtype="string")
    return out.drop_duplicates("finding_id")[DIFF_COLUMNS[1:]]


def diff_findings(old: pd.DataFrame, new: pd.DataFrame) -> FindingsDiff:
    """New, resolved and persisting findings, overall and per office and worker.

    A persisting finding is described by the new run (its message may have moved on: a deadline
    now further overdue); a resolved one by the old run."""
    a, b = _prepared(old, "old"), _prepared(new, "new")
    in_a, in_b = set(a["finding_id"]), set(b["finding_id"])
    rows = pd.concat(
        [
            b[~b["finding_id"].isin(in_a)].assign(change="new"),
            a[~a["finding_id"].isin(in_b)].assign(change="resolved"),
            b[b["finding_id"].isin(in_a)].assign(change="persisting"),
        ],
        ignore_index=True,
    )[DIFF_COLUMNS]
    rows["change"] = pd.Categorical(rows["change"], categories=list(CHANGES))
    rows = rows.sort_values(["change", "office", "worker_id", "case_id", "rule_id", "finding_id"])
    rows = rows.astype({"change": "string"}).reset_index(drop=True)
    return FindingsDiff(rows, _summary(rows))


def _counts(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if not keys:
        counts = rows["change"].value_counts().reindex(list(CHANGES), fill_value=0)
        return pd.DataFrame([counts.to_dict()])
    t = rows.groupby([*keys, "change"], dropna=False).size().unstack("change", fill_value=0)
    return t.reindex(columns=list(CHANGES), fill_value=0).reset_index()


def _summary(rows: pd.DataFrame) -> pd.DataFrame:
    """One row overall, then one per office, then one per office and worker."""
    parts = []
    for level, keys in (("all", []), ("office", ["office"]), ("worker", ["office", "worker_id"])):
        part = _counts(rows, keys).assign(level=level)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    for g in GROUPS:
        if g not in out.columns:
            out[g] = pd.NA
    out = out[["level", *GROUPS, *CHANGES]].astype({c: "int64" for c in CHANGES})
    return out.astype({g: "string" for g in GROUPS}).reset_index(drop=True)
