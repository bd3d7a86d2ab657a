"""Case errors: every problem found, each with a field path and a reason, never a value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class CaseError:
    path: str  # e.g. "services[2].need"
    reason: str

    def __str__(self) -> str:
        return f"{self.path or '<case>'}: {self.reason}"


class CaseValidationError(ValueError):
    """A case could not be used; ``errors`` lists every problem found."""

    def __init__(self, case_id: str | None, errors: list[CaseError]) -> None:
        self.case_id = case_id
        self.errors = sorted(set(errors))
        head = f"case {case_id}" if case_id else "case"
        lines = "; ".join(str(e) for e in self.errors)
        super().__init__(f"{head}: {len(self.errors)} error(s): {lines}")
