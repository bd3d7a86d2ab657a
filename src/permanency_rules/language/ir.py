"""The typed intermediate form of a rule condition.

Rule files are parsed into these objects; nothing else is ever executed. Both engines compile
from this form: ``engines.durable`` to durable-rules JSON, ``engines.frames`` to pandas.

Semantics (both engines must agree; the differential tests check it):
* a comparison with a missing field is false, for every operator including ``!=`` and ``not in``;
* a positive clause binds one fact of its type; an ``absent`` clause holds when no fact of its
  type passes its tests;
* a reference ``alias.field`` may only be compared with ``==`` (an equality join): durable-rules
  over-reads memory on cross-fact inequalities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

Scalar = str | int | bool


class Op(StrEnum):
    EQ = "=="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    IN = "in"
    NOT_IN = "not in"
    EXISTS = "exists"
    MISSING = "missing"


NEGATION = {
    Op.EQ: Op.NE,
    Op.NE: Op.EQ,
    Op.LT: Op.GE,
    Op.GE: Op.LT,
    Op.LE: Op.GT,
    Op.GT: Op.LE,
    Op.IN: Op.NOT_IN,
    Op.NOT_IN: Op.IN,
    Op.EXISTS: Op.MISSING,
    Op.MISSING: Op.EXISTS,
}


@dataclass(frozen=True)
class Literal:
    value: Scalar | tuple[Scalar, ...]


@dataclass(frozen=True)
class Param:
    name: str


@dataclass(frozen=True)
class Ref:
    alias: str
    field: str


Operand = Literal | Param | Ref | None


@dataclass(frozen=True)
class Test:
    field: str
    op: Op
    operand: Operand = None
    line: int = 0

    def negated(self) -> Test:
        return Test(self.field, NEGATION[self.op], self.operand, self.line)

    def text(self) -> str:
        """The test as a trainer reads it."""
        o = self.operand
        if o is None:
            return f"{self.field} {self.op.value}"
        if isinstance(o, Param):
            rhs = f"${o.name}"
        elif isinstance(o, Ref):
            rhs = f"{o.alias}.{o.field}"
        elif isinstance(o.value, tuple):
            rhs = "[" + ", ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in o.value) + "]"
        else:
            rhs = str(o.value).lower() if isinstance(o.value, bool) else str(o.value)
        return f"{self.field} {self.op.value} {rhs}"


CASE_ALIAS = "case"


@dataclass(frozen=True)
class Clause:
    fact: str
    tests: tuple[Test, ...]
    alias: str | None = None  # None for absent clauses
    absent: bool = False
    line: int = 0


@dataclass(frozen=True)
class Condition:
    """Tests on the one case fact, then clauses over other facts, in order."""

    case_tests: tuple[Test, ...]
    clauses: tuple[Clause, ...] = field(default=())

    def aliases(self) -> dict[str, str]:
        out = {CASE_ALIAS: "case"}
        out.update({c.alias: c.fact for c in self.clauses if c.alias})
        return out

    def params(self) -> set[str]:
        tests = list(self.case_tests) + [t for c in self.clauses for t in c.tests]
        return {t.operand.name for t in tests if isinstance(t.operand, Param)}

    def bind(self, values: dict[str, int]) -> Condition:
        """Replace parameters with their resolved values."""

        def b(t: Test) -> Test:
            if isinstance(t.operand, Param):
                return Test(t.field, t.op, Literal(values[t.operand.name]), t.line)
            return t

        return Condition(
            tuple(b(t) for t in self.case_tests),
            tuple(
                Clause(c.fact, tuple(b(t) for t in c.tests), c.alias, c.absent, c.line) for c in self.clauses
            ),
        )


def holds(test: Test, fact: dict[str, object]) -> bool:
    """One literal test on one fact, with the engines' semantics (missing -> false).

    Used only to decide applicability before matching (a rule whose case tests on
    always-present fields fail does not apply, so missing optional data cannot matter)."""
    if test.op == Op.EXISTS:
        return test.field in fact
    if test.op == Op.MISSING:
        return test.field not in fact
    if test.field not in fact or not isinstance(test.operand, Literal):
        return False
    v, x = test.operand.value, fact[test.field]
    if test.op in (Op.IN, Op.NOT_IN):
        values = v if isinstance(v, tuple) else (v,)
        return (x in values) == (test.op == Op.IN)
    if test.op == Op.EQ:
        return x == v
    if test.op == Op.NE:
        return x != v
    if not isinstance(x, int) or not isinstance(v, int):
        return False
    return {Op.LT: x < v, Op.LE: x <= v, Op.GT: x > v, Op.GE: x >= v}[test.op]
