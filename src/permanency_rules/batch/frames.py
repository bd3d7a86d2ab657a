"""The per-case table's columns and dtypes (the findings table's are in ``conventions``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..conventions import FINDING_COLUMNS, SEVERITIES, TEXT, typed_findings

CASE_COLUMNS = [
    "case_id",
    "office",
    "worker_id",
    "status",
    "findings",
    *SEVERITIES,
    "not_evaluable",
    "records_after_as_of",
    "errors",
]
_COUNTS = ["findings", *SEVERITIES, "not_evaluable", "records_after_as_of"]


def typed_cases(df: pd.DataFrame) -> pd.DataFrame:
    df = df[CASE_COLUMNS].astype(
        {c: "Int64" for c in _COUNTS} | {c: TEXT for c in CASE_COLUMNS if c not in _COUNTS}
    )
    return df.reset_index(drop=True)


def case_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return typed_cases(pd.DataFrame(rows, columns=CASE_COLUMNS))


def finding_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return typed_findings(pd.DataFrame(rows, columns=FINDING_COLUMNS))
