"""Gemeente-level references: the share of crime that could not be placed in a buurt, and
the ratio to the country (NL00) where a national series of the same table family is loaded."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from veiligheidskaart.analysis.rates import rates
from veiligheidskaart.areas.models import Area
from veiligheidskaart.observations.models import AnalysisRun, AreaResult, Kerncijfer, Observation

if TYPE_CHECKING:
    from veiligheidskaart.observations.judge import Judged

NATIONAL_TABLES = {"misdrijven": ("47018NED", "47022NED"), "overlast": ("47024NED",)}


def store_gemeente_rows(run: AnalysisRun, gemeente: Area, judged: list[Judged], year: int) -> None:
    rows = []
    population = _inhabitants(gemeente, year)
    national_population = _inhabitants_nl(year)
    for item in judged:
        codes = item.indicator.source_codes
        total = _year_total(gemeente, item.series.dataset_ids[0], codes, year)
        placed = float(np.nansum(item.count))
        share = None if not total else max(0.0, 1 - placed / total)
        national = _national_total(item.indicator.source, codes, year)
        ratio = None
        if total and national and population and national_population:
            local = rates([total], [population]).rate[0]
            country = rates([national], [national_population]).rate[0]
            ratio = float(local / country) if country else None
        rows.append(AreaResult(run=run, area=gemeente, indicator_code=item.indicator.code,
                               count=total, denominator=population, unplaced_share=share,
                               national_ratio=ratio))  # fmt: skip
    AreaResult.objects.bulk_create(rows)


def _year_total(gemeente: Area, dataset_id: int, codes: list[str], year: int) -> float | None:
    """From the gemeente's own year rows (never months and years added together)."""
    values = Observation.objects.filter(
        dataset_id=dataset_id, area__code=gemeente.code, granularity="year",
        period_start=date(year, 1, 1), source_code__in=codes, status__in=["final", "provisional"],
    ).values_list("value", flat=True)  # fmt: skip
    values = [v for v in values if v is not None]
    return float(sum(values)) if len(values) == len(codes) else None


def _national_total(source: str, codes: list[str], year: int) -> float | None:
    values = Observation.objects.filter(
        dataset__is_current=True, dataset__table_id__in=NATIONAL_TABLES.get(source, ()),
        area__code="NL00", granularity="year", period_start=date(year, 1, 1), source_code__in=codes,
    ).values_list("value", flat=True)  # fmt: skip
    values = [v for v in values if v is not None]
    return float(sum(values)) if len(values) == len(codes) else None


def _inhabitants(gemeente: Area, year: int) -> float | None:
    row = (Kerncijfer.objects.filter(dataset__is_current=True, area__code=gemeente.code, year=year)
           .values_list("inhabitants", flat=True).first())  # fmt: skip
    return float(row) if row else None


def _inhabitants_nl(year: int) -> float | None:
    row = (Kerncijfer.objects.filter(dataset__is_current=True, area__code="NL00", year=year)
           .values_list("inhabitants", flat=True).first())  # fmt: skip
    return float(row) if row else None
