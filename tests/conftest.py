"""Shared test helpers."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml
from hypothesis import settings

from permanency_rules.engines.choice import durable_available

ROOT = Path(__file__).resolve().parents[1]
#: Per-case engines of this interpreter: durable-rules does not import on Python 3.13+, where
#: the built-in matcher stands in (tests/engines/test_builtin.py holds the two to each other).
PER_CASE_ENGINES: tuple[str, ...] = ("durable", "builtin") if durable_available() else ("builtin",)
#: The per-case reference the column-wise path is compared with.
PER_CASE = PER_CASE_ENGINES[0]

# No per-example time limit: on a shared machine a slow example is not a failure (speed is
# measured by benchmarks/, never by timed tests).
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def reorder(case: dict[str, Any], how: str, seed: int = 0) -> dict[str, Any]:
    """The same case with every list reversed or shuffled (ids stay the same)."""
    rng = random.Random(seed)
    out: dict[str, Any] = {}
    for k, v in case.items():
        if isinstance(v, list):
            items = list(v)
            if how == "reverse":
                items.reverse()
            else:
                rng.shuffle(items)
            out[k] = items
        else:
            out[k] = v
    return out
