"""A loaded rule: its metadata, its parsed condition and its exceptions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from .ir import Condition, Literal, Op, Test
from .severity import FindingStatus
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

    @cached_property
    def finding_statuses(self) -> frozenset[str]:
        """The statuses a finding of this rule can have: ``flagged`` for a rule on no deadline;
        else each deadline status its ``status`` tests allow, as itself if it is a finding
        status (overdue, due_soon, ...) and as ``flagged`` if not (met, pending, ...)."""
        from ..facts.schema import FACT_TYPES

        alias = self.deadline_alias()
        if alias is None:
            return frozenset({FindingStatus.FLAGGED.value})
        clause = next(c for c in self.condition.clauses if c.alias == alias)
        allowed = set(FACT_TYPES["deadline"]["status"].values or ())
        for t in clause.tests:
            if t.field == "status" and isinstance(t.operand, Literal):
                vals = t.operand.value if isinstance(t.operand.value, tuple) else (t.operand.value,)
                if t.op in (Op.EQ, Op.IN):
                    allowed &= {str(v) for v in vals}
                elif t.op in (Op.NE, Op.NOT_IN):
                    allowed -= {str(v) for v in vals}
        own = {s.value for s in FindingStatus}
        return frozenset(s if s in own else FindingStatus.FLAGGED.value for s in allowed)

    def finding_status(self, deadline_status: str | None) -> str:
        """A finding's status from its deadline's (``flagged`` when none or not a finding one)."""
        if deadline_status is not None and deadline_status in self.finding_statuses:
            return deadline_status
        return FindingStatus.FLAGGED.value

    def template(self, status: str) -> str:
        """The message template for a finding with ``status``."""
        s = self.spec
        if status == FindingStatus.DUE_SOON:
            return s.message_due_soon or s.message
        if status == FindingStatus.SCHEDULED:
            return s.message_scheduled or s.message_due_soon or s.message
        if status == FindingStatus.MISSED:
            return s.message_missed or s.message
        return s.message
