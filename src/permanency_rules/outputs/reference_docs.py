"""Reference pages generated from code: the fact vocabulary and the caseload tables."""

from __future__ import annotations

from ..adapters.tables import LIST_SEP, TABLES
from ..facts.schema import FACT_TYPES


def facts_page() -> str:
    lines = [
        "# Fact vocabulary",
        "",
        "Rules are written against these facts. Generated from `facts/schema.py` by "
        "`permanency-rules docs`; do not edit by hand. *required* fields are present in every "
        "fact of the type; others may be missing, and any comparison with a missing field is false.",
        "",
    ]
    for fact, fields in FACT_TYPES.items():
        lines += [
            f"## `{fact}`",
            "",
            "| field | kind | required | meaning | codes |",
            "|---|---|---|---|---|",
        ]
        for name, spec in fields.items():
            codes = ", ".join(spec.values) if spec.values else ""
            lines.append(
                f"| `{name}` | {spec.kind} | {'yes' if spec.required else ''} | {spec.doc} | {codes} |"
            )
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
    return "\n".join(lines)
