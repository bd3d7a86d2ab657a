"""A loaded rule: its metadata, its parsed condition and its exceptions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .ir import Condition, Test
from .spec import ExceptionSpec, RuleSpec, Status

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\}")


@dataclass(frozen=True)
class RuleException:
    spec: ExceptionSpec
    test: Test  # the case test that, when true, excuses the case


@dataclass(frozen=True)
class Rule:
    spec: RuleSpec
    condition: Condition
    exceptions: tuple[RuleException, ...]
    source: Path
    examples: tuple[Path, ...] = field(default=())

    @property
    def id(self) -> str:
        return self.spec.id

    def in_force(self, as_of: date) -> bool:
        s = self.spec
        if s.status != Status.ACTIVE or as_of < s.effective_from:
            return False
        return s.effective_to is None or as_of <= s.effective_to

    def effective_condition(self) -> Condition:
        """The condition with each exception folded in as 'and not <exception>'.

        Exceptions test a field every case fact carries, so negating the test is exact."""
        extra = tuple(e.test.negated() for e in self.exceptions)
        return Condition(self.condition.case_tests + extra, self.condition.clauses)

    def deadline_alias(self) -> str | None:
        """Alias of the first deadline fact the rule binds (timeline rules report it)."""
        return next((c.alias for c in self.condition.clauses if c.fact == "deadline" and c.alias), None)
