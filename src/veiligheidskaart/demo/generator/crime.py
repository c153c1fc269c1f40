"""Registered crime per buurt and month (47022NED) and nuisance (47024NED)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from veiligheidskaart.catalogue.codes import (
    OVERLAST,
    SOORT_MISDRIJF,
    TOTAL_CODE,
    YEARLY_GEMEENTE_ONLY,
)

from .counts import (
    CENTRUM_STREET_BOOST,
    CountTable,
    denominator,
    effects,
    gamma_poisson,
    month_profile,
    year_of_month,
)
from .geometry import rng_for
from .model import ROL_KLEIN, City, FloatArray
from .population import Population
from .signals import PlantedSignal, multiplier

DWELLING_CODES = frozenset({"1.1.1", "1.1.2"})
BUSINESS_CODES = frozenset({"2.5.1", "2.5.2", "1.4.7"})
STREET_CODES = frozenset({"1.2.3", "1.2.4", "1.4.6", "2.5.2"})
NIGHTLIFE_CODES = frozenset({"M061", "F010", "E38"})
# Rare types published as "." in the three very small buurten.
SECRET_CODES = ("1.4.2", "1.4.7", "1.6.3")
UNPLACED_SHARE = 0.03


def build_crime(
    city: City, population: Population, signals: tuple[PlantedSignal, ...], seed: int
) -> CountTable:
    rng = rng_for(seed, 20)
    codes = tuple(c.code for c in SOORT_MISDRIJF if c.code != TOTAL_CODE)
    rates = {c.code: c.national_rate_per_1000 / 1000 for c in SOORT_MISDRIJF}
    expected = _expected(city, population, codes, rates, _crime_denominator)
    expected *= effects(rng, city, [code[:3] for code in codes])[:, :, None]
    expected *= multiplier(signals, "47022NED", codes, city)
    counts = gamma_poisson(rng, expected)
    # Crime that could not be placed in a buurt: only in the gemeente rows.
    unplaced = gamma_poisson(rng, UNPLACED_SHARE * expected.sum(axis=0))
    secret = np.zeros((len(city.buurten), len(codes)), dtype=np.bool_)
    for buurt in city.buurt_by_rol(ROL_KLEIN):
        for code in SECRET_CODES:
            secret[city.buurt_index(buurt.code), codes.index(code)] = True
    return CountTable("47022NED", codes, counts, unplaced, YEARLY_GEMEENTE_ONLY, secret)


def build_overlast(
    city: City, population: Population, signals: tuple[PlantedSignal, ...], seed: int
) -> CountTable:
    rng = rng_for(seed, 21)
    codes = tuple(c.code for c in OVERLAST if c.code != TOTAL_CODE)
    rates = {c.code: c.national_rate_per_1000 / 1000 for c in OVERLAST}
    expected = _expected(city, population, codes, rates, _overlast_denominator)
    # Nuisance types vary independently per buurt.
    expected *= effects(rng, city, list(codes))[:, :, None]
    expected *= multiplier(signals, "47024NED", codes, city)
    counts = gamma_poisson(rng, expected)
    n_months = counts.shape[2]
    unplaced = np.zeros((len(codes), n_months), dtype=np.int64)
    secret = np.zeros((len(city.buurten), len(codes)), dtype=np.bool_)
    return CountTable("47024NED", codes, counts, unplaced, frozenset(), secret)


def _crime_denominator(code: str) -> str:
    if code in DWELLING_CODES:
        return "woningen"
    if code in BUSINESS_CODES:
        return "vestigingen"
    return "bezoekers" if code in STREET_CODES else "inwoners"


def _overlast_denominator(code: str) -> str:
    return "bezoekers" if code in NIGHTLIFE_CODES or code == "M062" else "inwoners"


def _expected(
    city: City,
    population: Population,
    codes: tuple[str, ...],
    rates: dict[str, float],
    kind_of: Callable[[str], str],
) -> FloatArray:
    """Expected counts without buurt effects, shape (n_buurten, n_codes, n_months)."""
    years = year_of_month()
    centrum = np.array([b.is_centrum for b in city.buurten])
    result = np.empty((len(city.buurten), len(codes), len(years)))
    cache: dict[str, FloatArray] = {}
    for c, code in enumerate(codes):
        kind = kind_of(code)
        if kind not in cache:
            cache[kind] = denominator(kind, city, population)
        per_month = cache[kind][:, years] * month_profile(code)[None, :]
        boost = np.where(
            centrum & (code in STREET_CODES | NIGHTLIFE_CODES), CENTRUM_STREET_BOOST, 1.0
        )
        result[:, c, :] = rates[code] * per_month * boost[:, None]
    return result
