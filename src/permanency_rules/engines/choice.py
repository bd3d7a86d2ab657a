"""Which matching engine runs: names, availability, and what ``auto`` means here.

durable-rules is a C extension that does not import on Python 3.13 and later, so it is imported
only when asked for. ``auto`` picks it where it imports, else the built-in matcher; reports name
the engine that actually ran.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Sequence
from typing import Literal, get_args

from .base import CompiledRule, Engine

EngineName = Literal["auto", "durable", "builtin", "pandas"]
ENGINE_NAMES: tuple[EngineName, ...] = get_args(EngineName)


@functools.cache
def durable_available() -> bool:
    """True when the durable-rules extension imports in this interpreter."""
    try:
        importlib.import_module("durable_rules_engine")
    except ImportError:
        return False
    return True


def resolve_engine(name: str) -> EngineName:
    """The concrete engine for ``name``; ``ValueError`` for an unknown or unavailable one."""
    if name not in ENGINE_NAMES:
        raise ValueError(f"engine must be one of {', '.join(ENGINE_NAMES)}, not {name!r}")
    if name == "auto":
        return "durable" if durable_available() else "builtin"
    if name == "durable" and not durable_available():
        raise ValueError("engine 'durable' is not available here (durable-rules does not import); use auto")
    return name


def make_engine(name: EngineName, rules: Sequence[CompiledRule]) -> Engine:
    concrete = resolve_engine(name)
    if concrete == "durable":
        from .durable import DurableEngine

        return DurableEngine(rules)
    if concrete == "pandas":
        from .frames import FrameEngine

        return FrameEngine(rules)
    from .builtin import BuiltinEngine

    return BuiltinEngine(rules)
