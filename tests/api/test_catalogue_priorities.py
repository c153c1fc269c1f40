"""/api/v1/catalogue/, /api/v1/indicators/ and /api/v1/priorities/."""

from __future__ import annotations

import pytest

from tests.api import assert_problem
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator, Theme, Veiligheidsveld
from veiligheidskaart.observations.models import PriorityEntry

pytestmark = pytest.mark.django_db


def test_catalogue_nests_every_theme_and_indicator_once(client):
    body = client.get("/api/v1/catalogue/").json()
    assert [v["code"] for v in body] == list(Veiligheidsveld.objects.values_list("code", flat=True))
    themes = [t["code"] for v in body for t in v["themes"]]
    indicators = [i["code"] for v in body for t in v["themes"] for i in t["indicators"]]
    assert sorted(themes) == sorted(Theme.objects.values_list("code", flat=True))
    assert sorted(indicators) == sorted(Indicator.objects.values_list("code", flat=True))
    sensitive = {t["code"] for v in body for t in v["themes"] if t["sensitive"]}
    assert {"huiselijk_geweld", "verwarde_personen"} <= sensitive


def test_indicator_list_and_detail(client):
    rows = client.get("/api/v1/indicators/").json()
    assert len(rows) == Indicator.objects.count()
    detail = client.get("/api/v1/indicators/geweld/").json()
    assert detail == next(r for r in rows if r["code"] == "geweld")
    assert detail["theme"] == "geweld" and detail["veiligheidsveld"]
    assert detail["source_codes"] == ["1.4.2", "1.4.3", "1.4.4", "1.4.5"]
    assert detail["map_layer"] is True and detail["per"] == 1000
    woonoverlast = client.get("/api/v1/indicators/woonoverlast/").json()
    assert woonoverlast["map_layer"] is False


def test_unknown_indicator_is_404(client):
    assert_problem(client.get("/api/v1/indicators/bestaat_niet/"), 404)


def test_priorities_default_to_the_latest_run_ordered_by_rank(client):
    body = client.get("/api/v1/priorities/").json()
    assert body["year"] == 2024 and body["gemeente"]["code"] == "GM9999"
    ranks = [r["rank"] for r in body["results"]]
    assert ranks == sorted(ranks) and body["count"] == len(ranks)
    public = PriorityEntry.objects.filter(run__year=2024, run__is_current=True, public=True)
    assert len(ranks) == public.count()
    first = body["results"][0]
    assert set(first) >= {
        "rank",
        "area_code",
        "area_name",
        "theme_code",
        "theme_name",
        "score",
        "top10_probability",
        "components",
        "missing",
        "reasons",
    }
    assert 0 <= first["top10_probability"] <= 1


def test_components_from_closed_sources_are_withheld(client):
    body = client.get("/api/v1/priorities/", {"year": 2024}).json()
    # the wijkpanel (intern) and the meldingen (intern) feed perception and meldingen
    assert body["withheld"] == ["perception", "meldingen"]
    assert all(r["components"]["perception"] is None for r in body["results"])
    assert all(r["components"]["meldingen"] is None for r in body["results"])
    assert any(r["components"]["level"] is not None for r in body["results"])


def test_priorities_filter_by_theme_and_area(client):
    wijk = Area.objects.get(code="WK999901")
    body = client.get("/api/v1/priorities/", {"theme": "geweld", "area": wijk.code}).json()
    buurten = set(wijk.children.values_list("code", flat=True))
    assert body["results"] and {r["theme_code"] for r in body["results"]} == {"geweld"}
    assert {r["area_code"] for r in body["results"]} <= buurten
    one = client.get("/api/v1/priorities/", {"area": body["results"][0]["area_code"]}).json()
    assert {r["area_code"] for r in one["results"]} == {body["results"][0]["area_code"]}


def test_priorities_without_a_run_are_404(client):
    assert_problem(client.get("/api/v1/priorities/", {"year": 2019}), 404)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"year": "20x4"}, "year"),
        ({"year": "1066"}, "year"),
        ({"theme": "bestaat_niet"}, "theme"),
        ({"area": "BU00000000"}, "area"),
        ({"area": "a b"}, "area"),
    ],
)
def test_priorities_bad_parameters(client, query, parameter):
    assert_problem(client.get("/api/v1/priorities/", query), 400, parameter)
