"""Probe H5, H6: output paths are checked before any work; outputs are written whole or not at all."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from permanency_rules.cli import app
from permanency_rules.outputs import files
from permanency_rules.outputs.files import OutputPathError, check_output_paths, write_all
from tests.conftest import ROOT

runner = CliRunner()
CASELOAD = ROOT / "fixtures" / "caseload"


@pytest.fixture
def caseload(tmp_path: Path) -> Path:
    src = tmp_path / "cl"
    shutil.copytree(CASELOAD, src)
    return src


def _check(src: Path, *args: str) -> tuple[int, str]:
    r = runner.invoke(app, ["check", str(src), "--as-of", "2026-11-01", "--quiet", *args])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r.exit_code, r.stderr


def test_an_output_that_is_an_input_table_is_refused(caseload: Path) -> None:
    before = (caseload / "cases.csv").read_bytes()
    code, msg = _check(caseload, "--out", str(caseload / "cases.csv"))
    assert (
        code == 2 and msg.strip() == f"error: {caseload / 'cases.csv'}: output would overwrite an input table"
    )
    assert (caseload / "cases.csv").read_bytes() == before
    code, msg = _check(caseload, "--out", str(caseload / "hearings.parquet"))
    assert code == 2 and "input table" in msg and not (caseload / "hearings.parquet").exists()


def test_the_same_output_twice_is_refused(caseload: Path, tmp_path: Path) -> None:
    x = tmp_path / "x.csv"
    code, msg = _check(caseload, "--out", str(x), "--cases", str(x), "--summary", str(x))
    assert code == 2 and "given twice" in msg and not x.exists()


def test_a_folder_or_device_or_uncreatable_parent_is_refused_before_the_run(
    caseload: Path, tmp_path: Path
) -> None:
    (tmp_path / "d.csv").mkdir()
    code, msg = _check(caseload, "--out", str(tmp_path / "d.csv"))
    assert code == 2 and "is a folder" in msg and len(msg.splitlines()) == 1
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    code, msg = _check(caseload, "--out", str(tmp_path / "plain" / "f.csv"))
    assert code == 2 and "cannot create its folder" in msg
    if Path("/dev/full").exists():
        code, msg = _check(caseload, "--out", str(tmp_path / "f.csv"), "--html", "/dev/full")
        assert code == 2 and msg.strip() == "error: /dev/full: output is not a regular file"
        assert not (tmp_path / "f.csv").exists()


def test_a_missing_parent_folder_is_created_before_the_run(caseload: Path, tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "f.csv"
    code, msg = _check(caseload, "--out", str(out))
    assert code == 0, msg
    assert len(pd.read_csv(out)) > 0
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_failed_write_leaves_the_old_outputs_untouched(
    caseload: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cases = tmp_path / "f.csv", tmp_path / "c.csv"
    out.write_text("old findings\n", encoding="utf-8")
    cases.write_text("old cases\n", encoding="utf-8")
    from permanency_rules.outputs import tables

    real = tables.write_table

    def full_disk(df: pd.DataFrame, path: Path) -> None:
        if path.name.startswith(".c.csv"):
            real(df.head(3), path)
            raise OSError(28, "No space left on device")
        real(df, path)

    monkeypatch.setattr(tables, "write_table", full_disk)
    code, msg = _check(caseload, "--out", str(out), "--cases", str(cases))
    assert code == 2
    assert msg.strip() == f"error: {cases}: cannot write (No space left on device)"
    assert out.read_text(encoding="utf-8") == "old findings\n"
    assert cases.read_text(encoding="utf-8") == "old cases\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "cl", "f.csv"]


def test_write_all_renames_only_when_every_file_is_complete(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"

    def boom(p: Path) -> None:
        p.write_text("partial", encoding="utf-8")
        raise OSError(27, "File too large")

    with pytest.raises(OutputPathError, match=r"b\.txt: cannot write"):
        write_all([(a, lambda p: p.write_text("A", encoding="utf-8")), (b, boom)])
    assert list(tmp_path.iterdir()) == []
    write_all([(a, lambda p: p.write_text("A", encoding="utf-8"))])
    assert a.read_text(encoding="utf-8") == "A"
    assert files.check_output_paths is check_output_paths
    with pytest.raises(OutputPathError, match="twice"):
        check_output_paths([a, tmp_path / "." / "a.txt"])


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(caseload: Path, tmp_path: Path) -> None:
    """Probe L6: a case id or office ``=HYPERLINK(...)`` was written raw to the CSV outputs."""
    from permanency_rules.outputs.tables import read_table

    cases = pd.read_csv(caseload / "cases.csv", dtype=str, keep_default_na=False)
    evil = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "'quoted"]
    for table in caseload.glob("*.csv"):  # the same ids in every table, so the cases stay whole
        df = pd.read_csv(table, dtype=str, keep_default_na=False)
        df["case_id"] = df["case_id"].replace(dict(zip(cases["case_id"][: len(evil)], evil, strict=True)))
        df.to_csv(table, index=False)
    cases = pd.read_csv(caseload / "cases.csv", dtype=str, keep_default_na=False)
    cases.loc[len(evil), "office"] = "=cmd|' /C calc'!A0"
    cases.to_csv(caseload / "cases.csv", index=False)
    out = tmp_path / "out"
    code, msg = _check(caseload, "--out", str(out / "f.csv"), "--cases", str(out / "k.csv"))
    assert code == 0, msg
    raw = pd.read_csv(out / "k.csv", dtype=str, keep_default_na=False)
    assert raw["case_id"][: len(evil)].tolist() == ["'" + e for e in evil]
    assert raw["office"][len(evil)] == "'=cmd|' /C calc'!A0"
    cells = [c for col in raw.columns for c in raw[col]]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)  # no cell a spreadsheet would run
    found = pd.read_csv(out / "f.csv", dtype=str, keep_default_na=False)
    assert not any(c.startswith(("=", "+", "-", "@")) for col in found.columns for c in found[col])
    assert set(evil) & set(read_table(out / "f.csv")["case_id"])  # the evil cases have findings
    back = read_table(out / "k.csv")  # the library's reader undoes the quoting exactly
    assert back["case_id"].tolist() == cases["case_id"].tolist()
    assert back["office"][len(evil)] == "=cmd|' /C calc'!A0"
    # a later run compared with this one (--previous) matches every finding: nothing new
    code, msg = _check(
        caseload, "--out", str(out / "g.csv"), "--previous", str(out / "f.csv"), "--html", str(out / "r.html")
    )
    assert code == 0, msg
    r = runner.invoke(app, ["diff", str(out / "f.csv"), str(out / "g.csv")])
    assert r.exit_code == 0 and "new: 0  resolved: 0" in r.stdout, r.output
