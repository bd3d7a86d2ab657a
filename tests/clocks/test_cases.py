"""Clock edge cases as data: every file of ``tests/cases/clocks`` runs through both paths.

A file holds a ``story``, the ``case`` and, per ``as_of``, the expected DEFC, counts and the
deadlines the story is about (``name`` or ``name:subject`` -> status, due date, last event,
and the calendared event, exception or start date where the status has one).
Both ``compute_clocks`` (per case) and ``column_clocks`` (the case among all the others, as
typed tables) must give exactly those values, and, over all files together, the two paths
must agree on every deadline of every case. Files with ``valid: false`` hold cases the
per-case path rejects; the column-wise clocks must still run on them (the screen sends them
to the per-case path later).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from permanency_rules.clocks import ClockColumns, Clocks, column_clocks, compute_clocks
from permanency_rules.conventions import from_day
from permanency_rules.model.io import parse_and_check
from tests.clocks.test_columns import assert_same, params_on
from tests.columnar.harness import both_ways, write_cases
from tests.conftest import ROOT, load_yaml

FILES = sorted((ROOT / "tests" / "cases" / "clocks").glob("*.yaml"))
DOCS = {p.stem: load_yaml(p) for p in FILES}
VALID = {k: d for k, d in DOCS.items() if d.get("valid", True)}
REJECTED = {k: d for k, d in DOCS.items() if not d.get("valid", True)}
AS_OFS = sorted({a for d in VALID.values() for a in d["expect"]})


def test_files_are_well_formed() -> None:
    assert len(VALID) >= 20 and len(REJECTED) >= 5
    for name, doc in DOCS.items():
        assert isinstance(doc["story"], str) and doc["story"], name
        assert set(doc) <= {"story", "case", "expect", "valid", "as_of"}, name
        if doc.get("valid", True):
            assert doc["expect"] and all(isinstance(a, date) for a in doc["expect"]), name
            assert all(e["deadlines"] for e in doc["expect"].values()), name


def _per_case(clocks: Clocks) -> dict[str, Any]:
    out: dict[str, Any] = {
        "defc": clocks.defc,
        "tpr_months_in_care": clocks.tpr_months_in_care,
        "age_years": clocks.age_years,
        "deadlines": {},
    }
    for d in clocks.deadlines:
        key = d.name.value + (f":{d.subject}" if d.subject else "")
        row: dict[str, Any] = {"status": d.status.value, "due": d.due_date}
        extra = {
            "last_event": d.last_event,
            "scheduled": d.scheduled_date,
            "exception": d.exception,
            "exception_date": d.exception_date,
            "exception_ended": d.exception_ended,
            "applies_from": d.applies_from,
        }
        row |= {k: v for k, v in extra.items() if v is not None}
        out["deadlines"][key] = row
    return out


def _columns(got: ClockColumns, key: int) -> dict[str, Any]:
    case = got.case[got.case["key"] == key].iloc[0]
    age = case["age_years"]
    out: dict[str, Any] = {
        "defc": from_day(int(case["defc_day"])),
        "tpr_months_in_care": int(case["tpr_months_in_care"]),
        "age_years": None if pd.isna(age) else int(age),
        "deadlines": {},
    }
    for row in got.deadlines[got.deadlines["key"] == key].itertuples():
        name = str(row.name) + (f":{row.subject}" if not pd.isna(row.subject) else "")
        d: dict[str, Any] = {
            "status": str(row.status),
            "due": None if pd.isna(row.due_day) else from_day(int(row.due_day)),
        }
        days = {
            "last_event": row.last_event_day,
            "scheduled": row.scheduled_day,
            "exception_date": row.exception_day,
            "exception_ended": row.exception_ended_day,
            "applies_from": row.applies_day,
        }
        d |= {k: from_day(int(v)) for k, v in days.items() if not pd.isna(v)}
        if not pd.isna(row.exception):
            d["exception"] = str(row.exception)
        out["deadlines"][name] = d
    return out


def _check(name: str, as_of: date, expected: dict[str, Any], got: dict[str, Any], path: str) -> None:
    for field, value in expected.items():
        if field == "deadlines":
            continue
        assert got[field] == value, f"{name} @ {as_of} ({path}): {field}"
    for deadline, want in expected["deadlines"].items():
        assert got["deadlines"].get(deadline) == want, f"{name} @ {as_of} ({path}): {deadline}"
    names = {k.split(":")[0] for k in expected["deadlines"]}
    listed = {k for k in got["deadlines"] if k.split(":")[0] in names}
    assert listed == set(expected["deadlines"]), f"{name} @ {as_of} ({path}): deadlines listed"


@pytest.mark.parametrize("as_of", AS_OFS)
def test_both_paths_give_every_file_its_expected_values(tmp_path: Path, as_of: date) -> None:
    names = [n for n, d in VALID.items() if as_of in d["expect"]]
    cases = [VALID[n]["case"] for n in names]
    params = params_on(as_of)
    both = both_ways(write_cases(tmp_path, cases), as_of)
    assert len(both.cases) == len(cases)
    got = assert_same(both, as_of, params)  # the two paths agree on every deadline of every case
    for key, name in enumerate(names):
        expected = VALID[name]["expect"][as_of]
        reference = compute_clocks(parse_and_check(VALID[name]["case"], as_of), as_of, params)
        _check(name, as_of, expected, _per_case(reference), "per case")
        _check(name, as_of, expected, _columns(got, key), "column-wise")


def test_cases_the_reference_rejects_still_get_clocks(tmp_path: Path) -> None:
    """Canonical but invalid cases (the screen rejects them later) do not break the columns."""
    bad = [REJECTED[n]["case"] for n in sorted(REJECTED)]
    (as_of,) = {REJECTED[n]["as_of"] for n in REJECTED}
    both = both_ways(write_cases(tmp_path, bad), as_of)
    assert both.rejected == set(range(len(bad)))
    assert not both.typed.routed.any()
    got = column_clocks(both.typed, as_of, params_on(as_of))
    assert got.case["key"].tolist() == list(range(len(bad)))
    assert (got.deadlines.groupby("key").size() >= 10).all()
