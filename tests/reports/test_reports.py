"""Reports: input checks, the frozen published report, the workflow, the job table, suppression."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from veiligheidskaart.catalogue.models import Indicator
from veiligheidskaart.cli import main
from veiligheidskaart.demo.services import demo_dir
from veiligheidskaart.observations.queries import home_gemeente
from veiligheidskaart.reports import content as c
from veiligheidskaart.reports import jobs, services
from veiligheidskaart.reports.document import build_content
from veiligheidskaart.reports.figures import Scope, area_map, gemeente_buurten
from veiligheidskaart.reports.models import Report, ReportJob, ReportTransition
from veiligheidskaart.sources.models import Dataset
from veiligheidskaart.sources.services import import_dataset

pytestmark = pytest.mark.django_db


def published() -> Report:
    return Report.objects.get(kind="tussenstand", periode="2024-H2", status="gepubliceerd")


def newer_crime_version(tmp_path: Path) -> Dataset:
    """A corrected 47022NED: every 2024 buurt month one higher, imported as a new version."""
    source = demo_dir() / "misdrijven" / "47022NED_demostad.csv"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    out = []
    for line in lines:
        parts = line.rstrip("\n").split(";")
        if len(parts) == 5 and '"BU' in parts[2] and "2024MM" in parts[3] and parts[4].isdigit():
            parts[4] = str(int(parts[4]) + 1)
            line = ";".join(parts) + "\n"
        out.append(line)
    path = tmp_path / "47022NED_demostad.csv"
    path.write_text("".join(out), encoding="utf-8")
    result = import_dataset("crime", path, {"gepubliceerd": "2025-03-15"})
    assert result.changed and result.version == 2
    return Dataset.objects.get(pk=result.dataset_id)


def test_demo_has_a_published_tussenstand_with_interpretations():
    report = published()
    assert report.decision_reference and report.html_sha256 and report.content_sha256
    texts = services.interpretations(report)
    assert set(texts["cijfers"]) == {"analist", "politie", "stadsdeel"}
    assert all("analist" in t for t in texts.values())
    history = list(report.transitions.values_list("from_status", "to_status"))
    assert history == [("", "concept"), ("concept", "vastgesteld"),
                       ("vastgesteld", "gepubliceerd")]  # fmt: skip


def test_published_report_regenerates_identically_after_a_newer_import(tmp_path):
    report = published()
    html_before = services.report_html(report)
    assert services.sha256(html_before) == report.html_sha256
    newer = newer_crime_version(tmp_path)
    assert services.reproduces(report)
    snapshot = report.content["policy"]
    again = build_content(services.subject_of(report), report.pinned, lambda *_: None, snapshot)
    assert c.digest(again) == report.content_sha256
    assert services.report_html(Report.objects.get(pk=report.pk)) == html_before
    # the same report from the current datasets does see the correction: the test can fail
    current = frozenset(c.current_datasets(home_gemeente()))
    fresh = build_content(services.subject_of(report), current, lambda *_: None, snapshot)
    assert newer.pk not in report.pinned
    assert c.digest(fresh) != report.content_sha256


def test_a_published_report_is_not_recomputed_and_its_interpretation_is_frozen():
    report = published()
    with pytest.raises(services.ReportError):
        services.compute_report(report, lambda *_: None, refresh=True)
    key = next(iter(services.interpretations(report)))
    with pytest.raises(services.ReportError, match="alleen in een concept"):
        services.save_interpretation(report, key, "analist", "nieuw")
    with pytest.raises(services.ReportError, match="kan niet"):
        services.reopen_report(report)


def test_workflow_follows_the_transition_table_and_history_is_appended():
    subject = c.subject("jaarmonitor", home_gemeente(), "2024")
    report = services.request_report(subject)
    with pytest.raises(services.ReportError, match="nog niet berekend"):
        services.adopt_report(report)
    assert jobs.run_report_jobs(report) == 1
    report.refresh_from_db()
    assert report.content["sections"] and report.status == "concept"
    with pytest.raises(services.ReportError, match="kan niet"):
        services.publish_report(report)  # concept → gepubliceerd skips vaststellen
    services.save_interpretation(report, "bbv", "politie", "Toelichting van de politie.")
    report = services.adopt_report(report, reference="B&W 2025/1")
    report = services.reopen_report(report, reason="correctie")
    report = services.adopt_report(report, reference="B&W 2025/2")
    report = services.publish_report(report)
    steps = list(ReportTransition.objects.filter(report=report).values_list("to_status", flat=True))
    assert steps == ["concept", "vastgesteld", "concept", "vastgesteld", "gepubliceerd"]
    assert report.decision_reference == "B&W 2025/2"
    assert "Toelichting van de politie." in services.report_html(report)


def test_interpretation_needs_a_known_slot_and_role():
    report = services.request_report(c.subject("jaarmonitor", home_gemeente(), "2024"))
    jobs.run_report_jobs(report)
    report.refresh_from_db()
    with pytest.raises(services.ReportError, match="onbekende rol"):
        services.save_interpretation(report, "bbv", "burgemeester", "x")
    with pytest.raises(services.ReportError, match="geen onderdeel"):
        services.save_interpretation(report, "bestaat-niet", "analist", "x")


def test_a_job_is_claimed_once():
    report = services.request_report(c.subject("jaarmonitor", home_gemeente(), "2024"))
    first = jobs.claim_next("runner-a", report)
    assert first is not None and first.state == "bezig" and first.worker == "runner-a"
    assert jobs.claim_next("runner-b", report) is None
    done = jobs.run_job(first)
    assert (done.state, done.progress) == ("klaar", 100)
    assert services.pdf_path(Report.objects.get(pk=report.pk)).exists()


def test_a_failing_job_is_recorded_not_raised():
    report = services.request_report(c.subject("jaarmonitor", home_gemeente(), "2024"))
    Report.objects.filter(pk=report.pk).update(gemeente_code="GM0000")
    job = jobs.claim_next("runner", report)
    assert job is not None
    done = jobs.run_job(job)
    assert done.state == "mislukt" and "GM0000" in done.error


def test_stale_jobs_fail_visibly():
    from django.utils import timezone

    report = services.request_report(c.subject("jaarmonitor", home_gemeente(), "2024"))
    ReportJob.objects.filter(report=report).update(
        state="bezig", started_at=timezone.now() - jobs.STALE_AFTER * 2
    )
    assert jobs.fail_stale() == 1
    assert ReportJob.objects.get(report=report).state == "mislukt"


@pytest.mark.parametrize(
    ("kind", "periode", "stadsdeel", "message"),
    [
        ("tussenstand", "2024", "", "onbekende periode '2024'"),
        ("tussenstand", "2031-H1", "", "onbekende periode '2031-H1'"),
        ("jaarmonitor", "2024-H2", "", "onbekende periode"),
        ("stadsdeel", "2024", "Atlantis", "onbekend stadsdeel 'Atlantis'"),
    ],
)
def test_bad_input_is_named(kind, periode, stadsdeel, message):
    with pytest.raises(c.ReportInputError, match=re.escape(message)):
        c.subject(kind, home_gemeente(), periode, stadsdeel)


def test_cli_exit_code_2_for_an_unknown_period(tmp_path, capsys):
    code = main(["report", "tussenstand", "--periode", "2024-H3", "--out", str(tmp_path / "x")])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["fout: onbekende periode '2024-H3' voor tussenstand; gebruik bijvoorbeeld "
                   "2024-H2"]  # fmt: skip


def test_cli_writes_the_published_tussenstand_as_html(tmp_path, capsys):
    out = tmp_path / "tussenstand.html"
    code = main(["report", "tussenstand", "--periode", "2024-H2", "--format", "html",
                 "--out", str(out)])  # fmt: skip
    assert code == 0
    assert "gepubliceerd rapport" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == services.report_html(published())


def test_cli_makes_a_stadsdeel_report_by_name(tmp_path):
    out = tmp_path / "noord.html"
    code = main(["report", "stadsdeel", "--stadsdeel", "Noord", "--jaar", "2024",
                 "--format", "html", "--out", str(out)])  # fmt: skip
    html = out.read_text(encoding="utf-8")
    assert code == 0 and "Stadsdeelrapportage Noord 2024" in html and "Cijfers Noord" in html


def test_only_publishable_datasets_are_pinned():
    pinned = Dataset.objects.filter(pk__in=c.current_datasets(home_gemeente()))
    assert pinned.exists()
    assert not pinned.filter(classification__in=["vertrouwelijk", "wpg"]).exists()
    assert Dataset.objects.filter(classification="vertrouwelijk").exists()  # there is one to skip


def test_a_sensitive_theme_is_mapped_per_wijk_in_a_report():
    gemeente = home_gemeente()
    scope = Scope(gemeente, tuple(gemeente_buurten(gemeente)),
                  frozenset(c.current_datasets(gemeente)), gemeente.name, "gemeente")  # fmt: skip
    sensitive = Indicator.objects.select_related("theme").get(code="verwarde_personen")
    assert sensitive.theme.sensitive
    svg, caption = area_map(scope, sensitive, "2024", "k")
    assert "per wijk" in caption and "BU9999" not in svg
    from veiligheidskaart.areas.models import Area

    wijken = Area.objects.filter(level="wijk", gemeente_code=gemeente.code).count()
    assert svg.count("<path") == wijken


def test_every_report_has_summary_toc_sources_and_methods():
    html = services.report_html(published())
    for heading in ("Inhoud", "Samenvatting", "Bronnen en versies", "Verantwoording"):
        assert heading in html
    assert 'lang="nl"' in html and "counter(page)" in html and "target-counter" in html
    for dataset in published().datasets:
        assert dataset["sha256"] in html
