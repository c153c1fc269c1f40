"""Meldingen density for the internal map: points in, classed WGS84 bands out.

The kernel is ``analysis.density`` (quartic, 500 m bandwidth, 100 m RD grid). Only the
meldingen a user may see are counted (``accounts.access``), and a stadsdeelmanager's grid is
cut to the own stadsdelen: points outside them are left out, and cells outside are empty.
Results are remembered in-process per dataset version, period, category and scope.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
import shapely
from django.db.models import Count, Max
from django.utils.timezone import localtime
from shapely.geometry import mapping

from veiligheidskaart.accounts.access import Access
from veiligheidskaart.analysis.classes import class_breaks
from veiligheidskaart.analysis.density import (
    DEFAULT_BANDWIDTH_M,
    DensityGrid,
    kernel_density,
)
from veiligheidskaart.areas.geometry import to_wgs84
from veiligheidskaart.areas.models import Area
from veiligheidskaart.observations.layers import Period, parse_period
from veiligheidskaart.observations.memo import Memo
from veiligheidskaart.observations.models import Event
from veiligheidskaart.sources.models import Dataset

PALETTE = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
# Meldingen arrive in a dataset without a new version, so the key also carries the event count
# and last id; the time limit bounds what neither covers (the retention purge moves points).
_MEMO: Memo[dict[str, Any]] = Memo(size=64, seconds=300)


class DensityError(ValueError):
    """A request that has no density; the message is Dutch and names the parameter."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Scope:
    """What the grid covers: the gemeente, or a stadsdeelmanager's own stadsdelen."""

    areas: list[Area]
    label: str
    stadsdeel_ids: frozenset[int] | None


def scope_of(gemeente: Area, access: Access) -> Scope:
    if access.stadsdelen is None:
        return Scope([gemeente], gemeente.name, None)
    rows = list(Area.objects.filter(pk__in=access.stadsdelen, geometry_rd__isnull=False)
                .order_by("code"))  # fmt: skip
    return Scope(rows, ", ".join(a.name for a in rows), access.stadsdelen)


def visible_datasets(access: Access) -> list[Dataset]:
    rows = Dataset.objects.filter(is_current=True, kind="meldingen").order_by("pk")
    return [d for d in rows if access.may(d.classification, "see")]


def meldingen_density(gemeente: Area, access: Access, period_text: str = "",
                      category: str = "") -> dict[str, Any]:  # fmt: skip
    """The density payload (remembered); raises DensityError for a bad period or no data."""
    datasets = visible_datasets(access)
    scope = scope_of(gemeente, access)
    versions = [(d.pk, d.sha256, str(d.imported_at)) for d in datasets]
    events = Event.objects.filter(dataset__in=datasets).aggregate(n=Count("id"), last=Max("id"))
    key = json.dumps([gemeente.pk, versions, events["n"], events["last"], period_text, category,
                      sorted(scope.stadsdeel_ids or []), scope.stadsdeel_ids is None])  # fmt: skip
    return _MEMO.get(key, lambda: _compute(gemeente, datasets, scope, period_text, category))


def _compute(gemeente: Area, datasets: list[Dataset], scope: Scope, period_text: str,
             category: str) -> dict[str, Any]:  # fmt: skip
    events = Event.objects.filter(dataset__in=datasets, area__gemeente_code=gemeente.code,
                                  x_rd__isnull=False, y_rd__isnull=False)  # fmt: skip
    if scope.stadsdeel_ids is not None:
        events = events.filter(area__stadsdeel_id__in=scope.stadsdeel_ids)
    if category:
        events = events.filter(category__startswith=category)
    first, last, label = _window(events, period_text)
    events = events.filter(occurred_at__date__gte=first, occurred_at__date__lte=last)
    xy = np.array(list(events.values_list("x_rd", "y_rd")), dtype=float).reshape(-1, 2)
    clip = shapely.union_all([g for a in scope.areas if (g := a.geometry()) is not None])
    if clip.is_empty:
        raise DensityError("gebied", "geen geometrie voor het gebied van de dichtheid")
    b = DEFAULT_BANDWIDTH_M
    xmin, ymin, xmax, ymax = clip.bounds
    grid = kernel_density(xy[:, 0], xy[:, 1], extent=(xmin - b, ymin - b, xmax + b, ymax + b))
    gx, gy = grid.centres()
    inside = shapely.contains_xy(clip, gx, gy)
    values = np.where(inside, grid.values, 0.0)
    return _payload(grid, values, len(xy), label, scope, category)


def _window(events: Any, period_text: str) -> tuple[Any, Any, str]:
    """A period as on the map, or by default the 12 months up to the latest melding."""
    if period_text:
        period: Period = parse_period(period_text)
        return period.first, _month_end(period.last), period.label
    latest = events.aggregate(m=Max("occurred_at"))["m"]
    if latest is None:
        raise DensityError("periode", "er zijn geen meldingen met een locatie")
    last = localtime(latest).date()
    first = last - timedelta(days=364)
    return first, last, f"{first:%d-%m-%Y} t/m {last:%d-%m-%Y}"


def _month_end(first_day: Any) -> Any:
    from veiligheidskaart.sources.periods import add_months

    return add_months(first_day, 1) - timedelta(days=1)


def _payload(grid: DensityGrid, values: np.ndarray, points: int, label: str, scope: Scope,
             category: str) -> dict[str, Any]:  # fmt: skip
    positive = values[values > 0]
    with warnings.catch_warnings():  # mapclassify warns on few distinct values
        warnings.simplefilter("ignore", UserWarning)
        breaks = class_breaks(positive, k=5, method="quantiles")
    classes = np.where(values > 0, breaks.classify(np.where(values > 0, values, np.nan)), -1)
    features = []
    for k in range(len(breaks.upper_bounds)):
        rows, cols = np.nonzero(classes == k)
        if rows.size == 0:
            continue
        left, bottom = grid.x0 + cols * grid.cell, grid.y0 + rows * grid.cell
        boxes = shapely.box(left, bottom, left + grid.cell, bottom + grid.cell)
        band = shapely.set_precision(to_wgs84(shapely.coverage_union_all(boxes)), 1e-6)
        features.append({"type": "Feature", "geometry": mapping(band),
                         "properties": {"class": k, "color": PALETTE[k % len(PALETTE)],
                                        "cells": int(rows.size)}})  # fmt: skip
    body: dict[str, Any] = {
        "type": "FeatureCollection",
        "period": label, "category": category or None, "points": points,
        "kernel": "quartic", "bandwidth_m": grid.bandwidth, "cell_m": grid.cell,
        "unit": "meldingen per km²", "scope": scope.label,
        "clipped": scope.stadsdeel_ids is not None,
        "classes": {"method": breaks.method, "lower": breaks.lower_bound,
                    "upper_bounds": list(breaks.upper_bounds)},
        "max": round(float(values.max()), 4) if values.size else 0.0,
        "features": features,
    }  # fmt: skip
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:40]
    body["etag"] = f'"{digest}"'
    return body


def clear_memo() -> None:
    _MEMO.clear()
