"""The count model shared by police crime (47022NED) and nuisance (47024NED).

expected = national rate x denominator x days/365 x buurt effect x seasonality
           x COVID factor x planted multiplier x late-registration factor
observed = Poisson(expected x Gamma(shape 8, mean 1)): a negative binomial, overdispersed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .model import (
    INCOMPLETE_FACTOR,
    MONTHS,
    ROL_CENTRUM,
    ROL_KERN,
    ROL_STATION,
    YEARS,
    BoolArray,
    City,
    FloatArray,
    IntArray,
    days_in_month,
)
from .population import NL_BUSINESSES, NL_DWELLINGS, Population
from .signals import COVID_FACTORS, COVID_TOT, COVID_VAN

NL_INHABITANTS = 17_870_298
EFFECT_SHAPE = 4.0  # stable buurt x type-group effect, Gamma(4, mean 1): CV 0.5
MONTHLY_SHAPE = 8.0  # month-to-month extra noise, Gamma(8, mean 1): CV 0.35
# Visitors that raise street crime and nightlife nuisance in the centre.
VISITORS: dict[str, float] = {ROL_KERN: 60_000.0, ROL_STATION: 3_000.0, ROL_CENTRUM: 3_000.0}
CENTRUM_STREET_BOOST = 1.5


@dataclass(frozen=True)
class CountTable:
    """Observed counts of one police table, before aggregation and publication."""

    table: str
    codes: tuple[str, ...]  # source codes without the total 0.0.0
    counts: IntArray  # (n_buurten, n_codes, n_months)
    unplaced: IntArray  # (n_codes, n_months): gemeente-only counts without a buurt
    hidden: frozenset[str]  # published only as yearly gemeente totals
    secret: BoolArray  # (n_buurten, n_codes): cells published as "."


def _cosine(month: int, peak: int, amplitude: float) -> float:
    return 1.0 + amplitude * math.cos(2 * math.pi * (month - peak) / 12)


def seasonality(code: str) -> FloatArray:
    """Twelve monthly factors with mean 1."""
    months = range(1, 13)
    if code == "1.1.1":  # dark evenings: +30% from October to February
        raw = [1.3 if m in (10, 11, 12, 1, 2) else 1.0 for m in months]
    elif code == "1.2.3":  # cycling season
        raw = [_cosine(m, 7, 0.3) for m in months]
    elif code == "2.6.9":  # fireworks around New Year
        raw = [0.45 if m == 12 else 0.35 if m == 1 else 0.02 for m in months]
    elif code in ("E35", "M062"):  # youths outside, summer events
        raw = [_cosine(m, 7, 0.2 if code == "E35" else 0.4) for m in months]
    else:
        raw = [1.0] * 12
    values = np.array(raw, dtype=np.float64)
    return np.asarray(values / values.mean(), dtype=np.float64)


def month_profile(code: str) -> FloatArray:
    """Per month of MONTHS: days/365 x seasonality x COVID x late registration."""
    season = seasonality(code)
    covid = COVID_FACTORS.get(code, 1.0)
    van, tot = _ym(COVID_VAN), _ym(COVID_TOT)
    values = [
        days_in_month(y, m)
        / 365.0
        * season[m - 1]
        * (covid if van <= (y, m) <= tot else 1.0)
        * INCOMPLETE_FACTOR.get((y, m), 1.0)
        for y, m in MONTHS
    ]
    return np.array(values, dtype=np.float64)


def _ym(key: str) -> tuple[int, int]:
    year, month = key.split("-")
    return int(year), int(month)


def year_of_month() -> IntArray:
    """Index in YEARS of each month's denominator year (2025 uses 2024)."""
    return np.array([YEARS.index(min(y, YEARS[-1])) for y, _ in MONTHS], dtype=np.int64)


def visitors(city: City) -> FloatArray:
    return np.array([VISITORS.get(b.rol, 0.0) for b in city.buurten], dtype=np.float64)


def denominator(kind: str, city: City, population: Population) -> FloatArray:
    """(n_buurten, n_years) in inhabitant equivalents, so the national rate applies."""
    if kind == "woningen":
        return population.woningen.astype(np.float64) * (NL_INHABITANTS / NL_DWELLINGS)
    if kind == "vestigingen":
        return population.vestigingen.astype(np.float64) * (NL_INHABITANTS / NL_BUSINESSES)
    if kind == "bezoekers":
        return population.inwoners.astype(np.float64) + visitors(city)[:, None]
    return population.inwoners.astype(np.float64)


def effects(rng: np.random.Generator, city: City, groups: list[str]) -> FloatArray:
    """Stable buurt level per type group, shape (n_buurten, n_codes). The designed
    centre buurten keep their designed level (effect 1), so they stand out as intended."""
    unique = sorted(set(groups))
    drawn = rng.gamma(EFFECT_SHAPE, 1.0 / EFFECT_SHAPE, (len(city.buurten), len(unique)))
    designed = np.array([b.rol in (ROL_KERN, ROL_STATION) for b in city.buurten])
    drawn[designed] = 1.0
    return np.asarray(drawn[:, [unique.index(g) for g in groups]], dtype=np.float64)


def gamma_poisson(rng: np.random.Generator, expected: FloatArray) -> IntArray:
    noise = rng.gamma(MONTHLY_SHAPE, 1.0 / MONTHLY_SHAPE, expected.shape)
    return rng.poisson(expected * noise).astype(np.int64)
