"""``veiligheidskaart report ...``: make a report as PDF or HTML, and run the report job queue.

A report of which a vastgesteld or gepubliceerd version exists is made from that version (its
pinned datasets and interpretations); otherwise a fresh one from the current datasets, which is
not stored.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

AddCommand = Callable[[str, Callable[[argparse.Namespace], int], str], Any]
FORMATS = ("pdf", "html")


def register(add: AddCommand) -> None:
    report = add("report", cmd_report, "maak een rapport (PDF of HTML) of draai de rapporttaken")
    sub = report.add_subparsers(dest="soort", required=True)
    for kind, flag, help_text in (
        ("tussenstand", "--periode", "halfjaar, bijvoorbeeld 2024-H2"),
        ("actieplan", "--jaar", "jaar van het actieplan, bijvoorbeeld 2025"),
        ("jaarmonitor", "--jaar", "jaar, bijvoorbeeld 2024"),
        ("stadsdeel", "--jaar", "jaar, bijvoorbeeld 2024"),
    ):
        p = sub.add_parser(kind, help=f"{kind} ({help_text})")
        p.add_argument(flag, dest="periode", required=True, help=help_text)
        if kind == "stadsdeel":
            p.add_argument("--stadsdeel", required=True, help="code (SD…) of naam")
        p.add_argument("--format", choices=FORMATS, default="pdf")
        p.add_argument("--out", required=True, help="bestand om te schrijven")
        p.add_argument("--gemeente", help="gemeentecode (standaard de eigen gemeente)")
    jobs = sub.add_parser("jobs", help="toon de rapporttaken, of voer ze uit (voor cron)")
    jobs.add_argument("--run", action="store_true", help="voer de wachtende taken uit")
    jobs.add_argument("--blijf", action="store_true", help="blijf op nieuwe taken wachten")


def cmd_report(args: argparse.Namespace) -> int:
    if args.soort == "jobs":
        return _jobs(args)
    from veiligheidskaart.cli import ProgressPrinter, UsageError, _gemeente
    from veiligheidskaart.reports import content as c
    from veiligheidskaart.reports.document import build_content
    from veiligheidskaart.reports.models import Report
    from veiligheidskaart.reports.render import render_html, render_pdf
    from veiligheidskaart.reports.services import report_html

    gemeente = _gemeente(args.gemeente)
    try:
        subject = c.subject(args.soort, gemeente, args.periode, getattr(args, "stadsdeel", ""))
    except c.ReportInputError as exc:
        raise UsageError(str(exc)) from exc
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UsageError(f"map {out.parent} bestaat niet (--out)")
    progress = ProgressPrinter(f"rapport {subject.kind}")
    stored = _stored(Report, subject)
    if stored is not None:
        print(f"[rapport {subject.kind}] {stored.status} rapport {stored.pk} uit de vastgelegde "
              "datasetversies", file=sys.stderr)  # fmt: skip
        html = report_html(stored, for_pdf=args.format == "pdf")
    else:
        print(f"[rapport {subject.kind}] nieuw concept uit de actuele datasets (niet bewaard)",
              file=sys.stderr)  # fmt: skip
        pinned = frozenset(c.current_datasets(gemeente))
        content = build_content(subject, pinned, progress)
        html = render_html(content, {}, "concept", None, for_pdf=args.format == "pdf")
    if args.format == "html":
        out.write_text(html, encoding="utf-8")
    else:
        progress("PDF opmaken", 0, 1)
        out.write_bytes(render_pdf(html))
    print(f"{out} geschreven ({out.stat().st_size:,} bytes)".replace(",", "."))
    return 0


def _stored(report_model: Any, subject: Any) -> Any:
    """The most advanced stored version of this report that has content."""
    rows = report_model.objects.filter(
        kind=subject.kind, gemeente_code=subject.gemeente.code, periode=subject.periode,
        stadsdeel_code=subject.stadsdeel.code if subject.stadsdeel else "",
        status__in=("gepubliceerd", "vastgesteld"),
    ).exclude(content={})  # fmt: skip
    for status in ("gepubliceerd", "vastgesteld"):
        found = rows.filter(status=status).order_by("-created_at").first()
        if found is not None:
            return found
    return None


def _jobs(args: argparse.Namespace) -> int:
    from veiligheidskaart.reports import jobs
    from veiligheidskaart.reports.models import ReportJob

    if args.run:
        count = jobs.run_pending(keep_polling=args.blijf)
        print(f"{count} rapporttaken uitgevoerd")
        return 0
    rows = ReportJob.objects.select_related("report").order_by("-requested_at")[:50]
    for job in rows:
        print(f"{job.pk}\t{job.state}\t{job.progress}%\t{job.action}\t{job.report.title}"
              f"\t{job.error or job.stage}")  # fmt: skip
    return 0
