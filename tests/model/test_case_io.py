"""Parsing and loading: every input form, all errors at once, and no values echoed."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from permanency_rules.model import (
    Case,
    CaseValidationError,
    load_case_document,
    load_case_file,
    parse_and_check,
    parse_case,
)
from permanency_rules.model.io import loc_path, safe_reason

from .conftest import FULL, MINIMAL

AS_OF = date(2021, 1, 1)


def _errors(data: Any, as_of: date | None = None) -> CaseValidationError:
    with pytest.raises(CaseValidationError) as info:
        if as_of is None:
            parse_case(data)
        else:
            parse_and_check(data, as_of)
    return info.value


# --- input forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        lambda d: d,
        lambda d: MappingProxyType(d),
        lambda d: json.dumps(d),
        lambda d: json.dumps(d).encode(),
        lambda d: Case.model_validate(d),
    ],
    ids=["dict", "mapping", "str", "bytes", "case"],
)
def test_all_input_forms_give_the_same_case(form: Any) -> None:
    expected = Case.model_validate(FULL)
    assert parse_case(form(copy.deepcopy(FULL))) == expected
    assert parse_and_check(form(copy.deepcopy(FULL)), AS_OF) == expected


def test_case_instances_are_still_checked_structurally(minimal: dict[str, Any]) -> None:
    minimal["child"]["birth_date"] = "2021-01-01"
    err = _errors(Case.model_validate(minimal))
    assert [e.path for e in err.errors] == ["child.birth_date"]


def test_parse_case_ignores_as_of_but_parse_and_check_does_not(minimal: dict[str, Any]) -> None:
    minimal["hearings"] = [{"type": "review", "date": "2030-01-01"}]
    assert parse_case(minimal).hearings[0].date == date(2030, 1, 1)
    err = _errors(minimal, AS_OF)
    # more than two years after as_of, not scheduled: implausible (a date just after as_of is the future, R19)
    assert [str(e) for e in err.errors] == [
        "hearings[0].date: date is more than 2 years after as_of 2021-01-01"
    ]


def test_parse_and_check_raises_structural_and_date_errors_together(
    minimal: dict[str, Any],
) -> None:
    minimal["child"]["birth_date"] = "2020-02-01"
    minimal["caseworker_visits"] = [{"date": "2023-05-01"}]  # implausible: > 2 years after as_of
    err = _errors(minimal, AS_OF)
    assert {e.path for e in err.errors} == {"child.birth_date", "caseworker_visits[0].date"}
    assert err.case_id == "T-MIN"


def test_all_field_errors_are_reported_with_list_paths(minimal: dict[str, Any]) -> None:
    minimal["needs"] = [
        {"id": "n1", "whose": "child", "domain": "education", "identified_date": "2020-01-20"}
    ]
    minimal["services"] = [
        {"need": "n1", "type": "other", "status": "referred", "referred_date": "2020-02-01"},
        {"need": "n1", "type": "other", "status": "referred", "referred_date": "2020-02-01"},
        {"need": "n1", "type": "other", "status": "nope", "referred_date": "2020-02-01"},
    ]
    minimal["placements"] = [{"setting": "group_home"}]
    err = _errors(minimal)
    assert {e.path for e in err.errors} == {"services[2].status", "placements[0].start_date"}
    status = next(e for e in err.errors if e.path == "services[2].status")
    assert status.reason.startswith("Input should be 'referred', 'waitlisted'")


def test_case_id_is_taken_from_raw_data_when_invalid() -> None:
    assert _errors({"case_id": "RAW-1"}).case_id == "RAW-1"
    assert _errors({"case_id": 17}).case_id == "17"
    assert _errors({"case_id": ["x"]}).case_id is None
    assert _errors([]).case_id is None


def test_top_level_not_an_object() -> None:
    err = _errors("[1, 2]")
    assert [e.path for e in err.errors] == [""]
    assert "valid dictionary" in err.errors[0].reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"case_id": "x",\n  "child": {,}}', "invalid JSON: line 2 column 13"),
        ("", "invalid JSON: line 1 column 1"),
        (b"\xff\xfe\xff", "invalid JSON: "),
    ],
)
def test_invalid_json_is_one_error(text: str | bytes, reason: str) -> None:
    err = _errors(text)
    assert len(err.errors) == 1
    assert err.errors[0].path == ""
    assert err.errors[0].reason.startswith(reason)


def test_unsupported_input_type_is_a_pydantic_error() -> None:
    err = _errors(42)
    assert [e.path for e in err.errors] == [""]


# --- files ----------------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["case.json", "case.yaml", "case.yml", "CASE.YAML"])
def test_plain_case_files(tmp_path: Path, name: str) -> None:
    text = json.dumps(FULL) if name.endswith("json") else yaml.safe_dump(FULL)
    path = _write(tmp_path, name, text)
    assert load_case_file(path) == Case.model_validate(FULL)
    case, rest = load_case_document(path)
    assert case.case_id == "T-FULL" and rest == {}


def test_yaml_native_dates_are_accepted(tmp_path: Path) -> None:
    text = "case_id: Y-1\nchild: {birth_date: 2015-03-01}\nepisode: {removal_date: 2020-01-10}\n"
    case = load_case_file(_write(tmp_path, "c.yaml", text))
    assert case.episode.removal_date == date(2020, 1, 10)


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_wrapped_document(tmp_path: Path, suffix: str) -> None:
    doc = {"story": "synthetic", "as_of": "2021-01-01", "expect": {"findings": []}, "case": MINIMAL}
    text = yaml.safe_dump(doc) if suffix == "yaml" else json.dumps(doc)
    path = _write(tmp_path, f"doc.{suffix}", text)
    case, rest = load_case_document(path)
    assert case == Case.model_validate(MINIMAL)
    assert rest == {k: v for k, v in doc.items() if k != "case"}
    assert load_case_file(path) == case


def test_wrapped_document_errors_use_case_relative_paths(tmp_path: Path) -> None:
    doc = {"as_of": "2021-01-01", "case": {**MINIMAL, "office": 3}}
    with pytest.raises(CaseValidationError) as info:
        load_case_document(_write(tmp_path, "doc.yaml", yaml.safe_dump(doc)))
    assert [e.path for e in info.value.errors] == ["office"]


def test_yaml_scalar_document_is_not_parsed_as_json(tmp_path: Path) -> None:
    path = _write(tmp_path, "c.yaml", '\'{"case_id": "x"}\'\n')
    with pytest.raises(CaseValidationError) as info:
        load_case_file(path)
    assert "valid dictionary" in info.value.errors[0].reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("case_id: [x\n", "invalid YAML: line 2 column 1"),
        ("a: !!python/object/apply:os.system ['true']\n", "invalid YAML: line 1 column 4"),
        (
            "case_id: x\nchild:\n  birth_date: 2015-02-30\n",
            "invalid YAML: impossible date at line 3",
        ),
    ],
)
def test_invalid_yaml_reports_position_only(tmp_path: Path, text: str, reason: str) -> None:
    with pytest.raises(CaseValidationError) as info:
        load_case_file(_write(tmp_path, "bad.yaml", text))
    assert [(e.path, e.reason) for e in info.value.errors] == [("", reason)]
    assert "os.system" not in str(info.value)


def test_invalid_json_file(tmp_path: Path) -> None:
    with pytest.raises(CaseValidationError) as info:
        load_case_file(_write(tmp_path, "bad.json", '{"case_id": }'))
    assert info.value.errors[0].reason == "invalid JSON: line 1 column 13"


def test_unsupported_extension(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unsupported case file type"):
        load_case_file(_write(tmp_path, "case.txt", "{}"))


# --- no values in errors --------------------------------------------------------------------

SENTINEL = "ZQX Jane Sentinel-Doe lives at 1 Nowhere Lane"


def _poisoned(value: str, *, as_key: bool = True) -> dict[str, Any]:
    """A case with ``value`` injected into every kind of bad field we can think of.

    Unknown keys that look like field names (``colour``) are named in paths so they can be
    fixed; only keys that cannot be field names are hidden, hence ``as_key`` for random text.
    """
    data = copy.deepcopy(MINIMAL)
    data["child"]["birth_date"] = value  # bad date
    data["episode"]["removal_reasons"] = [value]  # bad enum in a list
    if as_key:
        data["episode"][value] = value  # unknown key whose name is free text
    data["goals"] = [{"type": value, "start_date": "2020-01-10", "colour": value}]
    data["parents"] = [{"role": "mother", "deceased": value}]  # bad bool
    data["placements"] = value  # str where a list belongs
    data["tpr"] = value  # str where an object belongs
    data["office"] = [value]  # list where a str belongs
    data["hearings"] = [{"type": "review", "date": "2020-02-01", "findings": value}]
    return data


def test_injected_values_are_never_echoed() -> None:
    err = _errors(_poisoned(SENTINEL))
    assert len(err.errors) >= 10
    for text in (str(err), *(str(e) for e in err.errors)):
        assert "ZQX" not in text
        assert "Jane" not in text
    assert "episode.<key>" in {e.path for e in err.errors}
    goal_type = next(e for e in err.errors if e.path == "goals[0].type")
    assert "'reunification'" in goal_type.reason  # the allowed values are listed


def test_injected_values_are_not_echoed_from_json_text() -> None:
    err = _errors(json.dumps(_poisoned(SENTINEL)))
    assert "ZQX" not in str(err)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_no_injected_text_is_echoed(text: str) -> None:
    value = f"ZQX{text}"
    err = _errors(_poisoned(value, as_key=False))
    assert value not in str(err)


def test_safe_reason_replaces_messages_that_quote_the_input() -> None:
    quoting = {
        "type": "union_tag_invalid",
        "loc": ("x",),
        "msg": "Input tag 'secret' found",
        "input": "secret",
    }
    assert safe_reason(quoting) == "invalid value (union_tag_invalid)"  # type: ignore[arg-type]
    enum = {"type": "enum", "loc": ("x",), "msg": "Input should be 'adoption'", "input": "adopt"}
    assert safe_reason(enum) == "Input should be 'adoption'"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        ((), ""),
        (("case_id",), "case_id"),
        (("services", 2, "status"), "services[2].status"),
        (("episode", "removal_reasons", 0), "episode.removal_reasons[0]"),
        (("goals", 0, "my key!"), "goals[0].<key>"),
    ],
)
def test_loc_path(loc: tuple[int | str, ...], path: str) -> None:
    assert loc_path(loc) == path
