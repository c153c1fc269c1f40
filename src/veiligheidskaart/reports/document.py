"""Compute a report's content (the heavy part, run by a job or the CLI) from pinned datasets."""

from __future__ import annotations

from typing import Any

from veiligheidskaart.reports import builders
from veiligheidskaart.reports import content as c


def build_content(subject: c.Subject, pinned: frozenset[int], progress: c.Progress
                  ) -> dict[str, Any]:  # fmt: skip
    """Summary, sections, sources and methods of one report, as JSON-ready data."""
    kind, year = subject.kind, subject.year
    summary: list[str]
    sections: list[dict[str, Any]]
    if kind == "jaarmonitor":
        summary, sections = builders.jaarmonitor(subject, pinned, progress)
    elif kind == "tussenstand":
        scope = builders.gemeente_scope(subject, pinned)
        changes, figures = builders.figures_section(
            scope, year, subject.half, subject.period_label, "cijfers", progress
        )
        summary = builders.summary_lines(changes, subject.gemeente.name, subject.period_label)
        sections = [figures]
    elif kind == "actieplan":
        scope = builders.gemeente_scope(subject, pinned)
        changes, figures = builders.figures_section(
            scope, year - 1, None, str(year - 1), "resultaten-cijfers", progress
        )
        summary = builders.summary_lines(changes, subject.gemeente.name, str(year - 1))
        figures["title"] = f"Cijfers {year - 1}"
        sections = [figures]
    else:  # stadsdeel
        scope = builders.stadsdeel_scope(subject, pinned)
        changes, figures = builders.figures_section(
            scope, year, None, str(year), "cijfers", progress
        )
        summary = builders.summary_lines(changes, scope.label, str(year))
        sections = [figures]
    progress("bronnen vastleggen", 1, 1)
    return {
        "kind": kind,
        "title": subject.title,
        "gemeente": {"code": subject.gemeente.code, "name": subject.gemeente.name},
        "stadsdeel": subject.stadsdeel.name if subject.stadsdeel else "",
        "periode": subject.periode,
        "period_label": subject.period_label,
        "summary": summary,
        "sections": sections,
        "sources": c.provenance(sorted(pinned)),
        "methods": c.methods(kind),
    }
