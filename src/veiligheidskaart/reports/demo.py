"""Demo content: a published tussenstand 2024-H2 of Demostad, with interpretations, so that
/rapporten shows one. Idempotent: once it exists nothing is written again."""

from __future__ import annotations

from collections.abc import Callable

from veiligheidskaart.areas.models import Area
from veiligheidskaart.reports import content as c
from veiligheidskaart.reports import jobs, services
from veiligheidskaart.reports.models import Report

PERIODE = "2024-H2"
REFERENCE = "collegebesluit 2025/0142 (fictief)"
TEXTS = {  # on the city-wide figures: all three roles
    "analist": "De daling van het totaal aantal misdrijven valt binnen de marge van toeval. "
    "Woninginbraak is als enige significant gestegen en blijft het thema om te volgen.",
    "politie": "Het basisteam heeft in het tweede halfjaar extra gesurveilleerd in de "
    "centrumbuurten. De registratie is in deze periode niet veranderd.",
    "stadsdeel": "Bewoners in Noord noemen vooral jeugdoverlast bij de winkelcentra; dat staat op "
    "de stadsdeelagenda van volgend jaar.",
}
PRIORITY_TEXT = (  # on each priority: the analist's reading of the goal statuses
    "De stand van de doelen volgt uit de cijfers tot en met {period}; een doel 'niet op koers' "
    "vraagt om een besluit over extra inzet of een bijgesteld streefcijfer."
)


def seed(gemeente_code: str, progress: Callable[[str, int, int], None]) -> None:
    gemeente = (Area.objects.filter(level="gemeente", code=gemeente_code)
                .order_by("-vintage").first())  # fmt: skip
    if gemeente is None:
        return
    existing = Report.objects.filter(kind="tussenstand", gemeente_code=gemeente_code,
                                     periode=PERIODE, status="gepubliceerd").first()  # fmt: skip
    if existing is not None:
        services.make_pdf(existing)  # a file in VK_DATA_DIR, no rows: made again if removed
        return
    progress("tussenstand 2024-H2", 0, 1)
    report = services.request_report(c.subject("tussenstand", gemeente, PERIODE))
    jobs.run_report_jobs(report)
    report.refresh_from_db()
    for sec in report.content["sections"]:
        for block in services.blocks_of(sec):
            if block["type"] != "duiding":
                continue
            if block["key"].startswith("prio-"):
                text = PRIORITY_TEXT.format(period=report.content["period_label"])
                services.save_interpretation(report, block["key"], "analist", text)
                continue
            for role, text in TEXTS.items():
                services.save_interpretation(report, block["key"], role, text)
    report = services.adopt_report(report, reference=REFERENCE)
    services.publish_report(report)
    jobs.run_report_jobs(report)  # the PDF of the published version
    progress("tussenstand 2024-H2", 1, 1)
