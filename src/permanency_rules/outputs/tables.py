"""Write result tables by file extension: .csv, .parquet or .jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..conventions import TEXT

FORMATS = (".csv", ".parquet", ".jsonl")


def check_extension(path: Path) -> None:
    if path.suffix not in FORMATS:
        raise ValueError(f"{path}: output must end in {', '.join(FORMATS)}")


def write_table(df: pd.DataFrame, path: Path) -> None:
    check_extension(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        df.to_csv(path, index=False)
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
        return pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return pd.DataFrame(rows, dtype=object).astype("string")
