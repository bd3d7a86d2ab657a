"""Data-quality findings: an input value that could not be used, as a row of the findings table.

They share the findings table (family ``data_quality``, severity ``info``, no deadline) so a
case's counts and the run's totals include them; the message names the element and its code or
date, never free text. The id hashes the case, the element and the value, so it is stable from
run to run and ``diff`` sees a corrected value as resolved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import pandas as pd

from ..adapters.afcars import Issue

RULE_ID = "DQ-AFCARS"
FAMILY = "data_quality"
SEVERITY = "info"
TITLE = "AFCARS value missing, out of its code list or impossible"


def quality_id(case_id: str, element: str, value: str) -> str:
    payload = json.dumps([RULE_ID, 1, case_id, element, value], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def quality_rows(issues: Sequence[Issue], checked: set[str]) -> pd.DataFrame:
    """Finding rows for the issues of checked cases (a rejected case lists its errors instead)."""
    rows = [
        {
            "case_id": i.case_id,
            "rule_id": RULE_ID,
            "rule_version": 1,
            "family": FAMILY,
            "severity": SEVERITY,
            "deadline": None,
            "due_date": None,
            "status": None,
            "message": i.message(),
            "finding_id": quality_id(i.case_id, i.element, i.value),
        }
        for i in issues
        if i.case_id in checked
    ]
    return pd.DataFrame(rows)
