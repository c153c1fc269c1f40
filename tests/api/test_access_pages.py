"""The access table at work on pages: the ranking, its exports and the area profile."""

from __future__ import annotations

import csv
import io

import pytest

from tests.api.test_meldingen_density import login
from veiligheidskaart.areas.models import Area

pytestmark = pytest.mark.django_db


def csv_rows(client) -> int:  # type: ignore[no-untyped-def]
    text = client.get("/prioriteiten.csv").content.decode("utf-8-sig")
    return len(list(csv.reader(io.StringIO(text)))) - 1


@pytest.mark.parametrize("role", ["partner", "stadsdeelmanager"])
def test_partners_and_stadsdeelmanagers_get_the_public_ranking(client, role):
    public_rows = csv_rows(client)
    public_total = client.get("/prioriteiten").context["total"]
    login(client, role, ("SD999901",) if role == "stadsdeelmanager" else ())
    context = client.get("/prioriteiten").context
    assert context["internal"] is False and context["total"] == public_total
    assert csv_rows(client) == public_rows


def test_an_analyst_sees_and_exports_the_full_ranking(client):
    public_total = client.get("/prioriteiten").context["total"]
    login(client, "analist")
    context = client.get("/prioriteiten").context
    assert context["internal"] is True and context["total"] > public_total
    assert csv_rows(client) == context["total"]


def test_a_stadsdeelmanager_sees_internal_figures_in_the_own_stadsdeel_only(client):
    login(client, "stadsdeelmanager", ("SD999901",))
    own = Area.objects.filter(level="buurt", stadsdeel__code="SD999901").first()
    other = Area.objects.filter(level="buurt").exclude(stadsdeel__code="SD999901").first()
    assert client.get(f"/gebied/{own.code}").context["internal"] is True
    assert client.get(f"/gebied/{other.code}").context["internal"] is False
    assert client.get("/gebied/GM9999").context["internal"] is False
