"""/api/v1/areas/<code>/series/: counts equal the stored rows; rates equal the map layer's."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.api import assert_problem
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator
from veiligheidskaart.observations.layers import layer_payload, map_layer
from veiligheidskaart.observations.models import AnalysisRun, AreaResult, Observation
from veiligheidskaart.observations.queries import home_gemeente
from veiligheidskaart.observations.series import monthly_dataset

pytestmark = pytest.mark.django_db


def url(code: str) -> str:
    return f"/api/v1/areas/{code}/series/"


def month_rows(indicator_code: str, buurten: list[Area], year: int) -> dict[str, list]:
    """Per month 'YYYY-MM': the (value, status) rows of the buurten in the monthly table."""
    indicator = Indicator.objects.get(code=indicator_code)
    rows = Observation.objects.filter(
        dataset=monthly_dataset("GM9999", indicator.source),
        granularity="month",
        source_code__in=indicator.source_codes,
        area__in=buurten,
        period_start__year=year,
    ).values_list("period_start", "value", "status")
    out: dict[str, list] = defaultdict(list)
    for start, value, status in rows:
        out[f"{start:%Y-%m}"].append((value, status))
    return out


def clean(rows: dict[str, list], expected_per_month: int) -> bool:
    return len(rows) == 12 and all(
        len(r) == expected_per_month and all(s == "final" for _, s in r) for r in rows.values()
    )


def clean_area(level: str, indicator_code: str = "misdrijven_totaal") -> tuple[Area, list[Area]]:
    """An area whose buurten have every month of 2024 final, with those buurten."""
    codes = len(Indicator.objects.get(code=indicator_code).source_codes)
    for area in Area.objects.filter(level=level, gemeente_code="GM9999").order_by("code"):
        buurten = (
            [area]
            if level == "buurt"
            else list(
                Area.objects.filter(
                    level="buurt", **{"parent" if level == "wijk" else "stadsdeel": area}
                )
            )
        )
        if clean(month_rows(indicator_code, buurten, 2024), codes * len(buurten)):
            return area, buurten
    raise AssertionError(f"geen {level} met volledige maanden")


@pytest.mark.parametrize(
    ("level", "indicator"),
    [
        ("buurt", "misdrijven_totaal"),
        ("buurt", "geweld"),
        ("wijk", "misdrijven_totaal"),
        ("stadsdeel", "fietsdiefstal"),
    ],
)
def test_counts_equal_the_sum_of_the_observation_rows(client, level, indicator):
    area, buurten = clean_area(level, indicator)
    body = client.get(url(area.code), {"indicator": indicator}).json()
    assert body["area"]["code"] == area.code and body["buurten"] == len(buurten)
    rows = month_rows(indicator, buurten, 2024)
    monthly = {m["month"]: m for m in body["monthly"]}
    for month, values in rows.items():
        assert monthly[month]["count"] == round(sum(v for v, _ in values))
    year = next(y for y in body["yearly"] if y["year"] == 2024)
    assert year["months"] == 12
    assert year["count"] == round(sum(v for r in rows.values() for v, _ in r))
    assert year["count_note"] is None  # police open data are published exactly


@pytest.mark.parametrize("level", ["buurt", "wijk", "stadsdeel"])
def test_yearly_rates_equal_the_map_layer(client, level):
    layer = layer_payload(map_layer(home_gemeente(), "misdrijven_totaal", "2024", level), "2024")
    for feature in layer["features"][:4]:
        body = client.get(url(feature["code"])).json()
        year = next(y for y in body["yearly"] if y["year"] == 2024)
        assert year["rate"] == feature["rate"] and year["lower"] == feature["lower"]
        if feature["count"] is not None:
            assert year["count"] == feature["count"]


def test_series_span_the_data_and_partial_years_have_no_total(client):
    body = client.get(url("GM9999")).json()
    assert body["monthly"][0]["month"] == "2019-01" and body["monthly"][-1]["month"] == "2025-02"
    assert [y["year"] for y in body["yearly"]] == list(range(2019, 2026))
    last = body["yearly"][-1]  # 2025: two months, marked incomplete in Demostad
    assert last["months"] < 12 and last["count"] is None and last["rate"] is None
    january = body["monthly"][-2]
    assert january["month"] == "2025-01" and january["count"] is None
    assert january["count_note"] == "geen gegevens"
    assert body["buurten"] == 66


def test_buurt_statistics_come_from_the_current_run(client):
    area, _ = clean_area("buurt")
    stats = client.get(url(area.code)).json()["statistics"]
    run = AnalysisRun.objects.get(gemeente_code="GM9999", is_current=True)
    stored = AreaResult.objects.get(run=run, area=area, indicator_code="misdrijven_totaal")
    assert stats["run"]["id"] == run.pk and stats["run"]["year"] == 2024
    assert stats["ratio"] == pytest.approx(stored.ratio, abs=1e-4)
    assert stats["ratio_lower"] == pytest.approx(stored.ratio_lower, abs=1e-4)
    assert stats["change_direction"] == stored.change_direction
    assert stats["change_sentence"] == stored.change_sentence
    assert stats["hotspot"] == stored.hotspot
    assert stats["change_q"] == pytest.approx(stored.change_q, abs=1e-4)


def test_wijk_statistics_carry_the_trend(client):
    result = AreaResult.objects.filter(area__level="wijk", trend_sentence__gt="").first()
    body = client.get(url(result.area.code), {"indicator": result.indicator_code}).json()
    assert body["statistics"]["trend_sentence"] == result.trend_sentence
    assert body["statistics"]["trend_factor"] == pytest.approx(result.trend_factor, abs=1e-4)


def test_unknown_area_is_404(client):
    assert_problem(client.get(url("BU00000000")), 404)
    assert_problem(client.get(url("GM0363")), 404)  # another gemeente is no area of ours


@pytest.mark.parametrize("indicator", ["bestaat_niet", "woonoverlast", "onveilig_in_buurt"])
def test_indicator_without_public_monthly_figures_is_400(client, indicator):
    assert_problem(client.get(url("WK999901"), {"indicator": indicator}), 400, "indicator")


def test_sensitive_theme_per_wijk_only(client):
    buurt = Area.objects.filter(level="buurt", gemeente_code="GM9999").first()
    body = assert_problem(
        client.get(url(buurt.code), {"indicator": "burengerucht"}), 400, "indicator"
    )
    assert "wijk" in body["detail"]
    response = client.get(url(buurt.parent.code), {"indicator": "burengerucht"})
    assert response.status_code == 200
