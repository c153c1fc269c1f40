"""/gebied/<code>: the area profile shows the stored and map-layer figures, suppresses in public."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db.models import Max

from veiligheidskaart.accounts.services import create_user
from veiligheidskaart.analysis.priority import dutch_number
from veiligheidskaart.areas.models import Area
from veiligheidskaart.observations.layers import map_layer
from veiligheidskaart.observations.models import (
    AnalysisRun,
    AreaResult,
    Event,
    Observation,
    PriorityEntry,
)
from veiligheidskaart.observations.queries import home_gemeente
from veiligheidskaart.web import charts

pytestmark = pytest.mark.django_db
BUURT, WIJK, STADSDEEL, GEMEENTE = "BU99990101", "WK999901", "SD999901", "GM9999"


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def theme_row(response, theme_code: str) -> dict:
    return next(t for t in response.context["themes"] if t["theme"].code == theme_code)


def table_row(html: str, header: str) -> str:
    """The text of the table row whose row header starts with ``header``."""
    match = re.search(rf'<th scope="row">{re.escape(header)}.*?</tr>', html, re.S)
    assert match, header
    return re.sub(r"<[^>]+>", " ", match.group(0))


def stored(code: str, indicator: str) -> AreaResult:
    run = AnalysisRun.objects.get(gemeente_code=GEMEENTE, is_current=True)
    return AreaResult.objects.get(run=run, area__code=code, indicator_code=indicator)


@pytest.mark.parametrize("code", [GEMEENTE, STADSDEEL, WIJK, BUURT])
def test_every_level_has_a_profile_with_charts_and_a_print_style(client, code):
    html = html_of(client, f"/gebied/{code}")
    assert "Kerncijfers 2024" in html and "fictieve gemeente" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" role="img"') >= 10
    assert "web/pages.css" in html and "/kaart?indicator=misdrijven_totaal" in html
    assert "Afdrukversie" in html


def test_buurt_key_figures_equal_the_stored_run(client):
    response = client.get(f"/gebied/{BUURT}")
    html = response.content.decode()
    for indicator, theme, header in [
        ("misdrijven_totaal", "totaal", "Totaal geregistreerde misdrijven"),
        ("fietsdiefstal", "fietsdiefstal", "Fietsdiefstal"),
    ]:
        result = stored(BUURT, indicator)
        row = theme_row(response, theme)
        assert row["count"].value == int(result.count)
        assert row["rate"] == dutch_number(result.rate)
        assert (
            row["interval"]
            == f"{dutch_number(result.rate_lower)} – {dutch_number(result.rate_upper)}"
        )
        assert row["ratio"].startswith(f"{dutch_number(result.ratio)}× (ondergrens "
                                       f"{dutch_number(result.ratio_lower)}×)")  # fmt: skip
        text = table_row(html, header)
        assert f" {int(result.count)} " in text and dutch_number(result.rate) in text
        assert row["trend"] == f"Verandering: {result.change_sentence}"


def test_buurt_total_crime_is_compared_with_the_country(client):
    response = client.get(f"/gebied/{BUURT}")
    national = Observation.objects.get(area__code="NL00", source_code="T001161.per1000",
                                       period_start__year=2024, granularity="year")  # fmt: skip
    row = theme_row(response, "totaal")
    ratio = stored(BUURT, "misdrijven_totaal").rate / national.value
    expected = f"{dutch_number(ratio)}× landelijk; Nederland {dutch_number(national.value)}"
    assert row["national"] == f"{expected} per 1.000 inwoners (2024)"
    assert theme_row(response, "fietsdiefstal")["national"] == "landelijk cijfer niet geladen"


@pytest.mark.parametrize(("code", "level"), [(WIJK, "wijk"), (STADSDEEL, "stadsdeel")])
def test_higher_levels_show_the_map_layer_figures(client, code, level):
    response = client.get(f"/gebied/{code}")
    layer = map_layer(home_gemeente(), "fietsdiefstal", "2024", level)
    feature = next(f for f in layer.features if f.code == code)
    row = theme_row(response, "fietsdiefstal")
    assert row["count"].value == int(feature.count)
    assert row["rate"] == dutch_number(feature.rate)
    assert row["ratio"].endswith("ruw, 2024")


def test_gemeente_figure_is_the_sum_of_its_buurten_and_has_no_rest(client):
    response = client.get(f"/gebied/{GEMEENTE}")
    layer = map_layer(home_gemeente(), "fietsdiefstal", "2024", "buurt")
    row = theme_row(response, "fietsdiefstal")
    assert row["count"].value == int(sum(f.count for f in layer.features))
    assert row["ratio"] == "n.v.t."


def test_wijk_trends_use_the_stored_sentence_in_the_design_wording(client):
    response = client.get(f"/gebied/{WIJK}")
    result = stored(WIJK, "fietsdiefstal")
    trend = theme_row(response, "fietsdiefstal")["trend"]
    assert result.trend_sentence
    if result.trend_sentence.startswith("geen significante trend"):
        p_text = result.trend_sentence.removeprefix("geen significante trend (")
        assert trend == f"Trend: binnen de marge van toeval (geen significante trend, {p_text}"
    else:
        assert trend == f"Trend: {result.trend_sentence}"
    assert "binnen de marge van toeval" in response.content.decode()


def test_charts_carry_a_title_and_the_plotted_numbers(client):
    html = html_of(client, f"/gebied/{WIJK}")
    svg = re.search(r'<svg [^>]*id="grafiek-misdrijven_totaal".*?</svg>', html, re.S).group(0)
    assert (
        'aria-labelledby="grafiek-misdrijven_totaal-titel grafiek-misdrijven_totaal-uitleg"' in svg
    )
    desc = re.search(r"<desc [^>]*>(.*?)</desc>", svg).group(1)
    assert "Binnenstad: 2019 " in desc and "Hele gemeente: 2019 " in desc
    assert "Nederland: 2019 " in desc and "Reeksbreuk: COVID" in desc


def test_breadcrumbs_run_from_land_to_buurt_and_children_are_linked(client):
    html = html_of(client, f"/gebied/{BUURT}")
    crumbs = re.search(r'<nav class="kruimelpad".*?</nav>', html, re.S).group(0)
    names = ["Nederland", "Demostad", "Centrum", "Binnenstad", "Vismarkt"]
    positions = [crumbs.index(name) for name in names]
    assert positions == sorted(positions)
    for code in (GEMEENTE, STADSDEEL, WIJK):
        assert f'href="/gebied/{code}"' in crumbs
    assert 'aria-current="page">Vismarkt' in crumbs
    assert f'href="/gebied/{BUURT}"' in html_of(client, f"/gebied/{WIJK}")


@pytest.mark.parametrize("code", ["BU00000000", "NL00", "GM9901", "onzin"])
def test_unknown_codes_get_a_dutch_404(client, code):
    response = client.get(f"/gebied/{code}")
    assert response.status_code == 404
    assert "Gebied niet gevonden" in response.content.decode()


def test_sensitive_themes_are_hidden_per_buurt_for_the_public_only(client):
    public = theme_row(client.get(f"/gebied/{BUURT}"), "verwarde_personen")
    assert public["hidden"] and public["reason"] == "gevoelig thema: alleen per wijk gepubliceerd"
    assert not theme_row(client.get(f"/gebied/{WIJK}"), "verwarde_personen")["hidden"]
    client.force_login(User.objects.get(username="demo-beheerder"))
    internal = theme_row(client.get(f"/gebied/{BUURT}"), "verwarde_personen")
    assert internal["count"].value == int(stored(BUURT, "verwarde_personen").count)


def raw_meldingen(codes: list[str]) -> dict[str, int]:
    events = Event.objects.filter(dataset__kind="meldingen", dataset__is_current=True)
    last = events.aggregate(m=Max("occurred_at"))["m"]
    counts: dict[str, int] = {}
    rows = events.filter(area__code__in=codes, occurred_at__gt=last - timedelta(days=365),
                         occurred_at__lte=last)  # fmt: skip
    for category in rows.values_list("category", flat=True):
        main = category.split(" / ")[0]
        counts[main] = counts.get(main, 0) + 1
    return counts


def test_small_meldingen_counts_are_suppressed_for_anonymous_users(client):
    raw = raw_meldingen([BUURT])
    rows = {r["category"]: r for r in client.get(f"/gebied/{BUURT}").context["meldingen"]["rows"]}
    assert set(rows) == set(raw) and any(c < 5 for c in raw.values())
    for category, count in raw.items():
        shown = rows[category]["display"]
        if count < 5:
            assert shown in ("<5", "x"), (category, count, shown)
        else:
            assert shown in (str(5 * ((count + 2) // 5)), "x"), (category, count, shown)
    assert rows["Overlast van en door personen of groepen"]["display"] == "x"
    assert "Aantallen zijn afgerond op veelvouden van 5" in html_of(client, f"/gebied/{BUURT}")


def test_logged_in_analysts_see_exact_meldingen(client):
    client.force_login(User.objects.get(username="demo-beheerder"))
    raw = raw_meldingen([BUURT])
    rows = client.get(f"/gebied/{BUURT}").context["meldingen"]["rows"]
    assert {r["category"]: r["value"] for r in rows} == raw


def test_a_stadsdeelmanager_sees_exact_meldingen_for_own_stadsdelen_only(client):
    user = create_user("wijkregisseur-centrum", "stadsdeelmanager", "x" * 12,
                       stadsdelen=[STADSDEEL])  # fmt: skip
    client.force_login(user)
    own = client.get(f"/gebied/{BUURT}").context["meldingen"]
    assert not own["rounded"]
    assert {r["category"]: r["value"] for r in own["rows"]} == raw_meldingen([BUURT])
    other = Area.objects.filter(level="buurt", gemeente_code=GEMEENTE).exclude(
        stadsdeel__code=STADSDEEL).first()  # fmt: skip
    assert client.get(f"/gebied/{other.code}").context["meldingen"]["rounded"]


def test_buurt_ranks_equal_the_stored_entries_without_sensitive_themes(client):
    response = client.get(f"/gebied/{BUURT}")
    html = response.content.decode()
    run = AnalysisRun.objects.get(gemeente_code=GEMEENTE, is_current=True)
    entries = PriorityEntry.objects.filter(run=run, area__code=BUURT, public=True).exclude(
        theme_code__in=["verwarde_personen", "huiselijk_geweld", "jeugdoverlast"]
    )
    rows = response.context["ranks"]["rows"]
    assert [r["rank"] for r in rows] == sorted(e.rank for e in entries)
    first = entries.order_by("rank").first()
    assert rows[0]["score_text"] == dutch_number(first.score, 3)
    assert rows[0]["chance_text"] == f"{dutch_number(100 * first.top10_probability, 0)}%"
    assert first.reasons in html


def test_gemeente_survey_shows_the_veiligheidsmonitor_with_margins(client):
    html = html_of(client, f"/gebied/{GEMEENTE}")
    obs = Observation.objects.filter(
        area__code=GEMEENTE, source_code="VoeltZichWeleensOnveiligInBuurt"
    ).latest("period_start")
    text = f"{dutch_number(obs.value)}% (marge {dutch_number(obs.lower)}–{dutch_number(obs.upper)})"
    assert text in html and "Veiligheidsmonitor" in html


def test_panel_cells_under_50_respondents_are_suppressed(client):
    html = html_of(client, "/gebied/WK999908")
    small = Observation.objects.filter(area__code="WK999908", dataset__kind="panel",
                                       sample_size__lt=50).latest("period_start")  # fmt: skip
    assert f"afgeschermd: minder dan 50 respondenten (n = {small.sample_size})" in html
    assert f"{dutch_number(small.value)}% (n = {small.sample_size})" not in html


def test_print_view_marks_the_page(client):
    html = html_of(client, f"/gebied/{BUURT}?afdruk=1")
    assert "afdrukweergave" in html and "Ctrl+P" in html


def test_line_chart_breaks_lines_at_missing_values_and_escapes_text():
    line = charts.Line("<buurt>", [1.0, None, 2.0])
    svg = charts.line_chart("x", "A & B", ["2023", "2024", "2025"], [line], "per 1.000 inwoners")
    assert "A &amp; B" in svg and "&lt;buurt&gt;: 2023 1,0; 2024 geen cijfer; 2025 2,0" in svg
    assert "<polyline" not in svg and svg.count("<circle") == 2
