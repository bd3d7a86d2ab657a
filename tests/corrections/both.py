"""One case through both clock paths: per case (``compute_clocks``) and column-wise
(``column_clocks`` over the case written as tables); the two must agree on every deadline."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from permanency_rules.clocks import Clocks, Deadline, DeadlineName, column_clocks, compute_clocks
from permanency_rules.evaluation import plan_for, resolve_catalogue
from permanency_rules.model.io import parse_and_check
from tests.columnar.harness import both_ways, reference_clocks, write_cases


def params_on(as_of: date, **overrides: int) -> dict[str, int]:
    return {**plan_for(resolve_catalogue(), as_of).params, **overrides}


def case(case_id: str, removal: str, **parts: Any) -> dict[str, Any]:
    episode = {"removal_date": removal, **parts.pop("episode", {})}
    child = parts.pop("child", {"birth_date": "2012-06-15"})
    return {"case_id": case_id, "child": child, "episode": episode, **parts}


def clocks_both(data: dict[str, Any], as_of: date, **overrides: int) -> Clocks:
    """The per-case clocks, after checking the column-wise ones equal them."""
    params = params_on(as_of, **overrides)
    reference = compute_clocks(parse_and_check(data, as_of), as_of, params)
    with tempfile.TemporaryDirectory() as tmp:
        both = both_ways(write_cases(Path(tmp), [data]), as_of)
        assert both.cases, "the case is valid on as_of"
        assert not both.typed.routed.any(), "canonical data: the case takes the column-wise path"
        got = column_clocks(both.typed, as_of, params).deadlines.reset_index(drop=True)
    want = reference_clocks(both.cases, as_of, params).deadlines
    assert got.astype(object).where(got.notna(), None).to_dict("records") == want.astype(object).where(
        want.notna(), None
    ).to_dict("records")
    return reference


def deadline(
    data: dict[str, Any], as_of: date, name: DeadlineName, subject: str | None = None, **o: int
) -> Deadline:
    found = [d for d in clocks_both(data, as_of, **o).deadlines if d.name is name and d.subject == subject]
    assert len(found) == 1, found
    return found[0]
