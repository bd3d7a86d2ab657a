"""What each output table holds, column by column: the source of docs/tables.md's second half.

``tests/test_table_docs.py`` compares these lists with the tables a run writes, so the page
cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass

GROUPS = "*(group columns)*"


@dataclass(frozen=True)
class OutputTable:
    name: str
    written_by: str
    doc: str
    columns: tuple[tuple[str, str], ...]

    @property
    def names(self) -> list[str]:
        return [c for c, _ in self.columns if c != GROUPS]


_SEVERITY = "critical, warning or info"
OUTPUT_TABLES: tuple[OutputTable, ...] = (
    OutputTable(
        "findings",
        "`check --out FILE`; `check_caseload(...).findings`",
        "One row per finding, in case order. AFCARS data-quality findings (`DQ-AFCARS`) share it.",
        (
            ("case_id", "The case."),
            ("rule_id", "The rule that flagged it (or `DQ-AFCARS` for an AFCARS value not used)."),
            ("rule_version", "The rule's version; part of the finding id."),
            ("family", "Rule family, e.g. `overdue_timeline`, `data_quality`."),
            ("severity", f"{_SEVERITY}, as given: a due-soon finding can be milder than an overdue one."),
            ("deadline", "For deadline rules, the deadline it is about."),
            ("due_date", "For deadline rules, its due date."),
            (
                "status",
                "`flagged`; for deadline rules `overdue`, `due_soon`, `scheduled` (a hearing or "
                "review is calendared by the due date) or `missed` (a one-time duty that can no "
                "longer be done).",
            ),
            ("message", "What is wrong, with the dates and counts behind it; never names or notes."),
            ("finding_id", "Stable id (rule, version, case, facts matched): the key `diff` compares."),
            ("office", "The case's office."),
            ("worker_id", "The case's worker."),
            ("title", "The rule's title."),
        ),
    ),
    OutputTable(
        "per-case",
        "`check --cases FILE`; `check_caseload(...).cases`",
        "Every input case exactly once, in input order: cases in = checked + rejected. Columns "
        "named in `--group-by` that are not listed here (a column of the cases table such as "
        "`supervisor`, or an AFCARS file's `state` and `county`) follow at the end.",
        (
            ("case_id", "The case (`line-N`, `row-N` or `item-N` when it has none)."),
            ("office", "Office."),
            ("worker_id", "Worker."),
            ("status", "`checked` or `rejected`."),
            ("findings", "Findings for the case."),
            ("critical", "Of which critical."),
            ("warning", "Of which warning."),
            ("info", "Of which info."),
            ("not_evaluable", "Rules that could not be judged for this case (missing data)."),
            (
                "records_after_as_of",
                "Records dated after as_of, left out of this evaluation (the future as of that date).",
            ),
            ("errors", "For a rejected case, every problem found, each with its field path."),
        ),
    ),
    OutputTable(
        "summary",
        "`check --summary FILE`; `check_caseload(...).summary`",
        "One row per rule, or per group and rule with `--group-by`; every rule is listed, with 0 "
        "when it found nothing. Counts are the group's own.",
        (
            (GROUPS, "The `--group-by` columns, in order, when given."),
            ("family", "Rule family."),
            ("rule_id", "Rule."),
            ("severity", "The rule's severity (findings can be milder when only due soon)."),
            ("title", "The rule's title."),
            ("findings", "Findings."),
            ("cases_flagged", "Cases with at least one finding of the rule."),
            ("cases_checked", "Cases checked in the group (the whole run without groups)."),
            ("critical_findings", "Findings given severity critical."),
            ("warning_findings", "Findings given severity warning."),
            ("info_findings", "Findings given severity info."),
            ("overdue", "Findings about an overdue deadline."),
            ("due_soon", "Findings about a deadline due soon."),
            ("scheduled", "Findings about a deadline due soon with a hearing or review calendared."),
            ("missed", "Findings about a one-time duty whose window has passed."),
        ),
    ),
    OutputTable(
        "roll-up",
        "`check --rollup FILE`; `check_caseload(...).groups`",
        "One row per group (a single row without `--group-by`); the rows add up to the run's totals.",
        (
            (GROUPS, "The `--group-by` columns, in order, when given."),
            ("cases_in", "Cases in the group."),
            ("cases_checked", "Of which checked."),
            ("cases_rejected", "Of which rejected."),
            ("cases_flagged", "Checked cases with at least one finding."),
            ("findings", "Findings."),
            ("critical", "Of which critical."),
            ("warning", "Of which warning."),
            ("info", "Of which info."),
        ),
    ),
    OutputTable(
        "deadlines",
        "`check --deadlines FILE`; `check_caseload(...).deadlines`",
        "The tickler: every deadline of every checked case, met or open, pending ones included, "
        "with the status the clocks gave it. Ordered by case, then as the clocks sort them.",
        (
            ("case_id", "The case."),
            ("office", "The case's office."),
            ("worker_id", "The case's worker."),
            ("deadline", "Deadline type, e.g. `caseworker_visit`, `permanency_hearing`."),
            ("due_date", "Due date (empty when it cannot be set, e.g. not yet accruing)."),
            ("status", "The clocks' status, e.g. `met`, `met_late`, `overdue`, `due_soon`, `pending`."),
            ("basis", "How the due date was reached, e.g. `DEFC 2026-03-02 + 12 months`."),
            ("days_left", "Days from `--as-of` to the due date; negative when past."),
            ("subject", "The item it is about, when there are several (a trial home visit's placement)."),
        ),
    ),
    OutputTable(
        "due summary",
        "`check --due-summary FILE`; `batch.deadlines.due_summary(...)`",
        "Per office, worker and deadline type: what falls due and how often deadlines were met.",
        (
            ("office", "Office."),
            ("worker_id", "Worker."),
            ("caseload", "Cases checked for the worker."),
            ("deadline", "Deadline type."),
            ("open", "Deadlines open (overdue, due soon or pending)."),
            ("overdue", "Open and past due."),
            ("due_7d", "Open and due within 7 days."),
            ("due_30d", "Open and due within 30 days."),
            ("met", "Met on time."),
            ("met_late", "Met after the due date."),
            ("met_on_time_share", "met / (met + met_late + overdue); empty when none."),
        ),
    ),
    OutputTable(
        "diff",
        "`diff OLD NEW --out FILE`; `outputs.diff.diff_findings(old, new).rows`",
        "Every finding id in either run: new (only in NEW), resolved (only in OLD) or persisting. "
        "A persisting or new finding is described by NEW, a resolved one by OLD.",
        (
            ("change", "`new`, `resolved` or `persisting`."),
            ("finding_id", "The finding."),
            ("case_id", "The case."),
            ("office", "Office."),
            ("worker_id", "Worker."),
            ("rule_id", "Rule."),
            ("family", "Rule family."),
            ("severity", "Severity."),
            ("message", "Message."),
        ),
    ),
    OutputTable(
        "diff summary",
        "`diff OLD NEW --summary FILE`; `diff_findings(old, new).summary`",
        "Counts overall (`level` all), per office and per office and worker.",
        (
            ("level", "`all`, `office` or `worker`."),
            ("office", "Office (empty at level all)."),
            ("worker_id", "Worker (level worker only)."),
            ("new", "New findings."),
            ("resolved", "Resolved findings."),
            ("persisting", "Persisting findings."),
        ),
    ),
)


def output_tables_page() -> list[str]:
    lines = [
        "# Output tables",
        "",
        "Each is written as `.csv`, `.parquet` or `.jsonl` by the file's extension. Generated from "
        "`outputs/table_docs.py`; `tests/test_table_docs.py` holds them to what a run writes.",
        "",
    ]
    for t in OUTPUT_TABLES:
        lines += [f"## {t.name}", "", f"Written by {t.written_by}. {t.doc}", ""]
        lines += ["| column | meaning |", "|---|---|"]
        lines += [f"| {c if c == GROUPS else f'`{c}`'} | {doc} |" for c, doc in t.columns]
        lines.append("")
    return lines
