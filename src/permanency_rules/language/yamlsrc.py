"""Safe YAML loading that remembers the line of every key, for errors that point at the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass
class Located:
    """Data loaded from one YAML file plus the 1-based line of each path inside it."""

    data: Any
    file: str
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int:
        """Line of ``path``, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), 1)

    def where(self, path: Path_) -> str:
        return f"{self.file}:{self.line(path)}"


_PLAIN = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


def _construct(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN:
        raise yaml.constructor.ConstructorError(None, None, f"unsupported tag {node.tag!r}", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            sub = (*path, key)
            lines[sub] = key_node.start_mark.line + 1
            out[key] = _construct(value_node, sub, lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(n, (*path, i), lines) for i, n in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    """Construct one scalar with the safe constructor (no Python tags can run)."""
    if not isinstance(node, yaml.ScalarNode):
        raise yaml.YAMLError(f"line {node.start_mark.line + 1}: mapping keys must be scalars")
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def load_located(path: str | Path) -> Located:
    """Load one YAML file with ``SafeLoader`` and record key lines."""
    text = Path(path).read_text(encoding="utf-8")
    return loads_located(text, str(path))


def loads_located(text: str, file: str = "<string>") -> Located:
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[Path_, int] = {}
    data = None if node is None else _construct(node, (), lines)
    return Located(data=data, file=file, lines=lines)
