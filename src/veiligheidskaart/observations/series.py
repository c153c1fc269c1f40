"""Read side for the analysis: monthly count matrices and denominators per area."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from veiligheidskaart.analysis.change import SeriesBreak, TimeUnits
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator
from veiligheidskaart.catalogue.models import SeriesBreak as BreakRow
from veiligheidskaart.observations.models import Kerncijfer, Observation
from veiligheidskaart.sources.models import Dataset

MONTHLY_TABLES = {"misdrijven": "47022NED", "overlast": "47024NED"}
DENOMINATOR_FIELDS = {
    "inwoners": "inhabitants",
    "woningen": "dwellings",
    "vestigingen": "businesses",
    "land_km2": "land_area_ha",
    "jongeren_12_17": "inhabitants",  # youths are not loaded: fall back, and say so
}
USABLE = ("final", "provisional")
# ``pinned``: the dataset ids a frozen report recorded. None reads the current versions; with
# a set, only those versions are read, so a newer import does not change a published figure.
Pinned = Collection[int] | None


@dataclass(frozen=True)
class Series:
    """Counts (areas × months), exposure denominators (areas × months), the axis, notes."""

    areas: list[Area]
    units: TimeUnits
    counts: np.ndarray
    denominators: np.ndarray
    dataset_ids: tuple[int, ...]
    notes: tuple[str, ...]


def monthly_dataset(gemeente_code: str, source: str, pinned: Pinned = None) -> Dataset | None:
    table = MONTHLY_TABLES.get(source)
    if table is None:
        return None
    rows = Dataset.objects.filter(table_id=table, area_scope__contains=gemeente_code)
    rows = rows.filter(is_current=True) if pinned is None else rows.filter(pk__in=list(pinned))
    return rows.order_by("-published_on", "-imported_at").first()


def kerncijfer_rows(areas: list[Area], pinned: Pinned = None) -> Any:
    """Denominator rows of the current Kerncijfer datasets, or of the pinned ones."""
    rows = Kerncijfer.objects.filter(area__in=areas)
    if pinned is None:
        return rows.filter(dataset__is_current=True)
    return rows.filter(dataset_id__in=list(pinned))


YEARLY_TABLES = {"misdrijven": "47018NED", "overlast": ""}


def yearly_dataset(gemeente_code: str, source: str) -> Dataset | None:
    """The current yearly police table (47018NED) that covers the gemeente, if any."""
    table = YEARLY_TABLES.get(source)
    if not table:
        return None
    return (
        Dataset.objects.filter(is_current=True, table_id=table, area_scope__contains=gemeente_code)
        .order_by("-period_end", "-imported_at")
        .first()
    )


def latest_year(gemeente_code: str, source: str = "misdrijven") -> int | None:
    """The last year with yearly figures, where the monthly table is not loaded."""
    dataset = yearly_dataset(gemeente_code, source)
    if dataset is None:
        return None
    last: date | None = (
        Observation.objects.filter(dataset=dataset, granularity="year", status__in=USABLE)
        .order_by("-period_start").values_list("period_start", flat=True).first()
    )  # fmt: skip
    return last.year if last else None


def yearly_series(indicator: Indicator, areas: list[Area], year: int) -> Series | None:
    """One whole year from the yearly table (47018NED): the map's fallback without 47022NED.

    Yearly figures come from year rows only, never from months added up (DESIGN §4)."""
    dataset = yearly_dataset(areas[0].gemeente_code, indicator.source) if areas else None
    if dataset is None:
        return None
    units = TimeUnits.regular(date(year, 1, 1), 1, months=12)
    rows = pd.DataFrame(
        Observation.objects.filter(
            dataset=dataset, granularity="year", source_code__in=indicator.source_codes,
            area__in=areas, period_start=date(year, 1, 1),
        ).values_list("area_id", "value", "status"),
        columns=["area", "value", "status"],
    )  # fmt: skip
    if rows.empty:
        return None
    rows.loc[~rows["status"].isin(USABLE), "value"] = np.nan
    table = rows.pivot_table(index="area", values="value", aggfunc="sum", dropna=False,
                             min_count=len(indicator.source_codes))  # fmt: skip
    counts = table.reindex(index=[a.pk for a in areas])["value"].to_numpy(dtype=float)
    denominators, notes = denominator_matrix(indicator, areas, units)
    note = f"jaarcijfers uit {dataset.table_id} (geen maandcijfers geladen)"
    return Series(areas, units, counts.reshape(-1, 1), denominators, (dataset.pk,),
                  (note, *notes))  # fmt: skip


def monthly_series(
    indicator: Indicator, areas: list[Area], first: date, last: date, pinned: Pinned = None
) -> Series | None:
    """Sum of the indicator's source codes per area and month; unusable months are NaN."""
    dataset = monthly_dataset(areas[0].gemeente_code, indicator.source, pinned) if areas else None
    if dataset is None:
        return None
    n_months = (last.year - first.year) * 12 + last.month - first.month + 1
    units = TimeUnits.regular(first, n_months, months=1)
    rows = pd.DataFrame(
        Observation.objects.filter(
            dataset=dataset, granularity="month", source_code__in=indicator.source_codes,
            area__in=areas, period_start__gte=first, period_start__lte=last,
        ).values_list("area_id", "period_start", "value", "status"),
        columns=["area", "start", "value", "status"],
    )  # fmt: skip
    if rows.empty:
        return None
    rows.loc[~rows["status"].isin(USABLE), "value"] = np.nan
    table = rows.pivot_table(index="area", columns="start", values="value", aggfunc="sum",
                             dropna=False, min_count=len(indicator.source_codes))  # fmt: skip
    table = table.reindex(index=[a.pk for a in areas], columns=list(units.starts))
    denominators, notes = denominator_matrix(indicator, areas, units, pinned)
    return Series(areas, units, table.to_numpy(dtype=float), denominators, (dataset.pk,), notes)


def denominator_matrix(indicator: Indicator, areas: list[Area], units: TimeUnits,
                       pinned: Pinned = None) -> tuple[np.ndarray, tuple[str, ...]]:  # fmt: skip
    """Per area and month, the denominator of that month's year (nearest year if missing)."""
    field = DENOMINATOR_FIELDS.get(indicator.denominator, "inhabitants")
    notes = []
    if indicator.denominator == "jongeren_12_17":
        notes.append("noemer jongeren 12-17 niet geladen: per inwoners berekend")
    values = pd.DataFrame(
        kerncijfer_rows(areas, pinned).values_list("area_id", "year", field),
        columns=["area", "year", "value"],
    )
    if field != "inhabitants" and values["value"].isna().all():
        notes.append(f"noemer {indicator.denominator} ontbreekt: per inwoners berekend")
        return denominator_matrix_for(areas, units, "inhabitants", pinned), tuple(notes)
    return _spread(values, areas, units, scale=0.01 if field == "land_area_ha" else 1.0), tuple(
        notes
    )


def denominator_matrix_for(areas: list[Area], units: TimeUnits, field: str,
                           pinned: Pinned = None) -> np.ndarray:  # fmt: skip
    values = pd.DataFrame(
        kerncijfer_rows(areas, pinned).values_list("area_id", "year", field),
        columns=["area", "year", "value"],
    )
    return _spread(values, areas, units, scale=1.0)


def _spread(values: pd.DataFrame, areas: list[Area], units: TimeUnits, scale: float) -> np.ndarray:
    table = values.pivot_table(index="area", columns="year", values="value", aggfunc="last")
    table = table.reindex(index=[a.pk for a in areas])
    years = sorted(table.columns)
    out = np.full((len(areas), len(units.starts)), np.nan)
    if not years:
        return out
    for j, start in enumerate(units.starts):
        nearest = min(years, key=lambda y: abs(y - start.year))
        out[:, j] = table[nearest].to_numpy(dtype=float) * scale
    return out


def declared_breaks(indicator: Indicator) -> tuple[SeriesBreak, ...]:
    """The catalogue's breaks that apply to this indicator's source and codes."""
    rows = BreakRow.objects.filter(source=indicator.source)
    return tuple(
        SeriesBreak(b.code, b.name, b.start, b.end)
        for b in rows
        if not b.source_codes or set(b.source_codes) & set(indicator.source_codes)
    )
