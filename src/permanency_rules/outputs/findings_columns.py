"""Findings for a whole caseload at once: the column-wise twin of ``findings.finding_row``.

Messages are rendered by concatenating Arrow string columns, one per template piece, with the
value rendering of ``findings.render_value`` (its words: ``UNKNOWN``, ``YES``/``NO``, codes as
words); finding ids hash (``findings.hash_id``) the JSON payload of ``findings.id_payload``,
spelled by columns. ``tests/outputs`` checks both against the per-case path, row for row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar.typed import flags
from ..conventions import DATE, KEY, TEXT
from ..facts.schema import FACT_TYPES
from ..language.ir import CASE_ALIAS
from ..language.rule import PLACEHOLDER, Rule
from ..language.severity import severity as severity_of
from .findings import CODE_SPACE, NO, UNKNOWN, YES, hash_id, template_fields

#: Characters that ``json.dumps`` writes as themselves inside a string.
_PLAIN_JSON = r"^[\x{20}-\x{21}\x{23}-\x{5b}\x{5d}-\x{7e}]*$"


def _text(values: pd.Series | np.ndarray | pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """Arrow ``string`` (not ``large_string``: compute kernels want one type)."""
    if isinstance(values, pa.Array):
        values = pa.chunked_array([values])
    elif not isinstance(values, pa.ChunkedArray):
        values = pa.chunked_array([pa.array(values, from_pandas=True)])
    return values if values.type == pa.string() else values.cast(pa.string())


def render_column(fact_type: str, field: str, values: pd.Series) -> pa.ChunkedArray:
    """``render_value`` for a column: ids without prefix, days as ISO dates, yes/no, codes
    as words, ``unknown`` for missing."""
    spec = FACT_TYPES[fact_type].get(field)
    if field == "id":
        arr = _text(values.astype("string"))
        prefix = f"{fact_type}:"
        if fact_type != "case":
            arr = pc.if_else(pc.starts_with(arr, prefix), pc.utf8_slice_codeunits(arr, len(prefix)), arr)
    elif spec is not None and spec.kind == "day":
        days = pa.array(values.astype("Int64"), type=pa.int64(), from_pandas=True)
        arr = _text(pc.cast(pc.cast(pc.cast(days, pa.int32()), pa.date32()), pa.string()))
    elif spec is not None and spec.kind == "bool":
        b = pa.array(values.astype("boolean"), type=pa.bool_(), from_pandas=True)
        arr = _text(pc.if_else(b, YES, NO))
    elif spec is not None and spec.kind == "int":
        arr = _text(pc.cast(pa.array(values.astype("Int64"), type=pa.int64(), from_pandas=True), pa.string()))
    else:
        arr = _text(values.astype("string"))
        if spec is not None and spec.values is not None:
            arr = pc.replace_substring(arr, *CODE_SPACE)
    return pc.fill_null(arr, UNKNOWN)


def _json_strings(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """``json.dumps`` of each string: quoted, with the rare escapes done one by one."""
    plain = pc.match_substring_regex(values, _PLAIN_JSON)
    if pc.all(plain).as_py():
        return pc.binary_join_element_wise('"', values, '"', "")
    py = values.to_pylist()
    ok = plain.to_pylist()
    return pa.chunked_array(
        [pa.array([f'"{v}"' if good else json.dumps(v) for v, good in zip(py, ok, strict=True)])]
    )


def finding_ids(
    rule: Rule, case_ids: pa.ChunkedArray, binding: Sequence[tuple[str, pa.ChunkedArray]]
) -> list[str]:
    """``findings.finding_id`` for many matches of one rule: the same payload, by columns."""
    spec = rule.spec
    head = json.dumps([spec.id, spec.version], separators=(",", ":"))[:-1] + ","
    pieces: list[pa.ChunkedArray | str] = [head, _json_strings(case_ids), ",["]
    for i, (alias, ids) in enumerate(sorted(binding, key=lambda b: b[0])):
        pieces += ["," if i else "", f"[{json.dumps(alias)},", _json_strings(ids), "]"]
    pieces.append("]]")
    payload = pc.binary_join_element_wise(*pieces, "")
    return [hash_id(p) for p in payload.to_pylist()]


def _spaced(text: str) -> str:
    """Every whitespace run as one space (what ``" ".join(text.split())`` does inside a text)."""
    return re.sub(r"\s+", " ", text)


def render_messages(
    template: str,
    values: Mapping[tuple[str, str], pa.ChunkedArray],
    params: Mapping[str, int],
    n: int,
) -> pa.ChunkedArray:
    """The template with every placeholder replaced, whitespace collapsed as ``str.split``.

    Template text is collapsed once; values hold no whitespace but single spaces (``typed``
    routes ids with any other), so only rows with an empty value or a space at an edge can
    still have a double space, and those few are collapsed in Python."""
    pieces: list[pa.ChunkedArray | str] = []
    pos = 0
    template = template.strip()
    for m in PLACEHOLDER.finditer(template):
        pieces.append(_spaced(template[pos : m.start()]))
        alias, field = m.group(1), m.group(2)
        pieces.append(str(params[field]) if alias == "param" else values[(alias, field)])
        pos = m.end()
    pieces.append(_spaced(template[pos:]))
    if not any(isinstance(p, pa.ChunkedArray) for p in pieces):
        pieces.append(pa.chunked_array([pa.array([""] * n, pa.string())]))
    joined = pc.binary_join_element_wise(*pieces, "")
    loose = pc.or_(
        pc.greater(pc.count_substring(joined, "  "), 0),
        pc.or_(pc.starts_with(joined, " "), pc.ends_with(joined, " ")),
    )
    if not pc.any(loose).as_py():
        return joined
    texts = joined.to_pylist()
    for i in np.flatnonzero(flags(loose)):
        texts[i] = " ".join(texts[i].split())
    return pa.chunked_array([pa.array(texts, pa.string())])


def rule_findings(
    rule: Rule,
    matches: pd.DataFrame,
    frames: Mapping[str, pd.DataFrame],
    case_ids: np.ndarray,
    params: Mapping[str, int],
) -> pd.DataFrame:
    """Finding rows (``conventions.FINDING_COLUMNS``) for one rule's matches.

    ``matches`` holds ``case_key`` and one fact-id column per bound alias (``FrameEngine``);
    ``case_ids`` maps case_key to case_id."""
    spec = rule.spec
    aliases = rule.condition.aliases()
    bound = [c for c in matches.columns if c != KEY and "@" not in c]
    m = matches.reset_index(drop=True)
    need = template_fields(rule)
    deadline = rule.deadline_alias()
    fields: dict[str, set[str]] = {}
    for alias, field in need:
        fields.setdefault(alias, set()).add(field)
    if deadline:
        fields.setdefault(deadline, set()).update({"name", "status", "due_day"})
    for alias, wanted in fields.items():
        if alias == CASE_ALIAS:
            cols = sorted(wanted)
            part = frames["case"][[KEY, *cols]].rename(columns={c: f"{alias}.{c}" for c in cols})
            m = m.merge(part, on=KEY, how="left")
            continue
        cols = sorted(wanted - {"id"})
        found = frames[aliases[alias]].loc[m[f"{alias}@row"].to_numpy(), cols]
        for c in cols:
            m[f"{alias}.{c}"] = found[c].to_numpy()
    n = len(m)
    values = {}
    for alias, field in need:
        fact = "case" if alias == CASE_ALIAS else aliases[alias]
        col = alias if field == "id" and alias != CASE_ALIAS else f"{alias}.{field}"
        if alias == CASE_ALIAS and field == "id":
            values[(alias, field)] = _text(pd.Series(["case"] * n, dtype="string"))
        else:
            values[(alias, field)] = render_column(fact, field, m[col])
    status = np.full(n, "flagged", dtype=object)
    message = render_messages(rule.template("flagged"), values, params, n)
    deadline_name: pd.Series | None = None
    due: pd.Series | None = None
    if deadline:
        d_status = m[f"{deadline}.status"].astype(object).to_numpy()
        known = np.isin(d_status, [s for s in sorted(rule.finding_statuses) if s != "flagged"])
        status[known] = d_status[known]
        for st in sorted(set(status[known])):
            if rule.template(st) != rule.template("flagged"):
                text = render_messages(rule.template(st), values, params, n)
                message = pc.if_else(pa.array(status == st), text, message)
        deadline_name = m[f"{deadline}.name"].astype(TEXT)
        due = _dates(m[f"{deadline}.due_day"])
    severity = np.empty(n, dtype=object)
    for st in set(status):
        severity[status == st] = severity_of(spec.duty, st)
    ids = pa.chunked_array([pa.array(case_ids[m[KEY].to_numpy()].astype(object), pa.string())])
    fids = finding_ids(rule, ids, [(a, _text(m[a].astype("string"))) for a in bound])
    return pd.DataFrame(
        {
            KEY: m[KEY].to_numpy(),
            "case_id": _strings(ids),
            "rule_id": _strings([spec.id] * n),
            "rule_version": np.full(n, spec.version, dtype=np.int64),
            "family": _strings([spec.family.value] * n),
            "severity": _strings(severity),
            "deadline": _strings(deadline_name if deadline_name is not None else [None] * n),
            "due_date": due if due is not None else pd.Series([pd.NA] * n, dtype=DATE),
            "status": _strings(status),
            "message": _strings(message),
            "finding_id": _strings(fids),
        }
    )


def _strings(values: Any) -> pd.Series:
    """Arrow-backed text, the dtype of the findings table (compact and quick to pickle)."""
    return pd.Series(pd.array(values, dtype=TEXT))


def _dates(days: pd.Series) -> pd.Series:
    arr = pa.array(days.astype("Int64"), type=pa.int64(), from_pandas=True)
    return pd.Series(
        pd.arrays.ArrowExtensionArray(pc.cast(pc.cast(arr, pa.int32()), pa.date32())), dtype=DATE
    )
