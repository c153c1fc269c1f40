"""The internal layers of /kaart: focusgebieden and the meldingen density (DESIGN §4, §6).

Only for users whose role may see internal data; a stadsdeelmanager gets what lies in the own
stadsdelen. The density itself comes from the API (``/api/v1/meldingen-density/``), which
checks the same rights; the page only passes its address.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import shapely

from veiligheidskaart.accounts.access import Access
from veiligheidskaart.areas.models import Area, AreaShape, Level

DENSITY_URL = "/api/v1/meldingen-density/"


def focus_areas(gemeente: Area, who: Access) -> list[dict[str, Any]]:
    """Focusgebieden of the gemeente the user may see, as GeoJSON features (WGS84)."""
    rows = [
        a for a in Area.objects.filter(level=Level.FOCUSGEBIED, gemeente_code=gemeente.code)
        .select_related("dataset").order_by("code")
        if a.dataset is None or who.may(a.dataset.classification)
    ]  # fmt: skip
    if who.stadsdelen is not None:
        own = shapely.union_all([g for sd in Area.objects.filter(pk__in=who.stadsdelen)
                                 if (g := sd.geometry()) is not None])  # fmt: skip
        rows = [a for a in rows if (g := a.geometry()) is not None and g.intersects(own)]
    shapes = dict(
        AreaShape.objects.filter(area__in=rows, zoom=13).values_list("area_id", "geojson")
    )
    return [
        {"type": "Feature", "geometry": json.loads(shapes[a.pk]),
         "properties": {"code": a.code, "name": a.name}}
        for a in rows if a.pk in shapes
    ]  # fmt: skip


def internal_layers(gemeente: Area, who: Access, state: dict[str, Any]) -> dict[str, Any]:
    layers: dict[str, Any] = {"focus": None, "density_url": None}
    if state.get("focus"):
        layers["focus"] = {"type": "FeatureCollection", "features": focus_areas(gemeente, who)}
    if state.get("dichtheid"):
        query = {"period": state["periode"]} if state.get("periode") else {}
        layers["density_url"] = DENSITY_URL + ("?" + urlencode(query) if query else "")
    return layers
