"""Fixtures for meldingen: points inside Demostad's buurten, users per role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from veiligheidskaart.accounts.services import create_user
from veiligheidskaart.areas.models import Area
from veiligheidskaart.meldingen.routing import to_wgs84


def point_in(stadsdeel_code: str, skip: int = 0) -> tuple[float, float, Area]:
    """(lat, lon) of a buurt's representative point in the stadsdeel, and that buurt."""
    buurten = Area.objects.filter(
        level="buurt", stadsdeel__code=stadsdeel_code, geometry_rd__isnull=False, is_water=False
    ).order_by("code")
    buurt = buurten[skip]
    assert buurt.centroid_x is not None and buurt.centroid_y is not None
    lat, lon = to_wgs84(buurt.centroid_x, buurt.centroid_y)
    return lat, lon, buurt


@pytest.fixture
def users(db) -> dict[str, User]:  # type: ignore[no-untyped-def]
    """One user per role; managers A and B scoped to SD999901 and SD999902."""
    made = {
        "beheerder": create_user("t-beheerder", "beheerder", "x-Geheim-123"),
        "analist": create_user("t-analist", "analist", "x-Geheim-123"),
        "partner": create_user("t-partner", "partner", "x-Geheim-123"),
        "manager_a": create_user(
            "t-sdm-a", "stadsdeelmanager", "x-Geheim-123", stadsdelen=["SD999901"]
        ),
        "manager_b": create_user(
            "t-sdm-b", "stadsdeelmanager", "x-Geheim-123", stadsdelen=["SD999902"]
        ),
    }
    return made
