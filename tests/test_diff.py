"""Run-to-run diff: two runs of the bundled caseload at two dates, by finding_id."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from permanency_rules.caseload import check_caseload
from permanency_rules.cli import app
from permanency_rules.outputs.diff import diff_findings
from permanency_rules.outputs.tables import read_table, write_table
from tests.conftest import ROOT

BUNDLED = ROOT / "fixtures" / "caseload"
# the bundled caseload runs to 2026-11-01 (a later record would be the future at an earlier date)
EARLY, LATE = date(2026, 11, 1), date(2027, 1, 15)


def test_new_resolved_and_persisting_by_finding_id() -> None:
    old = check_caseload(BUNDLED, EARLY).findings
    new = check_caseload(BUNDLED, LATE).findings
    d = diff_findings(old, new)
    a, b = set(old["finding_id"]), set(new["finding_id"])
    assert d.totals == {"new": len(b - a), "resolved": len(a - b), "persisting": len(a & b)}
    assert all(d.totals.values())  # two months apart, all three kinds occur
    rows = d.rows.set_index("finding_id")
    assert set(rows.index[rows["change"] == "new"]) == b - a
    assert set(rows.index[rows["change"] == "resolved"]) == a - b
    # per office and per worker, adding up to the totals
    s = d.summary
    overall = s[s["level"] == "all"].iloc[0]
    assert {k: overall[k] for k in ("new", "resolved", "persisting")} == d.totals
    for level in ("office", "worker"):
        part = s[s["level"] == level]
        assert part[["new", "resolved", "persisting"]].sum().to_dict() == d.totals
    north = s[(s["level"] == "office") & (s["office"] == "north")].iloc[0]
    in_north = d.rows[d.rows["office"] == "north"]
    assert north["new"] == (in_north["change"] == "new").sum()
    # the same run twice: everything persists
    same = diff_findings(new, new)
    assert same.totals == {"new": 0, "resolved": 0, "persisting": len(b)}


def test_cli_diff_over_written_tables(tmp_path: Path) -> None:
    write_table(check_caseload(BUNDLED, EARLY).findings, tmp_path / "sep.parquet")
    write_table(check_caseload(BUNDLED, LATE).findings, tmp_path / "nov.csv")
    res = CliRunner().invoke(
        app,
        [
            "diff",
            str(tmp_path / "sep.parquet"),
            str(tmp_path / "nov.csv"),
            "--out",
            str(tmp_path / "d.jsonl"),
            "--summary",
            str(tmp_path / "s.csv"),
        ],
    )
    assert res.exit_code == 0, res.output
    want = diff_findings(read_table(tmp_path / "sep.parquet"), read_table(tmp_path / "nov.csv")).totals
    assert f"new: {want['new']}  resolved: {want['resolved']}  persisting: {want['persisting']}" in res.output
    assert "north" in res.output
    rows = read_table(tmp_path / "d.jsonl")
    assert rows["change"].value_counts().to_dict() == {k: v for k, v in want.items() if v}
    bad = CliRunner().invoke(app, ["diff", str(tmp_path / "s.csv"), str(tmp_path / "nov.csv")])
    assert bad.exit_code == 2 and "not a findings table" in bad.output
    # outputs are checked before any work: never over an input, never twice, never a folder
    (tmp_path / "a.csv").mkdir()
    for args, reason in (
        (["--out", str(tmp_path / "nov.csv")], "overwrite an input"),
        (["--out", str(tmp_path / "x.csv"), "--summary", str(tmp_path / "x.csv")], "twice"),
        (["--summary", str(tmp_path / "a.csv")], "folder"),
    ):
        before = (tmp_path / "nov.csv").read_bytes()
        res = CliRunner().invoke(
            app, ["diff", str(tmp_path / "sep.parquet"), str(tmp_path / "nov.csv"), *args]
        )
        assert res.exit_code == 2 and reason in res.stderr, res.output
        assert (tmp_path / "nov.csv").read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files
