"""Benchmark: report generation for Demostad, every report type as HTML and as PDF.

Builds Demostad into a fresh SQLite database in a temporary folder (or uses ``--data-dir``),
then times, per report type: computing the content (figures from the pinned datasets),
rendering the HTML, and rendering the PDF/UA with WeasyPrint. The baseline, measured in the same
run, is WeasyPrint rendering a one-page HTML document with one table, so the ratios show what
the reports add to the fixed cost of a PDF. Target: under 15 s for a PDF, content included.
Never used as a test assertion. Run: ``.venv/bin/python benchmarks/bench_reports.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

MIN_FREE_BYTES = 500 * 1024 * 1024
TARGET_PDF_SECONDS = 15.0
REPORTS = (
    ("tussenstand", "2024-H2", ""),
    ("actieplan", "2025", ""),
    ("jaarmonitor", "2024", ""),
    ("stadsdeel", "2024", "SD999902"),
)
BASELINE_HTML = (
    '<!doctype html><html lang="nl"><head><title>Basis</title></head><body><h1>Basis</h1>'
    "<table><caption>Tabel</caption><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr>"
    "</table></body></html>"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", help="bestaande VK_DATA_DIR met Demostad (anders nieuw)")
    parser.add_argument("--herhaal", type=int, default=1, help="metingen per rapport (mediaan)")
    args = parser.parse_args()
    work = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="vk-bench-"))
    if shutil.disk_usage(work).free < MIN_FREE_BYTES:
        raise SystemExit(f"te weinig vrije schijfruimte in {work} (minimaal 500 MB)")
    os.environ["VK_DATA_DIR"] = str(work)
    os.environ.pop("VK_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veiligheidskaart.settings")
    import django

    django.setup()
    from veiligheidskaart.demo.services import build_demo
    from veiligheidskaart.observations.queries import home_gemeente
    from veiligheidskaart.reports import content as c
    from veiligheidskaart.reports.document import build_content
    from veiligheidskaart.reports.render import render_html, render_pdf

    if not args.data_dir:
        started = time.perf_counter()
        build_demo()
        print(f"Demostad bouwen:                 {time.perf_counter() - started:7.2f} s")
    gemeente = home_gemeente()
    assert gemeente is not None, "geen Demostad in deze map"
    render_pdf(BASELINE_HTML)  # the first call loads fonts: not part of any measurement
    baseline = median([timed(lambda: render_pdf(BASELINE_HTML)) for _ in range(3)])
    print(f"baseline: PDF van één pagina     {baseline:7.2f} s")
    pinned = frozenset(c.current_datasets(gemeente))
    for kind, periode, stadsdeel in REPORTS:
        subject = c.subject(kind, gemeente, periode, stadsdeel)
        runs = []
        for _ in range(args.herhaal):
            started = time.perf_counter()
            content = build_content(subject, pinned, lambda *_: None)
            computed = time.perf_counter()
            html = render_html(content, {}, "concept", None)
            rendered = time.perf_counter()
            pdf = render_pdf(html)
            done = time.perf_counter()
            runs.append((computed - started, rendered - computed, done - rendered, len(pdf)))
        content_s = median([r[0] for r in runs])
        html_s = content_s + median([r[1] for r in runs])
        pdf_s = content_s + median([r[2] for r in runs])
        verdict = "binnen" if pdf_s < TARGET_PDF_SECONDS else "BOVEN"
        print(f"{kind:<12} {periode:<8} HTML {html_s:6.2f} s  PDF {pdf_s:6.2f} s "
              f"({runs[-1][3] / 1024:5.0f} kB, {pdf_s / baseline:5.1f}x baseline; "
              f"{verdict} het doel van {TARGET_PDF_SECONDS:.0f} s)")  # fmt: skip
    if not args.data_dir:
        shutil.rmtree(work, ignore_errors=True)


def timed(func: object) -> float:
    started = time.perf_counter()
    func()  # type: ignore[operator]
    return time.perf_counter() - started


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


if __name__ == "__main__":
    main()
