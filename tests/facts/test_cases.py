"""Fact edge cases as data: every ``tests/cases/facts/*.yaml`` file run through both paths.

A file holds cases (as case documents), the ``as_of`` dates to evaluate them on, and hand-checked
``expect`` entries: fact values (``null``: the field is missing), the fact ids of a type, facts
that must not exist, and which cases the column-wise path routes to the per-case path or the
per-case path rejects. For each file and date, the facts ``build_facts`` builds case by case and
the frames ``column_facts`` builds for all the file's cases at once must be equal and must both
meet every expectation; then all files' cases are run together as one caseload.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from permanency_rules.clocks import compute_clocks
from permanency_rules.conventions import KEY
from permanency_rules.facts.build import build_facts, column_facts
from permanency_rules.facts.schema import FACT_TYPES
from permanency_rules.model.case import Case
from permanency_rules.model.io import parse_at, parse_case
from tests.columnar.harness import both_ways, reference_clocks, write_cases

from .test_column_facts import PARAMS, assert_same_facts

CASES = Path(__file__).resolve().parents[1] / "cases" / "facts"
FILES = sorted(CASES.glob("*.yaml"))


@dataclass
class Expect:
    routed: set[str] = field(default_factory=set)
    rejected: set[str] = field(default_factory=set)
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)  # case id -> fact id -> values
    fact_ids: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # case -> type -> ids
    absent: dict[str, set[str]] = field(default_factory=dict)  # case id -> fact ids


@dataclass
class CaseFile:
    name: str
    cases: list[dict[str, Any]]
    as_of: list[date]
    expect: dict[date, Expect]


def _day(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def load(path: Path) -> CaseFile:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(doc) <= {"as_of", "cases", "expect"}, f"{path.name}: unknown keys"
    cases = doc["cases"]
    ids = [c["case_id"] for c in cases]
    assert len(set(ids)) == len(ids), f"{path.name}: repeated case id"
    only = ids[0] if len(ids) == 1 else None
    expect: dict[date, Expect] = {}
    for e in doc.get("expect", []):
        assert set(e) <= {"as_of", "case", "routed", "rejected", "facts", "fact_ids", "absent"}, path.name
        x = expect.setdefault(_day(e["as_of"]), Expect())
        case = e.get("case", only)
        x.routed |= set(e.get("routed", []))
        x.rejected |= set(e.get("rejected", []))
        if "facts" in e:
            x.facts.setdefault(case, {}).update(e["facts"])
        if "fact_ids" in e:
            x.fact_ids.setdefault(case, {}).update({t: set(v) for t, v in e["fact_ids"].items()})
        if "absent" in e:
            x.absent.setdefault(case, set()).update(e["absent"])
    return CaseFile(path.stem, cases, [_day(d) for d in doc["as_of"]], expect)


def _per_case(case: Case, as_of: date) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in build_facts(case, compute_clocks(case, as_of, PARAMS))}


def _from_frames(frames: Mapping[str, pd.DataFrame], key: int) -> dict[str, dict[str, Any]]:
    """The facts of one case read back from column frames: missing values left out, as the
    per-case facts leave them out."""
    out = {}
    for t, frame in frames.items():
        for row in frame[frame[KEY] == key].to_dict("records"):
            fact = {k: _plain(v) for k, v in row.items() if k != KEY and not pd.isna(v)}
            out[fact["id"]] = {"t": t, **fact}
    return out


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _meets(facts: dict[str, dict[str, Any]], case: str, x: Expect, how: str) -> None:
    for fid, values in x.facts.get(case, {}).items():
        assert fid in facts, f"{how}: {case} has no fact {fid}"
        got = {k: facts[fid].get(k) for k in values}
        assert got == values, f"{how}: {case} {fid}"
    for t, ids in x.fact_ids.get(case, {}).items():
        assert {i for i, f in facts.items() if f["t"] == t} == ids, f"{how}: {case} {t} ids"
    for fid in x.absent.get(case, set()):
        assert fid not in facts, f"{how}: {case} should have no {fid}"


def check(cases: list[dict[str, Any]], as_of: date, x: Expect, tmp: Path) -> None:
    both = both_ways(write_cases(tmp, cases), as_of)
    ids = [c["case_id"] for c in cases]
    assert {ids[k] for k in np.flatnonzero(both.typed.routed)} == x.routed
    assert {ids[k] for k in both.rejected} == x.rejected
    # a rejected case the column-wise path takes is compared on facts built without the date check
    # a case with records after as_of (R19) is evaluated per case as it stood on as_of; the
    # column-wise facts of its raw tables are compared with the per-case facts of the raw case
    later = {k for k in both.cases if parse_at(cases[k], as_of)[1]}
    taken = {
        k: both.cases[k] if k in both.cases and k not in later else parse_case(cases[k])
        for k in range(len(cases))
        if not both.typed.routed[k]
    }
    frames = column_facts(both.typed, reference_clocks(taken, as_of, PARAMS), as_of)
    assert set(frames) == set(FACT_TYPES)
    assert_same_facts(taken, frames, as_of)
    for frame in frames.values():
        assert not frame[KEY].isin(np.flatnonzero(both.typed.routed)).any()
    for k, case in taken.items():
        per_case = _per_case(both.cases.get(k, case), as_of)
        _meets(per_case, ids[k], x, "per case")
        if k not in later:
            _meets(_from_frames(frames, k), ids[k], x, "column-wise")


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_case_file(tmp_path: Path, path: Path) -> None:
    f = load(path)
    assert set(f.expect) <= set(f.as_of), f"{path.name}: expectations for a date not evaluated"
    for i, as_of in enumerate(f.as_of):
        check(f.cases, as_of, f.expect.get(as_of, Expect()), tmp_path / str(i))


def test_every_file_has_expectations() -> None:
    assert len(FILES) >= 20
    assert all(load(p).expect for p in FILES)


@pytest.mark.parametrize("as_of", sorted({d for p in FILES for d in load(p).as_of}))
def test_all_files_as_one_caseload(tmp_path: Path, as_of: date) -> None:
    """Every file's cases in one caseload: no case's facts depend on the other cases."""
    files = [f for f in map(load, FILES) if as_of in f.as_of]
    merged = Expect()
    for f in files:
        x = f.expect.get(as_of, Expect())
        merged.routed |= x.routed
        merged.rejected |= x.rejected
        merged.facts.update(x.facts)
        merged.fact_ids.update(x.fact_ids)
        merged.absent.update(x.absent)
    check([c for f in files for c in f.cases], as_of, merged, tmp_path)
