"""Safe YAML loading that remembers the line of every key, for errors that point at the file.

Every YAML file the library reads (rules, parameters, the catalogue, profiles, case documents)
goes through ``compose``: the safe loader's scalars only, no aliases (a billion-laughs file would
otherwise expand without bound), a depth cap, duplicate keys refused (last-wins would let a
second ``severity:`` silently override the first), and only true/false as booleans (YAML 1.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleLoadError, SourceError

Path_ = tuple[str | int, ...]
#: Deeper nesting than any rule or case needs; deeper input is refused before recursion fails.
MAX_DEPTH = 64


class YamlSourceError(ValueError):
    """A YAML text that cannot be used: 1-based ``line``, a short ``kind`` and a ``detail``.

    ``kind`` never quotes the input (case documents report only it); ``detail`` may, and is
    shown for rule, parameter and profile files, which hold no case data.
    """

    def __init__(self, line: int, kind: str, detail: str = "", column: int | None = None) -> None:
        self.line = line
        self.column = column
        self.kind = kind
        self.detail = detail or kind
        super().__init__(f"line {line}: {self.detail}")

    def position(self) -> str:
        """What a case document's error may say: the kind and where, never the text."""
        if self.column is not None:
            return f"line {self.line} column {self.column}"
        return f"{self.kind} at line {self.line}"


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


class _Composer(yaml.SafeLoader):
    """``SafeLoader`` whose composer refuses aliases and caps nesting depth."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            line = self.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]
            raise YamlSourceError(line, "aliases (*name) are not allowed")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                line = self.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]
                raise YamlSourceError(line, f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        raise YamlSourceError(line, "unsupported tag", f"unsupported tag {node.tag!r}", column)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            line = key_node.start_mark.line + 1
            try:
                fresh = key not in out
            except TypeError:  # an unhashable key such as a date list
                raise YamlSourceError(line, "mapping keys must be scalars") from None
            if not fresh:
                raise YamlSourceError(line, "duplicate key", f"duplicate key {key!r}")
            sub = (*path, key)
            lines[sub] = line
            out[key] = _construct(value_node, sub, lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(n, (*path, i), lines) for i, n in enumerate(node.value)]
    return _scalar(node)


#: The only words read as booleans. YAML 1.1 also reads yes/no/on/off (any case) so; YAML 1.2
#: and this library do not: such a word stays text, so a case file's ``relative: yes`` is
#: refused by path (flags are only true/false) and ``NO`` (Norway) stays a word.
_BOOLEANS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
_BOOL_TAG = "tag:yaml.org,2002:bool"


def _scalar(node: yaml.Node) -> Any:
    """Construct one scalar with the safe constructor (no Python tags can run)."""
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if not isinstance(node, yaml.ScalarNode):
        raise YamlSourceError(line, "mapping keys must be scalars")
    if node.tag == _BOOL_TAG and node.style is None and node.value not in _BOOLEANS:
        return node.value  # an implicit yes/no/on/off: text, not a YAML 1.1 boolean
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        raise YamlSourceError(line, "unsupported tag", f"unsupported tag {node.tag!r}", column) from None
    except (ValueError, OverflowError):  # 2020-02-30, year 0, a 5,000-digit integer
        kind = "impossible date" if node.tag.endswith(":timestamp") else "impossible value"
        raise YamlSourceError(line, kind) from None
    finally:
        loader.dispose()


def compose(text: str | bytes) -> tuple[Any, dict[Path_, int]]:
    """Data and key lines from YAML text, or ``YamlSourceError`` (never another exception)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = exc.object[: exc.start].count(b"\n") + 1
            raise YamlSourceError(line, "not UTF-8 text") from None
    loader = _Composer(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, None)
        detail = str(exc.problem or exc.context or "invalid YAML")
        raise YamlSourceError(line, "invalid YAML", detail, column) from None
    except yaml.YAMLError:
        raise YamlSourceError(1, "invalid YAML") from None
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    data = None if node is None else _construct(node, (), lines)
    return data, lines


def load_located(path: str | Path) -> Located:
    """Load one YAML file safely and record key lines; problems raise ``RuleLoadError``."""
    return loads_located(Path(path).read_bytes(), str(path))


def loads_located(text: str | bytes, file: str = "<string>") -> Located:
    try:
        data, lines = compose(text)
    except YamlSourceError as exc:
        raise RuleLoadError([SourceError(file, exc.line, "", f"cannot read YAML: {exc.detail}")]) from None
    return Located(data=data, file=file, lines=lines)
