"""Where a caseload comes from: a folder of tables, JSON Lines, an AFCARS file or an iterable,
as (case_id, raw case) pairs plus the run's notes and the fact fields a missing column leaves
unknown. A later case reusing an earlier case_id is rejected, never merged."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..adapters.afcars import GROUP_COLUMNS as AFCARS_GROUPS
from ..adapters.afcars import UNKNOWN, AfcarsSource, is_afcars
from ..adapters.jsonl import iter_jsonl_cases
from ..adapters.tables import (
    TABLE_FACTS,
    TABLES,
    ArrowTables,
    find_table,
    iter_table_cases,
    orphan_rows,
    read_arrow,
)
from ..conventions import TEXT
from ..facts.schema import COLUMN_FACTS

#: A case id and its data: a case dict (or model), or the text of why it cannot be read.
RawCase = tuple[str, dict[str, Any] | str]
REPEATED_ID = "case_id: the same id as an earlier case"


def table_notes(at: ArrowTables, orphans: dict[str, int]) -> tuple[list[str], dict[str, set[str]]]:
    """Notes on a folder's tables, and the fact fields its missing columns leave unknown."""
    notes = list(at.notes)
    notes += [f"{t}: table absent (no {t}.csv or {t}.parquet)" for t in at.absent_tables]
    notes += [f"{t}.{c}: column missing" for t, c in at.missing_columns]
    notes += [f"{t}.{c}: unknown column ignored" for t, c in at.unknown_columns]
    notes += [f"{t}: {n} row(s) whose case_id is not in cases, ignored" for t, n in orphans.items()]
    unknown = {f"the {t} table": absent_table_fields(t) for t in at.absent_tables}
    return notes, unknown | unknown_fields(at.missing_columns)


def absent_table_fields(table: str) -> set[str]:
    """The fact fields an absent table leaves unknown: ``TABLE_FACTS`` plus every field
    declared to read one of its columns (``facts.schema.COLUMN_FACTS``)."""
    out = set(TABLE_FACTS[table])
    for col in TABLES[table].columns:
        if col.name != "case_id":
            out |= COLUMN_FACTS.get((table, col.name), set())
    return out


AFCARS_NOTES = ["AFCARS record: no case plans, services, hearings or visits"]
AFCARS_UNKNOWN = {"case plans, services, hearings and visits (AFCARS has none)": UNKNOWN}


def afcars_source(source: Any) -> AfcarsSource | None:
    """An AFCARS file, read once for whichever path checks it."""
    if isinstance(source, (str, Path)) and Path(source).is_file() and is_afcars(Path(source)):
        return AfcarsSource(Path(source))
    return None


def per_case_source(source: Any) -> tuple[Iterable[RawCase], list[str], dict[str, set[str]]]:
    """Raw cases, notes, and the fact fields a missing column leaves unknown."""
    if isinstance(source, AfcarsSource):
        return source, AFCARS_NOTES, AFCARS_UNKNOWN
    if isinstance(source, (str, Path)):
        p = Path(source)
        if p.is_dir():
            at = read_arrow(p)
            notes, unknown = table_notes(at, orphan_rows(at))
            return iter_table_cases(at.to_pandas()), notes, unknown
        if p.suffix in (".jsonl", ".ndjson"):
            return iter_jsonl_cases(p), [], {}
        if is_afcars(p):
            return AfcarsSource(p), AFCARS_NOTES, AFCARS_UNKNOWN
        raise ValueError(f"{p}: expected a folder of tables, a .jsonl file or an AFCARS file")
    return (
        (
            (
                str(getattr(c, "case_id", None) or (c.get("case_id") if isinstance(c, dict) else ""))
                or f"item-{i}",
                c,
            )
            for i, c in enumerate(source)
        ),
        [],
        {},
    )


def case_rows(path: Path) -> int:
    """About how many cases a folder (or an AFCARS file) holds, without reading it: the Parquet
    row count, or the lines of a text file (only an estimate: a quoted line break counts too)."""
    table = find_table(path, "cases") if path.is_dir() else path
    if table is None:
        return 0
    try:
        if table.suffix == ".parquet":
            return int(pq.ParquetFile(table).metadata.num_rows)
        lines = 0
        with table.open("rb") as fh:
            while block := fh.read(1 << 20):
                lines += block.count(b"\n")
    except (OSError, pa.ArrowException):  # reading the tables will say what is wrong
        return 0
    return max(lines - 1, 0)


def unique_ids(raw: Iterable[RawCase]) -> Iterator[RawCase]:
    """Later cases that reuse an earlier case_id are rejected, not merged or dropped."""
    seen: set[str] = set()
    for case_id, data in raw:
        if case_id in seen:
            yield case_id, REPEATED_ID
            continue
        seen.add(case_id)
        yield case_id, data


def chunks(it: Iterable[RawCase], size: int) -> Iterator[list[RawCase]]:
    it = iter(it)
    while chunk := list(islice(it, size)):
        yield chunk


def unknown_fields(missing: list[tuple[str, str]]) -> dict[str, set[str]]:
    """The fact fields each missing column leaves unknown (``facts.schema.COLUMN_FACTS``)."""
    return {f"{t}.{c}": COLUMN_FACTS[(t, c)] for t, c in missing if (t, c) in COLUMN_FACTS}


#: Per-case columns every source has, for grouping.
CASE_GROUPS = ("office", "worker_id")


def group_columns(source: Any) -> list[str]:
    """Columns a run over ``source`` can be grouped by, known before any case is read: office
    and worker, the extra columns of a folder's cases table (``supervisor``, ``unit``...), and
    an AFCARS file's state and county."""
    out = list(CASE_GROUPS)
    if isinstance(source, (str, Path)):
        p = Path(source)
        if p.is_dir() and (path := find_table(p, "cases")) is not None:
            declared = {c.name for c in TABLES["cases"].columns}
            out += [c for c in _header(path) if c not in declared]
        elif p.is_file() and is_afcars(p):
            out += list(AFCARS_GROUPS)
    return out


def _header(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        return list(pq.read_schema(path).names)
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return next(csv.reader(fh), [])


def case_table_columns(folder: Path, names: list[str]) -> pd.DataFrame:
    """Extra columns of a folder's cases table, as text (blank is missing), in row order."""
    path = find_table(folder, "cases")
    assert path is not None
    if path.suffix == ".parquet":
        df = pd.read_parquet(path, columns=names)
    else:
        df = pd.read_csv(
            path, usecols=names, dtype="string", keep_default_na=False, na_values=[""], encoding="utf-8-sig"
        )
    df = df.astype(TEXT)
    for c in names:
        text = df[c].str.strip()
        df[c] = text.where(text != "")
    return df[names]
