"""Compute a report's content (the heavy part, run by a job or the CLI) from pinned datasets.

The figures are computed from the pinned dataset versions; the policy part (priorities, goals,
actions) is a snapshot, taken now or, for a frozen report, the one it keeps.
"""

from __future__ import annotations

from typing import Any

from veiligheidskaart.reports import builders
from veiligheidskaart.reports import content as c
from veiligheidskaart.reports import policy_sections as ps


def build_content(subject: c.Subject, pinned: frozenset[int], progress: c.Progress,
                  snapshot: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """Summary, sections, sources and methods of one report, as JSON-ready data."""
    kind, year = subject.kind, subject.year
    summary: list[str]
    sections: list[dict[str, Any]]
    snap = snapshot if snapshot is not None else ps.snapshot(subject)
    if kind == "jaarmonitor":
        bbv = ps.bbv_blocks(snap, year)
        summary, sections = builders.jaarmonitor(subject, pinned, progress, bbv)
    elif kind == "tussenstand":
        scope = builders.gemeente_scope(subject, pinned)
        priorities = ps.priority_sections(subject, scope, snap, progress)
        changes, figures = builders.figures_section(
            scope, year, subject.half, subject.period_label, "cijfers", progress
        )
        summary = ps.snapshot_summary(subject, snap) + builders.summary_lines(
            changes, subject.gemeente.name, subject.period_label
        )
        sections = [*priorities, figures]
    elif kind == "actieplan":
        scope = builders.gemeente_scope(subject, pinned)
        changes, figures = builders.figures_section(
            scope, year - 1, None, str(year - 1), "resultaten-cijfers", progress
        )
        summary = ps.snapshot_summary(subject, snap) + builders.summary_lines(
            changes, subject.gemeente.name, str(year - 1)
        )
        figures["title"] = f"Cijfers {year - 1}"
        sections = [*ps.actieplan_sections(subject, snap), figures]
    else:  # stadsdeel
        scope = builders.stadsdeel_scope(subject, pinned)
        changes, figures = builders.figures_section(
            scope, year, None, str(year), "cijfers", progress
        )
        summary = ps.snapshot_summary(subject, snap) + builders.summary_lines(
            changes, scope.label, str(year)
        )
        sections = [*ps.stadsdeel_sections(subject, snap), figures]
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
        "policy": snap,
    }
