"""The fact registry is derived from the fact modules, and its column dependencies are true.

Each fact field declares the table columns it is derived from (``facts/fields.py``). These tests
hold the declarations to the code both ways: a column a field's values change with must be
declared (drop each column from a caseload and compare the facts), and a declared column must
make the rules reading the field not evaluable for the run when a caseload lacks it.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from permanency_rules.adapters.tables import TABLES, read_arrow
from permanency_rules.caseload import check_caseload
from permanency_rules.clocks import column_clocks
from permanency_rules.clocks.deadline import DeadlineName
from permanency_rules.columnar.typed import type_tables
from permanency_rules.engines.frames import KEY
from permanency_rules.evaluation import resolve_catalogue
from permanency_rules.facts.build import column_facts
from permanency_rules.facts.deadlines import DEFAULTED
from permanency_rules.facts.schema import COLUMN_FACTS, FACT_TYPES, FACTS, READS_BY_NAME, fact_reads
from permanency_rules.language.ir import Literal, Op
from permanency_rules.language.parameters import ParameterSet, load_parameters
from permanency_rules.synth import cases_to_tables

ROOT = Path(__file__).resolve().parents[2]
CASELOAD = ROOT / "fixtures" / "caseload"
FIXTURE_CASES = ROOT / "fixtures" / "cases"
EDGE_CASES = ROOT / "tests" / "cases" / "facts"
AS_OF = date(2026, 11, 1)
#: Fields no table column can change (say why). Deadline fields are declared per deadline.
INDEPENDENT = {"case.id": "always 'case'"}
DECLARED = [(table, c.name) for table, t in TABLES.items() for c in t.columns]


def test_fact_types_are_the_modules_declarations() -> None:
    assert list(FACT_TYPES) == [t.name for t in FACTS]
    assert all(FACT_TYPES[t.name] is t.fields for t in FACTS)


def test_every_field_declares_its_columns() -> None:
    undeclared = [
        f"{t.name}.{name}"
        for t in FACTS
        if t.name != "deadline"
        for name in t.fields
        if not t.reads(name) and f"{t.name}.{name}" not in INDEPENDENT
    ]
    assert not undeclared, f"fields without table columns: {undeclared}"
    assert set(READS_BY_NAME) == set(DeadlineName)
    assert all(READS_BY_NAME.values())
    # the deadline fields read only what each deadline reads (declared per name)
    assert not any(FACT_TYPES["deadline"][f].reads for f in FACT_TYPES["deadline"])


def test_declared_columns_exist() -> None:
    unknown = {c for cols in fact_reads().values() for c in cols} - set(DECLARED)
    assert not unknown


def test_column_facts_is_derived_from_the_declarations() -> None:
    reads = fact_reads()
    assert {(col, f) for col, fs in COLUMN_FACTS.items() for f in fs} == {
        (col, f) for f, cols in reads.items() for col in cols
    }


# --- a column a field changes with is declared ---------------------------------------------


def _facts(folder: Path) -> tuple[dict[str, pd.DataFrame], np.ndarray]:
    t = type_tables(read_arrow(folder))
    params = ParameterSet(load_parameters()).resolve(AS_OF)
    return column_facts(t, column_clocks(t, AS_OF, params), AS_OF), t.routed


def _hand_written_cases() -> list[dict[str, Any]]:
    """The fixture cases (``fixtures/cases``) and the fact edge cases (``tests/cases/facts``):
    they reach branches the generated caseload does not."""
    docs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(FIXTURE_CASES.glob("*.yaml"))]
    edges = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(EDGE_CASES.glob("*.yaml"))]
    return [d["case"] for d in docs] + [c for e in edges for c in e["cases"]]


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled caseload plus the hand-written cases, as one folder of tables."""
    out = tmp_path_factory.mktemp("rich")
    extra = cases_to_tables(_hand_written_cases())
    for name in TABLES:
        path = CASELOAD / f"{name}.csv"
        base = pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else None
        both = extra[name] if base is None else pd.concat([base, extra[name].fillna("")], ignore_index=True)
        both.to_csv(out / f"{name}.csv", index=False)
    return out


def _without(tmp: Path, source: Path, table: str, column: str) -> Path:
    out = tmp / f"{table}.{column}"
    shutil.copytree(source, out)
    path = out / f"{table}.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=[column]).to_csv(path, index=False)
    return out


def _rows(f: pd.DataFrame) -> pd.DataFrame:
    return f.sort_values([KEY, "id"]).reset_index(drop=True)


def _by(f: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    return f[cols].astype(str).sort_values(cols).reset_index(drop=True)


def _changed(full: dict[str, pd.DataFrame], part: dict[str, pd.DataFrame], keep: np.ndarray) -> set[str]:
    """``fact.field`` (and ``deadline:<name>``) whose values differ on the cases in ``keep``."""
    out = set()
    for name, frame in full.items():
        want, got = (_rows(f[np.isin(f[KEY], keep)]) for f in (frame, part[name]))
        if name == "deadline":
            for dl in set(want["name"]) | set(got["name"]):
                if not _rows(want[want["name"] == dl]).equals(_rows(got[got["name"] == dl])):
                    out.add(f"deadline:{dl}")
        elif not want[[KEY, "id"]].equals(got[[KEY, "id"]]):
            rest = [KEY, *(f for f in FACT_TYPES[name] if f != "id")]
            same_rows = len(want) == len(got) and _by(want, rest).equals(_by(got, rest))
            out |= {f"{name}.id"} if same_rows else {f"{name}.{f}" for f in FACT_TYPES[name]}
        else:
            out |= {f"{name}.{f}" for f in FACT_TYPES[name] if not want[f].equals(got[f])}
    return out


@pytest.fixture(scope="module")
def full(rich: Path) -> tuple[dict[str, pd.DataFrame], np.ndarray]:
    return _facts(rich)


@pytest.mark.parametrize(("table", "column"), [d for d in DECLARED if d[1] != "case_id"])
def test_a_field_that_changes_without_a_column_declares_it(
    tmp_path: Path, rich: Path, full: tuple[dict[str, pd.DataFrame], np.ndarray], table: str, column: str
) -> None:
    facts, routed = full
    part, part_routed = _facts(_without(tmp_path, rich, table, column))
    keep = np.flatnonzero(~routed & ~part_routed)
    changed = _changed(facts, part, keep)
    declared = COLUMN_FACTS.get((table, column), set()) | DEFAULTED.get((table, column), set())
    assert changed <= declared, f"{table}.{column} changes undeclared {sorted(changed - declared)}"


# --- a declared column makes the rules reading it not evaluable -----------------------------


def _rules_reading(fields: set[str]) -> set[str]:
    out = set()
    for rule in resolve_catalogue().rules:
        read = {f"case.{t.field}" for t in rule.effective_condition().case_tests}
        for c in rule.condition.clauses:
            read |= {f"{c.fact}.{t.field}" for t in c.tests}
            if c.fact == "deadline":
                read |= {
                    f"deadline:{t.operand.value}"
                    for t in c.tests
                    if t.field == "name" and t.op == Op.EQ and isinstance(t.operand, Literal)
                }
        if read & fields:
            out.add(rule.id)
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 25 cases of the bundled caseload, with their rows."""
    out = tmp_path_factory.mktemp("small")
    cases = pd.read_csv(CASELOAD / "cases.csv", dtype=str, keep_default_na=False)
    ids = set(cases["case_id"].head(25))
    for path in CASELOAD.glob("*.csv"):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        df[df["case_id"].isin(ids)].to_csv(out / path.name, index=False)
    return out


#: Every declared column some rule reads through a field (the others have no rule to blind yet).
READ = sorted(c for c, fields in COLUMN_FACTS.items() if _rules_reading(fields))


def test_most_declared_columns_are_read_by_some_rule() -> None:
    assert len(READ) > 0.7 * len(COLUMN_FACTS)


@pytest.mark.parametrize(("table", "column"), READ)
def test_a_declared_column_makes_its_rules_not_evaluable(
    tmp_path: Path, small: Path, table: str, column: str
) -> None:
    folder = tmp_path / "c"
    shutil.copytree(small, folder)
    path = folder / f"{table}.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=[column]).to_csv(path, index=False)
    wanted = _rules_reading(COLUMN_FACTS[(table, column)])
    if column == "case_id":  # rows that name no case: the whole run refuses the table
        with pytest.raises(ValueError, match=f"{table}.csv: column case_id is missing"):
            check_caseload(folder, AS_OF, rules=sorted(wanted))
        return
    others = [r.id for r in resolve_catalogue().rules if r.id not in wanted][:1]  # read none of it
    result = check_caseload(folder, AS_OF, rules=[*sorted(wanted), *others])
    blind = {r["rule_id"]: r["missing"] for r in result.run_not_evaluable}
    assert wanted <= set(blind), f"{table}.{column}: still evaluated {sorted(wanted - set(blind))}"
    assert not set(others) & set(blind)
    assert not set(result.findings["rule_id"]) & wanted
