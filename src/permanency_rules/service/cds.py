"""CDS Hooks: the discovery document and findings as cards.

No FHIR server is involved: the case travels in the hook request itself (``context.case``, or
``prefetch.case``), with the evaluation date in ``context.as_of``. Cards are transient advice;
``uuid`` is the finding id, so feedback can be stored against it.
"""

from __future__ import annotations

import re
from typing import Any

from ..outputs.findings import Finding

SERVICE_ID = "permanency-review"
HOOK = "case-view"
SUMMARY_MAX = 139  # CDS Hooks: a summary is under 140 characters
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def discovery() -> dict[str, Any]:
    return {
        "services": [
            {
                "id": SERVICE_ID,
                "hook": HOOK,
                "title": "Permanency review",
                "description": "Flags what stands between a child in foster care and a permanent home: "
                "missing or unrealistic goals, service gaps, overdue timelines, long-term foster care "
                "and weak engagement. Send the case in context.case and the date in context.as_of.",
                "usageRequirements": "context.as_of (YYYY-MM-DD) is required; context.profile is optional.",
            }
        ]
    }


def md(text: str) -> str:
    """Text (which may carry case values) made inert in Markdown, whitespace collapsed."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def card(f: Finding) -> dict[str, Any]:
    summary = " ".join(f.summary.split())
    if len(summary) > SUMMARY_MAX:
        summary = summary[: SUMMARY_MAX - 1].rstrip() + "…"
    cite = f.citations[0] if f.citations else None
    source: dict[str, Any] = {"label": cite.label() if cite else f.rule_id}
    if cite and cite.url:
        source["url"] = cite.url
    return {
        "uuid": f.finding_id,
        "summary": summary,
        "indicator": f.severity,
        "source": source,
        "detail": _detail(f),
    }


def _detail(f: Finding) -> str:
    lines = [md(f.message), "", f"**Principle.** {md(f.principle)}", "", "**Evidence.**", ""]
    for e in f.evidence:
        shown = ", ".join(f"{md(k)}: {md(_plain(v))}" for k, v in e.values.items())
        lines.append(f"* {md(e.fact_type)} {md(e.fact_id)}" + (f" ({shown})" if shown else ""))
    lines += ["", f"**Next step.** {md(f.remediation)}"]
    sources = "; ".join(md(c.label()) for c in f.citations)
    if sources:
        lines += ["", f"**Sources.** {sources}"]
    lines += ["", f"Rule {md(f.rule_id)} version {f.rule_version}."]
    return "\n".join(lines)


def _plain(v: Any) -> str:
    if v is None:
        return "unknown"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)
