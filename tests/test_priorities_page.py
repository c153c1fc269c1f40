"""/prioriteiten: the stored ranking, filters as GET parameters, CSV and Excel exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from veiligheidskaart.analysis.priority import dutch_number
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Theme
from veiligheidskaart.observations.models import AnalysisRun, PriorityEntry

pytestmark = pytest.mark.django_db


def entries(public: bool = True):  # type: ignore[no-untyped-def]
    run = AnalysisRun.objects.get(gemeente_code="GM9999", is_current=True)
    rows = (PriorityEntry.objects.filter(run=run, public=public).select_related("area")
            .order_by("rank"))  # fmt: skip
    if public:
        rows = rows.exclude(theme_code__in=Theme.objects.filter(sensitive=True).values("code"))
    return rows


def test_public_page_shows_the_stored_ranking_with_a_source_note(client):
    response = client.get("/prioriteiten")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gebaseerd op openbare bronnen" in html and "fictieve gemeente" in html
    rows = response.context["rows"]
    expected = list(entries()[:50])
    assert [r["rank"] for r in rows] == [e.rank for e in expected]
    first, top = rows[0], expected[0]
    assert first["area_code"] == top.area.code and first["theme_code"] == top.theme_code
    assert first["score_text"] == dutch_number(top.score, 3)
    assert first["chance_text"] == f"{dutch_number(100 * top.top10_probability, 0)}%"
    assert top.reasons in html and f'href="/gebied/{top.area.code}"' in html
    assert response.context["count"] == entries().count()


def test_sensitive_themes_only_for_logged_in_users(client):
    public = client.get("/prioriteiten").context
    assert all(r["theme_code"] not in ("verwarde_personen", "jeugdoverlast") for r in
               client.get("/prioriteiten?thema=verwarde_personen").context["rows"])  # fmt: skip
    client.force_login(User.objects.get(username="demo-beheerder"))
    internal = client.get("/prioriteiten").context
    assert internal["count"] == entries(public=False).count() > public["count"]
    assert "Volledige ranglijst" in client.get("/prioriteiten").content.decode()


def test_filters_work_as_plain_get_parameters(client):
    html = client.get("/prioriteiten").content.decode()
    assert '<form class="filters" method="get" action="/prioriteiten"' in html
    assert 'name="thema"' in html and 'name="stadsdeel"' in html and 'name="kans"' in html
    response = client.get("/prioriteiten?thema=fietsdiefstal&stadsdeel=SD999901&kans=0")
    rows = response.context["rows"]
    members = set(Area.objects.filter(stadsdeel__code="SD999901").values_list("code", flat=True))
    expected = [e for e in entries().filter(theme_code="fietsdiefstal")
                if e.area.code in members]  # fmt: skip
    assert rows and [r["rank"] for r in rows] == [e.rank for e in expected]
    assert 'value="fietsdiefstal" selected' in response.content.decode()


def test_minimum_chance_filter_and_pages(client):
    best = max(e.top10_probability for e in entries())
    threshold = int(100 * best)  # a threshold the data reaches, whatever the ranking gave
    rows = client.get(f"/prioriteiten?kans={threshold}").context["rows"]
    assert rows and all(r["top10_probability"] >= threshold / 100 for r in rows)
    second = client.get("/prioriteiten?pagina=2").context
    assert [r["rank"] for r in second["rows"]] == [e.rank for e in entries()[50:100]]
    assert client.get("/prioriteiten?pagina=x&kans=abc").status_code == 200


def test_csv_export_parses_with_dot_decimals_and_matches(client):
    response = client.get("/prioriteiten.csv?stadsdeel=SD999902")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    members = set(Area.objects.filter(stadsdeel__code="SD999902").values_list("code", flat=True))
    expected = [e for e in entries() if e.area.code in members]
    assert [int(r["rank"]) for r in rows] == [e.rank for e in expected]
    for row, entry in zip(rows, expected, strict=True):
        assert float(row["score"]) == pytest.approx(entry.score, abs=1e-4)
        assert float(row["top10_probability"]) == pytest.approx(entry.top10_probability, abs=1e-3)
        assert "," not in row["score"] and row["area_code"] == entry.area.code


def test_excel_export_has_real_numbers_and_a_note(client):
    response = client.get("/prioriteiten.xlsx?thema=geweld")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Prioriteiten"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[0] == "Rang" and header[5] == "Score" and header[6] == "Kans op top 10"
    expected = list(entries().filter(theme_code="geweld"))
    assert [r[0] for r in rows] == [e.rank for e in expected]
    for row, entry in zip(rows, expected, strict=True):
        assert isinstance(row[5], float) and row[5] == pytest.approx(entry.score, abs=1e-4)
        assert isinstance(row[6], float | int)
        assert row[6] == pytest.approx(entry.top10_probability, abs=1e-3)
    notes = " ".join(str(c.value) for c in book["Toelichting"]["A"])
    assert "Gebaseerd op openbare bronnen" in notes


def test_export_links_keep_the_filters(client):
    html = client.get("/prioriteiten?thema=geweld&kans=10").content.decode()
    assert 'href="/prioriteiten.csv?thema=geweld&amp;kans=10"' in html
    assert 'href="/prioriteiten.xlsx?thema=geweld&amp;kans=10"' in html
