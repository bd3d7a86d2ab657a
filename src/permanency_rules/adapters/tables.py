"""A caseload as a folder of tables, one per entity, keyed by ``case_id`` (CSV or Parquet).

Every column is declared here (and documented in docs/tables.md from this list). Columns are
read as strings with pandas/pyarrow, never inferred, then assembled into case dicts; the case
model parses dates, codes and flags, so a bad value becomes an error on that case only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
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
                    "manner_of_removal",
                    "voluntary, court_ordered or not_yet_determined (AFCARS MANREM).",
                    "episode.manner_of_removal",
                ),
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
                C(
                    "relative_notice_exception_date",
                    "Date a family or domestic violence exception to relative notice was documented.",
                    "relative_notice_exception.date",
                ),
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
                C("extended_until", "Trial home visit: end date a court set for an extension."),
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


#: What each optional table feeds. When the table is absent (or misnamed), these fact fields
#: are unknown for the run ("x.*": every field of fact x), so the rules reading them are not
#: evaluable, instead of an empty table passing for "no hearings" and doubling the findings.
#: (``batch.sources`` adds every fact field declared to read one of the table's columns.)
TABLE_FACTS: dict[str, frozenset[str]] = {
    "episodes": frozenset({"case.tpr_months_in_care", "deadline:tpr_petition"}),
    "placements": frozenset(
        {
            "placement.*",
            "case.current_setting",
            "case.in_family_setting",
            "case.in_relative_care",
            "case.on_trial_home_visit",
            "case.tpr_exception_relative_care",
            "case.tpr_months_in_care",
            "deadline:tpr_petition",
            "deadline:trial_home_visit",
        }
    ),
    "goals": frozenset(
        {
            "goal.*",
            "case.appla_like_goal",
            "case.current_primary_goal",
            "case.established_goal_count",
            "case.has_appla_like_goal",
            "case.has_concurrent_goal",
            "case.has_current_goal",
            "case.has_current_primary_goal",
            "case.has_reunification_goal",
            "case.legal_permanency_step",
            "hearing.appla_goal_in_effect",
        }
    ),
    "case_plans": frozenset({"case_plan.*", "parent.in_latest_plan", "deadline:case_plan"}),
    "parents": frozenset(
        {
            "parent.*",
            "case.parent_count",
            "case.parents_reachable",
            "case.parents_rights_intact",
            "case.parents_tpr",
            "deadline:tpr_petition",
        }
    ),
    "needs": frozenset(
        {"need.*", "service.*", "case.parent_services_started", "case.housing_income_services"}
    ),
    "needs_assessments": frozenset({"parent.needs_assessed"}),
    "services": frozenset(
        {
            "service.*",
            "case.parent_services_started",
            "case.housing_income_services",
            "case.post_permanency_services",
        }
    ),
    "hearings": frozenset(
        {
            "hearing.*",
            "case.defc_day",
            "case.months_since_defc",
            "deadline:permanency_hearing",
            "deadline:periodic_review",
            "deadline:reasonable_efforts_finding",
            "deadline:prevent_removal_finding",
            "deadline:tpr_petition",
            "deadline:trial_home_visit",
        }
    ),
    "reviews": frozenset({"deadline:periodic_review"}),
    "caseworker_visits": frozenset({"deadline:caseworker_visit"}),
    "parent_visits": frozenset({"case.days_since_parent_visit", "parent.days_since_visit"}),
    "credit_reports": frozenset({"deadline:credit_report"}),
    "adult_connections": frozenset({"case.adult_connections"}),
    "siblings": frozenset({"sibling.*"}),
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
    #: Optional tables with no file (their rules are not evaluable), and notes on the folder.
    absent_tables: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_pandas(self) -> TableSet:
        frames = {name: t.to_pandas(types_mapper=_text_mapper) for name, t in self.tables.items()}
        return TableSet(frames, self.missing_columns, self.unknown_columns)


def _text_mapper(t: pa.DataType) -> Any:
    return pd.StringDtype("pyarrow") if pa.types.is_string(t) or pa.types.is_large_string(t) else None


#: Arrow's CSV reader splits files into blocks and cannot read a field longer than one; a
#: file that fails so is read again with blocks this large (the default stays fast).
LARGE_BLOCK = 256 << 20
_STRADDLING = "straddling object"


def _read_arrow(path: Path, table: Table) -> pa.Table:
    """The declared columns as strings, never inferred (a CSV's '' is null); unknown columns
    are dropped unread, whatever their type. Errors name the file, never a value."""
    t = _read_parquet(path) if path.suffix == ".parquet" else _read_csv(path)
    names = t.column_names
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"{path}: repeated column name(s): {', '.join(repeated)}")
    declared = {c.name for c in table.columns}
    out = {}
    for n in names:
        if n not in declared:
            out[n] = pa.nulls(len(t), pa.string())  # kept only so the column is noted as unknown
            continue
        col = t[n]
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            if pa.types.is_nested(col.type):  # a list or struct: no text form to check
                raise ValueError(f"{path}: column {n} holds lists or structs; expected text")
            try:
                col = col.cast(pa.string())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                raise ValueError(f"{path}: column {n} holds {col.type}; expected text") from None
        out[n] = col
    return pa.table(out)


def _read_parquet(path: Path) -> pa.Table:
    try:
        names = pq.read_schema(path).names
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:  # the reader would fail with the whole schema in its message
            raise ValueError(f"{path}: repeated column name(s): {', '.join(repeated)}")
        return pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"{path}: cannot read as Parquet ({reason})") from None


def _read_csv(path: Path) -> pa.Table:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:  # a BOM is not part of the name
            names = next(csv.reader(fh), [])
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    except csv.Error:
        raise ValueError(f"{path}: line 1: the header is not a CSV row") from None
    if not names:
        raise ValueError(f"{path}: empty file (no header row)")
    bad: list[str] = []

    def invalid(row: Any) -> str:
        bad.append(row.text)
        return "skip"

    convert = pa_csv.ConvertOptions(
        column_types={n: pa.string() for n in names},
        strings_can_be_null=True,
        null_values=[""],
        quoted_strings_can_be_null=True,
    )
    parse = pa_csv.ParseOptions(invalid_row_handler=invalid)
    try:
        try:
            t = pa_csv.read_csv(path, parse_options=parse, convert_options=convert)
        except pa.ArrowInvalid as exc:
            if _STRADDLING not in str(exc):
                raise
            bad.clear()
            read = pa_csv.ReadOptions(block_size=LARGE_BLOCK)
            t = pa_csv.read_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    except pa.ArrowInvalid as exc:
        raise ValueError(f"{path}: {_csv_reason(str(exc))}") from None
    if bad:
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise ValueError(f"{path}: line {_line_of(path, bad[0])}: malformed CSV row{more}")
    return t


def _csv_reason(message: str) -> str:
    """Arrow's reason without the row text it quotes."""
    if "UTF8" in message or "UTF-8" in message:
        return "not UTF-8 text"
    if _STRADDLING in message:
        return f"a field longer than {LARGE_BLOCK >> 20} MB"
    return message.split(":")[0].strip() or "cannot read as CSV"


def _line_of(path: Path, text: str) -> str:
    """1-based line of a malformed row (Arrow reads in parallel and does not know it)."""
    want = text.encode("utf-8")
    with path.open("rb") as fh:
        for i, line in enumerate(fh, 1):
            if line.rstrip(b"\r\n").removeprefix(b"\xef\xbb\xbf") == want:
                return str(i)
    return "?"


def find_table(folder: Path, name: str) -> Path | None:
    for ext in (".parquet", ".csv"):
        p = folder / f"{name}{ext}"
        if p.exists():
            return p
    return None


#: Files a caseload folder may hold beside its tables: ``synth`` writes its ground truth there.
NOT_TABLES = frozenset({"planted.csv"})


def _folder_notes(folder: Path) -> list[str]:
    """Files that are not tables, and CSV tables a Parquet one shadows."""
    known = {f"{n}{ext}" for n in TABLES for ext in (".parquet", ".csv")} | NOT_TABLES
    notes = [
        f"{p.name}: unknown file ignored (not one of the tables)"
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name not in known and not p.name.startswith(".")
    ]
    notes += [
        f"{n}.csv: ignored, {n}.parquet is read instead"
        for n in TABLES
        if (folder / f"{n}.parquet").exists() and (folder / f"{n}.csv").exists()
    ]
    return notes


def read_arrow(folder: Path) -> ArrowTables:
    if find_table(folder, "cases") is None:
        raise FileNotFoundError(f"{folder}: no cases.csv or cases.parquet")
    tables: dict[str, pa.Table] = {}
    missing: list[tuple[str, str]] = []
    unknown: list[tuple[str, str]] = []
    absent: list[str] = []
    for name, table in TABLES.items():
        path = find_table(folder, name)
        if path is None:
            absent.append(name)
            continue
        t = _read_arrow(path, table)
        declared = {c.name for c in table.columns}
        unknown += [(name, c) for c in t.column_names if c not in declared]
        if "case_id" not in t.column_names:
            raise ValueError(f"{path}: column case_id is missing")
        missing += [(name, c.name) for c in table.columns if c.name not in t.column_names]
        tables[name] = t.select([c.name for c in table.columns if c.name in t.column_names])
    return ArrowTables(tables, missing, unknown, absent, _folder_notes(folder))


def read_tables(folder: Path) -> TableSet:
    return read_arrow(folder).to_pandas()


def _put(target: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for p in parts[:-1]:
        target = target.setdefault(p, {})
    target[parts[-1]] = value


#: Columns holding an id or a reference to one: passed on unstripped (an empty cell is no id),
#: so the case model refuses a padded or blank id as it does in JSON; the column-wise path
#: routes such rows here.
_ID_COLUMNS = frozenset({"id", "need", "parent", "child_id"})


def _row_dict(table: Table, cols: list[Column], values: tuple[Any, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col, v in zip(cols, values, strict=True):
        if v is None or col.name == "case_id" or v is pd.NA or (isinstance(v, float) and v != v):
            continue
        s = str(v).strip()
        if col.name in _ID_COLUMNS and v != "":
            value: Any = str(v)  # as given: the case model judges spaces in an id
        elif s == "":
            continue
        else:
            value = [x.strip() for x in s.split(LIST_SEP) if x.strip()] if col.is_list else s
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
