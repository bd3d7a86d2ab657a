"""The interface both engines implement: facts in, matches out.

A match is ``(rule_id, ((alias, fact_id), ...))`` for the aliases a rule binds (the case fact
is always bound as ``case``). Findings, messages and ids are built from matches by
``outputs.findings``, once, for both engines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..language.ir import Condition

Fact = dict[str, Any]
Binding = tuple[tuple[str, str], ...]


@dataclass(frozen=True, order=True)
class Match:
    rule_id: str
    binding: Binding


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to compile: its id and its condition with parameters bound."""

    rule_id: str
    condition: Condition


class Engine(Protocol):
    name: str

    def match_case(self, facts: Sequence[Fact]) -> list[Match]:
        """All matches for one case's facts (the case fact is last)."""
        ...
