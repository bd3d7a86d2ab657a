"""Write result tables by file extension: .csv, .parquet or .jsonl.

A CSV is opened in spreadsheets, which run a cell starting with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK(...)`` in a case id or an office): such text cells are written with a
leading ``'``, the spreadsheet convention for "text". A cell that starts with ``'`` gets one
too, so ``read_table`` removes exactly one and every value reads back as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..conventions import TEXT

FORMATS = (".csv", ".parquet", ".jsonl")
#: First characters a spreadsheet may read as a formula (OWASP "CSV injection"), and the quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def check_extension(path: Path) -> None:
    if path.suffix not in FORMATS:
        raise ValueError(f"{path}: output must end in {', '.join(FORMATS)}")


def write_table(df: pd.DataFrame, path: Path) -> None:
    check_extension(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        defuse_formulas(df).to_csv(path, index=False)
    elif path.suffix == ".parquet":
        df.to_parquet(path, index=False)
    else:
        # dates as plain ISO dates ("2026-11-14"), not midnight timestamps
        dates = [c for c in df.columns if str(df[c].dtype).startswith("date32")]
        out = df.astype({c: TEXT for c in dates}) if dates else df
        out.to_json(path, orient="records", lines=True, date_format="iso")


def read_table(path: Path) -> pd.DataFrame:
    """A table written by ``write_table`` (or any .csv/.parquet/.jsonl), every column as text."""
    check_extension(path)
    if not path.is_file():
        raise FileNotFoundError(2, "no such file", str(path))
    if path.suffix == ".parquet":
        return pd.read_parquet(path).astype("string")
    if path.suffix == ".csv":
        df = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
        for c in df.columns:
            quoted = df[c].str.startswith("'").fillna(False).to_numpy(dtype=bool)
            if quoted.any():
                df.loc[quoted, c] = df.loc[quoted, c].str[1:]
        return df
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return pd.DataFrame(rows, dtype=object).astype("string")


def defuse_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``'`` before every text cell starting with ``FORMULA_START`` (a copy only if
    any does); numbers, dates and missing values are left alone."""
    out = df
    for c in df.columns:
        col = df[c]
        if not (col.dtype == object or pd.api.types.is_string_dtype(col.dtype)):
            continue
        text = col.map(lambda v: isinstance(v, str)) if col.dtype == object else col.notna()
        hit = (text.astype(bool) & col.astype(str).str.startswith(FORMULA_START)).to_numpy(dtype=bool)
        if hit.any():
            if out is df:
                out = df.copy()
            out[c] = col.astype(object).where(~hit, "'" + col.astype(str))
    return out
