"""Public pages: the melding form, the status page and the aandachtspunten form.

They show no e-mail, no free text of the resident and no location finer than the buurt.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from veiligheidskaart.areas.models import AreaShape, Level
from veiligheidskaart.meldingen import registry, services
from veiligheidskaart.meldingen.forms import AandachtspuntForm, MeldingForm
from veiligheidskaart.meldingen.models import Melding, Source
from veiligheidskaart.observations.queries import home_gemeente

logger = logging.getLogger(__name__)
MAP_ZOOM = 13
NOTICE = "Spoed? Bel 112. Aangifte doen: politie. Anoniem melden: Meld Misdaad Anoniem 0800-7000."


@require_http_methods(["GET", "POST"])
def nieuw(request: HttpRequest) -> HttpResponse:
    form = MeldingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            melding = services.submit_melding(
                category=data["category"],
                description=data["description"],
                lat=data["lat"] or None,
                lon=data["lon"] or None,
                buurt_code=data["buurt_code"] or None,
                email=data["email"] or None,
                source=Source.FORMULIER,
            )
        except services.MeldingInvalid as exc:
            form.add_service_errors(exc.errors)
        else:
            logger.info("melding %s ontvangen via het formulier", melding.pk)
            messages.success(request, "Uw melding is ontvangen.")
            return HttpResponseRedirect(f"/meldingen/{melding.tracking_code}")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "notice": NOTICE, "buurten_geojson": _buurt_shapes()}
    return render(request, "meldingen/nieuw.html", context, status=status)


def _buurt_shapes() -> dict[str, Any]:
    """The buurten of the home gemeente as GeoJSON (WGS84), for the map on the form."""
    import json

    gemeente = home_gemeente()
    if gemeente is None:
        return {"type": "FeatureCollection", "features": []}
    rows = AreaShape.objects.filter(
        zoom=MAP_ZOOM,
        area__level=Level.BUURT,
        area__gemeente_code=gemeente.code,
        area__vintage=gemeente.vintage,
    ).values_list("area__code", "area__name", "geojson")
    features = [
        {"type": "Feature", "geometry": json.loads(geo), "properties": {"code": code, "name": name}}
        for code, name, geo in rows
    ]
    return {"type": "FeatureCollection", "features": features}


def status(request: HttpRequest, code: str) -> HttpResponse:
    """Status and public notes only: no description, no e-mail, no exact point."""
    if not services.TRACKING_RE.fullmatch(code):
        raise Http404("Onbekende volgcode")
    melding = Melding.objects.select_related("buurt", "wijk").filter(tracking_code=code).first()
    if melding is None:
        raise Http404("Onbekende volgcode")
    cat = registry.category(melding.category)
    context = {
        "melding": melding,
        "code": code,
        "category": cat.name if cat else melding.category,
        "history": melding.history.order_by("at", "pk"),
        "notes": melding.notes.filter(public=True).order_by("at", "pk"),
    }
    return render(request, "meldingen/status.html", context)


@require_http_methods(["GET", "POST"])
def aandachtspunt_nieuw(request: HttpRequest) -> HttpResponse:
    form = AandachtspuntForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            punt = services.submit_aandachtspunt(
                stadsdeel_code=data["stadsdeel"],
                theme=data["theme"],
                text=data["text"],
                email=data["email"] or None,
                year=int(data["year"]),
            )
        except services.MeldingInvalid as exc:
            form.add_service_errors(exc.errors)
        else:
            logger.info("aandachtspunt %s ontvangen", punt.pk)
            messages.success(
                request,
                f"Uw aandachtspunt is ontvangen voor de stadsdeelagenda {punt.year} van "
                f"{punt.stadsdeel.name}.",
            )
            return HttpResponseRedirect("/aandachtspunten/ontvangen")
    status = 400 if request.method == "POST" else 200
    return render(request, "meldingen/aandachtspunt_nieuw.html", {"form": form}, status=status)


def aandachtspunt_ontvangen(request: HttpRequest) -> HttpResponse:
    return render(request, "meldingen/aandachtspunt_ontvangen.html")
