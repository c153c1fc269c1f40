"""The figures of a report, read from pinned dataset versions so a published report never moves.

Every count passes ``publish_count`` (reports are public by default); a rate is not shown where
its count is hidden. Changes are tested as on the rest of the site (``analysis.change``) and
worded per DESIGN §6: a change that is not significant is "binnen de marge van toeval".
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import numpy as np
from shapely.geometry import MultiPolygon, Polygon

from veiligheidskaart.analysis import suppression as sup
from veiligheidskaart.analysis.change import (
    change_family,
    half_year_on_year,
    year_on_year,
)
from veiligheidskaart.analysis.rates import MIN_DENOMINATOR, rates
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator
from veiligheidskaart.observations.layers import (
    DENOMINATOR_LABELS,
    LayerError,
    map_layer,
)
from veiligheidskaart.observations.series import Series, declared_breaks, monthly_series
from veiligheidskaart.sources.models import Dataset
from veiligheidskaart.web.charts import Line, MapArea, choropleth, line_chart, nl

HISTORY_YEARS = 5  # before the reported period: enough for the NB dispersion (≥ 3 years)
MAP_SOURCES = ("misdrijven", "overlast")


@dataclass(frozen=True)
class Scope:
    """Where and from what: the gemeente, the buurten covered and the pinned dataset ids."""

    gemeente: Area
    buurten: tuple[Area, ...]
    pinned: frozenset[int]
    label: str  # "Demostad", "stadsdeel Noord"
    level: str  # level of the scope, for suppression: gemeente or stadsdeel
    district_code: str = ""  # the stadsdeel's code, to draw only its part of the map


def gemeente_buurten(gemeente: Area) -> list[Area]:
    return list(Area.objects.filter(level="buurt", gemeente_code=gemeente.code,
                                    vintage=gemeente.vintage, centroid_x__isnull=False)
                .order_by("code"))  # fmt: skip


def unit_text(ind: Indicator, notes: Collection[str] = ()) -> str:
    fallback = any("per inwoners berekend" in n for n in notes)
    label = DENOMINATOR_LABELS["inwoners" if fallback else ind.denominator]
    return (f"per {ind.per:,}".replace(",", ".") + f" {label}").strip()


def classification(dataset_id: int | None) -> str:
    row = Dataset.objects.filter(pk=dataset_id).values_list("classification", flat=True).first()
    return row or "open"


@dataclass(frozen=True)
class Change:
    """One indicator over the scope: the period against its reference, in published form."""

    indicator: Indicator
    period_label: str
    reference_label: str
    count: str  # published display texts (suppression applied)
    reference_count: str
    rate: str
    reference_rate: str
    unit: str
    sentence: str
    method_note: str
    notes: tuple[str, ...]


def indicator_change(scope: Scope, ind: Indicator, year: int, half: int | None) -> Change | None:
    """Count, rate and tested change of the scope's total: a year or half year against the same
    period one year earlier, with ``HISTORY_YEARS`` of history for the dispersion."""
    first, last = date(year - HISTORY_YEARS, 1, 1), date(year, 12, 1)
    series = monthly_series(ind, list(scope.buurten), first, last, scope.pinned)
    if series is None:
        return None
    comparison = year_on_year(year) if half is None else half_year_on_year(year, half)
    counts = series.counts.sum(axis=0, keepdims=True)  # NaN anywhere in a month: no total
    dens = np.nansum(series.denominators, axis=0, keepdims=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        family = change_family(counts, dens, series.units, comparison,
                               breaks=declared_breaks(ind))  # fmt: skip
    result = family.results[0]
    cls = classification(series.dataset_ids[0])
    shown = [_publish(v, ind, cls, scope.level) for v in (result.count_b, result.count_a)]
    rate_texts = [
        _rate_text(series, ind, comparison.current.start, comparison.current.end, shown[0]),
        _rate_text(series, ind, comparison.reference.start, comparison.reference.end, shown[1]),
    ]
    sentence = "niet openbaar" if shown[0].display == sup.HIDDEN else result.sentence()
    return Change(ind, comparison.current.label, comparison.reference.label, _display(shown[0]),
                  _display(shown[1]), rate_texts[0], rate_texts[1], unit_text(ind, series.notes),
                  sentence, family.method_note, series.notes)  # fmt: skip


def _publish(value: float, ind: Indicator, cls: str, level: str) -> sup.PublicValue:
    value_or_none = None if value is None or not math.isfinite(value) else value
    return sup.publish_count(value_or_none, source=ind.source, classification=cls, level=level,
                             sensitive=ind.theme.sensitive)  # fmt: skip


def _display(cell: sup.PublicValue) -> str:
    if cell.value is not None and cell.display == str(cell.value):
        return nl(cell.value, 0)
    return {sup.MISSING: "geen gegevens", sup.HIDDEN: "niet openbaar"}.get(
        cell.display, cell.display
    )


def _rate_text(series: Series, ind: Indicator, start: date, end: date,
               shown: sup.PublicValue) -> str:  # fmt: skip
    """The rate of a period, per year of exposure; not shown when its count is not exact."""
    if shown.value is None or shown.reason is not None:
        return "–"
    rate = period_rate(series, ind, start, end)
    return "geen zinvol tarief" if rate is None else nl(rate)


def period_rate(series: Series, ind: Indicator, start: date, end: date) -> float | None:
    cols = np.array([start <= s <= end for s in series.units.starts])
    if not cols.any():
        return None
    block = series.counts[:, cols]
    if not np.isfinite(block).all():
        return None
    days = float(series.units.days[cols].sum()) / 365.25
    den = float(np.nansum(np.nanmean(series.denominators[:, cols], axis=1)))
    minimum = MIN_DENOMINATOR if ind.denominator == "inwoners" else 1e-9
    r = rates([float(block.sum())], [den * days], per=ind.per, min_denominator=minimum * days)
    value = float(r.rate[0])
    return value if math.isfinite(value) else None


def yearly_chart(scope: Scope, ind: Indicator, year: int, chart_id: str) -> str | None:
    """Line chart of the scope's yearly rate over the last six years, pinned."""
    first, last = date(year - HISTORY_YEARS, 1, 1), date(year, 12, 1)
    series = monthly_series(ind, list(scope.buurten), first, last, scope.pinned)
    if series is None:
        return None
    years = list(range(year - HISTORY_YEARS, year + 1))
    values = [period_rate(series, ind, date(y, 1, 1), date(y, 12, 1)) for y in years]
    unit = unit_text(ind, series.notes)
    title = f"{ind.name}, {unit}, {years[0]}–{years[-1]}"
    return line_chart(chart_id, title, [str(y) for y in years], [Line(scope.label, values)], unit)


def half_year_chart(scope: Scope, ind: Indicator, year: int, half: int,
                    chart_id: str) -> str | None:  # fmt: skip
    """Line chart of the scope's half-year rates, the last six half years, pinned."""
    first, last = date(year - 3, 1, 1), date(year, 12, 1)
    series = monthly_series(ind, list(scope.buurten), first, last, scope.pinned)
    if series is None:
        return None
    halves = [(y, h) for y in range(year - 3, year + 1) for h in (1, 2)]
    halves = [p for p in halves if p <= (year, half)][-6:]
    values = [period_rate(series, ind, date(y, 6 * h - 5, 1), date(y, 6 * h, 1)) for y, h in halves]
    unit = unit_text(ind, series.notes) + " (op jaarbasis)"
    labels = [f"{y}-H{h}" for y, h in halves]
    title = f"{ind.name}, {unit}, per halfjaar"
    return line_chart(chart_id, title, labels, [Line(scope.label, values)], unit)


def area_map(scope: Scope, ind: Indicator, period: str, chart_id: str,
             only: Collection[str] = ()) -> tuple[str, str] | None:  # fmt: skip
    """A choropleth of buurten (wijken for a sensitive theme) and its caption; ``only`` limits
    the map to the areas of those stadsdeel codes."""
    level = "wijk" if ind.theme.sensitive else "buurt"
    try:
        with warnings.catch_warnings():  # mapclassify warns about few distinct values
            warnings.simplefilter("ignore", UserWarning)
            layer = map_layer(scope.gemeente, ind.code, period, level, pinned=scope.pinned)
    except LayerError:
        return None
    features = layer.features
    areas = {a.code: a for a in Area.objects.filter(
        code__in=[f.code for f in features], vintage=scope.gemeente.vintage
    ).select_related("stadsdeel", "parent__stadsdeel")}  # fmt: skip
    if only:
        features = [f for f in features if _stadsdeel_code(areas.get(f.code)) in only]
    cls = classification(layer.dataset_id)
    shapes = []
    for f in features:
        shown = sup.publish_count(f.count, source=ind.source, classification=cls, level=level,
                                  sensitive=ind.theme.sensitive)  # fmt: skip
        exact = shown.value is not None and shown.reason is None
        klass = f.klass if exact else -1
        display = nl(f.value) if exact and f.value is not None else (
            "geen zinvol tarief" if exact else _display(shown))  # fmt: skip
        shapes.append(MapArea(f.name, rings(areas.get(f.code)), klass, display))
    limits = [layer.breaks.lower_bound, *layer.breaks.upper_bounds]
    title = f"{ind.name} per {level}, {layer.period.label}, {layer.unit}"
    svg = choropleth(chart_id, title, shapes, limits, layer.unit)
    method = {"quantiles": "kwantielen", "natural_breaks": "natuurlijke grenzen"}.get(
        layer.breaks.method, layer.breaks.method
    )
    caption = (f"{ind.name} per {level} ({layer.period.label}), {layer.unit}; ruwe tarieven, "
               f"klassen naar {method}. Gearceerd: geen zinvol tarief (minder dan 200 inwoners) "
               "of geen gegevens.")  # fmt: skip
    return svg, caption


def _stadsdeel_code(area: Area | None) -> str:
    if area is None:
        return ""
    district = area.stadsdeel or (area.parent.stadsdeel if area.parent else None)
    return district.code if district else ""


def rings(area: Area | None, tolerance: float = 15.0) -> list[list[tuple[float, float]]]:
    """Exterior and interior rings in RD metres, simplified for print (15 m is below a pixel)."""
    geometry = area.geometry() if area is not None else None
    if geometry is None:
        return []
    geometry = geometry.simplify(tolerance, preserve_topology=True)
    polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    out = []
    for poly in polygons:
        if not isinstance(poly, Polygon):
            continue
        out.append([(float(x), float(y)) for x, y in poly.exterior.coords])
        out += [[(float(x), float(y)) for x, y in ring.coords] for ring in poly.interiors]
    return out
