"""Probe L3: strict flags (YAML 1.1 yes/on too), ISO dates only, no blank or space-padded case or item ids."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from permanency_rules.caseload import check_caseload
from permanency_rules.model.errors import CaseValidationError
from permanency_rules.model.io import parse_case
from tests.conftest import PER_CASE_ENGINES, ROOT
from tests.reliability.test_per_case import GOOD, _case

#: The per-case path: durable-rules where it imports (not on Python 3.13), else the built-in matcher.
PER_CASE: Any = PER_CASE_ENGINES[0]

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
    per_case = check_caseload(src, AS_OF, backend=PER_CASE)
    pd.testing.assert_frame_equal(col.cases, per_case.cases)
    pd.testing.assert_frame_equal(col.findings, per_case.findings)
    assert col.cases["status"].iloc[4] == "rejected"
    assert GOOD["case_id"] == "fx-02"


@pytest.mark.parametrize("value", ["", " ", " pl-1", "pl-1 ", "\tpl-1"])
@pytest.mark.parametrize(
    "where, path",
    [
        (("placements", 0, "id"), "placements[0].id"),
        (("needs", 0, "id"), "needs[0].id"),
        (("services", 0, "need"), "services[0].need"),
        (("parent_visits", 0, "parent"), "parent_visits[0].parent"),
        (("child", "id"), "child.id"),
    ],
)
def test_blank_or_padded_item_ids_are_rejected_by_path(
    value: str, where: tuple[str | int, ...], path: str
) -> None:
    """Probe L3: ``" C0000004"`` was a separate case from ``C0000004``; the same holds for the
    id of an item or a reference to one (a padded need id orphans its services)."""
    case = _case("ids")
    target: Any = case
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    with pytest.raises(CaseValidationError) as info:
        parse_case(case)
    assert path in [e.path for e in info.value.errors]
    reason = next(e.reason for e in info.value.errors if e.path == path)
    assert reason.endswith("may not be blank") or reason.endswith("may not start or end with spaces")


def test_padded_item_ids_in_tables_get_the_same_verdict_on_both_paths(tmp_path: Path) -> None:
    src = tmp_path / "cl"
    shutil.copytree(ROOT / "fixtures" / "caseload", src)
    services = pd.read_csv(src / "services.csv", dtype=str, keep_default_na=False)
    services.loc[0, "need"] = " " + services.loc[0, "need"]
    services.loc[1, "id"] = services.loc[1, "id"] + " "
    services.to_csv(src / "services.csv", index=False)
    visits = pd.read_csv(src / "parent_visits.csv", dtype=str, keep_default_na=False)
    visits.loc[len(visits) - 1, "id"] = "   "  # blank but not empty: not "no id"
    visits.to_csv(src / "parent_visits.csv", index=False)
    col = check_caseload(src, AS_OF)
    per_case = check_caseload(src, AS_OF, backend=PER_CASE)
    pd.testing.assert_frame_equal(col.cases, per_case.cases)
    pd.testing.assert_frame_equal(col.findings, per_case.findings)
    status = col.cases.set_index("case_id")
    for table, name, row, field in (
        (services, "services", 0, "need"),
        (services, "services", 1, "id"),
        (visits, "parent_visits", len(visits) - 1, "id"),
    ):
        case_id = table.loc[row, "case_id"]
        at = int((table.loc[:row, "case_id"] == case_id).sum()) - 1  # its place in the case
        assert status.loc[case_id, "status"] == "rejected"
        where = re.escape(f"{name}[{at}].{field}")
        assert re.search(rf"{where}: [^;]*an id may not", status.loc[case_id, "errors"])


def test_yaml_1_1_booleans_in_a_case_file_are_refused(tmp_path: Path) -> None:
    """YAML 1.1 reads ``yes``/``on``/``off`` as booleans; the library reads YAML 1.2's
    true/false only, so ``relative: yes`` is refused by path instead of passing as true."""
    from permanency_rules.language.yamlsrc import compose
    from permanency_rules.model.io import load_case_file

    assert compose("a: yes\nb: On\nc: off\nd: NO\ne: true\nf: False\n")[0] == {
        "a": "yes",
        "b": "On",
        "c": "off",
        "d": "NO",
        "e": True,
        "f": False,
    }
    text = (ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml").read_text(encoding="utf-8")
    assert "relative: false" in text
    for word in ("yes", "on", "No", "OFF"):
        path = tmp_path / f"{word}.yaml"
        path.write_text(text.replace("relative: false", f"relative: {word}", 1), encoding="utf-8")
        with pytest.raises(CaseValidationError) as info:
            load_case_file(path)
        assert [e.path for e in info.value.errors] == ["placements[0].relative"]
    path.write_text(text.replace("relative: false", "relative: true", 1), encoding="utf-8")
    assert load_case_file(path).placements[0].relative is True
