"""Data-quality findings: an input value that could not be used, as a row of the findings table.

They share the findings table (family ``data_quality``, severity ``info``, no deadline) so a
case's counts and the run's totals include them; the message names the element and its code or
date, never free text. The id hashes the case, the element and the value, so it is stable from
run to run and ``diff`` sees a corrected value as resolved.
"""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

RULE_ID = "DQ-AFCARS"
FAMILY = "data_quality"
SEVERITY = "info"
TITLE = "AFCARS value missing, out of its code list or impossible"


#: A value is echoed only when it looks like a code or a date, never free text.
SHOWN = r"[0-9./ -]{1,12}"


def quality_id(case_id: str, element: str, value: str) -> str:
    payload = json.dumps([RULE_ID, 1, case_id, element, value], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def quality_rows(issues: pd.DataFrame, checked: set[str]) -> pd.DataFrame:
    """Finding rows for the issues (``adapters.afcars.ISSUE_COLUMNS``) of checked cases; a
    rejected case lists its errors instead."""
    # Arrow's set lookup: pandas' isin on Arrow text walks the 100,000 checked ids in Python
    ids = pa.array(issues["case_id"], type=pa.string(), from_pandas=True)
    keep = pc.fill_null(pc.is_in(ids, value_set=pa.array(list(checked), type=pa.string())), False)
    i = issues[keep.to_numpy(zero_copy_only=False)].reset_index(drop=True)
    value = i["value"].fillna("")
    shown = ("'" + value + "'").where(
        value.str.fullmatch(SHOWN).fillna(False), "a value that is not a code or date"
    )
    shown = shown.where(value != "", "blank")
    message = (
        "AFCARS element " + i["element"] + " = " + shown + ": " + i["problem"] + "; the value is not used."
    )
    ids = [quality_id(c, e, v) for c, e, v in zip(i["case_id"], i["element"], value, strict=True)]
    return pd.DataFrame(
        {
            "case_id": i["case_id"],
            "rule_id": RULE_ID,
            "rule_version": 1,
            "family": FAMILY,
            "severity": SEVERITY,
            "deadline": None,
            "due_date": None,
            "status": None,
            "message": message,
            "finding_id": ids,
        }
    )
