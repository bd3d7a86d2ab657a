"""The fact vocabulary rules are written against, collected from the fact modules.

A case becomes flat facts (one ``case`` fact plus one fact per goal, need, service, ...). Each
field is declared once, in the module that derives it (``facts/<module>.py``): the rule loader
checks rules against these declarations, both engines read their column types from them, and
the docs list them. Derived values (ages, day counts, deadline statuses) are computed in Python,
so rules only compare values.
"""

from __future__ import annotations

from .case import CASE
from .court import HEARING
from .deadlines import DEADLINE, READS_BY_NAME
from .family import NEED, PARENT, SERVICE
from .fields import Column, F, FieldSpec, Kind
from .goals import CASE_PLAN, GOAL
from .placements import PLACEMENT, SIBLING

__all__ = ["COLUMN_FACTS", "FACTS", "FACT_TYPES", "READS_BY_NAME", "F", "FieldSpec", "Kind", "fact_reads"]

#: Every fact type, in the order facts are framed and documented.
FACTS = (CASE, GOAL, PLACEMENT, CASE_PLAN, PARENT, NEED, SERVICE, HEARING, DEADLINE, SIBLING)
FACT_TYPES: dict[str, dict[str, FieldSpec]] = {t.name: t.fields for t in FACTS}


def fact_reads() -> dict[str, frozenset[Column]]:
    """The table columns behind each ``fact.field``, and behind each ``deadline:<name>``."""
    out = {f"{t.name}.{name}": t.reads(name) for t in FACTS for name in t.fields}
    out.update({f"deadline:{name.value}": cols for name, cols in READS_BY_NAME.items()})
    return out


def _column_facts() -> dict[Column, set[str]]:
    out: dict[Column, set[str]] = {}
    for fact, cols in fact_reads().items():
        for col in cols:
            out.setdefault(col, set()).add(fact)
    return out


#: Table column -> the fact fields (and ``deadline:<name>``) derived from it: when a caseload
#: lacks the column, the rules reading those fields are not evaluable for the run.
COLUMN_FACTS: dict[Column, set[str]] = _column_facts()
