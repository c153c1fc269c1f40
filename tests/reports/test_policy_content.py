"""The policy content of reports: per priority in the tussenstand, the actieplan, the stadsdeel
agenda with aandachtspunten, the BBV table, and the snapshot that keeps a published report."""

from __future__ import annotations

import re

import pytest

from veiligheidskaart.observations.queries import home_gemeente
from veiligheidskaart.policy import queries
from veiligheidskaart.policy.models import Action
from veiligheidskaart.policy.services import change_action_status
from veiligheidskaart.reports import content as c
from veiligheidskaart.reports import policy_sections as ps
from veiligheidskaart.reports import services
from veiligheidskaart.reports.document import build_content
from veiligheidskaart.reports.models import Report
from veiligheidskaart.web.charts import nl

pytestmark = pytest.mark.django_db


def published() -> Report:
    return Report.objects.get(kind="tussenstand", periode="2024-H2", status="gepubliceerd")


def content_of(kind: str, periode: str, stadsdeel: str = "") -> dict:
    gemeente = home_gemeente()
    subject = c.subject(kind, gemeente, periode, stadsdeel)
    return build_content(subject, frozenset(c.current_datasets(gemeente)), lambda *_: None)


def blocks(section: dict) -> list[dict]:
    return services.blocks_of(section)


def test_the_tussenstand_has_a_section_per_adopted_priority():
    report = published()
    adopted = list(queries.adopted_priorities(report.gemeente_code, 2024))
    assert adopted
    sections = {s["id"]: s for s in report.content["sections"]}
    for priority in adopted:
        section = sections[f"prio-{priority.pk}"]
        assert section["title"] == priority.title
        kinds = [b["type"] for b in blocks(section)]
        assert "duiding" in kinds
        tables = [b for b in blocks(section) if b["type"] == "table"]
        goals = list(priority.goals.all())
        if goals:
            goal_table = next(t for t in tables if t["caption"].startswith("Doelen"))
            assert [row[0] for row in goal_table["rows"]] == [g.title for g in goals]
            labels = {row[4] for row in goal_table["rows"]}
            assert labels <= {"behaald", "behaald binnen de marge van toeval", "op koers",
                              "risico", "niet op koers", "onvoldoende gegevens"}  # fmt: skip
        titles = {row[0] for t in tables if "acties" in t["caption"].lower() for row in t["rows"]}
        assert titles == {a.title for a in priority.actions.all()
                          if a.status in ("afgerond", "gepland", "in_uitvoering")}  # fmt: skip


def test_a_published_tussenstand_keeps_its_actions_as_they_were():
    report = published()
    html = services.report_html(report)
    action = Action.objects.filter(gemeente_code=report.gemeente_code,
                                   status="in_uitvoering").first()  # fmt: skip
    assert action is not None
    change_action_status(action, "afgerond", None, "Klaar.")
    assert services.reproduces(report)
    assert services.report_html(Report.objects.get(pk=report.pk)) == html
    fresh = ps.snapshot(services.subject_of(report))
    assert fresh != report.content["policy"]  # the live data did move: the test can fail


def test_the_actieplan_has_last_years_results_and_this_years_actions():
    content = content_of("actieplan", "2025")
    ids = [s["id"] for s in content["sections"]]
    assert ids[:2] == ["resultaten", "acties"]
    titles = [s["title"] for s in content["sections"]]
    assert titles[:2] == ["Resultaten 2024", "Acties 2025"]
    planned = {a.title for a in queries.actions("GM9999", year=2025).exclude(status="vervallen")}
    plan = next(s for s in content["sections"] if s["id"] == "acties")
    shown = {row[0] for b in blocks(plan) if b["type"] == "table" and b["caption"] == "Acties 2025"
             for row in b["rows"]}  # fmt: skip
    assert shown == planned


def test_the_stadsdeel_report_rounds_the_aandachtspunten():
    content = content_of("stadsdeel", "2024", "SD999902")
    agenda = next(s for s in content["sections"] if s["id"] == "agenda")
    text = " ".join(b["text"] for b in blocks(agenda) if b["type"] == "p")
    match = re.search(r"Bewoners gaven (\S+) aandachtspunten", text)
    assert match
    assert match.group(1) == "<5" or int(match.group(1)) % 5 == 0
    per_theme = [b for b in blocks(agenda) if b["type"] == "table"]
    for table in per_theme:
        for _, shown in table["rows"]:
            assert shown in ("<5", "x") or int(shown) % 5 == 0


def test_the_jaarmonitor_shows_the_bbv_indicators_of_the_policy_app():
    content = content_of("jaarmonitor", "2024")
    bbv = next(s for s in content["sections"] if s["id"] == "bbv")
    table = next(b for b in blocks(bbv) if b["type"] == "table")
    rows = {row[0]: row for row in table["rows"]}
    expected = {r.indicator.name: r for r in queries.bbv_rows(home_gemeente(), [2024])}
    for name, row in expected.items():
        shown = rows[name][-1]
        assert shown == (nl(row.value) if row.value is not None else "–")
