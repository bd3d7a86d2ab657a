"""Every file in fixtures/invalid is rejected with exactly the errors it declares."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from permanency_rules.model import CaseValidationError, load_case_document, parse_and_check

from .conftest import INVALID_DIR

FILES = sorted(INVALID_DIR.glob("*.yaml"))


def _doc(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    assert isinstance(doc, dict)
    return doc


def test_there_are_enough_invalid_fixtures() -> None:
    assert len(FILES) >= 12


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_fixture_is_well_formed(path: Path) -> None:
    doc = _doc(path)
    assert set(doc) == {"description", "as_of", "expect_errors", "case"}
    assert isinstance(doc["description"], str) and "\n" not in doc["description"].strip()
    assert isinstance(doc["as_of"], date)
    assert doc["expect_errors"], "a fixture must expect at least one error"
    for expected in doc["expect_errors"]:
        assert set(expected) == {"path", "reason_contains"}
        assert isinstance(expected["reason_contains"], str) and expected["reason_contains"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_fixture_is_rejected_with_exactly_its_errors(path: Path) -> None:
    doc = _doc(path)
    with pytest.raises(CaseValidationError) as info:
        parse_and_check(doc["case"], doc["as_of"])
    errors = info.value.errors
    for expected in doc["expect_errors"]:
        reasons = [e.reason for e in errors if e.path == expected["path"]]
        assert reasons, f"no error at {expected['path']!r}; got {errors}"
        assert any(expected["reason_contains"] in r for r in reasons), (expected, reasons)
    unexpected = {e.path for e in errors} - {x["path"] for x in doc["expect_errors"]}
    assert not unexpected, f"unexpected error paths {unexpected}: {errors}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_fixture_file_loads_as_wrapped_document(path: Path) -> None:
    """Loading the file itself (no as_of) fails unless its only problems are as_of dates."""
    doc = _doc(path)
    only_dates = all("after as_of" in x["reason_contains"] for x in doc["expect_errors"])
    if only_dates:
        case, rest = load_case_document(path)
        assert case.case_id == doc["case"]["case_id"]
        assert set(rest) == {"description", "as_of", "expect_errors"}
    else:
        with pytest.raises(CaseValidationError):
            load_case_document(path)


def test_required_scenarios_are_covered() -> None:
    """The brief's list of malformations, each present as a fixture."""
    stems = {p.stem for p in FILES}
    assert {
        "unknown_goal_code",
        "unknown_key",
        "missing_required_field",
        "birth_after_removal",
        "discharge_before_removal",
        "placement_end_before_start",
        "service_missing_need",
        "overlapping_primary_goals",
        "date_after_as_of",
        "duplicate_need_ids",
        "bad_date_string",
        "several_field_problems",
        "several_structural_problems",
        "invalid_parent_visit_parent",
    } <= stems
