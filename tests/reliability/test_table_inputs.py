"""Probe H1, H2, M2, M4, M7 (header-only), M8, L1, L5: a folder of tables that is not quite right."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from permanency_rules.adapters.tables import TABLES
from permanency_rules.caseload import check_caseload
from permanency_rules.cli import app
from permanency_rules.language.catalogue import load_catalogue
from tests.conftest import PER_CASE_ENGINES, ROOT

runner = CliRunner()
AS_OF = date(2026, 11, 1)
CASELOAD = ROOT / "fixtures" / "caseload"
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def baseline() -> pd.DataFrame:
    return check_caseload(CASELOAD, AS_OF).findings


def _copy(tmp_path: Path) -> Path:
    src = tmp_path / "cl"
    shutil.copytree(CASELOAD, src)
    return src


def _keys(df: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(zip(df["case_id"], df["rule_id"], df["finding_id"], strict=True))


@pytest.mark.parametrize("table", [t for t in TABLES if t != "cases"])
def test_an_absent_table_is_noted_and_its_rules_are_not_evaluable(
    tmp_path: Path, baseline: pd.DataFrame, table: str
) -> None:
    src = _copy(tmp_path)
    (src / f"{table}.csv").rename(src / f"{table}_old.csv")  # misnamed
    r = check_caseload(src, AS_OF)
    assert f"{table}: table absent (no {table}.csv or {table}.parquet)" in r.notes
    assert f"{table}_old.csv: unknown file ignored (not one of the tables)" in r.notes
    blind = {ne["rule_id"] for ne in r.run_not_evaluable if ne["missing"] == f"the {table} table"}
    assert blind, "an absent table must blind the rules that read it"
    # Every finding that changed, on cases checked both times, belongs to a blinded rule, or to
    # a rule only a blinded rule suppressed (its finding shows once that rule cannot speak):
    # nothing is reported as if an absent table meant "no rows".
    unsuppressed = {rule.id for rule in load_catalogue().rules if set(rule.spec.suppressed_by) & blind}
    moved = blind | unsuppressed
    checked = set(r.cases.loc[r.cases["status"] == "checked", "case_id"])
    before = baseline[baseline["case_id"].isin(checked) & ~baseline["rule_id"].isin(moved)]
    assert _keys(before) == _keys(r.findings[~r.findings["rule_id"].isin(unsuppressed)])


def test_absent_table_through_the_cli(tmp_path: Path) -> None:
    src = _copy(tmp_path)
    (src / "hearings.csv").rename(src / "hearing.csv")
    r = runner.invoke(app, ["check", str(src), "--as-of", "2026-11-01", "--out", str(tmp_path / "f.csv")])
    assert r.exit_code == 0, r.output
    assert "note: hearings: table absent" in r.stderr
    assert "not evaluable for this run (the hearings table not in the input)" in r.stderr


@pytest.mark.parametrize("backend", ["pandas", *PER_CASE_ENGINES])
def test_bom_and_numeric_ids_stay_text(tmp_path: Path, backend: str) -> None:
    src = _copy(tmp_path)
    for f in src.glob("*.csv"):
        lines = f.read_bytes().splitlines(keepends=True)
        body = [b"0" + line[1:] if line.startswith(b"C") else line for line in lines[1:]]
        f.write_bytes(BOM + lines[0] + b"".join(body))
    ids = pd.read_csv(src / "cases.csv", dtype=str, encoding="utf-8-sig")["case_id"]
    assert ids.str.startswith("0").all()
    r = check_caseload(src, AS_OF, backend=backend)  # type: ignore[arg-type]
    assert list(r.cases["case_id"]) == list(ids)
    assert not any("not in cases" in n for n in r.notes), r.notes
    base = check_caseload(CASELOAD, AS_OF).findings
    assert len(r.findings) == len(base)


def test_unknown_list_and_struct_parquet_columns_are_ignored(tmp_path: Path) -> None:
    src = tmp_path / "p"
    src.mkdir()
    for f in CASELOAD.glob("*.csv"):
        pq.write_table(
            pa.Table.from_pandas(pd.read_csv(f, dtype=str), preserve_index=False), src / f"{f.stem}.parquet"
        )
    t = pq.read_table(src / "cases.parquet")
    t = t.append_column("tags", pa.array([[1]] * len(t)))
    t = t.append_column("meta", pa.array([{"a": 1}] * len(t)))
    pq.write_table(t, src / "cases.parquet")
    r = check_caseload(src, AS_OF)
    assert "cases.tags: unknown column ignored" in r.notes and r.totals["cases_in"] == 600
    office = t.column_names.index("office")
    pq.write_table(t.set_column(office, "office", pa.array([["x"]] * len(t))), src / "cases.parquet")
    out = runner.invoke(app, ["check", str(src), "--as-of", "2026-11-01", "--out", str(tmp_path / "f.csv")])
    assert out.exit_code == 2
    assert (
        out.stderr.strip()
        == f"error: {src / 'cases.parquet'}: column office holds lists or structs; expected text"
    )


def test_a_csv_beside_a_parquet_table_is_noted(tmp_path: Path) -> None:
    src = _copy(tmp_path)
    pq.write_table(
        pa.Table.from_pandas(pd.read_csv(src / "services.csv", dtype=str), preserve_index=False),
        src / "services.parquet",
    )
    r = check_caseload(src, AS_OF)
    assert "services.csv: ignored, services.parquet is read instead" in r.notes


def test_a_malformed_row_is_reported_by_file_and_line_never_echoed(tmp_path: Path) -> None:
    src = _copy(tmp_path)
    n = len((src / "cases.csv").read_bytes().splitlines())
    with (src / "cases.csv").open("a", encoding="utf-8") as fh:
        fh.write('C9,"Jane Doe, SSN 123-45-6789"\n')
    r = runner.invoke(app, ["check", str(src), "--as-of", "2026-11-01", "--out", str(tmp_path / "f.csv")])
    assert r.exit_code == 2
    assert r.stderr.strip() == f"error: {src / 'cases.csv'}: line {n + 1}: malformed CSV row"
    assert "Jane" not in r.output and not (tmp_path / "f.csv").exists()


def test_a_3mb_field_is_read(tmp_path: Path) -> None:
    src = _copy(tmp_path)
    cases = pd.read_csv(src / "cases.csv", dtype=str, keep_default_na=False)
    cases.loc[5, "office"] = "A" * 3_000_000
    cases.to_csv(src / "cases.csv", index=False)
    r = check_caseload(src, AS_OF)
    assert r.totals["cases_in"] == 600 and r.totals["cases_checked"] == 600


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file (no header row)"),
        (b"case_id,office\nC1,Montr\xe9al\n", "not UTF-8 text"),
        (b"case_id,office,office\nC1,a,b\n", "repeated column name(s): office"),
    ],
)
def test_unreadable_tables_name_the_file(tmp_path: Path, content: bytes, reason: str) -> None:
    src = _copy(tmp_path)
    (src / "services.csv").write_bytes(content)
    r = runner.invoke(app, ["check", str(src), "--as-of", "2026-11-01", "--out", str(tmp_path / "f.csv")])
    assert r.exit_code == 2
    assert r.stderr.strip() == f"error: {src / 'services.csv'}: {reason}"


def test_repeated_parquet_column_names_are_one_line(tmp_path: Path) -> None:
    """Probe L1: the Parquet reader's error dumped the whole schema."""
    src = _copy(tmp_path)
    t = pa.Table.from_pandas(pd.read_csv(src / "services.csv", dtype=str), preserve_index=False)
    t = pa.Table.from_arrays([*t.columns, t.column("type")], names=[*t.column_names, "type"])
    pq.write_table(t, src / "services.parquet")
    (src / "services.csv").unlink()
    r = runner.invoke(app, ["check", str(src), "--as-of", "2026-11-01", "--out", str(tmp_path / "f.csv")])
    assert r.exit_code == 2
    assert r.stderr.strip() == f"error: {src / 'services.parquet'}: repeated column name(s): type"


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("backend", ["pandas", *PER_CASE_ENGINES])
def test_header_only_cases_table_is_an_empty_run_on_both_paths(
    tmp_path: Path, backend: str, workers: int
) -> None:
    src = _copy(tmp_path)
    header = (src / "cases.csv").read_text(encoding="utf-8").splitlines()[0]
    (src / "cases.csv").write_text(header + "\n", encoding="utf-8")
    r = check_caseload(src, AS_OF, backend=backend, workers=workers)  # type: ignore[arg-type]
    assert r.totals == {"cases_in": 0, "cases_checked": 0, "cases_rejected": 0, "findings": 0} | {
        k: v
        for k, v in r.totals.items()
        if k not in ("cases_in", "cases_checked", "cases_rejected", "findings")
    }
    assert len(r.findings) == 0
