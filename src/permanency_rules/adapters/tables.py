"""A caseload as a folder of tables, one per entity, keyed by ``case_id`` (CSV or Parquet).

Every column is declared here (and documented in docs/tables.md from this list). Columns are
read as strings with pandas/pyarrow, never inferred, then assembled into case dicts; the case
model parses dates, codes and flags, so a bad value becomes an error on that case only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pyarrow import csv as pa_csv

LIST_SEP = ";"


@dataclass(frozen=True)
class Column:
    name: str
    doc: str
    field: str | None = None  # case-model field it fills (default: same name)
    is_list: bool = False
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    target: str  # where rows go in the case dict: "" for the case itself, else a list key
    columns: tuple[Column, ...]
    #: An absent file means "not recorded", not "none": its columns count as missing, so the
    #: facts read from them are unknown (a source with no assessments table has not said that
    #: no parent was assessed).
    absent_is_unknown: bool = False


def C(
    name: str, doc: str, field: str | None = None, *, is_list: bool = False, required: bool = False
) -> Column:
    return Column(name, doc, field, is_list, required)


_KEY = C("case_id", "Case id; joins every table to cases.", required=True)
_ID = C("id", "Row id, unique within the case (optional; derived from content if empty).")

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "cases",
            "One row per case: the child, the current episode and one-off records.",
            "",
            (
                _KEY,
                C("office", "Office (for grouping)."),
                C("worker_id", "Worker id (for grouping)."),
                C("child_id", "Pseudonymous child id.", "child.id"),
                C("birth_date", "Child's birth date.", "child.birth_date"),
                C(
                    "removal_date",
                    "Removal date of the current episode.",
                    "episode.removal_date",
                    required=True,
                ),
                C(
                    "first_adjudication_date",
                    "First abuse/neglect adjudication.",
                    "episode.first_adjudication_date",
                ),
                C("discharge_date", "Discharge date.", "episode.discharge_date"),
                C("discharge_reason", "Discharge reason code.", "episode.discharge_reason"),
                C(
                    "removal_reasons",
                    "Removal reason codes, ';'-separated.",
                    "episode.removal_reasons",
                    is_list=True,
                ),
                C("tpr_petition_date", "TPR petition filed or joined.", "tpr.petition_date"),
                C("tpr_exception", "Documented TPR exception code.", "tpr.exception"),
                C("tpr_exception_date", "Date the exception was documented.", "tpr.exception_date"),
                C("relative_notice_date", "Date relatives were notified.", "relative_notice.date"),
                C("transition_plan_date", "Date of the transition plan.", "transition_plan.date"),
                C("mentor_start_date", "Mentor relationship start.", "mentor.start_date"),
                C("mentor_end_date", "Mentor relationship end.", "mentor.end_date"),
            ),
        ),
        Table(
            "episodes",
            "Earlier removal episodes (re-entries).",
            "prior_episodes",
            (
                _KEY,
                C("removal_date", "Removal date.", required=True),
                C("first_adjudication_date", "First adjudication."),
                C("discharge_date", "Discharge date."),
                C("discharge_reason", "Discharge reason code."),
            ),
        ),
        Table(
            "placements",
            "Placements of the current episode.",
            "placements",
            (
                _KEY,
                _ID,
                C("setting", "Placement setting code.", required=True),
                C("start_date", "Start date.", required=True),
                C("end_date", "End date."),
                C("relative", "Caregiver is a relative (true/false)."),
            ),
        ),
        Table(
            "goals",
            "Permanency goal history.",
            "goals",
            (
                _KEY,
                _ID,
                C("type", "Goal code.", required=True),
                C("role", "primary or concurrent."),
                C("start_date", "Start date.", required=True),
                C("end_date", "End date."),
                C("target_date", "Target date."),
            ),
        ),
        Table(
            "case_plans",
            "Case plan versions.",
            "case_plans",
            (
                _KEY,
                _ID,
                C("date", "Plan date.", required=True),
                C("components", "Components present, ';'-separated.", is_list=True),
                C("participants", "Who took part, ';'-separated.", is_list=True),
            ),
        ),
        Table(
            "parents",
            "Parents.",
            "parents",
            (
                _KEY,
                _ID,
                C("role", "mother or father.", required=True),
                C("rights_terminated_date", "Date parental rights were terminated."),
                C("deceased", "true/false."),
                C("whereabouts_unknown_since", "Date since which whereabouts are unknown."),
                C("diligent_search_completed_date", "Date a diligent search was completed."),
                C("incarcerated", "true/false."),
            ),
        ),
        Table(
            "needs",
            "Needs of the child, parents and caregivers.",
            "needs",
            (
                _KEY,
                C("id", "Need id (required: services point to it).", required=True),
                C("whose", "child, mother, father or caregiver.", required=True),
                C("domain", "Need domain code.", required=True),
                C("identified_date", "Date identified.", required=True),
                C("resolved_date", "Date resolved."),
            ),
        ),
        Table(
            "needs_assessments",
            "Needs assessments per party, initial and ongoing.",
            "needs_assessments",
            (
                _KEY,
                _ID,
                C("party", "child, mother, father or caregiver.", required=True),
                C("date", "Date completed.", required=True),
                C("kind", "initial or ongoing."),
            ),
            absent_is_unknown=True,
        ),
        Table(
            "services",
            "Services, each answering one need.",
            "services",
            (
                _KEY,
                _ID,
                C("need", "Id of the need it answers.", required=True),
                C("type", "Service type code.", required=True),
                C("status", "Service status code.", required=True),
                C("referred_date", "Referral date.", required=True),
                C("started_date", "Start date."),
                C("ended_date", "End date."),
                C("trauma_informed", "true/false."),
            ),
        ),
        Table(
            "hearings",
            "Court hearings, held or scheduled.",
            "hearings",
            (
                _KEY,
                _ID,
                C("type", "Hearing type code.", required=True),
                C("date", "Hearing date.", required=True),
                C("scheduled", "true if not yet held."),
                C("findings", "Judicial finding codes, ';'-separated.", is_list=True),
                C(
                    "appla_intensive_family_finding",
                    "675a(a)(1) documented.",
                    "appla_documentation.intensive_family_finding",
                ),
                C("appla_child_asked", "675a(a)(2)(A) documented.", "appla_documentation.child_asked"),
                C(
                    "appla_compelling_reasons",
                    "675a(a)(2)(B) documented.",
                    "appla_documentation.compelling_reasons",
                ),
                C("appla_normalcy", "675a(a)(3) documented.", "appla_documentation.normalcy"),
                C(
                    "efforts_not_required_ground",
                    "Ground of a reasonable_efforts_not_required finding (671(a)(15)(D) code).",
                ),
            ),
        ),
        Table(
            "reviews",
            "Periodic reviews, court or administrative.",
            "reviews",
            (
                _KEY,
                _ID,
                C("type", "court or administrative.", required=True),
                C("date", "Review date.", required=True),
                C("scheduled", "true if not yet held."),
            ),
        ),
        Table(
            "caseworker_visits",
            "Caseworker visits with the child.",
            "caseworker_visits",
            (
                _KEY,
                _ID,
                C("date", "Visit date.", required=True),
                C("in_residence", "true/false."),
            ),
        ),
        Table(
            "parent_visits",
            "Parent-child visits.",
            "parent_visits",
            (
                _KEY,
                _ID,
                C("parent", "Parent id."),
                C("date", "Visit date.", required=True),
            ),
        ),
        Table(
            "credit_reports",
            "Consumer credit reports obtained for the youth.",
            "credit_reports",
            (
                _KEY,
                C("date", "Report date.", required=True),
            ),
        ),
        Table(
            "adult_connections",
            "Lasting adult connections.",
            "adult_connections",
            (
                _KEY,
                _ID,
                C("kind", "Connection kind code.", required=True),
                C("since", "Since when."),
            ),
        ),
        Table(
            "siblings",
            "Siblings and whether they are placed together.",
            "siblings",
            (
                _KEY,
                _ID,
                C("in_care", "true/false."),
                C("placed_together", "true/false."),
                C("contact_plan", "true/false."),
                C("contact_contraindicated", "true/false."),
            ),
        ),
    ]
}


@dataclass
class TableSet:
    """The tables of one caseload folder, read as strings, plus the columns found missing."""

    frames: dict[str, pd.DataFrame]
    missing_columns: list[tuple[str, str]]
    unknown_columns: list[tuple[str, str]]


@dataclass
class ArrowTables:
    """The same tables as Arrow string columns: the column-wise path reads these directly."""

    tables: dict[str, pa.Table]
    missing_columns: list[tuple[str, str]]
    unknown_columns: list[tuple[str, str]]

    def to_pandas(self) -> TableSet:
        frames = {name: t.to_pandas(types_mapper=_text_mapper) for name, t in self.tables.items()}
        return TableSet(frames, self.missing_columns, self.unknown_columns)


def _text_mapper(t: pa.DataType) -> Any:
    return pd.StringDtype("pyarrow") if pa.types.is_string(t) or pa.types.is_large_string(t) else None


def _read_arrow(path: Path, table: Table) -> pa.Table:
    """Every column as strings, never inferred (a CSV's '' is null)."""
    if path.suffix == ".parquet":
        t = pq.read_table(path)
    else:
        with path.open(newline="", encoding="utf-8") as fh:
            names = next(csv.reader(fh), [])
        t = pa_csv.read_csv(
            path,
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
    return pa.table({n: t[n].cast(pa.string()) for n in t.column_names})


def find_table(folder: Path, name: str) -> Path | None:
    for ext in (".parquet", ".csv"):
        p = folder / f"{name}{ext}"
        if p.exists():
            return p
    return None


def read_arrow(folder: Path) -> ArrowTables:
    if find_table(folder, "cases") is None:
        raise FileNotFoundError(f"{folder}: no cases.csv or cases.parquet")
    tables: dict[str, pa.Table] = {}
    missing: list[tuple[str, str]] = []
    unknown: list[tuple[str, str]] = []
    for name, table in TABLES.items():
        path = find_table(folder, name)
        if path is None:
            if table.absent_is_unknown:
                missing += [(name, c.name) for c in table.columns if c.name != "case_id"]
            continue
        t = _read_arrow(path, table)
        declared = {c.name for c in table.columns}
        unknown += [(name, c) for c in t.column_names if c not in declared]
        if "case_id" not in t.column_names:
            raise ValueError(f"{path.name}: column case_id is missing")
        missing += [(name, c.name) for c in table.columns if c.name not in t.column_names]
        tables[name] = t.select([c.name for c in table.columns if c.name in t.column_names])
    return ArrowTables(tables, missing, unknown)


def read_tables(folder: Path) -> TableSet:
    return read_arrow(folder).to_pandas()


def _put(target: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for p in parts[:-1]:
        target = target.setdefault(p, {})
    target[parts[-1]] = value


def _row_dict(table: Table, cols: list[Column], values: tuple[Any, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col, v in zip(cols, values, strict=True):
        if v is None or col.name == "case_id" or v is pd.NA or (isinstance(v, float) and v != v):
            continue
        s = str(v).strip()
        if s == "":
            continue
        value: Any = [x.strip() for x in s.split(LIST_SEP) if x.strip()] if col.is_list else s
        target = col.field or col.name
        if "." in target:
            _put(out, target, value)
        else:
            out[target] = value
    return out


def _rows(df: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    """Rows as tuples of Python values (None for missing), converted column by column in C."""
    return zip(*(df[c].array.to_numpy(dtype=object, na_value=None).tolist() for c in df.columns), strict=True)


def iter_table_cases(ts: TableSet, batch: int = 2000) -> Iterator[tuple[str, dict[str, Any]]]:
    """(case_id, case dict) for every row of ``cases``, with its rows from the other tables.

    Streams: each table's rows are ordered once by the position of their case in ``cases``,
    then taken a batch of cases at a time, so memory does not grow with the caseload. Rows
    whose case_id is not in ``cases`` are ignored here and counted by ``orphan_rows``.
    """
    cases = ts.frames["cases"]
    ids = cases["case_id"]
    categories = pd.Index(ids.dropna().unique())
    tables = []
    for name, df in ts.frames.items():
        if name == "cases":
            continue
        codes = categories.get_indexer(df["case_id"])  # -1: no such case
        order = np.argsort(codes, kind="stable")
        table = TABLES[name]
        cols = [c for c in table.columns if c.name in df.columns]
        tables.append((table, cols, df[[c.name for c in cols]], codes[order], order))
    table = TABLES["cases"]
    cols = [c for c in table.columns if c.name in cases.columns]
    position = {cid: i for i, cid in enumerate(categories)}
    for start in range(0, len(cases), batch):
        part = cases.iloc[start : start + batch]
        first = {cid: position[cid] for cid in part["case_id"].dropna()}
        lo_code = min(first.values(), default=0)
        hi_code = max(first.values(), default=-1) + 1
        grouped: dict[int, dict[str, list[dict[str, Any]]]] = {}
        for tab, tcols, df, sorted_codes, order in tables:
            lo, hi = np.searchsorted(sorted_codes, [lo_code, hi_code])
            rows = df.iloc[order[lo:hi]]
            for code, values in zip(
                sorted_codes[lo:hi], rows.itertuples(index=False, name=None), strict=True
            ):
                grouped.setdefault(int(code), {}).setdefault(tab.target, []).append(
                    _row_dict(tab, tcols, values)
                )
        for values in _rows(part[[c.name for c in cols]]):
            case_id = "" if values[0] is None else str(values[0])
            case = _row_dict(table, cols, values)
            case["case_id"] = case_id
            case.setdefault("child", {})
            case.update(grouped.get(position.get(case_id, -1), {}) if case_id else {})
            yield case_id, case


def orphan_rows(at: ArrowTables) -> dict[str, int]:
    """Rows per table whose case_id is not in ``cases`` (they are ignored)."""
    ids = at.tables["cases"]["case_id"]
    out = {}
    for name, t in at.tables.items():
        if name != "cases":
            n = (
                len(t) - pc.sum(pc.fill_null(pc.is_in(t["case_id"], value_set=ids), False)).as_py()
                if len(t)
                else 0
            )
            if n:
                out[name] = int(n)
    return out
