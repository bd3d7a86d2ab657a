"""Item 2 of issue 10: random corruptions of a caseload never end in a traceback.

Each example corrupts a small synthetic caseload (drop or rename a table or column, inject a
bad value, truncate a Parquet file, add a BOM, append a malformed row, repeat a case) and runs
``check``. It must end with exit 0 or 2; on 0 the per-case table holds every input row once and
the totals reconcile with the input's case ids; on 2 the error is one line and no output file
(complete or partial) is left. Bounded for CI: a dozen cases, 40 examples, no deadline and no
timing assertions; ``FUZZ_EXAMPLES=500`` runs a longer search locally.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from permanency_rules.adapters.tables import TABLES
from permanency_rules.cli import app
from permanency_rules.outputs.tables import read_table
from permanency_rules.synth import synth_cases, write_caseload
from tests.conftest import PER_CASE_ENGINES

runner = CliRunner()
AS_OF = date(2026, 11, 1)
NAMES = sorted(TABLES)
BAD_VALUES = [
    "",
    " ",
    " C0000001",
    "0001-01-01",
    "9999-12-31",
    "2020-02-30",
    "2020-02-11T00:00:00Z",
    "yes",
    "1.0",
    "-1",
    "9" * 5000,
    "[/x]",
    ":fire:",
    "\x1b]0;HACKED\x07",
    '=HYPERLINK("http://evil","x")',
    "Jane, Doe",
    'a "quoted" value',
    "é" * 300,
    "A" * 200_000,
]
OUTPUTS = ("f.csv", "k.csv", "s.parquet")


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    cases = list(synth_cases(12, AS_OF, seed=7))
    out = {}
    for fmt in ("csv", "parquet"):
        folder = tmp_path_factory.mktemp(f"base-{fmt}")
        write_caseload(cases, folder, fmt)
        out[fmt] = folder
    return out


corruption = st.one_of(
    st.tuples(st.just("drop_table"), st.sampled_from(NAMES)),
    st.tuples(st.just("rename_table"), st.sampled_from(NAMES)),
    st.tuples(st.just("drop_column"), st.sampled_from(NAMES), st.integers(0, 20)),
    st.tuples(st.just("rename_column"), st.sampled_from(NAMES), st.integers(0, 20)),
    st.tuples(
        st.just("bad_value"),
        st.sampled_from(NAMES),
        st.integers(0, 20),
        st.integers(0, 50),
        st.sampled_from(BAD_VALUES),
    ),
    st.tuples(st.just("truncate"), st.sampled_from(NAMES), st.floats(0.0, 0.95)),
    st.tuples(st.just("bom"), st.sampled_from(NAMES)),
    st.tuples(st.just("malformed_row"), st.sampled_from(NAMES)),
    st.tuples(st.just("repeat_case"), st.integers(0, 11)),
)


def _file(folder: Path, name: str) -> Path | None:
    for ext in (".parquet", ".csv"):
        if (folder / f"{name}{ext}").exists():
            return folder / f"{name}{ext}"
    return None


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pandas().astype(str)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _write(df: pd.DataFrame, path: Path) -> None:
    if path.suffix == ".parquet":
        df.to_parquet(path, index=False)
    else:
        df.to_csv(path, index=False)


def _corrupt(folder: Path, how: tuple[object, ...]) -> None:
    kind = how[0]
    path = _file(folder, "cases" if kind == "repeat_case" else str(how[1]))
    if path is None:
        return
    if kind == "drop_table":
        path.unlink()
    elif kind == "rename_table":
        path.rename(path.with_name(path.stem.rstrip("s") + path.suffix))
    elif kind == "truncate" and path.suffix == ".parquet":
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * float(how[2]))])  # type: ignore[arg-type]
    elif kind == "bom" and path.suffix == ".csv":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    elif kind == "malformed_row" and path.suffix == ".csv":
        with path.open("a", encoding="utf-8") as fh:
            fh.write('X1,"unterminated, row\n')
    elif kind in ("drop_column", "rename_column", "bad_value", "repeat_case"):
        try:
            df = _read(path)
        except (pa.ArrowException, pd.errors.ParserError):  # truncated or malformed by an earlier
            return  # corruption: it stays so
        if kind == "repeat_case":
            df = pd.concat([df, df.iloc[[int(how[1]) % len(df)]]], ignore_index=True)  # type: ignore[call-overload]
        else:
            col = df.columns[int(how[2]) % len(df.columns)]  # type: ignore[call-overload]
            if kind == "drop_column":
                df = df.drop(columns=col)
            elif kind == "rename_column":
                df = df.rename(columns={col: col.upper()})
            elif len(df):
                df.loc[int(how[3]) % len(df), col] = how[4]  # type: ignore[call-overload]
        _write(df, path)


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fmt=st.sampled_from(["csv", "parquet"]),
    corruptions=st.lists(corruption, min_size=1, max_size=3),
    backend=st.sampled_from(["pandas", "pandas", PER_CASE_ENGINES[0]]),
)
def test_corrupted_caseloads_end_cleanly(
    bases: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
    fmt: str,
    corruptions: list,
    backend: str,
) -> None:
    work = tmp_path_factory.mktemp("fuzz")
    folder = work / "in"
    shutil.copytree(bases[fmt], folder)
    for how in corruptions:
        _corrupt(folder, how)
    out = work / "out"
    out.mkdir()
    args = ["check", str(folder), "--as-of", "2026-11-01", "--quiet", "--backend", backend]
    for flag, name in zip(("--out", "--cases", "--summary"), OUTPUTS, strict=True):
        args += [flag, str(out / name)]
    r = runner.invoke(app, args)
    assert r.exception is None or isinstance(r.exception, SystemExit), (corruptions, repr(r.exception))
    assert r.exit_code in (0, 2), (corruptions, r.output)
    written = sorted(p.name for p in out.iterdir())
    if r.exit_code == 2:
        assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1, r.stderr
        assert written == [], written  # no output, whole or partial
        return
    assert written == sorted(OUTPUTS), written  # no temporary file left behind
    cases_path = _file(folder, "cases")
    assert cases_path is not None
    ids = _read(cases_path)["case_id"].tolist()
    per_case = read_table(out / "k.csv").fillna("")  # undoes the CSV formula quoting
    assert per_case["case_id"].tolist() == ids  # every input row once, in input order
    checked = per_case["status"].eq("checked")
    assert set(per_case.loc[checked, "case_id"]) <= set(ids) and per_case.loc[checked, "case_id"].is_unique
    lines = [line for line in r.stdout.splitlines() if line.startswith("cases in:")]
    assert lines == [
        f"cases in: {len(ids)}  checked: {int(checked.sum())}  rejected: {int((~checked).sum())}  "
        f"findings: {len(pd.read_csv(out / 'f.csv'))}"
    ]
    findings = read_table(out / "f.csv").fillna("")
    assert set(findings["case_id"]) <= set(per_case.loc[checked, "case_id"])
