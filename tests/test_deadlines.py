"""The tickler table: every deadline of every checked case, the same from both paths."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from permanency_rules import evaluate
from permanency_rules.batch.deadlines import DEADLINE_COLUMNS, due_summary
from permanency_rules.caseload import check_caseload
from permanency_rules.cli import app
from permanency_rules.outputs.tables import read_table
from permanency_rules.synth import synth_cases, write_caseload
from tests.conftest import ROOT

AS_OF = date(2026, 11, 1)
BUNDLED = ROOT / "fixtures" / "caseload"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, object, list[dict[str, object]]]:
    cases = list(synth_cases(300, AS_OF, seed=17))
    cases[4] = dict(cases[4], episode={"removal_date": "2025-02-30"})  # rejected: no deadlines
    folder = tmp_path_factory.mktemp("tickler")
    write_caseload(cases, folder, "parquet")
    columns = check_caseload(folder, AS_OF)  # column-wise (the bad case per case)
    per_case = check_caseload(cases, AS_OF)  # per case
    return columns, per_case, cases


def test_both_paths_give_the_same_table(runs: tuple[object, object, object]) -> None:
    columns, per_case, _ = runs
    a, b = columns.deadlines, per_case.deadlines  # type: ignore[attr-defined]
    assert list(a.columns) == DEADLINE_COLUMNS
    pd.testing.assert_frame_equal(a, b)


def test_every_checked_case_has_its_deadlines_pending_included(runs: tuple[object, object, object]) -> None:
    r, _, cases = runs
    d, c = r.deadlines, r.cases  # type: ignore[attr-defined]
    checked = set(c.loc[c["status"] == "checked", "case_id"])
    assert set(d["case_id"]) == checked
    assert "C0000004" not in set(d["case_id"])
    visits = d[d["deadline"] == "caseworker_visit"]
    assert set(visits["case_id"]) == checked  # one monthly visit clock per case
    assert (visits["status"] == "pending").any()
    assert {"pending", "met", "overdue"} <= set(d["status"])
    # statuses, dates and bases are the clocks' own, as in a single-case report
    for case in cases[:40]:  # type: ignore[index]
        if case["case_id"] not in checked:
            continue
        report = evaluate(case, AS_OF)
        mine = d[d["case_id"] == case["case_id"]]
        got = list(
            zip(
                mine["deadline"],
                mine["status"],
                [None if pd.isna(x) else x for x in mine["due_date"]],
                mine["basis"],
                strict=True,
            )
        )
        want = [(x.name, x.status, x.due_date, x.basis) for x in report.deadlines]
        assert got == want
    # days left: negative when overdue, counted from as_of
    dated = d.dropna(subset=["due_date"])
    assert (dated["days_left"] == [(x - AS_OF).days for x in dated["due_date"]]).all()
    assert (dated.loc[dated["status"] == "overdue", "days_left"] < 0).all()
    assert (d.loc[d["due_date"].isna(), "days_left"].isna()).all()
    office = c.set_index("case_id")["office"]
    assert (d["office"] == office.reindex(d["case_id"]).to_numpy()).all()


def test_due_summary_per_office_and_worker() -> None:
    r = check_caseload(BUNDLED, AS_OF)
    s = due_summary(r.deadlines, r.cases, ["office"])
    north = s[s["office"] == "north"]
    d = r.deadlines[r.deadlines["office"] == "north"]
    assert set(north["caseload"]) == {(r.cases["office"] == "north").sum()}
    visits = north.set_index("deadline").loc["caseworker_visit"]
    v = d[d["deadline"] == "caseworker_visit"]
    assert visits["overdue"] == (v["status"] == "overdue").sum()
    open_ = v["status"].isin(["overdue", "due_soon", "pending"])
    assert visits["due_30d"] == (open_ & (v["days_left"] >= 0) & (v["days_left"] <= 30)).sum()
    assert visits["due_7d"] <= visits["due_30d"]
    met, late = (v["status"] == "met").sum(), (v["status"] == "met_late").sum()
    judged = met + late + visits["overdue"]
    assert visits["met_on_time_share"] == pytest.approx(round(met / judged, 3))
    workers = due_summary(r.deadlines, r.cases, ["office", "worker_id"])
    assert workers.groupby("deadline")["overdue"].sum().equals(s.groupby("deadline")["overdue"].sum())


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_cli_writes_the_tickler(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"deadlines{suffix}"
    res = CliRunner().invoke(
        app,
        [
            "check",
            str(BUNDLED),
            "--as-of",
            "2026-11-01",
            "--out",
            str(tmp_path / "f.csv"),
            "--deadlines",
            str(out),
            "--due-summary",
            str(tmp_path / f"due{suffix}"),
        ],
    )
    assert res.exit_code == 0, res.output
    got = read_table(out)
    assert list(got.columns) == DEADLINE_COLUMNS
    want = check_caseload(BUNDLED, AS_OF).deadlines
    assert len(got) == len(want)
    assert list(got["days_left"].fillna("")) == [str(x) if pd.notna(x) else "" for x in want["days_left"]]
    assert list(got["due_date"].fillna("").str[:10]) == [
        x.isoformat() if pd.notna(x) else "" for x in want["due_date"]
    ]
    assert set(read_table(tmp_path / f"due{suffix}")["office"]) == set(want["office"])


def test_worker_processes_give_the_same_tickler() -> None:
    one = check_caseload(BUNDLED, AS_OF, chunk_size=150)
    two = check_caseload(BUNDLED, AS_OF, chunk_size=150, workers=2)
    pd.testing.assert_frame_equal(one.deadlines, two.deadlines)
    assert len(one.deadlines) > 10 * len(one.cases)
