"""Findings rendered column-wise (``outputs.findings_columns``) equal the per-case ``finding_row``."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from permanency_rules.conventions import FINDING_COLUMNS, KEY
from permanency_rules.engines.base import Match
from permanency_rules.engines.frames import FrameEngine, facts_to_frames
from permanency_rules.evaluation import case_facts, plan_for, resolve_catalogue
from permanency_rules.model.io import parse_and_check
from permanency_rules.outputs.findings_columns import rule_findings
from permanency_rules.synth import synth_cases

COLUMNS = FINDING_COLUMNS


def _both(n: int, seed: int, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    plan = plan_for(resolve_catalogue(), as_of)
    cases = [parse_and_check(c, as_of) for c in synth_cases(n, as_of - timedelta(days=seed % 40), seed=seed)]
    facts = [case_facts(c, plan) for c in cases]
    frames = facts_to_frames(facts)
    engine = plan.engine("pandas")
    assert isinstance(engine, FrameEngine)
    case_ids = np.array([c.case_id for c in cases], dtype=object)
    column = []
    reference = []
    for rule_id, matches in engine.match_frames(frames, rows=True).items():
        if matches.empty:
            continue
        rule = plan.catalogue.rule(rule_id)
        column.append(rule_findings(rule, matches, frames, case_ids, plan.params).drop(columns=KEY))
        aliases = [c for c in matches.columns if c != KEY and "@" not in c]
        for row in matches[[KEY, *aliases]].itertuples(index=False, name=None):
            m = Match(rule_id, tuple(zip(aliases, (str(x) for x in row[1:]), strict=True)))
            reference += plan.finding_rows([m], facts[row[0]], cases[row[0]].case_id, set())
    ref = pd.DataFrame(reference, columns=COLUMNS)
    col = pd.concat(column, ignore_index=True)[COLUMNS]
    return _normal(col), _normal(ref)


def _normal(df: pd.DataFrame) -> pd.DataFrame:
    out = df.astype({c: object for c in COLUMNS if c != "rule_version"} | {"rule_version": "int64"}).copy()
    out["due_date"] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in out["due_date"]]
    out["deadline"] = [None if pd.isna(d) else d for d in out["deadline"]]
    return out.sort_values(["case_id", "rule_id", "finding_id"]).reset_index(drop=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_column_findings_match_per_case_rows(seed: int) -> None:
    col, ref = _both(1500, seed, date(2026, 6, 1))
    assert len(ref) > 500  # the synthetic caseload plants problems: the test has teeth
    assert set(ref["status"]) >= {"flagged", "overdue", "due_soon"}
    pd.testing.assert_frame_equal(col, ref)
