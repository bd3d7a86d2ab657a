"""Errors raised while loading rules, parameters and profiles: each names file and line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceError:
    file: str
    line: int
    path: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.reason}" if self.path else f"{where}: {self.reason}"


class RuleLoadError(ValueError):
    """The catalogue could not be loaded; ``errors`` lists every problem found."""

    def __init__(self, errors: list[SourceError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
