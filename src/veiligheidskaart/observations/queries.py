"""Read side: querysets → arrays for the analysis, and map layers for the web."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.conf import settings

from veiligheidskaart.analysis.classes import ClassBreaks, class_breaks
from veiligheidskaart.analysis.rates import MIN_DENOMINATOR, rates
from veiligheidskaart.areas.models import Area, AreaShape
from veiligheidskaart.observations.models import Kerncijfer, Observation
from veiligheidskaart.sources.models import Dataset

CRIME_TABLES = ("47018NED", "47022NED")  # yearly figures come from year rows only
MAP_ZOOM = 13


def home_gemeente() -> Area | None:
    """VK_GEMEENTE, or the only gemeente with geometry."""
    gemeenten = Area.objects.filter(level="gemeente", geometry_rd__isnull=False)
    if settings.VK_GEMEENTE:
        return gemeenten.filter(code=settings.VK_GEMEENTE).order_by("-vintage").first()
    codes = set(gemeenten.values_list("code", flat=True))
    return gemeenten.order_by("-vintage").first() if len(codes) == 1 else None


@dataclass(frozen=True)
class MapFeature:
    code: str
    name: str
    geometry: str  # GeoJSON text, WGS84
    count: float | None
    inhabitants: int | None
    rate: float | None
    klass: int  # -1: geen zinvol tarief or no data
    status: str


@dataclass(frozen=True)
class MapLayer:
    gemeente: Area
    year: int
    features: list[MapFeature]
    breaks: ClassBreaks
    dataset: Dataset | None
    min_denominator: int


def crime_rate_layer(gemeente: Area, year: int, source_code: str = "0.0.0") -> MapLayer:
    """Registered crime per 1,000 inhabitants per buurt, from the year rows."""
    buurten = list(
        Area.objects.filter(level="buurt", gemeente_code=gemeente.code, vintage=gemeente.vintage)
        .exclude(geometry_rd__isnull=True)
        .order_by("code")
    )
    shapes = dict(
        AreaShape.objects.filter(area__in=buurten, zoom=MAP_ZOOM).values_list("area_id", "geojson")
    )
    dataset = _crime_dataset(gemeente.code)
    rows = (
        Observation.objects.filter(
            dataset=dataset, source_code=source_code, granularity="year",
            period_start=date(year, 1, 1), area__in=buurten,
        ).values_list("area_id", "value", "status")
        if dataset else []
    )  # fmt: skip
    obs = {area_id: value for area_id, value, _ in rows}
    statuses = {area_id: status for area_id, _, status in rows}
    inhabitants = dict(
        Kerncijfer.objects.filter(
            dataset__is_current=True, year=year, area__in=buurten
        ).values_list("area_id", "inhabitants")
    )
    counts = np.array(
        [np.nan if obs.get(b.pk) is None else obs[b.pk] for b in buurten], dtype=float
    )
    denoms = np.array(
        [np.nan if inhabitants.get(b.pk) is None else inhabitants[b.pk] for b in buurten]
    )
    result = rates(counts, denoms, per=1000)
    breaks = class_breaks(result.rate[result.meaningful], k=5)
    classes = breaks.classify(result.rate)
    features = [
        MapFeature(
            code=b.code, name=b.name, geometry=shapes.get(b.pk, "null"),
            count=None if np.isnan(counts[i]) else float(counts[i]),
            inhabitants=inhabitants.get(b.pk),
            rate=None if np.isnan(result.rate[i]) else round(float(result.rate[i]), 2),
            klass=int(classes[i]), status=statuses.get(b.pk, "ontbreekt"),
        )
        for i, b in enumerate(buurten)
    ]  # fmt: skip
    return MapLayer(gemeente, year, features, breaks, dataset, MIN_DENOMINATOR)


def _crime_dataset(gemeente_code: str) -> Dataset | None:
    candidates = Dataset.objects.filter(
        is_current=True, table_id__in=CRIME_TABLES, area_scope__contains=gemeente_code
    )
    return candidates.order_by("table_id", "-published_on").first()


def latest_complete_year(gemeente: Area) -> int | None:
    """The last year with a year row for the buurten of the gemeente."""
    dataset = _crime_dataset(gemeente.code)
    if dataset is None:
        return None
    last = (
        Observation.objects.filter(dataset=dataset, granularity="year", source_code="0.0.0",
                                   area__level="buurt")
        .order_by("-period_start").values_list("period_start", flat=True).first()
    )  # fmt: skip
    return last.year if last else None
