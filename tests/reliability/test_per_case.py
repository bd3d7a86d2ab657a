"""Probe H3, H4, L2, M7: a bad case is rejected with its reason and the run goes on.

Per-case paths (JSON Lines, AFCARS, iterables, ``--backend durable``) and the single-case API:
``evaluate`` raises only ``CaseValidationError`` for bad data; ``evaluate_json`` only answers
``{"ok": false}``.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from permanency_rules import evaluate, evaluate_json
from permanency_rules.caseload import check_caseload
from permanency_rules.cli import app
from permanency_rules.model.case import Placement, content_id
from permanency_rules.model.errors import CaseValidationError
from tests.conftest import PER_CASE_ENGINES, ROOT, load_yaml

#: The per-case path: durable-rules where it imports (not on Python 3.13), else the built-in matcher.
PER_CASE: Any = PER_CASE_ENGINES[0]

runner = CliRunner()
AS_OF = date(2026, 11, 1)
GOOD: dict[str, Any] = json.loads(
    json.dumps(load_yaml(ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml")["case"], default=str)
)


def _case(case_id: str, **changes: Any) -> dict[str, Any]:
    case = copy.deepcopy(GOOD)
    case["case_id"] = case_id
    for dotted, value in changes.items():
        target = case
        *head, last = dotted.split("__")
        for part in head:
            target = target[part]
        target[last] = value
    return case


def _collision_case(case_id: str) -> dict[str, Any]:
    """Two placements: one without an id, one whose given id is the first one's derived id."""
    first = {"setting": "group_home", "start_date": "2025-09-02", "end_date": "2025-09-03"}
    derived = content_id("placement", Placement.model_validate(first))
    second = {"id": derived, "setting": "nonrelative_foster_home", "start_date": "2025-09-03"}
    return _case(case_id, placements=[first, second])


#: name -> (a JSON line, the text its rejection must contain)
BAD_LINES: dict[str, tuple[bytes, str]] = {
    # the probe's lines: no birth date, so only the calendar (or a plausibility check) can object
    "year 1 removal": (
        b'{"case_id":"y1","child":{},"episode":{"removal_date":"0001-01-01"}}',
        "outside the calendar|episode.removal_date",
    ),
    "year 2 removal": (
        b'{"case_id":"y2","child":{},"episode":{"removal_date":"0002-01-01"}}',
        "outside the calendar|episode.removal_date",
    ),
    "invalid UTF-8": (b'{"case_id": "u", "office": "\xff\xfe"}', "not UTF-8"),
    "lone surrogate": (json.dumps(_case("s", office="\udc80")).encode(), "office: not valid Unicode"),
    "huge integer": (b'{"case_id": "h", "n": ' + b"9" * 5000 + b"}", "number too large"),
    "deep nesting": (b'{"case_id": "d", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    "duplicate key": (b'{"case_id": "k", "case_id": "k2"}', "duplicate key"),
    "id collision": (
        json.dumps(_collision_case("c")).encode(),
        r"placements\[1\]\.id: the same as the id derived",
    ),
}


def _jsonl(tmp_path: Path, bom: bool = True) -> tuple[Path, list[str]]:
    lines = [json.dumps(_case("good-1")).encode()]
    lines += [line for line, _ in BAD_LINES.values()]
    lines.append(json.dumps(_case("good-2")).encode())
    f = tmp_path / "cases.jsonl"
    f.write_bytes((b"\xef\xbb\xbf" if bom else b"") + b"\n".join(lines) + b"\n")
    return f, list(BAD_LINES)


@pytest.mark.parametrize("workers", [1, 2])
def test_bad_lines_are_rejected_and_the_rest_is_checked(tmp_path: Path, workers: int) -> None:
    f, names = _jsonl(tmp_path)
    r = check_caseload(f, AS_OF, workers=workers, chunk_size=3)
    assert r.totals["cases_in"] == len(names) + 2
    assert r.totals["cases_checked"] == 2 and r.totals["cases_rejected"] == len(names)
    assert r.cases["case_id"].iloc[0] == "good-1"  # the BOM did not cost the first case
    rejected = r.cases[r.cases["status"] == "rejected"]["errors"].tolist()
    for (name, (_line, reason)), errors in zip(BAD_LINES.items(), rejected, strict=True):
        assert re.search(reason, errors), (name, errors)
    assert set(r.findings["case_id"]) == {"good-1", "good-2"}


def test_bad_lines_through_the_cli(tmp_path: Path) -> None:
    f, names = _jsonl(tmp_path)
    out, cases = tmp_path / "f.csv", tmp_path / "k.csv"
    res = runner.invoke(
        app, ["check", str(f), "--as-of", "2026-11-01", "--out", str(out), "--cases", str(cases)]
    )
    assert res.exit_code == 0, res.output
    assert f"cases in: {len(names) + 2}  checked: 2  rejected: {len(names)}" in res.stdout
    assert len(pd.read_csv(cases)) == len(names) + 2


@pytest.mark.parametrize("name", list(BAD_LINES))
def test_evaluate_raises_only_case_validation_error(name: str) -> None:
    line, reason = BAD_LINES[name]
    with pytest.raises(CaseValidationError) as info:
        evaluate(line, AS_OF)
    assert re.search(reason.split(":")[0], str(info.value))
    answer = json.loads(evaluate_json(line, AS_OF))
    assert answer["ok"] is False and answer["errors"]


@pytest.mark.parametrize("engine", [*PER_CASE_ENGINES, "pandas"])
def test_a_removal_in_9999_is_an_error_not_an_overflow(engine: str) -> None:
    case = _case("far", episode__removal_date="9999-06-01", episode__first_adjudication_date="9999-07-01")
    case["placements"] = [{"id": "p", "setting": "group_home", "start_date": "9999-06-01"}]
    for key in ("goals", "case_plans", "hearings", "services", "needs", "parent_visits"):
        case[key] = []
    with pytest.raises(CaseValidationError, match="outside the calendar"):
        evaluate(case, date(9999, 12, 31), engine=engine)  # type: ignore[arg-type]
    assert json.loads(evaluate_json(json.dumps(case), date(9999, 12, 31)))["ok"] is False


def test_as_of_as_a_datetime_is_refused_clearly() -> None:
    with pytest.raises(TypeError, match=r"pass its \.date\(\)"):
        evaluate(GOOD, datetime(2026, 11, 1, 12, 0))  # type: ignore[arg-type]


def test_an_iterable_with_bad_items_goes_on() -> None:
    items: list[Any] = [
        _case("a"),
        42,
        {"case_id": "b", "child": {}, "episode": {"removal_date": "0001-01-01"}},
    ]
    items += [_collision_case("c"), _case("d")]
    r = check_caseload(items, AS_OF, backend=PER_CASE)
    assert list(r.cases["status"]) == ["checked", "rejected", "rejected", "rejected", "checked"]


def test_afcars_bad_record_is_rejected_and_bom_stripped(tmp_path: Path) -> None:
    src = (ROOT / "fixtures" / "afcars" / "sample_fc.csv").read_bytes().splitlines(keepends=True)
    bad = src[1].replace(b"2024-01-10,1,,2024-01-10", b"2024-01-10,1,,0001-01-01", 1)
    assert bad != src[1]
    f = tmp_path / "fc.csv"
    f.write_bytes(b"\xef\xbb\xbf" + src[0] + bad.replace(b"A1,", b"A0,", 1) + b"".join(src[1:]))
    r = check_caseload(f, AS_OF)
    assert r.totals["cases_in"] == len(src) and r.totals["cases_rejected"] >= 1
    assert r.cases["case_id"].iloc[0] == "A0" and r.cases["status"].iloc[0] == "rejected"
    good = check_caseload(ROOT / "fixtures" / "afcars" / "sample_fc.csv", AS_OF)
    assert list(r.cases["status"].iloc[1:]) == list(good.cases["status"])


def _table_caseload(tmp_path: Path) -> Path:
    src = tmp_path / "cl"
    shutil.copytree(ROOT / "fixtures" / "caseload", src)
    return src


@pytest.mark.parametrize("column", ["removal_date", "birth_date"])
def test_both_paths_agree_on_year_1_dates(tmp_path: Path, column: str) -> None:
    src = _table_caseload(tmp_path)
    cases = pd.read_csv(src / "cases.csv", dtype=str, keep_default_na=False)
    cases.loc[3, column] = "0001-01-01"
    if column == "removal_date":
        cases.loc[3, "birth_date"] = ""
    cases.to_csv(src / "cases.csv", index=False)
    col = check_caseload(src, AS_OF)
    per_case = check_caseload(src, AS_OF, backend=PER_CASE)
    pd.testing.assert_frame_equal(col.cases, per_case.cases)
    pd.testing.assert_frame_equal(col.findings, per_case.findings)
    if column == "removal_date":  # deadlines before year 1 (a birth in year 1 is L4, plausibility)
        assert col.cases["status"].iloc[3] == "rejected"


def test_both_paths_reject_a_given_id_equal_to_a_derived_id(tmp_path: Path) -> None:
    src = _table_caseload(tmp_path)
    p = pd.read_csv(src / "placements.csv", dtype=str, keep_default_na=False)
    counts = p["case_id"].value_counts()
    case_id = counts.index[counts >= 2][0]  # a case with two placements
    rows = p[p["case_id"] == case_id].copy()
    first = rows.iloc[0]
    fields = {"setting": first["setting"], "start_date": first["start_date"]}
    if first["end_date"]:
        fields["end_date"] = first["end_date"]
    if first["relative"]:
        fields["relative"] = first["relative"] == "true"
    derived = content_id("placement", Placement.model_validate(fields))
    p.loc[rows.index[0], "id"] = ""
    p.loc[rows.index[1], "id"] = derived
    p.to_csv(src / "placements.csv", index=False)
    col = check_caseload(src, AS_OF)
    per_case = check_caseload(src, AS_OF, backend=PER_CASE)
    pd.testing.assert_frame_equal(col.cases, per_case.cases)
    pd.testing.assert_frame_equal(col.findings, per_case.findings)
    row = col.cases[col.cases["case_id"] == case_id].iloc[0]
    assert row["status"] == "rejected" and "the same as the id derived" in row["errors"]


def test_a_case_over_the_size_cap_is_rejected_quickly() -> None:
    """Probe M9: one case with 60,000 waitlisted services took 44 s; now a documented cap."""
    from permanency_rules.model.validation import MAX_ITEMS

    case = _case("big")
    need = case["needs"][0]
    service = {
        "need": need["id"],
        "type": "substance_treatment",
        "status": "waitlisted",
        "referred_date": "2026-02-09",
    }
    case["services"] = [dict(service, id=f"s{i}") for i in range(MAX_ITEMS + 1)]
    with pytest.raises(CaseValidationError, match=f"services: more than {MAX_ITEMS} items"):
        evaluate(case, AS_OF)
    case["services"] = case["services"][:MAX_ITEMS]
    assert evaluate(case, AS_OF).case_id == "big"


def test_size_cap_gives_the_same_verdict_on_both_paths(tmp_path: Path) -> None:
    from permanency_rules.model.validation import MAX_ITEMS

    src = _table_caseload(tmp_path)
    visits = pd.read_csv(src / "caseworker_visits.csv", dtype=str, keep_default_na=False)
    row = visits.iloc[[0]]
    extra = pd.concat([row] * (MAX_ITEMS + 1), ignore_index=True)
    extra["id"] = [f"v{i}" for i in range(len(extra))] if "id" in extra.columns else None
    pd.concat([visits, extra], ignore_index=True).to_csv(src / "caseworker_visits.csv", index=False)
    col = check_caseload(src, AS_OF)
    per_case = check_caseload(src, AS_OF, backend=PER_CASE)
    pd.testing.assert_frame_equal(col.cases, per_case.cases)
    hit = col.cases[col.cases["case_id"] == row["case_id"].iloc[0]].iloc[0]
    assert hit["status"] == "rejected" and "caseworker_visits: more than" in hit["errors"]


#: Case files the probe saw end in a traceback on the command line (H4).
BAD_FILES: dict[str, tuple[str, bytes, str]] = {
    "deep json": ("json", b'{"case_id": "d", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "2026-11-01"),
    "deep yaml": ("yaml", b"case_id: d\nx: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "2026-11-01"),
    "year 1 removal": ("json", BAD_LINES["year 1 removal"][0], "2026-11-01"),
    "removal in 9999": (
        "json",
        json.dumps(
            {
                "case_id": "far",
                "child": {},
                "episode": {"removal_date": "9999-06-01", "first_adjudication_date": "9999-07-01"},
                "placements": [{"id": "p", "setting": "group_home", "start_date": "9999-06-01"}],
            }
        ).encode(),
        "9999-12-31",
    ),
}


@pytest.mark.parametrize("command", ["evaluate", "report", "whatif", "explain"])
@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_case_files_end_in_one_line_on_every_command(tmp_path: Path, name: str, command: str) -> None:
    """Probe H4 (command line): deep .json and .yaml files and a removal in 9999 gave tracebacks."""
    suffix, body, as_of = BAD_FILES[name]
    f = tmp_path / f"case.{suffix}"
    f.write_bytes(body)
    patch = tmp_path / "patch.json"
    patch.write_text('{"office": "x"}', encoding="utf-8")
    args = {
        "evaluate": ["evaluate", str(f), "--format", "text"],
        "report": ["report", str(f), "--out", str(tmp_path / "r.html")],
        "whatif": ["whatif", str(f), "--patch", str(patch)],
        "explain": ["explain", "PR-MG-001", "--case", str(f)],
    }[command]
    r = runner.invoke(app, [*args, "--as-of", as_of])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1, r.stderr
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("name", [n for n, (suffix, _b, _d) in BAD_FILES.items() if suffix == "json"])
def test_the_service_answers_bad_cases_with_422(name: str) -> None:
    """The HTTP service shares ``evaluate_json``: a bad case is an answer, never a 500."""
    from fastapi.testclient import TestClient

    from permanency_rules.service import create_app

    _suffix, body, as_of = BAD_FILES[name]
    with TestClient(create_app()) as client:
        r = client.post(
            f"/evaluate?as_of={as_of}", content=body, headers={"Content-Type": "application/json"}
        )
    assert r.status_code == 422, r.text
    assert r.json()["ok"] is False
