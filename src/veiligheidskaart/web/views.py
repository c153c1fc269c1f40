"""Pages: thin adapters that query and render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from veiligheidskaart.observations.queries import (
    MapLayer,
    crime_rate_layer,
    home_gemeente,
    latest_complete_year,
)

PALETTE = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")


def kaart(request: HttpRequest) -> HttpResponse:
    gemeente = home_gemeente()
    if gemeente is None:
        return render(request, "web/leeg.html", status=200)
    year = _year(request, gemeente)
    layer = crime_rate_layer(gemeente, year) if year else None
    context: dict[str, Any] = {"year": year, "layer": layer, "basemap": settings.VK_BASEMAP}
    if layer is not None:
        context["map_data"] = _map_data(layer)
        context["legend"] = _legend(layer)
        context["no_rate_count"] = sum(1 for f in layer.features if f.klass < 0)
    return render(request, "web/kaart.html", context)


def _year(request: HttpRequest, gemeente: Any) -> int | None:
    latest = latest_complete_year(gemeente)
    try:
        asked = int(request.GET.get("jaar", ""))
    except ValueError:
        return latest
    return asked if latest and 2000 <= asked <= latest else latest


def _map_data(layer: MapLayer) -> dict[str, Any]:
    import json

    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": json.loads(f.geometry),
                "properties": {
                    "code": f.code,
                    "naam": f.name,
                    "aantal": f.count,
                    "inwoners": f.inhabitants,
                    "tarief": f.rate,
                    "klasse": f.klass,
                },
            }
            for f in layer.features
        ],
        "palette": list(PALETTE),
        "eenheid": "per 1.000 inwoners",
    }


def _legend(layer: MapLayer) -> list[dict[str, Any]]:
    rows, lower = [], layer.breaks.lower_bound
    for i, upper in enumerate(layer.breaks.upper_bounds):
        rows.append({"color": PALETTE[i % len(PALETTE)], "lower": lower, "upper": upper})
        lower = upper
    return rows
