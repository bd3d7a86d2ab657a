"""Typing tables column-wise: a value is taken as-is only when the case model reads it the same."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from permanency_rules.adapters.tables import TABLES
from permanency_rules.columnar.typed import _typed_column, column_kind
from permanency_rules.conventions import to_day

DATE = TypeAdapter(date)
KIND = column_kind(TABLES["reviews"], next(c for c in TABLES["reviews"].columns if c.name == "date"))


def _model_day(text: str) -> int | None:
    try:
        return to_day(DATE.validate_python(text))
    except ValidationError:
        return None


def _column(texts: list[str]) -> list[int | None]:
    values, bad = _typed_column(pa.chunked_array([pa.array(texts, pa.string())]), KIND)
    return [None if b else int(v) for v, b in zip(values, bad, strict=True)]


TRICKY = [
    "2025-02-29",  # no such day: strptime alone rolls it over to March
    "2024-02-29",
    "0000-01-01",  # year 0
    "0001-01-01",
    "2025-01- 1",
    "2025-1-011",
    "2025-13-01",
    "2025-12-00",
    "+025-01-01",
    "2025/01/01",
    " 2025-01-01",
    "2025-01-01 ",
    "2025-01-01T00:00:00",
    "9999-12-31",
]


@pytest.mark.parametrize("text", TRICKY)
def test_a_date_is_taken_only_as_the_model_reads_it(text: str) -> None:
    (got,) = _column([text])
    if got is not None:
        assert got == _model_day(text)
    else:  # routed to the per-case path, which decides (and reports); so are dates before 1900
        assert _model_day(text) is None or text.strip() != text or "T" in text or text < "1900"


@settings(max_examples=500)
@given(st.text(alphabet="0123456789-/ T:+", min_size=8, max_size=12))
def test_no_date_text_is_read_differently(text: str) -> None:
    (got,) = _column([text])
    assert got is None or got == _model_day(text)
