"""The command line: ``permanency-rules check | evaluate | report | whatif | synth | explain | docs | lint``.

The only place that may default ``--as-of`` to today's date, and it says so on stderr.
User errors end with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .language.errors import RuleLoadError
from .model.errors import CaseValidationError

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="Flag permanency-planning problems in child-welfare cases.",
)
#: Input text (ids, offices, worker ids) is printed verbatim: no Rich markup, emoji codes or
#: highlighting, no wrapping (an error stays one line), and control characters escaped.
err = Console(stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True)
out = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
T = TypeVar("T")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: object) -> str:
    """``text`` with control and bidi characters shown as escapes (no terminal sequences pass)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def say(console: Console, text: object) -> None:
    """Print one line of text verbatim."""
    console.print(clean(text), markup=False, emoji=False, highlight=False, soft_wrap=True)


AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Evaluation date YYYY-MM-DD (default: today, announced).")
]
RulesOpt = Annotated[
    Path | None, typer.Option("--rules", help="Rules folder (default: the bundled catalogue).")
]
ExtraOpt = Annotated[
    Path | None,
    typer.Option("--extra-rules", help="Folder of local rules added to the catalogue (no id clashes)."),
]
#: Default request body cap of ``serve`` (the service module is imported only when serving).
MAX_BODY = 1_000_000
ProfileOpt = Annotated[str | None, typer.Option("--profile", help="Jurisdiction profile name or file.")]


def _fail(message: str) -> typer.Exit:
    say(err, f"error: {message}")
    return typer.Exit(2)


def _as_of(value: str | None) -> date:
    if value is None:
        today = date.today()
        say(err, f"note: --as-of not given; using today's date {today.isoformat()}")
        return today
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"--as-of {value!r} is not a date YYYY-MM-DD") from None


def _catalogue(rules: Path | None, extra: Path | None, profile: str | None = None) -> Any:
    from .evaluation import resolve_catalogue

    return _guard(lambda: resolve_catalogue(rules, profile, extra=extra))


def _guard(fn: Callable[[], T], *, errors_as_data: bool = False) -> T:
    """Run ``fn``; turn user-facing errors into one line and exit code 2.

    ``errors_as_data``: a bad case is also printed on stdout as ``evaluate_json`` answers it
    (``{"ok": false, "case_id", "errors": [{path, reason}]}``), for a host reading stdout."""
    try:
        return fn()
    except CaseValidationError as exc:
        if errors_as_data:
            sys.stdout.write(json.dumps(_errors_as_data(exc), indent=2) + "\n")
        raise _fail(str(exc)) from None
    except RuleLoadError as exc:
        first = exc.errors[0] if exc.errors else "rule catalogue"
        more = f" (and {len(exc.errors) - 1} more)" if len(exc.errors) > 1 else ""
        raise _fail(f"{first}{more}") from None
    except OSError as exc:  # a missing input, an unwritable --out, a full disk
        raise _fail(f"{exc.strerror or type(exc).__name__}: {exc.filename or exc}") from None
    except KeyError as exc:
        raise _fail(str(exc.args[0]) if exc.args else "not found") from None
    except ValueError as exc:
        raise _fail(str(exc)) from None


@app.command()
def check(
    input: Annotated[
        Path, typer.Argument(help="Folder of tables (CSV/Parquet), a .jsonl file or an AFCARS file.")
    ],
    out_file: Annotated[Path, typer.Option("--out", help="Findings file: .csv, .parquet or .jsonl.")],
    as_of: AsOf = None,
    summary: Annotated[Path | None, typer.Option("--summary", help="Summary by rule file.")] = None,
    cases_file: Annotated[Path | None, typer.Option("--cases", help="Per-case table file.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="An HTML report with charts.")] = None,
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            help="Columns to group the summary by, comma-separated: office, worker_id, or a column "
            "of the cases table such as supervisor or unit (AFCARS: state, county).",
        ),
    ] = None,
    rollup_file: Annotated[
        Path | None, typer.Option("--rollup", help="One row per group: its own cases and findings.")
    ] = None,
    deadlines: Annotated[
        Path | None,
        typer.Option("--deadlines", help="Every deadline of every checked case (the tickler table)."),
    ] = None,
    due_summary: Annotated[
        Path | None,
        typer.Option("--due-summary", help="Deadlines due and met per office and worker, by type."),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", help="Findings table of an earlier run: the report shows the diff."),
    ] = None,
    mask_small: Annotated[
        bool,
        typer.Option("--mask-small", help="Report: show counts of 1-10 as <11, and no case lists."),
    ] = False,
    rules: RulesOpt = None,
    extra_rules: ExtraOpt = None,
    profile: ProfileOpt = None,
    backend: Annotated[str, typer.Option(help="pandas, durable, builtin or auto (per case).")] = "pandas",
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Processes that check blocks in parallel [default: this machine's cores]."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Check a whole caseload and write one table of findings."""
    from .caseload import check_caseload
    from .outputs.files import check_output_paths, write_all
    from .outputs.tables import write_table

    day = _as_of(as_of)
    if backend not in ("pandas", "durable", "builtin", "auto"):
        raise _fail("--backend must be pandas, durable, builtin or auto")
    for path in (out_file, summary, cases_file, rollup_file, deadlines, due_summary, previous):
        if path is not None and path.suffix not in (".csv", ".parquet", ".jsonl"):
            raise _fail(f"{path}: output must end in .csv, .parquet or .jsonl")
    if not input.exists():
        raise _fail(f"input not found: {input}")
    if previous is not None and not previous.is_file():
        raise _fail(f"--previous not found: {previous}")
    catalogue = _catalogue(rules, extra_rules) if extra_rules else rules
    outputs = [out_file, summary, cases_file, rollup_file, deadlines, due_summary, html]
    inputs = [*_input_files(input), *([previous] if previous else [])]
    _guard(lambda: check_output_paths(outputs, inputs))
    with Progress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
        auto_refresh=False,  # no refresh thread: a single-threaded run forks its helpers (batch/pool.py)
    ) as bar:
        task = bar.add_task("cases", total=None)
        result = _guard(
            lambda: check_caseload(
                input,
                day,
                rules=catalogue,
                profile=profile,
                backend=backend,  # type: ignore[arg-type]
                group_by=group_by,
                workers=workers,
                progress=lambda n: bar.update(task, advance=n, refresh=True),
            )
        )
    writers: list[tuple[Path, Callable[[Path], None]]] = [
        (out_file, lambda p: write_table(result.findings, p))
    ]
    if summary:
        writers.append((summary, lambda p: write_table(result.summary, p)))
    if cases_file:
        writers.append((cases_file, lambda p: write_table(result.cases, p)))
    if rollup_file:
        writers.append((rollup_file, lambda p: write_table(result.groups, p)))
    if deadlines:
        writers.append((deadlines, lambda p: write_table(result.deadlines, p)))
    if due_summary:
        from .batch.deadlines import due_summary as summarize_due

        due = summarize_due(result.deadlines, result.cases, ["office", "worker_id"])
        writers.append((due_summary, lambda p: write_table(due, p)))
    if html:
        from .evaluation import resolve_catalogue
        from .outputs.html_report import render_html

        changes = None
        if previous is not None:
            from .outputs.diff import diff_findings
            from .outputs.tables import read_table

            changes = _guard(lambda: diff_findings(read_table(previous), result.findings))
        cat = resolve_catalogue(catalogue, profile)
        page = render_html(result, day, cat.version, profile, mask_small=mask_small, diff=changes)
        writers.append((html, lambda p: _write_text(p, page)))
    _guard(lambda: write_all(writers))
    for note in result.notes:
        say(err, f"note: {note}")
    by_reason: dict[str, list[str]] = {}
    for ne in result.run_not_evaluable:
        by_reason.setdefault(ne["missing"], []).append(ne["rule_id"])
    for reason, ids in by_reason.items():
        say(
            err,
            f"note: {len(ids)} rule(s) not evaluable for this run ({reason} not in the input): "
            f"{', '.join(ids)}",
        )
    _print_summary(result, day)


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _input_files(input: Path) -> list[Path]:
    """Files an output must never overwrite: the input, or every table a folder holds or could."""
    if not input.is_dir():
        return [input]
    from .adapters.tables import TABLES

    named = [input / f"{n}{ext}" for n in TABLES for ext in (".csv", ".parquet")]
    return [*(p for p in input.iterdir() if p.is_file()), *named]


#: Groups printed on the terminal (the --summary file has them all).
MAX_GROUPS_SHOWN = 40


def _print_summary(result: Any, day: date) -> None:
    summary, totals, keys = result.summary, result.totals, result.group_by
    t = Table(title=f"Findings by rule, as of {day.isoformat()}")
    cols = ["family", "rule_id", "severity", "cases_flagged", "findings"]
    for c in cols:
        t.add_column(c, justify="right" if c in ("cases_flagged", "findings") else "left")
    by_rule = summary.groupby(["family", "rule_id", "severity"], sort=True)[
        ["cases_flagged", "findings"]
    ].sum()
    for (family, rule_id, severity), row in by_rule[by_rule["findings"] > 0].iterrows():
        t.add_row(family, rule_id, severity, str(row["cases_flagged"]), str(row["findings"]))
    out.print(t)
    if keys:
        g = Table(title=f"By {', '.join(keys)}")
        counts = ["cases_in", "cases_checked", "cases_rejected", "cases_flagged", "findings"]
        for c in [*keys, *counts]:
            g.add_column(c, justify="right" if c in counts else "left")
        for row in result.groups.head(MAX_GROUPS_SHOWN).itertuples(index=False):
            values = row._asdict()
            g.add_row(
                *(Text(clean(values[k]) if isinstance(values[k], str) else "(none)") for k in keys),
                *(str(values[c]) for c in counts),
            )
        out.print(g)
        if len(result.groups) > MAX_GROUPS_SHOWN:
            out.print(
                f"({len(result.groups) - MAX_GROUPS_SHOWN} more groups in the --summary file)",
                highlight=False,
            )
    say(
        out,
        f"cases in: {totals['cases_in']}  checked: {totals['cases_checked']}  "
        f"rejected: {totals['cases_rejected']}  findings: {totals['findings']}",
    )


@app.command()
def evaluate(
    case_file: Annotated[
        Path,
        typer.Argument(help="One case: .json or .yaml (plain or with a 'case:' key), or - for stdin."),
    ],
    as_of: AsOf = None,
    fmt: Annotated[
        str, typer.Option("--format", help="json or text. json: a bad case prints {ok: false, errors}.")
    ] = "json",
    rules: RulesOpt = None,
    extra_rules: ExtraOpt = None,
    profile: ProfileOpt = None,
    engine: Annotated[
        str,
        typer.Option(help="auto (durable-rules where it imports, else builtin), durable, builtin or pandas."),
    ] = "auto",
    explain: Annotated[
        bool, typer.Option("--explain", help="Text: add principle, sources, next step.")
    ] = False,
) -> None:
    """Evaluate one case and print its report (findings and deadlines).

    A case file's own ``as_of`` and ``profile`` are used unless the flags say otherwise, and
    its ``expect:`` is checked (a note on stderr; ``permanency-rules test`` gives pass/fail)."""
    from . import evaluate as run

    if fmt not in ("json", "text"):
        raise _fail("--format must be json or text")
    from .engines.choice import ENGINE_NAMES, resolve_engine

    if engine not in ENGINE_NAMES:
        raise _fail(f"--engine must be one of {', '.join(ENGINE_NAMES)}")
    _guard(lambda: resolve_engine(engine))
    as_data = fmt == "json"  # a bad case: {ok: false, errors} on stdout, as evaluate_json answers
    case, day, profile, doc = _case_and_day(case_file, as_of, profile, errors_as_data=as_data)
    cat = _catalogue(rules, extra_rules, profile)
    report = _guard(lambda: run(case, day, rules=cat, engine=engine), errors_as_data=as_data)
    _note_expectation(doc, report)
    if fmt == "json":
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
        return
    say(out, f"case {report.case_id} as of {report.as_of}: {len(report.findings)} finding(s)")
    for f in report.findings:
        say(out, f"[{f.severity}] {f.rule_id} {f.title}: {f.message}")
        if explain:
            sources = "; ".join(c.label() for c in f.citations)
            for label, text in (
                ("principle", f.principle),
                ("sources", sources),
                ("next step", f.remediation),
            ):
                say(out, f"    {label}: {' '.join(text.split())}")
    for n in report.not_evaluable:
        say(out, f"[not evaluable] {n.rule_id}: missing {', '.join(n.missing)}")
    for d in report.deadlines:
        say(out, f"  {d.name:<28} {d.status:<15} {d.due_date or '-'}  {d.basis}")


#: Synthetic histories reach decades back from --as-of; outside these years they leave the calendar.
SYNTH_YEARS = (1950, 9000)


CaseArg = Annotated[Path, typer.Argument(help="One case: .json or .yaml (plain or with a 'case:' key).")]


def _note(text: str) -> None:
    """One note on stderr, never wrapped or styled (it may hold a path)."""
    sys.stderr.write(text + "\n")


def _note_expectation(doc: dict[str, Any], report: Any) -> None:
    from collections import Counter

    from .expectations import expected_findings

    want = expected_findings(doc)
    if want is None:
        return
    got = Counter(f.rule_id for f in report.findings)
    if got == want:
        _note("note: the case file's expected findings are met")
        return
    extra, missing = sorted((got - want).elements()), sorted((want - got).elements())
    _note(
        "note: the case file's expected findings are NOT met"
        + (f"; unexpected {', '.join(extra)}" if extra else "")
        + (f"; missing {', '.join(missing)}" if missing else "")
    )


def _errors_as_data(exc: CaseValidationError) -> dict[str, Any]:
    """What ``evaluate_json`` answers for a bad case: paths and reasons, never values."""
    return {
        "ok": False,
        "case_id": exc.case_id,
        "errors": [{"path": e.path, "reason": e.reason} for e in exc.errors],
    }


def _case_and_day(
    case_file: Path, as_of: str | None, profile: str | None, *, errors_as_data: bool = False
) -> tuple[Any, date, str | None, dict[str, Any]]:
    """The case in ``case_file`` (``-``: standard input), the date and the profile to use.

    A wrapped case file may carry its own ``as_of`` and ``profile``; flags override them and say so.
    """
    from .model.io import load_case_document, load_case_stream

    def load() -> tuple[Any, dict[str, Any]]:
        if str(case_file) == "-":
            return load_case_stream(sys.stdin.buffer.read())
        return load_case_document(case_file)

    case, doc = _guard(load, errors_as_data=errors_as_data)
    file_day = doc.get("as_of")
    if as_of is None and isinstance(file_day, date):
        day = file_day
        _note(f"note: using the case file's as_of {day.isoformat()}")
    else:
        day = _as_of(as_of)
        if isinstance(file_day, date) and file_day != day:
            _note(f"note: --as-of {day.isoformat()} overrides the case file's as_of {file_day.isoformat()}")
    file_profile = doc.get("profile")
    if profile is None and isinstance(file_profile, str):
        profile = file_profile
        _note(f"note: using the case file's profile {profile}")
    elif isinstance(file_profile, str) and profile != file_profile:
        _note(f"note: --profile {profile} overrides the case file's profile {file_profile}")
    return case, day, profile, doc


@app.command()
def report(
    case_file: CaseArg,
    out_file: Annotated[Path, typer.Option("--out", help="The HTML page to write.")],
    as_of: AsOf = None,
    patch: Annotated[
        Path | None, typer.Option("--patch", help="Add a what-if section for this patch (.yaml/.json).")
    ] = None,
    rules: RulesOpt = None,
    extra_rules: ExtraOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Write one case's page: timeline with its legal clocks, deadlines, findings (and a what-if)."""
    from .outputs.case_report import case_report_html

    if out_file.suffix.lower() not in (".html", ".htm"):
        raise _fail(f"{out_file}: the report must end in .html")
    case, day, profile, _doc = _case_and_day(case_file, as_of, profile)
    changes = _guard(lambda: _load_patch(patch)) if patch else None
    cat = _catalogue(rules, extra_rules, profile)
    html = _guard(lambda: case_report_html(case, day, rules=cat, changes=changes))
    _write_text_atomic(out_file, html)
    err.print(f"wrote {out_file}", markup=False, highlight=False)


def _write_text_atomic(path: Path, text: str, inputs: tuple[Path, ...] = ()) -> None:
    """Check the path, write beside the target, then rename: a reader never sees half a file."""
    from .outputs.files import check_output_paths, write_all

    _guard(lambda: check_output_paths([path], inputs))
    _guard(lambda: write_all([(path, lambda p: _write_text(p, text))]))


def _load_patch(path: Path) -> Any:
    from .whatif import load_patch

    return load_patch(path)


@app.command()
def whatif(
    case_file: CaseArg,
    patch: Annotated[Path, typer.Option("--patch", help="JSON Merge Patch, or add/remove/replace list.")],
    as_of: AsOf = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    rules: RulesOpt = None,
    extra_rules: ExtraOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Compare a case before and after a change: findings that appear, disappear, persist."""
    from .whatif import what_if

    if fmt not in ("json", "text"):
        raise _fail("--format must be json or text")
    case, day, profile, _doc = _case_and_day(case_file, as_of, profile)
    changes = _guard(lambda: _load_patch(patch))
    cat = _catalogue(rules, extra_rules, profile)
    result = _guard(lambda: what_if(case, changes, day, rules=cat))
    if fmt == "json":
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(result.text() + "\n")


@app.command()
def synth(
    cases: Annotated[int, typer.Option("--cases", min=1, help="How many cases.")],
    out_path: Annotated[Path, typer.Option("--out", help="Folder for tables, or a .jsonl file.")],
    fmt: Annotated[str, typer.Option("--format", help="csv, parquet, jsonl or afcars.")] = "csv",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    as_of: Annotated[str, typer.Option("--as-of", help="Date the caseload is drawn up to.")] = "2026-11-01",
) -> None:
    """Write a seeded synthetic caseload with planted problems (``--format afcars``: one legacy
    AFCARS file, tab-delimited unless --out ends in .csv or .parquet)."""
    from .synth import synth_afcars, synth_caseload, write_afcars, write_caseload

    if fmt not in ("csv", "parquet", "jsonl", "afcars"):
        raise _fail("--format must be csv, parquet, jsonl or afcars")
    day = _as_of(as_of)
    if not SYNTH_YEARS[0] <= day.year <= SYNTH_YEARS[1]:
        raise _fail(f"--as-of for synth must fall in the years {SYNTH_YEARS[0]} to {SYNTH_YEARS[1]}")
    if fmt == "afcars":
        if out_path.suffix not in (".tab", ".tsv", ".txt", ".csv", ".parquet"):
            raise _fail(f"{out_path}: an AFCARS file must end in .tab, .tsv, .txt, .csv or .parquet")
        records, plants = synth_afcars(cases, day, seed)
        _guard(lambda: write_afcars(records, out_path))
        err.print(
            f"wrote {len(records)} AFCARS records ({len(plants)} with a planted bad value) to {out_path}",
            highlight=False,
        )
        return
    data, planted = synth_caseload(cases, day, seed)
    _guard(lambda: write_caseload(data, out_path, fmt, planted))
    say(
        err,
        f"wrote {len(data)} cases to {out_path} ({planted['case_id'].nunique()} with planted problems, "
        "listed in planted.csv beside them)",
    )


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="Findings table of the earlier run (.csv, .parquet, .jsonl).")],
    new: Annotated[Path, typer.Argument(help="Findings table of the later run.")],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Every finding with its change: .csv, .parquet or .jsonl.")
    ] = None,
    summary: Annotated[
        Path | None, typer.Option("--summary", help="Counts overall, per office and per worker.")
    ] = None,
) -> None:
    """Compare two runs: new, resolved and persisting findings (by finding_id)."""
    from .outputs.diff import diff_findings
    from .outputs.files import check_output_paths, write_all
    from .outputs.tables import check_extension, read_table, write_table

    for path in (out_file, summary):
        if path is not None:
            _guard(lambda p=path: check_extension(p))  # type: ignore[misc]
    _guard(lambda: check_output_paths((out_file, summary), protected=(old, new)))
    result = _guard(lambda: diff_findings(read_table(old), read_table(new)))
    writers = [
        (path, lambda p, df=df: write_table(df, p))
        for path, df in ((out_file, result.rows), (summary, result.summary))
        if path is not None
    ]
    _guard(lambda: write_all(writers))
    t = Table(title=f"Findings {old.name} -> {new.name}")
    for c in ("office", "worker", "new", "resolved", "persisting"):
        t.add_column(c, justify="left" if c in ("office", "worker") else "right")
    for row in result.summary[result.summary["level"] != "worker"].itertuples(index=False):
        office = "all" if row.level == "all" else (row.office if isinstance(row.office, str) else "(none)")
        t.add_row(Text(office), "", str(row.new), str(row.resolved), str(row.persisting))
    out.print(t)
    totals = result.totals
    out.print(
        f"new: {totals['new']}  resolved: {totals['resolved']}  persisting: {totals['persisting']}",
        highlight=False,
    )


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. PR-MG-001.")],
    case_file: Annotated[
        Path | None, typer.Option("--case", help="Show why this case does or does not flag.")
    ] = None,
    as_of: AsOf = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json (with --case).")] = "text",
    rules: RulesOpt = None,
    extra_rules: ExtraOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """A rule's page for a classroom; with --case, which of its tests held or failed, and why."""
    from .outputs.rule_docs import rule_page

    if fmt not in ("json", "text"):
        raise _fail("--format must be json or text")
    cat = _catalogue(rules, extra_rules)
    rule = _find_rule(cat, rule_id)
    if case_file is None:
        page = rule_page(rule, cat, trainer=True)
        if _stdout_is_terminal():
            from rich.markdown import Markdown

            out.print(Markdown(page))
        else:
            sys.stdout.write(page + "\n")
        return
    import dataclasses

    from .whynot import why_not

    case, day, profile, _doc = _case_and_day(case_file, as_of, profile)
    trace = _guard(lambda: why_not(rule.id, case, day, rules=cat.with_profile(profile)))
    if fmt == "json":
        data = {"flags": trace.flags, "verdict": trace.verdict(), **dataclasses.asdict(trace)}
        sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
    else:
        sys.stdout.write(trace.text() + "\n")


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _find_rule(cat: Any, rule_id: str) -> Any:
    """The rule, or a one-line error suggesting the closest ids (case and typos forgiven)."""
    import difflib

    ids = [r.id for r in cat.rules]
    if rule_id in ids:
        return cat.rule(rule_id)
    close = difflib.get_close_matches(rule_id.strip().upper(), ids, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else "; run 'permanency-rules docs' for the list"
    raise _fail(f"unknown rule id {rule_id!r}{hint}")


@app.command()
def docs(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Docs folder: rules/ pages, facts.md and tables.md go inside it.")
    ] = Path("docs"),
    rules: RulesOpt = None,
    extra_rules: ExtraOpt = None,
) -> None:
    """Regenerate the rule pages (DIR/rules/) and the reference pages from the catalogue."""
    from .outputs.reference_docs import facts_page, tables_page
    from .outputs.rule_docs import write_rule_docs

    if out_dir.exists() and not out_dir.is_dir():
        raise _fail(f"{out_dir}: not a folder")
    cat = _catalogue(rules, extra_rules)
    n = _guard(lambda: write_rule_docs(cat, out_dir / "rules"))
    _write_text_atomic(out_dir / "facts.md", facts_page() + "\n")
    _write_text_atomic(out_dir / "tables.md", tables_page() + "\n")
    from .clocks.registry import clocks_page

    _write_text_atomic(out_dir / "clocks.md", clocks_page() + "\n")
    say(err, f"wrote {n} rule pages to {out_dir / 'rules'}, and facts.md, tables.md, clocks.md")


@app.command()
def lint(rules: RulesOpt = None, extra_rules: ExtraOpt = None, profile: ProfileOpt = None) -> None:
    """Load and check the rule catalogue and every profile (or the one named); list every
    problem with file and line.

    Every active rule needs a flag and a no_flag example, and one example per exception."""
    from .evaluation import resolve_catalogue
    from .expectations import example_problems

    def load() -> tuple[Any, list[Any]]:
        try:
            cat = resolve_catalogue(rules, extra=extra_rules)
        except RuleLoadError as exc:
            return None, list(exc.errors)
        problems: list[Any] = []
        profiles: list[str | Path] = [profile] if profile else sorted((cat.root / "profiles").glob("*.yaml"))
        for p in profiles:
            try:
                cat.with_profile(p)
            except RuleLoadError as exc:
                problems.extend(exc.errors)
        return cat, problems + example_problems(cat)

    cat, problems = _guard(load)
    if problems or cat is None:
        for e in problems:
            say(err, e)
        say(err, f"{len(problems)} problem(s)")
        raise typer.Exit(2)
    say(out, f"{len(cat.rules)} rules OK (catalogue {cat.version})")


@app.command("test")
def test_files(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders (default: every rule's examples).", show_default=False),
    ] = None,
    rules: RulesOpt = None,
    extra_rules: ExtraOpt = None,
) -> None:
    """Run rule examples and case files that carry 'expect:'; pass or fail per file."""
    from .expectations import run_tests

    cat = _catalogue(rules, extra_rules)
    targets = list(paths) if paths else [p for r in cat.rules for p in r.examples]
    outcomes = _guard(lambda: run_tests(targets, cat))
    if not outcomes:
        raise _fail("no tests found: a test is a rule example or a case file with 'expect:'")
    here = Path.cwd()
    for o in outcomes:
        shown = o.path.relative_to(here) if o.path.is_relative_to(here) else o.path
        lines = [f"{'PASS' if o.passed else 'FAIL'} {shown} ({o.kind})", *(f"     {p}" for p in o.problems)]
        sys.stdout.write("\n".join(lines) + "\n")
    failed = sum(not o.passed for o in outcomes)
    sys.stdout.write(f"{len(outcomes) - failed} passed, {failed} failed\n")
    if failed:
        raise typer.Exit(1)


@app.command()
def schema(kind: Annotated[str, typer.Argument(help="case or report.")]) -> None:
    """Print the JSON Schema of a case file or of a report."""
    from .model.schema import KINDS, render_schema

    if kind not in KINDS:
        raise _fail("schema must be case or report")
    sys.stdout.write(render_schema(kind))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    rules: RulesOpt = None,
    max_body: Annotated[int, typer.Option("--max-body", min=1, help="Request body cap, bytes.")] = MAX_BODY,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    engine: Annotated[str, typer.Option(help="auto, durable or builtin.")] = "auto",
) -> None:
    """Run the HTTP decision service (POST /evaluate, CDS Hooks, rules, schemas; docs at /docs)."""
    import uvicorn

    from .service import create_app

    if workers > 1:
        if rules is not None or max_body != MAX_BODY or engine != "auto":
            raise _fail("--workers > 1 serves the bundled rules with the default options")
        uvicorn.run(
            "permanency_rules.service.app:default_app",
            host=host,
            port=port,
            workers=workers,
            factory=True,
            access_log=False,
        )
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if engine not in ("auto", "durable", "builtin"):
        raise _fail("--engine must be auto, durable or builtin")
    app_ = _guard(lambda: create_app(rules, max_body=max_body, engine=engine))  # type: ignore[arg-type]
    uvicorn.run(app_, host=host, port=port, access_log=False)  # our log line names no case content


def main() -> None:  # pragma: no cover
    app()
