"""Map layers: one indicator over one period at one level, with rates, classes and status.

Used by the /kaart page, the API's map layer and the area profile, so every view shows the
same numbers. Counts come from the monthly police tables (47022NED, 47024NED); a period is
a year (``2024``), a half year (``2024-H2``) or a month range (``2024-01..2024-06``).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db import connection

from veiligheidskaart.analysis.classes import ClassBreaks, class_breaks
from veiligheidskaart.analysis.rates import MIN_DENOMINATOR, rates
from veiligheidskaart.analysis.smoothing import eb_smooth
from veiligheidskaart.areas.models import Area, AreaShape
from veiligheidskaart.catalogue.models import Indicator
from veiligheidskaart.observations.models import AnalysisRun, AreaResult
from veiligheidskaart.observations.series import (
    Pinned,
    latest_year,
    monthly_series,
    yearly_series,
)
from veiligheidskaart.sources.models import Classification, Dataset
from veiligheidskaart.sources.periods import add_months

LEVELS = ("buurt", "wijk", "stadsdeel")
ZOOMS = (10, 13, 16)
DENOMINATOR_LABELS = {
    "inwoners": "inwoners", "woningen": "woningen", "vestigingen": "vestigingen",
    "land_km2": "km² land", "jongeren_12_17": "jongeren van 12-17 jaar", "geen": "",
}  # fmt: skip


class LayerError(ValueError):
    """A request for a layer that cannot exist; the message is Dutch and names the parameter."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Period:
    first: date  # first month
    last: date  # last month (its first day)
    label: str

    @property
    def months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    @property
    def days(self) -> int:
        return (add_months(self.last, 1) - self.first).days


def parse_period(text: str) -> Period:
    """'2024', '2024-H2' or '2024-01..2024-06'.

    >>> p = parse_period("2024-H2")
    >>> p.first, p.last, p.label, p.days
    (datetime.date(2024, 7, 1), datetime.date(2024, 12, 1), '2e halfjaar 2024', 184)
    """
    text = (text or "").strip()
    if m := re.fullmatch(r"(\d{4})", text):
        year = int(m.group(1))
        return Period(date(year, 1, 1), date(year, 12, 1), str(year))
    if m := re.fullmatch(r"(\d{4})-H([12])", text):
        year, half = int(m.group(1)), int(m.group(2))
        return Period(
            date(year, 6 * half - 5, 1), date(year, 6 * half, 1), f"{half}e halfjaar {year}"
        )
    if m := re.fullmatch(r"(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})", text):
        first, last = (
            date(int(m.group(1)), int(m.group(2)), 1),
            date(int(m.group(3)), int(m.group(4)), 1),
        )
        if first <= last and 1 <= first.month <= 12 and 1 <= last.month <= 12:
            return Period(first, last, f"{first:%m-%Y} t/m {last:%m-%Y}")
    raise LayerError(
        "periode", f"onbekende periode '{text}'; gebruik 2024, 2024-H2 of 2024-01..2024-06"
    )


@dataclass(frozen=True)
class LayerFeature:
    code: str
    name: str
    count: float | None
    denominator: float | None
    rate: float | None
    lower: float | None
    upper: float | None
    smoothed: float | None
    value: float | None  # the mapped value: rate or smoothed rate
    klass: int  # -1: geen zinvol tarief or no data
    status: str  # "ok", "geen zinvol tarief", "geen gegevens"
    change: str = ""
    hotspot: str = ""


@dataclass(frozen=True)
class Layer:
    gemeente: Area
    indicator: Indicator
    period: Period
    level: str
    smoothed: bool
    features: list[LayerFeature]
    breaks: ClassBreaks
    dataset_id: int | None
    data_date: date | None
    unit: str
    notes: list[str] = field(default_factory=list)
    table_id: str = ""  # 47022NED/47024NED (monthly) or 47018NED (yearly fallback)


def latest_map_year(gemeente: Area) -> int | None:
    """The default year of the map: the last complete year of the monthly table, or else the
    last year of the yearly table."""
    from veiligheidskaart.observations.judge import latest_complete_year

    return latest_complete_year(gemeente) or latest_year(gemeente.code)


def data_version() -> tuple[object, ...]:
    """Changes with every import, reclassification and analysis run: the key of remembered
    layers (a reclassified source may leave the public map). One round trip: it runs on
    every request that a memo answers."""
    datasets, runs = Dataset._meta.db_table, AnalysisRun._meta.db_table
    per_class = ", ".join(
        f"SUM(CASE WHEN classification = '{c}' THEN 1 ELSE 0 END)" for c in Classification.values
    )
    sql = (
        f"SELECT COUNT(*), MAX(id), MAX(imported_at), {per_class}, "
        f"(SELECT COUNT(*) FROM {runs} WHERE is_current), "
        f"(SELECT MAX(id) FROM {runs} WHERE is_current), "
        f"(SELECT MAX(created_at) FROM {runs} WHERE is_current) "
        f"FROM {datasets} WHERE is_current"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return tuple(str(v) for v in row)


_MEMO: OrderedDict[str, Layer] = OrderedDict()
_MEMO_LOCK = threading.Lock()
MEMO_SIZE = 256  # layers; a municipal layer is a few kB, a national one a few hundred


def map_layer(gemeente: Area, indicator_code: str, period_text: str, level: str = "buurt",
              smoothed: bool = False, method: str = "quantiles", pinned: Pinned = None
              ) -> Layer:  # fmt: skip
    """The layer, remembered in-process per dataset and analysis version (two small queries).

    With ``pinned`` (the dataset ids a frozen report recorded) only those versions are read, and
    neither the stored analysis run nor the yearly fallback is used: both follow current data.
    """
    indicator = Indicator.objects.select_related("theme").filter(code=indicator_code).first()
    if indicator is None or indicator.source not in ("misdrijven", "overlast"):
        raise LayerError("indicator", f"geen kaartlaag voor indicator '{indicator_code}'")
    if level not in LEVELS:
        raise LayerError("niveau", f"onbekend niveau '{level}'; kies buurt, wijk of stadsdeel")
    period = parse_period(period_text)
    key = repr((gemeente.pk, gemeente.vintage, indicator.pk, indicator.source_codes,
                indicator.denominator, indicator.per, period, level, smoothed, method,
                data_version(), sorted(pinned) if pinned is not None else None))  # fmt: skip
    with _MEMO_LOCK:
        if key in _MEMO:
            _MEMO.move_to_end(key)
            return _MEMO[key]
    layer = _compute(gemeente, indicator, period, level, smoothed, method, pinned)
    with _MEMO_LOCK:
        _MEMO[key] = layer
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.popitem(last=False)
    return layer


def _compute(gemeente: Area, indicator: Indicator, period: Period, level: str, smoothed: bool,
             method: str, pinned: Pinned = None) -> Layer:  # fmt: skip
    buurten = list(Area.objects.filter(level="buurt", gemeente_code=gemeente.code,
                                       vintage=gemeente.vintage, centroid_x__isnull=False)
                   .order_by("code"))  # fmt: skip
    series = (monthly_series(indicator, buurten, period.first, period.last, pinned)
              if buurten else None)  # fmt: skip
    whole_year = period.months == 12 and period.first.month == 1
    if series is None and buurten and whole_year and pinned is None:
        series = yearly_series(indicator, buurten, period.first.year)
    if series is None:
        raise LayerError("periode", f"geen maandcijfers voor {indicator.name} in {period.label}")
    counts = np.where(
        np.isfinite(series.counts).all(axis=1), np.nansum(series.counts, axis=1), np.nan
    )
    denominators = np.nanmean(series.denominators, axis=1)
    areas, counts, denominators = _aggregate(buurten, counts, denominators, level)
    features, breaks = _features(areas, counts, denominators, indicator, period, smoothed, method)
    if pinned is None:
        features = _with_analysis(features, gemeente, indicator, period, level)
    dataset = Dataset.objects.filter(pk=series.dataset_ids[0]).first()
    unit = (
        f"per {indicator.per:,}".replace(",", ".") + f" {DENOMINATOR_LABELS[indicator.denominator]}"
    )
    notes = list(series.notes)
    if dataset and dataset.vintage and dataset.vintage != gemeente.vintage:
        notes.append(f"cijfers op de indeling van {dataset.vintage}, getekend op de grenzen van "
                     f"{gemeente.vintage} (zelfde codes)")  # fmt: skip
    return Layer(gemeente, indicator, period, level, smoothed, features, breaks,
                 dataset.pk if dataset else None, dataset.published_on if dataset else None,
                 unit.strip(), notes, dataset.table_id if dataset else "")  # fmt: skip


def _aggregate(buurten: list[Area], counts: np.ndarray, denominators: np.ndarray, level: str
               ) -> tuple[list[Area], np.ndarray, np.ndarray]:  # fmt: skip
    if level == "buurt":
        return buurten, counts, denominators
    key = [b.parent_id if level == "wijk" else b.stadsdeel_id for b in buurten]
    ids = sorted({k for k in key if k is not None})
    areas = {a.pk: a for a in Area.objects.filter(pk__in=ids)}
    index = {pk: i for i, pk in enumerate(ids)}
    c, d = np.zeros(len(ids)), np.zeros(len(ids))
    for k, count, den in zip(key, counts, denominators, strict=True):
        if k is not None:
            c[index[k]] += count  # NaN propagates: a gap in any buurt is a gap in the sum
            d[index[k]] += np.nan_to_num(den)
    return [areas[pk] for pk in ids], c, d


def _features(areas: list[Area], counts: np.ndarray, denominators: np.ndarray,
              indicator: Indicator, period: Period, smoothed: bool, method: str
              ) -> tuple[list[LayerFeature], ClassBreaks]:  # fmt: skip
    exposure = denominators * period.days / 365.25  # denominator-years: half years compare fairly
    raw = rates(
        counts, exposure, per=indicator.per, min_denominator=MIN_DENOMINATOR * period.days / 365.25
    )
    smooth = eb_smooth(np.nan_to_num(counts), np.nan_to_num(exposure), per=indicator.per,
                       min_denominator=MIN_DENOMINATOR * period.days / 365.25)  # fmt: skip
    if indicator.denominator != "inwoners":  # the 200-inhabitant rule is about inhabitants only
        raw = rates(counts, exposure, per=indicator.per, min_denominator=1e-9)
    values = smooth.smoothed if smoothed else raw.rate
    values = np.where(raw.meaningful, values, np.nan)
    breaks = class_breaks(values[np.isfinite(values)], k=5, method=method)
    classes = breaks.classify(values)
    out = []
    for i, area in enumerate(areas):
        status = "ok" if np.isfinite(values[i]) else (
            "geen gegevens" if not np.isfinite(counts[i]) else "geen zinvol tarief")  # fmt: skip
        out.append(LayerFeature(area.code, area.name, _num(counts[i]), _num(denominators[i]),
                                _num(raw.rate[i]), _num(raw.lower[i]), _num(raw.upper[i]),
                                _num(smooth.smoothed[i]), _num(values[i]), int(classes[i]),
                                status))  # fmt: skip
    return out, breaks


def _with_analysis(features: list[LayerFeature], gemeente: Area, indicator: Indicator,
                   period: Period, level: str) -> list[LayerFeature]:  # fmt: skip
    """Significant change and hotspots from the stored run of that year (buurten, whole years)."""
    if level != "buurt" or period.months != 12 or period.first.month != 1:
        return features
    run = AnalysisRun.objects.filter(gemeente_code=gemeente.code, year=period.first.year,
                                     is_current=True).first()  # fmt: skip
    if run is None:
        return features
    results = {
        code: (direction, hotspot)
        for code, direction, hotspot in AreaResult.objects.filter(
            run=run, indicator_code=indicator.code, area__level="buurt"
        ).values_list("area__code", "change_direction", "hotspot")
    }
    return [
        LayerFeature(**{**f.__dict__, "change": results.get(f.code, ("", ""))[0],
                        "hotspot": results.get(f.code, ("", ""))[1]})
        for f in features
    ]  # fmt: skip


def shapes(codes: list[str], vintage: int, zoom: int = 13) -> dict[str, str]:
    """Simplified WGS84 GeoJSON geometry per area code for a zoom level."""
    zoom = min(ZOOMS, key=lambda z: abs(z - zoom))
    rows = AreaShape.objects.filter(area__code__in=codes, area__vintage=vintage, zoom=zoom)
    return dict(rows.values_list("area__code", "geojson"))


def _num(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 4)


def layer_payload(layer: Layer, period_code: str) -> dict[str, object]:
    """The one JSON shape of a map layer, for the API and for the /kaart page."""
    ind = layer.indicator
    return {
        "gemeente": {"code": layer.gemeente.code, "name": layer.gemeente.name},
        "indicator": {"code": ind.code, "name": ind.name, "theme": ind.theme.code,
                      "unit": layer.unit, "denominator": ind.denominator, "per": ind.per,
                      "source": ind.source, "validity": ind.validity},  # fmt: skip
        "period": {"code": period_code, "label": layer.period.label,
                   "first": layer.period.first.isoformat(), "last": layer.period.last.isoformat()},
        "level": layer.level,
        "smoothed": layer.smoothed,
        "classes": {"method": layer.breaks.method, "lower": layer.breaks.lower_bound,
                    "upper_bounds": list(layer.breaks.upper_bounds)},  # fmt: skip
        "data_date": layer.data_date.isoformat() if layer.data_date else None,
        "vintage": layer.gemeente.vintage,
        "dataset_id": layer.dataset_id,
        "table": layer.table_id,
        "notes": layer.notes,
        "features": [
            {"code": f.code, "name": f.name, "value": f.value, "rate": f.rate, "lower": f.lower,
             "upper": f.upper, "smoothed": f.smoothed, "count": f.count,
             "denominator": f.denominator, "class": f.klass, "status": f.status,
             "change": f.change, "hotspot": f.hotspot}
            for f in layer.features
        ],
    }  # fmt: skip
