"""Reference pages generated from code: the fact vocabulary, the caseload tables and the output tables."""

from __future__ import annotations

from ..adapters.tables import LIST_SEP, TABLES
from ..facts.fields import Column
from ..facts.schema import FACTS, READS_BY_NAME
from .table_docs import output_tables_page


def _columns(cols: frozenset[Column]) -> str:
    return ", ".join(f"`{t}.{c}`" for t, c in sorted(cols))


def facts_page() -> str:
    lines = [
        "# Fact vocabulary",
        "",
        "Rules are written against these facts. Generated from the fact modules (`facts/*.py`, "
        "collected by `facts/schema.py`) by `permanency-rules docs`; do not edit by hand. *required* "
        "fields are present in every fact of the type; others may be missing, and any comparison with "
        "a missing field is false. *Table columns* are the caseload columns ([tables.md](tables.md)) "
        "a field is derived from: when a caseload lacks one, the rules reading the field are not "
        "evaluable for the run.",
        "",
    ]
    for fact in FACTS:
        lines += [f"## `{fact.name}`", ""]
        if fact.rows:
            lines += [f"Which rows become facts: {_columns(fact.rows)}.", ""]
        lines += [
            "| field | kind | required | meaning | codes | table columns |",
            "|---|---|---|---|---|---|",
        ]
        for name, spec in fact.fields.items():
            codes = ", ".join(spec.values) if spec.values else ""
            cols = _columns(spec.reads) if fact.name != "deadline" else "by deadline, below"
            required = "yes" if spec.required else ""
            lines.append(f"| `{name}` | {spec.kind} | {required} | {spec.doc} | {codes} | {cols} |")
        lines.append("")
    lines += ["### Table columns of each deadline", "", "| deadline | table columns |", "|---|---|"]
    lines += [f"| `{name.value}` | {_columns(cols)} |" for name, cols in READS_BY_NAME.items()]
    lines.append("")
    return "\n".join(lines)


def tables_page() -> str:
    lines = [
        "# Caseload tables",
        "",
        "A caseload is a folder with one file per table, `<table>.csv` or `<table>.parquet`, "
        "keyed by `case_id`. Only `cases` is required. Every column is read as text and parsed by the "
        f"case model; dates are `YYYY-MM-DD`, flags `true`/`false`, lists are `{LIST_SEP}`-separated "
        "codes. Generated from `adapters/tables.py` by `permanency-rules docs`; do not edit by hand.",
        "",
    ]
    for name, table in TABLES.items():
        lines += [
            f"## `{name}`",
            "",
            table.doc,
            "",
            "| column | required | meaning | model field |",
            "|---|---|---|---|",
        ]
        for c in table.columns:
            target = c.field or c.name
            where = target if not table.target else f"{table.target}[].{target}"
            lines.append(f"| `{c.name}` | {'yes' if c.required else ''} | {c.doc} | `{where}` |")
        lines.append("")
    return "\n".join([*lines, *output_tables_page()]).rstrip("\n")
