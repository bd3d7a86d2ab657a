"""A bad case is reported in one pass: field errors from pydantic together with cross-field
and date errors of the rest of the case, at the input's own positions, and nothing invented
by setting the bad parts aside."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from permanency_rules import evaluate, evaluate_json
from permanency_rules.model.errors import CaseValidationError
from permanency_rules.model.io import parse_and_check, parse_case

AS_OF = date(2026, 11, 1)
BASE: dict[str, Any] = {
    "case_id": "T-1",
    "child": {"birth_date": "2015-01-01"},
    "episode": {"removal_date": "2020-01-01"},
    "needs": [
        {"id": "n1", "whose": "mother", "domain": "parenting", "identified_date": "2020-01-02"},
        {"id": "n2", "whose": "mother", "domain": "parenting", "identified_date": "2020-01-02"},
    ],
    "services": [
        {"need": "n1", "type": "parenting_education", "status": "active", "referred_date": "2020-01-05"},
        {"need": "n2", "type": "parenting_education", "status": "active", "referred_date": "2020-01-05"},
    ],
}


def _errors(case: dict[str, Any], as_of: date = AS_OF) -> set[tuple[str, str]]:
    with pytest.raises(CaseValidationError) as exc:
        parse_and_check(case, as_of)
    return {(e.path, e.reason) for e in exc.value.errors}


def _paths(case: dict[str, Any], as_of: date = AS_OF) -> set[str]:
    return {p for p, _ in _errors(case, as_of)}


def test_a_bad_date_no_longer_hides_a_bad_service_link() -> None:
    case = copy.deepcopy(BASE)
    case["child"]["birth_date"] = "2015-02-30"
    case["services"][1]["need"] = "n9"
    assert _paths(case) == {"child.birth_date", "services[1].need"}


def test_field_cross_field_and_date_errors_together() -> None:
    case = copy.deepcopy(BASE)
    case["services"][0]["type"] = "bogus"  # field error: this service is set aside
    case["services"][1]["started_date"] = "2019-01-01"  # before its referral
    case["hearings"] = [{"type": "review", "date": "2031-01-01"}]  # > 2 years after as_of, not scheduled
    case["episode"]["discharge_date"] = "2019-06-01"  # before the removal
    assert _paths(case) == {
        "services[0].type",
        "services[1].started_date",
        "hearings[0].date",
        "episode.discharge_date",
    }
    # the same errors from every entry point
    with pytest.raises(CaseValidationError) as exc:
        evaluate(case, AS_OF)
    assert {e.path for e in exc.value.errors} == _paths(case)


def test_positions_are_the_inputs_after_items_are_set_aside() -> None:
    case = copy.deepcopy(BASE)
    case["services"].insert(
        0, {"need": "n1", "type": "bogus", "status": "active", "referred_date": "2020-01-05"}
    )
    case["services"].insert(
        2, {"need": "n1", "type": "bogus", "status": "active", "referred_date": "2020-01-05"}
    )
    case["services"][3]["need"] = "n7"
    case["needs"].append(
        {"id": "n1", "whose": "mother", "domain": "parenting", "identified_date": "2020-01-02"}
    )
    got = _errors(case)
    assert {p for p, _ in got} == {"services[0].type", "services[2].type", "services[3].need", "needs[2].id"}
    assert ("needs[2].id", "duplicate id (first used at needs[0])") in got


def test_nothing_invented_by_setting_parts_aside() -> None:
    case = copy.deepcopy(BASE)
    case["needs"][0]["identified_date"] = "2020-13-01"  # need n1 is set aside ...
    assert _paths(case) == {"needs[0].identified_date"}  # ... so services[0] does not dangle
    case = copy.deepcopy(BASE)
    case["episode"]["discharge_date"] = "soon"  # dropped: its reason must not be "without a date"
    case["episode"]["discharge_reason"] = "reunification"
    assert _paths(case) == {"episode.discharge_date"}
    case = copy.deepcopy(BASE)
    case["hearings"] = [{"type": "review", "date": "2027-01-01", "scheduled": "perhaps"}]
    assert _paths(case) == {"hearings[0].scheduled"}  # not also "date after as_of"
    case = copy.deepcopy(BASE)
    case["parents"] = [{"role": "mother", "deceased": "n/a"}]
    case["parent_visits"] = [{"parent": "mother", "date": "2020-02-01"}]
    assert _paths(case) == {"parents[0].deceased"}


def test_unusable_required_parts_give_field_errors_only() -> None:
    case = copy.deepcopy(BASE)
    case["episode"]["removal_date"] = "never"
    case["services"][1]["need"] = "n9"
    assert _paths(case) == {"episode.removal_date"}  # nothing sound to check the rest against
    case = copy.deepcopy(BASE)
    case["needs"] = "many"
    assert _paths(case) == {"needs"}


def test_without_as_of_no_date_errors_and_json_lists_them_all() -> None:
    case = copy.deepcopy(BASE)
    case["child"]["birth_date"] = 12
    case["services"][1]["need"] = "n9"
    case["hearings"] = [{"type": "review", "date": "2099-01-01"}]
    with pytest.raises(CaseValidationError) as exc:
        parse_case(case)
    assert {e.path for e in exc.value.errors} == {"child.birth_date", "services[1].need"}
    import json

    out = json.loads(evaluate_json(json.dumps(case), AS_OF))
    assert out["ok"] is False
    assert {e["path"] for e in out["errors"]} == {"child.birth_date", "services[1].need", "hearings[0].date"}
