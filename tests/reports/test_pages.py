"""/rapporten: public list and downloads, requests and workflow for analisten, roles."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.contrib.auth.models import User

from tests.helpers import require
from tests.reports.pdf_ua import check_pdf_ua
from veiligheidskaart.accounts.services import create_user
from veiligheidskaart.reports import services
from veiligheidskaart.reports.models import Report, ReportJob

pytestmark = pytest.mark.django_db


def published() -> Report:
    return Report.objects.get(kind="tussenstand", periode="2024-H2", status="gepubliceerd")


def user(role: str, stadsdelen: list[str] | None = None) -> User:
    create_user(f"test-{role}", role, "geheim-wachtwoord-1", "", stadsdelen or [])
    return User.objects.get(username=f"test-{role}")


def test_the_public_sees_published_reports_with_html_and_pdf(client):
    report = published()
    html = client.get("/rapporten").content.decode()
    assert report.title in html and f"/rapporten/{report.pk}/pdf" in html
    assert "Rapport aanvragen" not in html
    document = client.get(f"/rapporten/{report.pk}/document")
    assert document.status_code == 200
    assert document.content.decode() == services.report_html(report)
    pdf = client.get(f"/rapporten/{report.pk}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_a_concept_is_not_public(client):
    report = Report.objects.create(kind="jaarmonitor", gemeente_code="GM9999", periode="2024",
                                   title="Concept")  # fmt: skip
    for url in (f"/rapporten/{report.pk}", f"/rapporten/{report.pk}/document"):
        assert client.get(url).status_code == 404


def test_an_analist_requests_a_report_that_runs_as_a_job(client):
    client.force_login(user("analist"))
    page = client.get("/rapporten").content.decode()
    assert "Rapport aanvragen" in page and "Rapporttaken" in page
    response = client.post("/rapporten/aanvragen", {"soort": "jaarmonitor", "periode": "2024"})
    assert response.status_code == 302
    report = Report.objects.latest("pk")
    job = ReportJob.objects.get(report=report)
    assert job.state == "wachtrij" and not report.content  # nothing computed in the request
    assert "wordt berekend" in client.get(response["Location"]).content.decode()


def test_an_analist_takes_a_report_from_request_to_publication_on_the_web(client):
    from veiligheidskaart.reports import jobs

    client.force_login(user("analist"))
    response = client.post("/rapporten/aanvragen", {"soort": "jaarmonitor", "periode": "2024"})
    report = Report.objects.latest("pk")
    jobs.run_report_jobs(report)
    url = response["Location"]
    text = {"onderdeel": "bbv", "rol": "analist", "tekst": "De BBV-cijfers dalen licht."}
    assert client.post(f"{url}/duiding", text).status_code == 302
    early = client.post(f"{url}/status", {"naar": "gepubliceerd"})
    assert early.status_code == 409  # not before vaststellen
    adopt = client.post(f"{url}/status", {"naar": "vastgesteld", "toelichting": "B&W 2025/7"})
    assert adopt.status_code == 302
    assert client.post(f"{url}/duiding", text).status_code == 403  # frozen now
    assert client.post(f"{url}/status", {"naar": "gepubliceerd"}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.decision_reference) == ("gepubliceerd", "B&W 2025/7")
    client.logout()
    assert "De BBV-cijfers dalen licht." in client.get(f"{url}/document").content.decode()
    assert report.title in client.get("/rapporten").content.decode()


def test_a_bad_request_is_explained(client):
    client.force_login(user("analist"))
    response = client.post("/rapporten/aanvragen", {"soort": "tussenstand", "periode": "2024"})
    assert response.status_code == 400
    assert "onbekende periode" in response.content.decode()


@pytest.mark.parametrize("role", ["partner", "stadsdeelmanager"])
def test_partners_and_stadsdeelmanagers_cannot_request_or_publish(client, role):
    client.force_login(user(role, ["SD999902"] if role == "stadsdeelmanager" else None))
    before = Report.objects.count()
    response = client.post("/rapporten/aanvragen", {"soort": "jaarmonitor", "periode": "2024"})
    assert response.status_code == 403 and Report.objects.count() == before
    report = published()
    assert client.post(f"/rapporten/{report.pk}/status", {"naar": "concept"}).status_code == 403


def test_a_stadsdeelmanager_writes_only_the_stadsdeel_text_of_their_own_stadsdeel(client):
    own = Report.objects.create(kind="stadsdeel", gemeente_code="GM9999", periode="2024",
                                stadsdeel_code="SD999902", title="Noord",
                                content={"sections": [{"id": "cijfers", "title": "Cijfers",
                                         "blocks": [{"type": "duiding", "key": "cijfers"}],
                                         "subsections": []}]})  # fmt: skip
    other = Report.objects.create(kind="stadsdeel", gemeente_code="GM9999", periode="2024",
                                  stadsdeel_code="SD999903", title="Oost",
                                  content=own.content)  # fmt: skip
    client.force_login(user("stadsdeelmanager", ["SD999902"]))
    text = {"onderdeel": "cijfers", "rol": "stadsdeel", "tekst": "Onze duiding"}
    ok = client.post(f"/rapporten/{own.pk}/duiding", text)
    assert ok.status_code == 302
    assert services.interpretations(own) == {"cijfers": {"stadsdeel": "Onze duiding"}}
    police = client.post(f"/rapporten/{own.pk}/duiding",
                         {"onderdeel": "cijfers", "rol": "politie", "tekst": "x"})  # fmt: skip
    assert police.status_code == 403
    foreign = client.post(f"/rapporten/{other.pk}/duiding",
                          {"onderdeel": "cijfers", "rol": "stadsdeel", "tekst": "x"})  # fmt: skip
    assert foreign.status_code == 403 and not services.interpretations(other)


def test_the_published_pdf_is_tagged_pdf_ua(tmp_path):
    path = services.make_pdf(published())
    findings, facts = check_pdf_ua(path)
    assert findings == [], findings
    assert facts["lang"] == "nl" and facts["title"] == published().title
    assert facts["structure"]["Figure"] >= 2 and facts["structure"]["TH"] > 0


def test_the_pdf_reads_like_a_council_document(tmp_path):
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) ontbreekt")
    path = services.make_pdf(published())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    pages = text.split("\f")
    count = len([p for p in pages if p.strip()])
    assert f"Pagina 1 van {count}" in text and f"Pagina {count} van {count}" in text
    assert "Inhoud" in pages[0] and "Samenvatting" in pages[0]
    assert "Bronnen en versies" in text and "Verantwoording" in text
    # the table of contents gives the page on which each chapter starts
    entry = re.search(r"Bronnen en versies\s*\.{3,}\s*(\d+)", pages[0])
    assert entry, pages[0]
    assert "Bronnen en versies" in pages[int(entry.group(1)) - 1]
    assert "Gebruikte datasetversies" in pages[int(entry.group(1)) - 1]


def test_serve_starts_a_job_runner_child(monkeypatch):
    import subprocess

    from veiligheidskaart import cli

    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda args, **kw: started.append(args))
    cli._job_runner()
    assert started and started[0][-4:] == ["report", "jobs", "--run", "--blijf"]


def test_the_runner_stops_when_its_parent_is_gone(monkeypatch):
    from veiligheidskaart.reports import jobs

    parents = iter([100, 1])  # the server's pid, then init's: the server died
    monkeypatch.setattr(jobs.os, "getppid", lambda: next(parents, 1))
    assert jobs.run_pending(keep_polling=True) == 0


def test_report_jobs_command_runs_the_queue(capsys):
    from veiligheidskaart.cli import main
    from veiligheidskaart.observations.queries import home_gemeente
    from veiligheidskaart.reports import content as c

    report = services.request_report(c.subject("jaarmonitor", home_gemeente(), "2024"))
    assert main(["report", "jobs", "--run"]) == 0
    assert capsys.readouterr().out.strip() == "1 rapporttaken uitgevoerd"
    assert ReportJob.objects.get(report=report).state == "klaar"
    assert main(["report", "jobs"]) == 0
    assert f"\tklaar\t100%\tmaken\t{report.title}" in capsys.readouterr().out
