"""A rule's condition in plain words, generated from its typed form (never written by hand).

Each test reads as the field's description from the fact vocabulary, then what it must be:
``months_since_defc >= $reunification_only_months`` reads "Whole calendar months from the date
entered foster care to as_of: at least 12 months (reunification_only_months)".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..facts.schema import FACT_TYPES
from ..language.ir import CASE_ALIAS, Condition, Literal, Op, Param, Ref, Scalar, Test

_NUMBER = {
    Op.EQ: "exactly",
    Op.NE: "not",
    Op.LT: "less than",
    Op.LE: "at most",
    Op.GT: "more than",
    Op.GE: "at least",
}
_DAY = {
    Op.EQ: "on",
    Op.NE: "not on",
    Op.LT: "before",
    Op.LE: "on or before",
    Op.GT: "after",
    Op.GE: "on or after",
}
#: Parenthetical notes meant for reviewers of the rule, not for a classroom.
_REVIEW_NOTE = re.compile(r"\s*\([^()]*\b(?:not yet verified|to be verified|TODO|reviewer)\b[^()]*\)", re.I)


def trainer_text(text: str) -> str:
    """Text with reviewers' internal notes (e.g. "(... not yet verified ...)") left out."""
    return " ".join(_REVIEW_NOTE.sub("", text).split())


def _word(v: Scalar) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v).replace("_", " ")


def _either(values: tuple[Scalar, ...], last: str) -> str:
    words = [_word(v) for v in values]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {last} " + words[-1]


def _doc(fact: str, field: str) -> str:
    spec = FACT_TYPES.get(fact, {}).get(field)
    return spec.doc.rstrip(".") if spec else field.replace("_", " ")


def test_words(
    t: Test, fact: str, aliases: Mapping[str, str], params: Mapping[str, tuple[int, str]] | None = None
) -> str:
    """One test in plain words. ``params`` maps a parameter to (value, unit) for display."""
    subject = _doc(fact, t.field)
    spec = FACT_TYPES.get(fact, {}).get(t.field)
    kind = spec.kind if spec else "str"
    o = t.operand
    if t.op == Op.EXISTS:
        return f"{subject}: recorded"
    if t.op == Op.MISSING:
        return f"{subject}: not recorded"
    if isinstance(o, Ref):
        other = aliases.get(o.alias, o.alias)
        whose = "the case's" if o.alias == CASE_ALIAS else f"that {other.replace('_', ' ')}'s"
        return f"{subject}: the same as {whose} {_doc(other, o.field).lower()}"
    if isinstance(o, Param):
        value, unit = (params or {}).get(o.name, (None, ""))
        shown = f"{value} {unit}".strip() if value is not None else o.name
        amount = f"{shown} ({o.name})" if value is not None else o.name
        words = _DAY if kind == "day" else _NUMBER
        return f"{subject}: {words[t.op]} {amount}"
    if not isinstance(o, Literal):
        return f"{subject}: {t.text()}"
    v = o.value
    if kind == "bool" and isinstance(v, bool):
        yes = (t.op == Op.EQ) == v
        return f"{subject}: {'yes' if yes else 'no'}"
    if t.op in (Op.IN, Op.NOT_IN):
        values = v if isinstance(v, tuple) else (v,)
        return f"{subject}: " + ("one of " if t.op == Op.IN else "none of ") + _either(values, "or")
    if isinstance(v, tuple):
        return f"{subject}: {t.text()}"
    if kind in ("int", "day") and t.op in _NUMBER:
        return f"{subject}: {(_DAY if kind == 'day' else _NUMBER)[t.op]} {v}"
    return f"{subject}: {_word(v)}" if t.op == Op.EQ else f"{subject}: not {_word(v)}"


def condition_words(cond: Condition, params: Mapping[str, tuple[int, str]] | None = None) -> list[str]:
    """The condition as Markdown bullets, a clause per bullet and a test per sub-bullet."""
    aliases = cond.aliases()
    lines = ["- the case, where:" if cond.case_tests else "- any case"]
    lines += [f"  - {test_words(t, 'case', aliases, params)}" for t in cond.case_tests]
    for c in cond.clauses:
        name = c.fact.replace("_", " ")
        if c.absent:
            head = f"- and there is **no** {name}"
        else:
            head = f"- and a {name} (call it {c.alias}) — one finding for each such {name}"
        lines.append(head + (", where:" if c.tests else ""))
        lines += [f"  - {test_words(t, c.fact, aliases, params)}" for t in c.tests]
    return lines
