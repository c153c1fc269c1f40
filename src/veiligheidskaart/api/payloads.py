"""Response bodies of the API, built from the read-side functions of ``observations``.

Public output only: sources with classification ``open``, every count through
``analysis.suppression``, and no component of the ranking that comes from a closed source.
"""

from __future__ import annotations

import json
import warnings
from datetime import date
from typing import Any

import numpy as np
import shapely
from django.db.models import Max, Min, Q
from rest_framework.exceptions import NotFound
from shapely import wkb
from shapely.geometry import mapping

from veiligheidskaart.analysis.rates import MIN_DENOMINATOR, rates
from veiligheidskaart.analysis.suppression import HIDDEN, publish_count, publish_counts
from veiligheidskaart.api.errors import ParameterError
from veiligheidskaart.api.params import RD
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator, Theme
from veiligheidskaart.observations.layers import DENOMINATOR_LABELS, shapes
from veiligheidskaart.observations.models import AnalysisRun, AreaResult, Observation
from veiligheidskaart.observations.queries import home_gemeente
from veiligheidskaart.observations.ranking import priority_rows
from veiligheidskaart.observations.series import monthly_dataset, monthly_series
from veiligheidskaart.sources.models import Dataset

PUBLIC = "open"
AREA_LEVELS = ("buurt", "wijk", "stadsdeel", "gemeente")
RD_CRS_MEMBER = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
# ranking components that come from a source of their own (dataset kind)
COMPONENT_SOURCES = {"perception": "panel", "meldingen": "meldingen"}
STATISTICS = (
    "count",
    "denominator",
    "rate",
    "rate_lower",
    "rate_upper",
    "smoothed_rate",
    "ratio",
    "ratio_lower",
    "change_direction",
    "change_p",
    "change_q",
    "change_sentence",
    "hotspot",
    "trend_factor",
    "trend_p",
    "trend_sentence",
)


def home() -> Area:
    gemeente = home_gemeente()
    if gemeente is None:
        raise NotFound("Er is geen gemeente met gebiedsindeling geladen (zie VK_GEMEENTE).")
    return gemeente


def find_area(gemeente: Area, code: str) -> Area | None:
    """An area of the home gemeente (or the gemeente itself) in its vintage."""
    area: Area | None = (
        Area.objects.filter(code=code, vintage=gemeente.vintage, level__in=AREA_LEVELS)
        .filter(Q(gemeente_code=gemeente.code) | Q(pk=gemeente.pk))
        .first()
    )
    return area


def member_buurten(gemeente: Area, area: Area) -> list[Area]:
    """The buurten an area consists of (those with geometry, as the map layer sums them)."""
    if area.level == "buurt":
        return [area]
    rows = Area.objects.filter(
        level="buurt",
        gemeente_code=gemeente.code,
        vintage=gemeente.vintage,
        centroid_x__isnull=False,
    )
    if area.level == "wijk":
        rows = rows.filter(parent=area)
    elif area.level == "stadsdeel":
        rows = rows.filter(stadsdeel=area)
    return list(rows.order_by("code"))


def check_public(indicator: Indicator, dataset: Dataset, level: str, level_parameter: str) -> None:
    """Refuse what the public may not see: a closed source, or a sensitive theme per buurt."""
    if dataset.classification != PUBLIC:
        raise ParameterError("indicator", f"{indicator.name}: de bron is niet openbaar")
    probe = publish_count(
        None,
        source=indicator.source,
        classification=dataset.classification,
        level=level,
        sensitive=indicator.theme.sensitive,
    )
    if probe.display == HIDDEN:
        raise ParameterError(level_parameter, f"{indicator.name}: {probe.reason}")


# --- areas ---------------------------------------------------------------------------------


def area_collection(gemeente: Area, level: str, zoom: int, crs: str) -> dict[str, Any]:
    """The gemeente's areas of one level as a GeoJSON FeatureCollection."""
    rows = list(
        Area.objects.filter(level=level, gemeente_code=gemeente.code, vintage=gemeente.vintage)
        .order_by("code")
        .values(
            "code",
            "name",
            "level",
            "vintage",
            "parent__code",
            "stadsdeel__code",
            *(["geometry_rd"] if crs == RD else []),
        )
    )
    if crs == RD:
        geometries = {r["code"]: _rd_geometry(r.pop("geometry_rd")) for r in rows}
    else:
        texts = shapes([r["code"] for r in rows], gemeente.vintage, zoom)
        geometries = {code: _json_geometry(texts.get(code)) for code in (r["code"] for r in rows)}
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    if crs == RD:
        collection["crs"] = RD_CRS_MEMBER
    collection["features"] = [_feature(r, geometries[r["code"]]) for r in rows]
    return collection


def _feature(row: dict[str, Any], geometry: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": row["code"],
        "geometry": geometry,
        "properties": {
            "code": row["code"],
            "name": row["name"],
            "level": row["level"],
            "vintage": row["vintage"],
            "parent": row["parent__code"],
            "stadsdeel": row["stadsdeel__code"],
        },
    }


def _rd_geometry(blob: bytes | memoryview | None) -> dict[str, Any] | None:
    """Full geometry in RD New, rounded to the millimetre."""
    if blob is None:
        return None
    geom = shapely.transform(wkb.loads(bytes(blob)), lambda xy: np.round(xy, 3))
    return dict(mapping(geom))


def _json_geometry(text: str | None) -> dict[str, Any] | None:
    return None if text is None else json.loads(text)


# --- series ---------------------------------------------------------------------------------


def area_series(gemeente: Area, area: Area, indicator: Indicator) -> dict[str, Any]:
    """Monthly and yearly counts and rates of the area's buurten summed, with the statistics."""
    dataset = monthly_dataset(gemeente.code, indicator.source)
    if dataset is None:
        raise ParameterError("indicator", f"geen maandcijfers voor {indicator.name}")
    check_public(indicator, dataset, area.level, "indicator")
    buurten = member_buurten(gemeente, area)
    first, last = _data_range(dataset, indicator)
    series = monthly_series(indicator, buurten, first, last) if buurten and first and last else None
    if series is None:
        raise ParameterError("indicator", f"geen maandcijfers voor {indicator.name} in {area.name}")
    publish = {
        "source": indicator.source,
        "classification": dataset.classification,
        "level": area.level,
        "sensitive": indicator.theme.sensitive,
    }
    return {
        "area": {"code": area.code, "name": area.name, "level": area.level},
        "indicator": {
            "code": indicator.code,
            "name": indicator.name,
            "unit": _unit(indicator),
            "per": indicator.per,
            "denominator": indicator.denominator,
            "source": indicator.source,
        },
        "buurten": len(buurten),
        "dataset_id": dataset.pk,
        "data_date": dataset.published_on.isoformat() if dataset.published_on else None,
        "notes": list(series.notes),
        "yearly": _yearly(
            series.counts, series.denominators, series.units.starts, indicator, publish
        ),
        "monthly": _monthly(
            series.counts,
            series.denominators,
            series.units.starts,
            series.units.days,
            indicator,
            publish,
        ),
        "statistics": _statistics(gemeente, area, indicator),
    }


def _data_range(dataset: Dataset, indicator: Indicator) -> tuple[date | None, date | None]:
    if dataset.period_start and dataset.period_end:
        return dataset.period_start, dataset.period_end.replace(day=1)
    bounds = Observation.objects.filter(
        dataset=dataset, granularity="month", source_code__in=indicator.source_codes
    ).aggregate(first=Min("period_start"), last=Max("period_start"))
    return bounds["first"], bounds["last"]


def _unit(indicator: Indicator) -> str:
    label = DENOMINATOR_LABELS.get(indicator.denominator, indicator.denominator)
    return f"per {indicator.per:,}".replace(",", ".") + f" {label} per jaar".replace("  ", " ")


def _yearly(
    counts: np.ndarray,
    dens: np.ndarray,
    starts: tuple[date, ...],
    indicator: Indicator,
    publish: dict[str, Any],
) -> list[dict[str, Any]]:
    """Per year as the map layer computes it: per buurt 12 months or nothing, then summed."""
    years = sorted({s.year for s in starts})
    count, den, months = [], [], []
    for year in years:
        cols = [j for j, s in enumerate(starts) if s.year == year]
        block = counts[:, cols]
        per_area = np.where(np.isfinite(block).all(axis=1), block.sum(axis=1), np.nan)
        count.append(np.sum(per_area) if len(cols) == 12 else np.nan)
        den.append(_total(_nanmean(dens[:, cols])))
        months.append(int(np.isfinite(block.sum(axis=0)).sum()))
    days = np.array([(date(y + 1, 1, 1) - date(y, 1, 1)).days for y in years])
    rows = _rows(np.array(count), np.array(den), days, indicator, publish)
    return [{"year": y, "months": m, **r} for y, m, r in zip(years, months, rows, strict=True)]


def _monthly(
    counts: np.ndarray,
    dens: np.ndarray,
    starts: tuple[date, ...],
    days: np.ndarray,
    indicator: Indicator,
    publish: dict[str, Any],
) -> list[dict[str, Any]]:
    count = counts.sum(axis=0)  # NaN propagates: a gap in one buurt is a gap in the sum
    den = np.array([_total(dens[:, j]) for j in range(dens.shape[1])])
    rows = _rows(count, den, np.asarray(days), indicator, publish)
    return [{"month": f"{s:%Y-%m}", **r} for s, r in zip(starts, rows, strict=True)]


def _rows(
    count: np.ndarray,
    den: np.ndarray,
    days: np.ndarray,
    indicator: Indicator,
    publish: dict[str, Any],
) -> list[dict[str, Any]]:
    """Suppressed counts and annual rates per denominator-year, as in the map layer."""
    shown = publish_counts(count, **publish)
    exposure = den * days / 365.25
    minimum = MIN_DENOMINATOR * days / 365.25 if indicator.denominator == "inwoners" else 1e-9
    hidden = ~np.isfinite(shown.value)
    rate = rates(  # min_denominator per element: rates() compares elementwise
        np.where(hidden, np.nan, count),
        exposure,
        per=indicator.per,
        min_denominator=minimum,  # type: ignore[arg-type]
    )
    return [
        {
            "count": None if hidden[i] else int(shown.value[i]),
            "count_note": shown.reason[i],
            "denominator": _num(den[i]),
            "rate": _num(rate.rate[i]),
            "lower": _num(rate.lower[i]),
            "upper": _num(rate.upper[i]),
        }
        for i in range(len(count))
    ]


def _nanmean(block: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an area without any denominator
        mean: np.ndarray = np.nanmean(block, axis=1)
        return mean


def _total(values: np.ndarray) -> float:
    return float(np.nansum(values)) if np.isfinite(values).any() else float("nan")


def _num(value: Any) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), 4)


def _statistics(gemeente: Area, area: Area, indicator: Indicator) -> dict[str, Any] | None:
    run = (
        AnalysisRun.objects.filter(gemeente_code=gemeente.code, is_current=True)
        .order_by("-year", "-created_at")
        .first()
    )
    if run is None:
        return None
    result = AreaResult.objects.filter(run=run, area=area, indicator_code=indicator.code).first()
    if result is None:
        return None
    values = {
        name: _num(v) if isinstance(v := getattr(result, name), float) else v for name in STATISTICS
    }
    return {
        "run": {"id": run.pk, "year": run.year, "created_at": run.created_at.isoformat()},
        **values,
    }


# --- priorities ------------------------------------------------------------------------------


def latest_run_year(gemeente: Area) -> int | None:
    run = AnalysisRun.objects.filter(gemeente_code=gemeente.code, is_current=True)
    year: int | None = run.order_by("-year").values_list("year", flat=True).first()
    return year


def priorities(gemeente: Area, year: int, theme: str, area_code: str) -> dict[str, Any]:
    """The ranking of that year, filtered, with components from closed sources withheld."""
    if theme and not Theme.objects.filter(code=theme).exists():
        raise ParameterError("theme", f"onbekend thema '{theme}'")
    area = find_area(gemeente, area_code) if area_code else None
    if area_code and area is None:
        raise ParameterError("area", f"onbekend gebied '{area_code}' in {gemeente.name}")
    rows = priority_rows(gemeente.code, year, public=True)
    if rows is None:
        raise NotFound(f"Er is geen ranglijst voor {year}; draai eerst de analyse voor dat jaar.")
    if theme:
        rows = [r for r in rows if r["theme_code"] == theme]
    if area is not None:
        codes = {b.code for b in member_buurten(gemeente, area)} | {area.code}
        rows = [r for r in rows if r["area_code"] in codes]
    withheld = withheld_components()
    for row in rows:
        row["components"] = {k: None if k in withheld else v for k, v in row["components"].items()}
    return {
        "gemeente": {"code": gemeente.code, "name": gemeente.name},
        "year": year,
        "withheld": withheld,
        "count": len(rows),
        "results": rows,
    }


def withheld_components() -> list[str]:
    """Components whose source has a current dataset that is not open."""
    return [
        component
        for component, kind in COMPONENT_SOURCES.items()
        if Dataset.objects.filter(is_current=True, kind=kind)
        .exclude(classification=PUBLIC)
        .exists()
    ]
