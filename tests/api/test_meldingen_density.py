"""/api/v1/meldingen-density/ and the internal layers of /kaart: who sees what (DESIGN §4, §6)."""

from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import shape

from tests.api import assert_problem
from veiligheidskaart.accounts.access import Access, access_of, may
from veiligheidskaart.accounts.services import create_user
from veiligheidskaart.areas.geometry import to_wgs84
from veiligheidskaart.areas.models import Area
from veiligheidskaart.observations.density import clear_memo, meldingen_density
from veiligheidskaart.observations.queries import home_gemeente

pytestmark = pytest.mark.django_db
URL = "/api/v1/meldingen-density/"
PASSWORD = "lang-genoeg-wachtwoord-1"


def login(client, role: str, stadsdelen: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    create_user(f"test-{role}", role, PASSWORD, stadsdelen=stadsdelen)
    assert client.login(username=f"test-{role}", password=PASSWORD)
    return client


def test_the_table_gives_the_public_open_data_only():
    assert may(None, "open", "see") and may(None, "open", "export")
    assert not any(may(None, c, "see") for c in ("intern", "vertrouwelijk", "wpg"))
    assert not may("partner", "intern", "see")
    assert may("stadsdeelmanager", "intern", "see") and not may("stadsdeelmanager", "wpg", "see")
    assert may("analist", "wpg", "see") and not may("analist", "wpg", "export")
    assert not may("onbekend", "open", "see")


@pytest.mark.parametrize("role", [None, "partner"])
def test_public_and_partners_get_403_problem_json(client, role):
    if role:
        login(client, role)
    body = assert_problem(client.get(URL), 403)
    assert "intern" in body["detail"]


def test_an_analyst_gets_classed_bands_with_an_etag(client):
    login(client, "analist")
    response = client.get(URL, {"period": "2024"})
    assert response.status_code == 200
    body = response.json()
    assert body["kernel"] == "quartic" and body["bandwidth_m"] == 500 and body["cell_m"] == 100
    assert body["points"] > 500 and not body["clipped"]
    assert 1 <= len(body["features"]) <= 5
    assert [f["properties"]["class"] for f in body["features"]] == sorted(
        f["properties"]["class"] for f in body["features"]
    )
    bounds = body["classes"]["upper_bounds"]
    assert bounds == sorted(bounds) and body["max"] == pytest.approx(bounds[-1], rel=1e-6)
    again = client.get(URL, {"period": "2024"}, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert client.get(URL, {"period": "2024-13"}).status_code == 400


def test_a_stadsdeelmanager_sees_the_own_stadsdeel_only(client):
    gemeente = home_gemeente()
    own = Area.objects.filter(level="stadsdeel", gemeente_code=gemeente.code).order_by("code")[0]
    login(client, "stadsdeelmanager", (own.code,))
    body = client.get(URL, {"period": "2024"}).json()
    whole = meldingen_density(gemeente, Access("analist", None), "2024")
    assert body["clipped"] and body["scope"] == own.name
    assert 0 < body["points"] < whole["points"]
    outline = to_wgs84(own.geometry()).buffer(0.002)  # ~150 m: the WGS84 cells' rounding
    for feature in body["features"]:
        assert outline.contains(shape(feature["geometry"]))
    who = access_of(_user("test-stadsdeelmanager"))
    assert who.internal_in(own.pk) and not who.internal_in(None)


def _user(name: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    return User.objects.get(username=name)


def test_the_memo_follows_the_datasets():
    clear_memo()
    gemeente = home_gemeente()
    first = meldingen_density(gemeente, Access("analist", None), "2024")
    assert meldingen_density(gemeente, Access("analist", None), "2024") is first
    from veiligheidskaart.sources.models import Dataset

    Dataset.objects.filter(kind="meldingen", is_current=True).update(sha256="0" * 64)
    assert meldingen_density(gemeente, Access("analist", None), "2024") is not first


def test_a_new_melding_shows_in_the_density_without_a_new_dataset_version():
    """Form meldingen grow one dataset in place: the remembered density must still follow."""
    from datetime import UTC, datetime

    from tests.meldingen.conftest import point_in
    from veiligheidskaart.meldingen.services import submit_melding

    gemeente, who = home_gemeente(), Access("analist", None)
    before = meldingen_density(gemeente, who, "2024")
    lat, lon, _ = point_in("SD999901")
    submit_melding(category="overlast_drugs", description="Dealen", lat=lat, lon=lon,
                   received_at=datetime(2024, 6, 3, 10, 0, tzinfo=UTC))  # fmt: skip
    assert meldingen_density(gemeente, who, "2024")["points"] == before["points"] + 1


def kaart_data(client, query: str) -> dict:  # type: ignore[no-untyped-def]
    html = client.get("/kaart" + query).content.decode()
    start = html.index('<script id="kaart-data" type="application/json">') + 48
    return dict(json.loads(html[start : html.index("</script>", start)]))


def test_kaart_has_no_internal_layers_for_the_public(client):
    data = kaart_data(client, "?dichtheid=1&focus=1")
    assert "internal" not in data
    html = client.get("/kaart?dichtheid=1&focus=1").content.decode()
    assert "Interne lagen" not in html and URL not in html and "FG9999" not in html


def test_kaart_draws_focusgebieden_and_asks_for_the_density_when_logged_in(client):
    login(client, "analist")
    data = kaart_data(client, "?dichtheid=1&focus=1")
    focus = data["internal"]["focus"]["features"]
    assert [f["properties"]["code"] for f in focus] == ["FG999901", "FG999902"]
    assert all(shapely.is_valid(shape(f["geometry"])) for f in focus)
    assert data["internal"]["density_url"] == URL + "?period=2024"
    assert "Interne lagen" in client.get("/kaart").content.decode()
