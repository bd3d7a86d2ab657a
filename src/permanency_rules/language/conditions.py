"""Parse one test such as ``days_since_identified > $need_service_days`` into an ``ir.Test``.

A tiny fixed grammar, matched with regular expressions: field, operator, operand. Operands are
literals (numbers, true/false, bare words, quoted strings, [lists]), ``$parameter`` or
``alias.field``. Nothing in a rule file is ever evaluated as code.
"""

from __future__ import annotations

import re

from .ir import Literal, Op, Operand, Param, Ref, Scalar, Test

_TEST = re.compile(
    r"^\s*(?P<field>[a-z_][a-z0-9_]*)\s+(?P<op>==|!=|<=|>=|<|>|not in|in|exists|missing)"
    r"(?:\s+(?P<rhs>.+?))?\s*$"
)
_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_INT = re.compile(r"^-?\d+$")
_REF = re.compile(r"^(?P<alias>[a-z_][a-z0-9_]*)\.(?P<field>[a-z_][a-z0-9_]*)$")
_PARAM = re.compile(r"^\$(?P<name>[a-z_][a-z0-9_]*)$")


class ConditionSyntaxError(ValueError):
    pass


def _scalar(text: str) -> Scalar:
    t = text.strip()
    if t in ("true", "false"):
        return t == "true"
    if _INT.match(t):
        return int(t)
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        return t[1:-1]
    if _WORD.match(t):
        return t
    raise ConditionSyntaxError(
        f"cannot read value {t!r}: use a number, true/false, a word or a quoted string"
    )


def _operand(op: Op, rhs: str | None) -> Operand:
    if op in (Op.EXISTS, Op.MISSING):
        if rhs:
            raise ConditionSyntaxError(f"'{op.value}' takes no value")
        return None
    if not rhs:
        raise ConditionSyntaxError(f"'{op.value}' needs a value")
    if op in (Op.IN, Op.NOT_IN):
        if not (rhs.startswith("[") and rhs.endswith("]")):
            raise ConditionSyntaxError(f"'{op.value}' needs a list such as [a, b]")
        items = [x for x in rhs[1:-1].split(",") if x.strip()]
        if not items:
            raise ConditionSyntaxError("empty list")
        return Literal(tuple(_scalar(x) for x in items))
    if m := _PARAM.match(rhs):
        return Param(m["name"])
    if m := _REF.match(rhs):
        return Ref(m["alias"], m["field"])
    return Literal(_scalar(rhs))


def parse_test(text: str, line: int = 0) -> Test:
    m = _TEST.match(text)
    if not m:
        raise ConditionSyntaxError(
            "expected '<field> <op> <value>' with op one of ==, !=, <, <=, >, >=, in, not in, "
            "or '<field> exists' / '<field> missing'"
        )
    op = Op(m["op"])
    return Test(m["field"], op, _operand(op, m["rhs"]), line)
