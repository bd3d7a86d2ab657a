"""Roll-ups: every group's counts are its own, groups add up to the totals, every rule is listed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from permanency_rules.caseload import check_caseload
from permanency_rules.cli import app
from permanency_rules.synth import synth_cases
from tests.conftest import PER_CASE, ROOT

AS_OF = date(2026, 11, 1)
BUNDLED = ROOT / "fixtures" / "caseload"
COUNTS = ["cases_in", "cases_checked", "cases_rejected", "findings"]


@pytest.fixture(scope="module")
def with_units(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled caseload with a supervisor column, two broken cases and a repeated id."""
    folder = tmp_path_factory.mktemp("units")
    for f in BUNDLED.iterdir():
        shutil.copy(f, folder / f.name)
    cases = pd.read_csv(folder / "cases.csv", dtype=str, keep_default_na=False)
    cases["supervisor"] = ["S" + str(i % 7) for i in range(len(cases))]
    cases.loc[3, "removal_date"] = "2025-02-30"
    cases.loc[8, "birth_date"] = "someday"
    cases = pd.concat([cases, cases.iloc[[5]]], ignore_index=True)
    cases.to_csv(folder / "cases.csv", index=False)
    return folder


def test_group_counts_are_the_groups_own_and_add_up(with_units: Path) -> None:
    r = check_caseload(with_units, AS_OF, group_by="office")
    t = r.totals
    assert t["cases_rejected"] == 3
    assert r.groups[COUNTS].sum().to_dict() == t
    for office, own in r.cases.groupby("office"):
        row = r.groups.set_index("office").loc[office]
        assert row["cases_in"] == len(own)
        assert row["cases_checked"] == (own["status"] == "checked").sum()
        assert row["cases_rejected"] == (own["status"] == "rejected").sum()
        assert row["cases_flagged"] == (own["findings"] > 0).sum()
        assert row["findings"] == (r.findings["office"] == office).sum()
        # the summary's cases_checked is the office's own, not the whole caseload's
        assert set(r.summary.loc[r.summary["office"] == office, "cases_checked"]) == {row["cases_checked"]}
    assert r.summary["cases_checked"].max() < t["cases_checked"]
    assert r.summary["findings"].sum() == t["findings"]


def test_every_rule_is_listed_per_group_with_zeros() -> None:
    r = check_caseload(BUNDLED, AS_OF, group_by="office")
    rules = set(r.summary["rule_id"])
    per_office = r.summary.groupby("office")["rule_id"].nunique()
    assert (per_office == len(rules)).all()
    assert (r.summary["findings"] == 0).any()
    plain = check_caseload(BUNDLED, AS_OF)
    assert set(plain.summary["rule_id"]) == rules and plain.summary["rule_id"].is_unique
    # severity as given, and deadline status, per rule
    sev = r.summary[["critical_findings", "warning_findings", "info_findings"]].sum(axis=1)
    assert (sev == r.summary["findings"]).all()
    assert ((r.summary["overdue"] + r.summary["due_soon"]) <= r.summary["findings"]).all()
    mixed = r.summary.groupby("rule_id")[["critical_findings", "warning_findings"]].sum()
    assert ((mixed["critical_findings"] > 0) & (mixed["warning_findings"] > 0)).any()  # due soon is milder


def test_several_group_columns_and_a_column_of_the_agencys_own(with_units: Path) -> None:
    r = check_caseload(with_units, AS_OF, group_by="office,worker_id")
    assert list(r.groups.columns[:2]) == ["office", "worker_id"]
    assert r.groups[COUNTS].sum().to_dict() == r.totals
    assert len(r.groups) == len(r.cases[["office", "worker_id"]].drop_duplicates())
    s = check_caseload(with_units, AS_OF, group_by=["supervisor"])
    assert set(s.groups["supervisor"]) == {f"S{i}" for i in range(7)}
    assert s.groups[COUNTS].sum().to_dict() == s.totals
    assert not any("supervisor" in n for n in s.notes)  # used, so not "ignored"
    plain = check_caseload(with_units, AS_OF)
    assert "supervisor" not in plain.cases.columns  # passed through only when grouped by


def test_unknown_group_column_is_refused_before_any_work() -> None:
    read: list[str] = []

    def cases() -> Iterator[dict[str, Any]]:
        for c in synth_cases(5, AS_OF, seed=1):
            read.append(c["case_id"])
            yield c

    with pytest.raises(ValueError, match=r"unknown group-by column 'ofice'.*office, worker_id"):
        check_caseload(cases(), AS_OF, group_by="ofice")
    assert read == []
    res = CliRunner().invoke(app, ["check", str(BUNDLED), "--out", "x.csv", "--group-by", "office,unit"])
    assert res.exit_code == 2 and "unknown group-by column 'unit'" in res.output


def test_findings_carry_office_worker_and_title() -> None:
    r = check_caseload(BUNDLED, AS_OF)
    f = r.findings.merge(r.cases[["case_id", "office", "worker_id"]], on="case_id", suffixes=("", "_case"))
    assert (f["office"] == f["office_case"]).all() and (f["worker_id"] == f["worker_id_case"]).all()
    titles = r.summary.set_index("rule_id")["title"]
    assert (r.findings["title"] == titles.reindex(r.findings["rule_id"]).to_numpy()).all()
    durable = check_caseload(BUNDLED, AS_OF, backend=PER_CASE)
    pd.testing.assert_frame_equal(r.findings, durable.findings)
