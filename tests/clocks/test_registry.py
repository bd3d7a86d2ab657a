"""The one list of deadlines: every deadline name has exactly one clock, in both forms."""

from __future__ import annotations

from permanency_rules.clocks import DeadlineName
from permanency_rules.clocks.registry import CLOCKS


def test_every_deadline_has_one_registered_clock_with_both_forms() -> None:
    names = [c.name for c in CLOCKS]
    assert sorted(names) == sorted(DeadlineName)
    assert len(set(names)) == len(names)
    for clock in CLOCKS:
        assert clock.per_case.__name__ + "_columns" == clock.columns.__name__
        assert clock.per_case.__module__ == clock.columns.__module__, "forms side by side"
        assert clock.citation.startswith(("42 USC", "45 CFR"))
