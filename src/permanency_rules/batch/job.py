"""The work one process does on a chunk of raw cases (per case) or a block of tables
(column-wise, handing unusual cases back to the per-case job)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from ..adapters.tables import ArrowTables
from ..conventions import KEY, SEVERITIES
from ..engines.base import Match
from ..engines.choice import EngineName
from ..engines.frames import FrameEngine, facts_to_frames
from ..evaluation import Plan, case_facts, plan_for
from ..language.catalogue import Catalogue
from ..model.case import Case
from ..model.errors import CaseError, CaseValidationError
from ..model.io import is_text, parse_at
from .blocks import Block, check_block
from .deadlines import fact_rows, raw_frame
from .frames import case_frame, finding_frame
from .sources import RawCase


@dataclass(frozen=True)
class CaseJob:
    """What a chunk needs to be checked, in this process or another one (picklable)."""

    catalogue: Catalogue
    as_of: date
    backend: EngineName
    blind: frozenset[str]

    def run(self, chunk: list[RawCase]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Per-case rows, findings and deadline rows of ``chunk``."""
        plan = plan_for(self.catalogue, self.as_of)
        per_case: list[dict[str, Any]] = []
        good: list[tuple[Case, list[dict[str, Any]], dict[str, Any]]] = []
        for case_id, data in chunk:
            row: dict[str, Any] = {"case_id": case_id, "status": "checked", "errors": ""}
            per_case.append(row)
            try:
                if isinstance(data, str):
                    raise CaseValidationError(case_id, [CaseError("", data)])
                case, later = parse_at(data, self.as_of)
                row["records_after_as_of"] = later
                if case.episode.removal_date > self.as_of:  # not in care yet: nothing to check
                    row.update(office=case.office, worker_id=case.worker_id)
                    row.update(findings=0, **{s: 0 for s in SEVERITIES}, not_evaluable=0)
                    continue
                facts = case_facts(case, plan)
            except CaseValidationError as exc:
                row.update(status="rejected", errors="; ".join(str(e) for e in exc.errors))
                if isinstance(data, dict):
                    row.update({k: v for k in ("office", "worker_id") if _text(v := data.get(k))})
                continue
            row.update(office=case.office, worker_id=case.worker_id)
            good.append((case, facts, row))
        findings: list[dict[str, Any]] = []
        deadlines: list[dict[str, Any]] = []
        matches = match(plan, self.backend, [f for _c, f, _r in good])
        for (case, facts, row), case_matches in zip(good, matches, strict=True):
            not_eval = {n.rule_id for n in plan.not_evaluable(facts[-1])} | self.blind
            found = plan.finding_rows(case_matches, facts, case.case_id, not_eval)
            found.sort(key=lambda f: (f["rule_id"], f["finding_id"]))
            findings += found
            counts = {s: 0 for s in SEVERITIES}
            for f in found:
                counts[f["severity"]] += 1
            row.update(findings=len(found), **counts, not_evaluable=len(not_eval))
            deadlines += fact_rows(case.case_id, facts)
        return case_frame(per_case), finding_frame(findings), raw_frame(deadlines)

    def run_block(self, part: ArrowTables) -> Block:
        """A block of tables, column-wise (cases it cannot take go through ``run``)."""
        return check_block(part, plan_for(self.catalogue, self.as_of), self.blind, self.run)


def _text(value: object) -> bool:
    return isinstance(value, str) and is_text(value)


def match(plan: Plan, backend: EngineName, facts: list[list[dict[str, Any]]]) -> list[list[Match]]:
    if backend != "pandas":
        engine = plan.engine(backend)
        return [engine.match_case(f) for f in facts]
    frame_engine = plan.engine("pandas")
    assert isinstance(frame_engine, FrameEngine)
    out: list[list[Match]] = [[] for _ in facts]
    if not facts:
        return out
    frames = facts_to_frames(facts)
    for rule_id, df in frame_engine.match_frames(frames).items():
        aliases = [c for c in df.columns if c != KEY]
        for row in df.itertuples(index=False, name=None):
            out[row[0]].append(Match(rule_id, tuple(zip(aliases, (str(x) for x in row[1:]), strict=True))))
    return [sorted(set(m)) for m in out]
