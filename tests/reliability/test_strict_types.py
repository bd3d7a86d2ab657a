"""Probe L3: strict flags, ISO dates only, no blank or space-padded case ids."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from permanency_rules.caseload import check_caseload
from permanency_rules.model.errors import CaseValidationError
from permanency_rules.model.io import parse_case
from tests.conftest import ROOT
from tests.reliability.test_per_case import GOOD, _case

AS_OF = date(2026, 11, 1)


@pytest.mark.parametrize("flag", ["yes", "no", "on", "t", "1", 1, 0, 1.0, "1.0", "True", None])
def test_flags_are_only_true_or_false(flag: Any) -> None:
    case = _case("f")
    case["placements"][0]["relative"] = flag
    if flag is None:  # an optional flag may be absent
        assert parse_case(case).placements[0].relative is None
        return
    with pytest.raises(CaseValidationError) as info:
        parse_case(case)
    assert [e.path for e in info.value.errors] == ["placements[0].relative"]


@pytest.mark.parametrize("flag, value", [(True, True), (False, False), ("true", True), ("false", False)])
def test_true_and_false_are_read(flag: Any, value: bool) -> None:
    case = _case("f")
    case["placements"][0]["relative"] = flag
    assert parse_case(case).placements[0].relative is value


@pytest.mark.parametrize(
    "value", [0, 1_700_000_000, "1700000000", "2020-02-11T00:00:00Z", datetime(2025, 9, 2)]
)
def test_dates_are_only_iso_dates(value: Any) -> None:
    case = _case("d", episode__removal_date=value)
    with pytest.raises(CaseValidationError) as info:
        parse_case(case)
    assert "episode.removal_date" in [e.path for e in info.value.errors]


@pytest.mark.parametrize("case_id", [" ", " C0000004", "C0000004 ", ""])
def test_blank_or_padded_case_ids_are_rejected(case_id: str) -> None:
    with pytest.raises(CaseValidationError) as info:
        parse_case(_case(case_id))
    assert [e.path for e in info.value.errors] == ["case_id"]


def test_padded_ids_and_lax_flags_get_the_same_verdict_on_both_paths(tmp_path: Path) -> None:
    src = tmp_path / "cl"
    shutil.copytree(ROOT / "fixtures" / "caseload", src)
    cases = pd.read_csv(src / "cases.csv", dtype=str, keep_default_na=False)
    cases.loc[4, "case_id"] = " " + cases.loc[4, "case_id"]
    cases.to_csv(src / "cases.csv", index=False)
    p = pd.read_csv(src / "placements.csv", dtype=str, keep_default_na=False)
    p.loc[p["relative"] != "", "relative"] = p.loc[p["relative"] != "", "relative"].map(
        {"true": "yes", "false": "no"}
    )
    p.loc[3:, "relative"] = pd.read_csv(
        ROOT / "fixtures" / "caseload" / "placements.csv", dtype=str, keep_default_na=False
    )["relative"][3:]
    p.to_csv(src / "placements.csv", index=False)
    col = check_caseload(src, AS_OF)
    per_case = check_caseload(src, AS_OF, backend="durable")
    pd.testing.assert_frame_equal(col.cases, per_case.cases)
    pd.testing.assert_frame_equal(col.findings, per_case.findings)
    assert col.cases["status"].iloc[4] == "rejected"
    assert GOOD["case_id"] == "fx-02"
