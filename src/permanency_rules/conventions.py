"""Column conventions every layer shares, defined once: text dtype, case keys, day numbers,
the findings table and severities.

Missing values, per layer: the case model uses ``None``; facts leave a missing field out of the
fact dict; fact frames and typed tables use pandas' nullable dtypes (``pd.NA``), so a comparison
with a missing value is false in both engines.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import pandas as pd
import pyarrow as pa

#: Arrow-backed text: a million cases' ids and messages stay in compact buffers, not Python objects.
TEXT: Final = "string[pyarrow]"
#: Arrow dates, for due dates in output tables.
DATE: Final = pd.ArrowDtype(pa.date32())
#: The case's position, in every fact frame (both engines join fact types on it).
KEY: Final = "case_key"
#: The case's row in a block's ``cases`` table, in typed tables (``columnar.typed``).
TYPED_KEY: Final = "key"
#: Most severe first: the order of per-case counts and of sorted findings.
SEVERITIES: Final = ("critical", "warning", "info")

_EPOCH = date(1970, 1, 1).toordinal()


def to_day(d: date) -> int:
    """A date as days since 1970-01-01: facts carry dates as these integers, so both engines
    compare and subtract them safely."""
    return d.toordinal() - _EPOCH


def from_day(n: int) -> date:
    return date.fromordinal(int(n) + _EPOCH)


FINDING_COLUMNS: Final = [
    "case_id",
    "rule_id",
    "rule_version",
    "family",
    "severity",
    "deadline",
    "due_date",
    "status",
    "message",
    "finding_id",
]
_FINDING_TEXT = frozenset(FINDING_COLUMNS) - {"rule_version", "due_date"}


def typed_findings(df: pd.DataFrame) -> pd.DataFrame:
    """A findings table in its output columns and dtypes."""
    dtypes: dict[str, Any] = {c: TEXT for c in _FINDING_TEXT} | {"rule_version": "int64", "due_date": DATE}
    return df[FINDING_COLUMNS].astype(dtypes).reset_index(drop=True)


def empty_findings() -> pd.DataFrame:
    """A findings table with no rows."""
    return typed_findings(pd.DataFrame(columns=FINDING_COLUMNS))
