"""The analysis adapter: feeds the pure ``analysis`` package from the database and stores
what it returns (``veiligheidskaart analyse``). One run is one transaction."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction

from veiligheidskaart.analysis.change import ChangeFamily, change_family, year_on_year
from veiligheidskaart.analysis.hotspots import Contiguity, gi_star_rates, queen_contiguity
from veiligheidskaart.analysis.levels import level_ratios
from veiligheidskaart.analysis.rates import MIN_DENOMINATOR, rates
from veiligheidskaart.analysis.smoothing import eb_smooth
from veiligheidskaart.analysis.trend import trend
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator
from veiligheidskaart.observations import indices, priorities, reference
from veiligheidskaart.observations.models import AnalysisRun, AreaResult
from veiligheidskaart.observations.series import Series, declared_breaks, monthly_series

Progress = Callable[[str, int, int], None]
SEED = 20250315
POOLED_YEARS = 3
HISTORY_YEARS = 6
MIN_HOTSPOT_EVENTS = 50  # fewer events in the gemeente: no Gi* (sparse rates flag noise)
LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels", "esda", "libpysal", "mapclassify")


@dataclass(frozen=True)
class Judged:
    """What one indicator gave at buurt level, aligned with ``series.areas``."""

    indicator: Indicator
    series: Series
    count: np.ndarray
    denominator: np.ndarray
    rate: Any
    smoothed: np.ndarray
    levels: Any
    family: ChangeFamily
    hotspot: tuple[str, ...]


def run_analysis(gemeente: Area, year: int | None = None, seed: int = SEED,
                 progress: Progress | None = None, force: bool = False) -> AnalysisRun:  # fmt: skip
    """Compute and store a new run; an unchanged input (same datasets, seed and library
    versions) returns the current run as it is, unless ``force``."""
    report = progress or (lambda stage, done, total: None)
    buurten = list(
        Area.objects.filter(level="buurt", gemeente_code=gemeente.code, vintage=gemeente.vintage,
                            centroid_x__isnull=False).order_by("code")
    )  # fmt: skip
    year = year or latest_complete_year(gemeente)
    if not buurten or year is None:
        raise ValueError(f"geen buurten of maandcijfers voor {gemeente.code}")
    current = AnalysisRun.objects.filter(gemeente_code=gemeente.code, year=year, is_current=True,
                                         seed=seed).first()  # fmt: skip
    if (
        current
        and not force
        and current.datasets == input_datasets(gemeente)
        and (current.versions == _versions())
    ):
        return current
    contiguity = queen_contiguity([b.geometry() for b in buurten])
    first, last = date(year - HISTORY_YEARS + 1, 1, 1), date(year, 12, 1)
    indicators = list(Indicator.objects.filter(source__in=["misdrijven", "overlast"]))
    with transaction.atomic():
        AnalysisRun.objects.filter(gemeente_code=gemeente.code, is_current=True).update(
            is_current=False
        )
        run = AnalysisRun.objects.create(gemeente_code=gemeente.code, year=year, seed=seed,
                                         versions=_versions())  # fmt: skip
        judged: list[Judged] = []
        for i, indicator in enumerate(indicators):
            report("analyse per indicator", i, len(indicators))
            series = monthly_series(indicator, buurten, first, last)
            if series is None:
                continue
            result = judge_indicator(indicator, series, year, contiguity, seed)
            judged.append(result)
            _store_buurten(run, result)
            _store_wijk_trends(run, indicator, series, year)
        report("analyse per indicator", len(indicators), len(indicators))
        priorities.store_ranking(run, judged, buurten, year, seed)
        indices.store_indices(run, judged, year)
        reference.store_gemeente_rows(run, gemeente, judged, year)
        run.families = [_family_record(j) for j in judged]
        run.datasets = input_datasets(gemeente)
        run.save(update_fields=["families", "datasets"])
    return run


def input_datasets(gemeente: Area) -> list[int]:
    """Every current dataset the analysis reads, so an unchanged input can be recognised."""
    from veiligheidskaart.sources.models import Dataset

    return sorted(
        Dataset.objects.filter(is_current=True, area_scope__contains=gemeente.code).values_list(
            "pk", flat=True
        )
    )


def latest_complete_year(gemeente: Area) -> int | None:
    from veiligheidskaart.observations.models import Observation
    from veiligheidskaart.observations.series import monthly_dataset

    dataset = monthly_dataset(gemeente.code, "misdrijven")
    if dataset is None:
        return None
    december = (
        Observation.objects.filter(dataset=dataset, granularity="month", period_start__month=12,
                                   status__in=["final", "provisional"])
        .order_by("-period_start").values_list("period_start", flat=True).first()
    )  # fmt: skip
    return december.year if december else None


def judge_indicator(indicator: Indicator, series: Series, year: int, contiguity: Contiguity,
                    seed: int) -> Judged:  # fmt: skip
    """Rates, EB-smoothed level against the rest, change on last year, and Gi* hotspots."""
    units = series.units
    in_year = np.array([s.year == year for s in units.starts])
    pooled = np.array([year - POOLED_YEARS < s.year <= year for s in units.starts])
    count = _sum(series.counts[:, in_year])
    days = np.array([(e - s).days + 1 for s, e in zip(units.starts, units.ends, strict=True)])
    # denominator-years (denominator × days / 365.25), as the map layers compute them
    exposure = (series.denominators[:, in_year] * days[in_year]).sum(axis=1) / 365.25
    denominator = np.nanmean(series.denominators[:, in_year], axis=1)
    per = float(indicator.per)
    minimum = MIN_DENOMINATOR if indicator.denominator == "inwoners" else 1e-9
    rate = rates(count, exposure, per=per, min_denominator=minimum)
    events = _sum(series.counts[:, pooled])
    person_years = (series.denominators[:, pooled] * days[pooled]).sum(axis=1) / 365.25
    smooth = eb_smooth(events, person_years, per=per, min_denominator=minimum * POOLED_YEARS)
    if smooth.included.any():
        prior_mean = float(np.nanmean(smooth.prior_mean)) / per
        prior_var = float(np.nanmean(smooth.prior_variance)) / per**2
    else:
        prior_mean = prior_var = 0.0
    levels = level_ratios(events, person_years, prior_mean, prior_var, included=smooth.included)
    family = change_family(series.counts, series.denominators, units, year_on_year(year),
                           breaks=declared_breaks(indicator))  # fmt: skip
    hotspot = _hotspots(count, denominator, contiguity, seed)
    return Judged(indicator, series, count, denominator, rate, smooth.smoothed, levels, family,
                  hotspot)  # fmt: skip


def _hotspots(count: np.ndarray, denominator: np.ndarray, contiguity: Contiguity, seed: int
              ) -> tuple[str, ...]:  # fmt: skip
    """Gi* only where the gemeente has enough events for the rates to mean something."""
    if np.nansum(count) < MIN_HOTSPOT_EVENTS:
        return ("",) * len(count)
    result = gi_star_rates(np.nan_to_num(count), np.nan_to_num(denominator), contiguity, seed=seed)
    return result.label


def _sum(block: np.ndarray) -> np.ndarray:
    """Row sums where every month is known; NaN otherwise (a gap is never a zero)."""
    return np.where(np.isfinite(block).all(axis=1), np.nansum(block, axis=1), np.nan)


def _num(value: Any) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def _store_buurten(run: AnalysisRun, judged: Judged) -> None:
    changes = {r.cell: r for r in judged.family.results}
    rows = []
    for i, area in enumerate(judged.series.areas):
        change = changes.get(i)
        rows.append(AreaResult(
            run=run, area=area, indicator_code=judged.indicator.code,
            count=_num(judged.count[i]), denominator=_num(judged.denominator[i]),
            rate=_num(judged.rate.rate[i]), rate_lower=_num(judged.rate.lower[i]),
            rate_upper=_num(judged.rate.upper[i]), smoothed_rate=_num(judged.smoothed[i]),
            ratio=_num(judged.levels.smoothed_ratio[i]), ratio_lower=_num(judged.levels.lower[i]),
            change_direction=change.direction if change else "",
            change_p=_num(change.p) if change else None,
            change_q=_num(change.q) if change else None,
            change_sentence=change.sentence()[:200] if change else "",
            hotspot=judged.hotspot[i],
        ))  # fmt: skip
    AreaResult.objects.bulk_create(rows, batch_size=2000)


def _store_wijk_trends(run: AnalysisRun, indicator: Indicator, series: Series, year: int) -> None:
    """Trend per wijk: the buurten's monthly counts and denominators added up."""
    wijk_of = pd.Series([a.parent_id for a in series.areas])
    rows = []
    for wijk_id, members in wijk_of.groupby(wijk_of).groups.items():
        counts = series.counts[list(members)].sum(axis=0)
        population = series.denominators[list(members)].sum(axis=0)
        if not np.isfinite(counts).all() or counts.sum() == 0:
            continue
        result = trend(counts, population, series.units, breaks=declared_breaks(indicator))
        rows.append(AreaResult(
            run=run, area_id=int(wijk_id), indicator_code=indicator.code,
            count=float(counts[[s.year == year for s in series.units.starts]].sum()),
            trend_factor=_num(result.factor), trend_p=_num(result.p),
            trend_sentence=result.wording[:200],
        ))  # fmt: skip
    AreaResult.objects.bulk_create(rows, batch_size=2000)


def _family_record(judged: Judged) -> dict[str, Any]:
    family = judged.family
    return {"indicator": judged.indicator.code, "vergelijking": family.comparison.kind,
            "niveau": "buurt", "methode": family.method, "grootte": family.family_size,
            "weggelaten": family.dropped, "alpha": family.alpha}  # fmt: skip


def _versions() -> dict[str, str]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "onbekend"
    return out
