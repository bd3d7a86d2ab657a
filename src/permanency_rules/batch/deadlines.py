"""The tickler table: every deadline of every checked case, met or open, pending included.

Rows are taken from the deadline facts, which carry the clocks' own status, due date and
basis, so the table follows the clocks (a new status appears here without a change). The
per-case path reads them from each case's facts, the column-wise path from the block's
deadline fact frame; ``tests/test_deadlines.py`` holds the two paths to the same table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..conventions import DATE, TEXT, to_day

#: What each path returns per case (``pos`` only in blocks): the deadline as the clocks gave it.
RAW_COLUMNS = ["case_id", "deadline", "due_day", "status", "basis", "subject"]
#: The tickler table's columns, in order.
DEADLINE_COLUMNS = [
    "case_id",
    "office",
    "worker_id",
    "deadline",
    "due_date",
    "status",
    "basis",
    "days_left",
    "subject",
]
#: Open statuses, counted as due in the per-office and per-worker summary.
OPEN = ("overdue", "due_soon", "pending")
WINDOWS = (7, 30)


def raw_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=RAW_COLUMNS)
    return df.astype({c: TEXT for c in RAW_COLUMNS if c != "due_day"} | {"due_day": "Int64"})


def fact_rows(case_id: str, facts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The deadline rows of one case, from its facts (per-case path)."""
    return [
        {
            "case_id": case_id,
            "deadline": f["name"],
            "due_day": f.get("due_day"),
            "status": f["status"],
            "basis": f["basis"],
            "subject": f.get("subject"),
        }
        for f in facts
        if f.get("t") == "deadline"
    ]


def frame_rows(deadline: pd.DataFrame, key: str, case_ids: np.ndarray) -> pd.DataFrame:
    """The deadline rows of a block's fast cases, from the deadline fact frame (column-wise);
    ``pos`` is each row's case row in the block."""
    keys = deadline[key].to_numpy(dtype=np.int64)
    out = pd.DataFrame(
        {
            "pos": keys,
            "case_id": pd.array(case_ids[keys], dtype=TEXT),
            "deadline": deadline["name"].astype(TEXT).array,
            "due_day": deadline["due_day"].astype("Int64").array,
            "status": deadline["status"].astype(TEXT).array,
            "basis": deadline["basis"].astype(TEXT).array,
            "subject": deadline["subject"].astype(TEXT).array,
        }
    )
    return out


def _text(s: pd.Series) -> pa.Array:
    return pa.array(s, type=pa.string(), from_pandas=True)


def tickler(raw: pd.DataFrame, cases: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The tickler table: office and worker from the per-case table, the due date, and days
    left to it from ``as_of`` (negative when past), in case order then as the clocks sort."""
    first = cases.drop_duplicates("case_id")
    # each row's case, by Arrow's hash lookup (NaN for none): object-dtype reindexing of a few
    # hundred thousand ids cost a noticeable share of a 100,000-case run
    found = pc.index_in(_text(raw["case_id"]), value_set=_text(first["case_id"]))
    where = found.to_numpy(zero_copy_only=False).astype(np.float64)
    order = np.argsort(where, kind="stable")
    raw = raw.take(order).reset_index(drop=True)
    rows = first.iloc[where[order].astype(np.int64)] if len(raw) else first.iloc[[]]
    due = raw["due_day"]
    days = due - to_day(as_of)
    missing = due.isna().to_numpy()
    days_since_epoch = pa.array(due.fillna(0).to_numpy(dtype=np.int32), mask=missing, type=pa.int32())
    dates: Any = pd.array(days_since_epoch.cast(pa.date32()), dtype=DATE)
    out = pd.DataFrame(
        {
            "case_id": raw["case_id"].astype(TEXT).array,
            "office": rows["office"].astype(TEXT).array,
            "worker_id": rows["worker_id"].astype(TEXT).array,
            "deadline": raw["deadline"].astype(TEXT).array,
            "due_date": dates,
            "status": raw["status"].astype(TEXT).array,
            "basis": raw["basis"].astype(TEXT).array,
            "days_left": days.astype("Int64").array,
            "subject": raw["subject"].astype(TEXT).array,
        }
    )
    return out[DEADLINE_COLUMNS]


def _between(days: pd.Series, lo: int, hi: int) -> np.ndarray:
    ok = (days >= lo) & (days <= hi)
    return np.asarray(ok.fillna(False), dtype=bool)


def due_summary(deadlines: pd.DataFrame, cases: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Per group (``office``, or ``office`` and ``worker_id``) and deadline type: the group's
    caseload (cases checked), deadlines open, overdue, due within 7 and 30 days, met, met late,
    and the share met on time (met / (met + met late + overdue))."""
    keys = list(by)
    d = deadlines
    left = d["days_left"]
    is_open = d["status"].isin(OPEN).to_numpy()
    flags = pd.DataFrame(
        {
            **{k: d[k] for k in keys},
            "deadline": d["deadline"],
            "open": is_open,
            "overdue": (d["status"] == "overdue").to_numpy(),
            **{
                f"due_{w}d": (
                    is_open & (left >= 0).fillna(False).to_numpy() & (left <= w).fillna(False).to_numpy()
                )
                for w in WINDOWS
            },
            "met": (d["status"] == "met").to_numpy(),
            "met_late": (d["status"] == "met_late").to_numpy(),
        }
    )
    counts = flags.groupby([*keys, "deadline"], dropna=False).sum().reset_index()
    checked = cases[cases["status"] == "checked"]
    caseload = checked.groupby(keys, dropna=False).size().rename("caseload").reset_index()
    out = caseload.merge(counts, on=keys, how="left")
    numbers = ["open", "overdue", *(f"due_{w}d" for w in WINDOWS), "met", "met_late"]
    out[numbers] = out[numbers].fillna(0).astype("int64")
    judged = out["met"] + out["met_late"] + out["overdue"]
    out["met_on_time_share"] = (out["met"] / judged.where(judged > 0)).round(3)
    out = out.dropna(subset=["deadline"]).sort_values([*keys, "deadline"], na_position="last")
    return out[[*keys, "caseload", "deadline", *numbers, "met_on_time_share"]].reset_index(drop=True)
