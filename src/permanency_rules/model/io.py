"""Turning JSON, YAML and dicts into a checked ``Case``, reporting every problem at once.

A caseworker fixing a file wants the whole list, not one error per run; and since case data
may hold free text, errors name the path and never echo the offending value.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .as_of import as_of_view
from .case import Case
from .errors import CaseError, CaseValidationError
from .salvage import salvage
from .validation import date_errors, structural_errors

#: Wrapped documents (fixtures) hold the case under this key beside story, as_of and expect.
CASE_KEY = "case"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
#: Error types whose message lists only the allowed values, never the input.
_ALLOWED_VALUES_TYPES = frozenset({"enum", "literal_error"})


def parse_case(data: Case | Mapping[str, Any] | str | bytes) -> Case:
    """A ``Case`` from JSON text, a mapping or a ``Case``, or ``CaseValidationError`` listing
    field and cross-field errors together (see ``model.salvage``)."""
    return _structurally_sound(_validate(data))


def check_case(case: Case, as_of: date) -> list[CaseError]:
    """Structural errors plus dates recorded after ``as_of``."""
    return structural_errors(case) + date_errors(case, as_of)


def parse_and_check(data: Case | Mapping[str, Any] | str | bytes, as_of: date) -> Case:
    """``parse_case`` and ``check_case`` together, raising with all errors in one exception;
    the case as it stood on ``as_of`` (records dated after it left out: ``as_of.as_of_view``)."""
    return parse_at(data, as_of)[0]


def parse_at(data: Case | Mapping[str, Any] | str | bytes, as_of: date) -> tuple[Case, int]:
    """``parse_and_check``, with the number of records after ``as_of`` that were left out."""
    case = _validate(data, as_of)
    errors = check_case(case, as_of)
    if errors:
        raise CaseValidationError(case.case_id, errors)
    return as_of_view(case, as_of)


def load_case_file(path: str | Path) -> Case:
    """Load a plain or wrapped (``case:`` key) case from a .json, .yaml or .yml file."""
    return load_case_document(path)[0]


def load_case_document(path: str | Path) -> tuple[Case, dict[str, Any]]:
    """The case in ``path`` and the rest of the document (empty for a plain case file)."""
    return _split_document(_read_document(Path(path)))


def load_case_stream(data: bytes) -> tuple[Case, dict[str, Any]]:
    """``load_case_document`` for bytes with no file name (standard input): JSON when the text
    starts with ``{``, YAML otherwise (a UTF-8 byte-order mark is dropped)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    doc = load_json(data) if data.lstrip().startswith(b"{") else _load_yaml(data)
    return _split_document(doc)


def _split_document(doc: Any) -> tuple[Case, dict[str, Any]]:
    if isinstance(doc, dict) and CASE_KEY in doc and "case_id" not in doc:
        rest = {k: v for k, v in doc.items() if k != CASE_KEY}
        return _structurally_sound(_validate_raw(doc[CASE_KEY])), rest
    return _structurally_sound(_validate_raw(doc)), {}


def read_document(path: str | Path) -> Any:
    """A .json/.yaml/.yml document, read safely; bad syntax raises ``CaseValidationError``."""
    return _read_document(Path(path))


def _read_document(path: Path) -> Any:
    suffix = path.suffix.lower()
    if suffix not in {".json", ".yaml", ".yml"}:
        raise ValueError(f"unsupported case file type {suffix!r}: use .json, .yaml or .yml")
    text = path.read_bytes()
    return load_json(text) if suffix == ".json" else _load_yaml(text)


def _load_yaml(text: bytes) -> Any:
    """Safe YAML (no aliases, no duplicate keys), with failures reported by position only."""
    from ..language.yamlsrc import YamlSourceError, compose

    try:
        return compose(text)[0]
    except YamlSourceError as exc:
        reason = f"invalid YAML: {exc.position()}"
        raise CaseValidationError(None, [CaseError("", reason)]) from None


def load_json(text: str | bytes) -> Any:
    """JSON with duplicate keys refused; every failure is a ``CaseValidationError`` by position."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        reason = f"invalid JSON: line {exc.lineno} column {exc.colno}"
    except UnicodeDecodeError:
        reason = "invalid JSON: not UTF-8 text"
    except _DuplicateKey:
        reason = "invalid JSON: duplicate key"
    except RecursionError:
        reason = "invalid JSON: nested too deeply"
    except ValueError:  # an integer of more than 4,300 digits
        reason = "invalid JSON: number too large"
    raise CaseValidationError(None, [CaseError("", reason)])


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _DuplicateKey
    return out


def _validate(data: Case | Mapping[str, Any] | str | bytes, as_of: date | None = None) -> Case:
    """A typed ``Case`` or ``CaseValidationError`` carrying every field error pydantic found,
    and every cross-field (and, given ``as_of``, date) error of the rest of the case."""
    if isinstance(data, Case):
        return data
    return _validate_raw(load_json(data) if isinstance(data, str | bytes) else data, as_of)


def _validate_raw(raw: Any, as_of: date | None = None) -> Case:
    """Validate already-decoded data (a YAML string stays a string, never JSON text)."""
    if isinstance(raw, Mapping):
        raw = dict(raw)
    bad_text = _text_errors(raw)
    if bad_text:
        raise CaseValidationError(_raw_case_id(raw), bad_text)
    try:
        return Case.model_validate(raw)
    except ValidationError as exc:
        details = exc.errors()
        errors = [CaseError(loc_path(e["loc"]), safe_reason(e)) for e in details]
        if isinstance(raw, dict):

            def checks(case: Case) -> list[CaseError]:
                return structural_errors(case) + (date_errors(case, as_of) if as_of else [])

            with contextlib.suppress(Exception):  # best effort: the field errors alone still stand
                errors += salvage(raw, [tuple(e["loc"]) for e in details], checks)
        raise CaseValidationError(_raw_case_id(raw), errors) from None


def _text_errors(raw: Any) -> list[CaseError]:
    """Strings that are not Unicode text (a lone surrogate, as from JSON's "\\udc80"): no
    output format or engine can carry them, so the case is refused here, by path."""
    errors: list[CaseError] = []
    stack: list[tuple[tuple[int | str, ...], Any]] = [((), raw)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if not is_text(value):
                errors.append(CaseError(loc_path(path), "not valid Unicode text (a lone surrogate)"))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(key, str) and not is_text(key):
                    errors.append(CaseError(loc_path((*path, "<key>")), "not valid Unicode text"))
                stack.append(((*path, key if isinstance(key, str) else "<key>"), item))
        elif isinstance(value, list | tuple):
            stack.extend(((*path, i), item) for i, item in enumerate(value))
    return errors


def is_text(text: str) -> bool:
    """True unless ``text`` holds a lone surrogate (which no output format can carry)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _structurally_sound(case: Case) -> Case:
    errors = structural_errors(case)
    if errors:
        raise CaseValidationError(case.case_id, errors)
    return case


def _raw_case_id(raw: Any) -> str | None:
    case_id = raw.get("case_id") if isinstance(raw, dict) else None
    if isinstance(case_id, int) and not isinstance(case_id, bool):
        return str(case_id)
    return case_id if isinstance(case_id, str) and case_id else None


def loc_path(loc: tuple[int | str, ...]) -> str:
    """``('services', 2, 'status')`` -> ``services[2].status``; odd keys are not echoed."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if _NAME.fullmatch(part) else "<key>"
            out += f".{name}" if out else name
    return out


def safe_reason(error: ErrorDetails) -> str:
    """Pydantic's message, unless it quotes the input (then a generic one by error type)."""
    msg = error["msg"]
    value = error.get("input")
    if error["type"] in _ALLOWED_VALUES_TYPES:
        return msg
    if isinstance(value, str) and len(value) >= 3 and value in msg:
        return f"invalid value ({error['type']})"
    return msg
