"""One underlying fact, one finding: ``suppressed_by`` between rules, applied after matching.

A rule may name the rules whose findings make its own redundant. A match of the rule is
dropped when a listed rule matched the same case *on the same record*: the two share a bound
fact other than the case (the same need, parent, deadline...), or either binds only the case
fact, in which case any match in the case counts. Suppression reads the matches as found,
before any suppression, so the result does not depend on order; the loader refuses unknown
ids and cycles. Every path (durable and pandas per case, the column-wise caseload path) calls
``hidden`` with its matches, so all of them drop the same findings.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from .errors import SourceError
from .rule import Rule
from .yamlsrc import Located

#: One match: (case key, the ids of the facts it binds other than the case fact).
Keyed = tuple[Hashable, tuple[str, ...]]


def hidden(
    suppressed_by: Mapping[str, tuple[str, ...]], matches: Mapping[str, Sequence[Keyed]]
) -> dict[str, list[int]]:
    """Per suppressed rule, the positions (in ``matches[rule]``) of the matches to drop."""
    out: dict[str, list[int]] = {}
    for rule_id, suppressors in suppressed_by.items():
        mine = matches.get(rule_id)
        if not mine:
            continue
        whole: set[Hashable] = set()  # cases where a suppressor bound only the case
        anywhere: set[Hashable] = set()  # cases with any suppressor match
        records: set[tuple[Hashable, str]] = set()
        for s in suppressors:
            for case, ids in matches.get(s, ()):
                anywhere.add(case)
                if ids:
                    records.update((case, i) for i in ids)
                else:
                    whole.add(case)
        if not anywhere:
            continue
        drop = [
            pos
            for pos, (case, ids) in enumerate(mine)
            if case in whole or (not ids and case in anywhere) or any((case, i) in records for i in ids)
        ]
        if drop:
            out[rule_id] = drop
    return out


def precedence(rules: Sequence[Rule]) -> dict[str, tuple[str, ...]]:
    """``suppressed_by`` of every rule that has one, restricted to the rules given."""
    ids = {r.id for r in rules}
    out = {}
    for r in rules:
        sups = tuple(s for s in r.spec.suppressed_by if s in ids)
        if sups:
            out[r.id] = sups
    return out


def check(rules: Sequence[Rule], sources: Mapping[str, Located]) -> list[SourceError]:
    """Unknown, repeated or self references, and cycles, each with file and line."""
    by_id = {r.id: r for r in rules}
    errors: list[SourceError] = []

    def err(rule: Rule, i: int, reason: str) -> None:
        loc = sources.get(rule.id)
        line = loc.line(("suppressed_by", i)) if loc else 1
        errors.append(SourceError(str(rule.source), line, f"suppressed_by.{i}", reason))

    for r in rules:
        seen: set[str] = set()
        for i, s in enumerate(r.spec.suppressed_by):
            if s == r.id:
                err(r, i, "a rule cannot suppress itself")
            elif s not in by_id:
                err(r, i, f"unknown rule id '{s}'")
            elif s in seen:
                err(r, i, f"'{s}' is listed twice")
            seen.add(s)
    if errors:
        return errors
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(rid: str, path: list[str]) -> list[str] | None:
        state[rid] = 1
        for s in by_id[rid].spec.suppressed_by:
            if state.get(s) == 1:
                return [*path, rid, s]
            if s not in state:
                found = visit(s, [*path, rid])
                if found:
                    return found
        state[rid] = 2
        return None

    for rid in sorted(by_id):
        if rid not in state:
            cycle = visit(rid, [])
            if cycle:
                start = cycle.index(cycle[-1])
                loop = cycle[start:]
                r = by_id[loop[0]]
                err(r, r.spec.suppressed_by.index(loop[1]), "suppression cycle: " + " -> ".join(loop))
                break
    return errors
