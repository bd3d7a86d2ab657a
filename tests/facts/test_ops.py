"""The operations prototype (``facts.ops``): need facts written once give, per case and
column-wise, exactly the hand-written need facts, and their columns fall out of the definition."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from permanency_rules.conventions import to_day
from permanency_rules.facts import family, ops
from permanency_rules.facts.columns import Scope
from permanency_rules.facts.family import NEED
from tests.columnar.harness import both_ways, synth_folder

from .test_cases import FILES, load

AS_OF = date(2026, 11, 1)


def test_reads_fall_out_of_the_definition() -> None:
    assert {f: ops.NEED_OPS.reads(f) for f in NEED.fields} == {f: NEED.reads(f) for f in NEED.fields}


@pytest.mark.parametrize("days_later", [0, 30, 400])
def test_both_executors_equal_the_hand_written_need_facts(tmp_path: Path, days_later: int) -> None:
    folder = synth_folder(tmp_path, 1500, 4, AS_OF)
    as_of = AS_OF + timedelta(days=days_later)
    both = both_ways(folder, as_of)
    compared = 0
    for case in both.cases.values():
        want = family.need_facts(case, as_of)
        assert ops.need_facts(case, as_of) == want
        compared += len(want)
    assert compared > 1000
    s = Scope.of(both.typed, to_day(as_of))
    pd.testing.assert_frame_equal(ops.need_columns(s), family.need_columns(s))


def test_the_edge_cases_too(tmp_path: Path) -> None:
    cases = [c for p in FILES for c in load(p).cases]
    from tests.columnar.harness import write_cases

    both = both_ways(write_cases(tmp_path, cases), AS_OF)
    for case in both.cases.values():
        assert ops.need_facts(case, AS_OF) == family.need_facts(case, AS_OF)
    s = Scope.of(both.typed, to_day(AS_OF))
    pd.testing.assert_frame_equal(ops.need_columns(s), family.need_columns(s))
