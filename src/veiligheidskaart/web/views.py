"""Pages: thin adapters that query and render."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from veiligheidskaart.accounts.access import Access, access_of
from veiligheidskaart.catalogue.models import Indicator, Veiligheidsveld
from veiligheidskaart.observations.layers import (
    Layer,
    LayerError,
    latest_map_year,
    layer_payload,
    map_layer,
    shapes,
)
from veiligheidskaart.observations.models import AnalysisRun
from veiligheidskaart.observations.queries import home_gemeente
from veiligheidskaart.web.internal import internal_layers

PALETTE = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")
LEVEL_LABELS = {"buurt": "buurten", "wijk": "wijken", "stadsdeel": "stadsdelen"}
METHODS = {"quantiles": "kwantielen", "natural_breaks": "natuurlijke grenzen"}
MAP_INDICATOR_SOURCES = ("misdrijven", "overlast")


def kaart(request: HttpRequest) -> HttpResponse:
    gemeente = home_gemeente()
    if gemeente is None:
        return render(request, "web/leeg.html")
    who = access_of(request.user)
    state = _state(request, gemeente, who)
    notice = _sensitive_level(request, state)
    context: dict[str, Any] = {"state": state, "basemap": settings.VK_BASEMAP,
                               "velden": _indicator_groups(), "levels": LEVEL_LABELS,
                               "methods": METHODS, "years": _years(gemeente),
                               "notice": notice, "internal": who.internal}  # fmt: skip
    try:
        layer = map_layer(gemeente, state["indicator"], state["periode"], state["niveau"],
                          state["gladgestreken"], state["klassen"])  # fmt: skip
    except LayerError as exc:
        context["error"] = str(exc)
        return render(request, "web/kaart.html", context, status=400)
    map_data = _map_data(layer, state)
    if who.internal:  # internal layers: never in the page of the public or a partner
        map_data["internal"] = internal_layers(gemeente, who, state)
    context |= {"layer": layer, "legend": _legend(layer), "map_data": map_data,
                "analysed": _analysed(layer),
                "no_rate_count": sum(1 for f in layer.features if f.status != "ok")}  # fmt: skip
    return render(request, "web/kaart.html", context)


def _state(request: HttpRequest, gemeente: Any, who: Access) -> dict[str, Any]:
    """The map's state from the URL, so a link shows the same map."""
    year = latest_map_year(gemeente)
    return {
        "dichtheid": who.internal and request.GET.get("dichtheid") == "1",
        "focus": who.internal and request.GET.get("focus") == "1",
        "indicator": request.GET.get("indicator") or "misdrijven_totaal",
        "periode": request.GET.get("periode") or str(year or ""),
        "niveau": request.GET.get("niveau") or "buurt",
        "gladgestreken": request.GET.get("tarief") == "gladgestreken",
        "klassen": request.GET.get("klassen")
        if request.GET.get("klassen") in METHODS
        else "quantiles",
    }


def _sensitive_level(request: HttpRequest, state: dict[str, Any]) -> str:
    """Sensitive themes are published per wijk only: the public map moves up a level."""
    indicator = Indicator.objects.select_related("theme").filter(code=state["indicator"]).first()
    if (indicator is None or not indicator.theme.sensitive or request.user.is_authenticated
            or state["niveau"] != "buurt"):  # fmt: skip
        return ""
    state["niveau"] = "wijk"
    return f"{indicator.theme.name} is een gevoelig thema en wordt alleen per wijk getoond."


def _years(gemeente: Any) -> list[int]:
    last = latest_map_year(gemeente)
    return list(range(last, last - 6, -1)) if last else []


def _indicator_groups() -> list[tuple[Veiligheidsveld, list[Indicator]]]:
    indicators = Indicator.objects.filter(source__in=MAP_INDICATOR_SOURCES).select_related(
        "theme__veld"
    )
    groups: dict[int, tuple[Veiligheidsveld, list[Indicator]]] = {}
    for ind in indicators:
        groups.setdefault(ind.theme.veld_id, (ind.theme.veld, []))[1].append(ind)
    return sorted(groups.values(), key=lambda group: group[0].order)


def _map_data(layer: Layer, state: dict[str, Any]) -> dict[str, Any]:
    payload = layer_payload(layer, state["periode"])
    geometry = shapes([f.code for f in layer.features], layer.gemeente.vintage)
    payload["features"] = [
        {
            "type": "Feature",
            "geometry": json.loads(geometry.get(f["code"], "null")),
            "properties": f,
        }
        for f in payload["features"]  # type: ignore[attr-defined]
    ]
    payload["type"] = "FeatureCollection"
    payload["palette"] = list(PALETTE)
    payload["level_label"] = LEVEL_LABELS[layer.level]
    return payload


def _legend(layer: Layer) -> list[dict[str, Any]]:
    rows, lower = [], layer.breaks.lower_bound
    for i, upper in enumerate(layer.breaks.upper_bounds):
        rows.append({"color": PALETTE[i % len(PALETTE)], "lower": lower, "upper": upper})
        lower = upper
    return rows


def _analysed(layer: Layer) -> bool:
    """Rise/fall markers and hotspots exist for buurten over a whole analysed year only."""
    period = layer.period
    if layer.level != "buurt" or period.months != 12 or period.first.month != 1:
        return False
    runs = AnalysisRun.objects.filter(gemeente_code=layer.gemeente.code, year=period.first.year,
                                      is_current=True)  # fmt: skip
    return runs.exists()
