"""Denominators per buurt and year: inhabitants, households, dwellings, businesses, land area."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import rng_for
from .model import (
    ROL_BEDRIJVEN,
    ROL_CENTRUM,
    ROL_KERN,
    ROL_KLEIN,
    ROL_STATION,
    YEARS,
    City,
    FloatArray,
    IntArray,
)

TARGET_INHABITANTS_2024 = 165_000
# The three rural buurten, in the order of City.buurt_by_rol(ROL_KLEIN).
KLEIN_INHABITANTS: tuple[int, ...] = (40, 95, 160)
KERN_INHABITANTS = 900
BEDRIJVEN_INHABITANTS = 5
KERN_BUSINESSES = 1_250
BEDRIJVEN_BUSINESSES = 2_400
# National scale, to turn businesses and dwellings into "inhabitant equivalents".
NL_BUSINESSES = 2_300_000
NL_DWELLINGS = 8_100_000


@dataclass(frozen=True)
class Population:
    """True values, shape (n_buurten, n_years) in the order of City.buurten and YEARS."""

    inwoners: IntArray
    huishoudens: IntArray
    woningen: IntArray
    vestigingen: IntArray
    oppervlakte_ha: IntArray  # (n_buurten,), constant over the years

    def year(self, year: int) -> int:
        return YEARS.index(min(year, YEARS[-1]))

    def measures(self) -> dict[str, IntArray]:
        years = len(YEARS)
        return {
            "inwoners": self.inwoners,
            "huishoudens": self.huishoudens,
            "woningen": self.woningen,
            "vestigingen": self.vestigingen,
            "oppervlakte_ha": np.repeat(self.oppervlakte_ha[:, None], years, axis=1),
        }


def build_population(city: City, seed: int) -> Population:
    rng = rng_for(seed, 10)
    inhabitants_2024 = _inhabitants_2024(city, rng)
    inwoners = _backcast(inhabitants_2024, rng, growth=1.007, spread=0.006)
    _pin_special(city, inwoners, rng)
    ratio = _household_size(city, rng)
    huishoudens = np.rint(inwoners / ratio[:, None]).astype(np.int64)
    woningen = np.rint(huishoudens * rng.uniform(1.02, 1.06, len(city.buurten))[:, None]).astype(
        np.int64
    )
    vestigingen = _backcast(
        _businesses_2024(city, inhabitants_2024, rng), rng, growth=1.025, spread=0.01
    )
    for i, buurt in enumerate(city.buurten):
        if buurt.rol == ROL_BEDRIJVEN:
            huishoudens[i] = 3  # a caretaker's house and two farms
            woningen[i] = 4
    area = np.array([round(b.geometry.area / 10_000) for b in city.buurten], dtype=np.int64)
    return Population(inwoners, huishoudens, woningen, vestigingen, area)


def _inhabitants_2024(city: City, rng: np.random.Generator) -> FloatArray:
    """Residential buurten share the target; special buurten get fixed small values."""
    weights = rng.lognormal(0.0, 0.35, len(city.buurten))
    fixed = _fixed_inhabitants(city)
    residential = np.array([b.code not in fixed for b in city.buurten])
    budget = TARGET_INHABITANTS_2024 - sum(fixed.values())
    values = np.where(residential, weights / weights[residential].sum() * budget, 0.0)
    for i, buurt in enumerate(city.buurten):
        values[i] = fixed.get(buurt.code, values[i])
    return np.asarray(values, dtype=np.float64)


def _fixed_inhabitants(city: City) -> dict[str, int]:
    fixed = {
        b.code: n for b, n in zip(city.buurt_by_rol(ROL_KLEIN), KLEIN_INHABITANTS, strict=True)
    }
    fixed.update({b.code: KERN_INHABITANTS for b in city.buurt_by_rol(ROL_KERN)})
    fixed.update({b.code: BEDRIJVEN_INHABITANTS for b in city.buurt_by_rol(ROL_BEDRIJVEN)})
    return fixed


def _backcast(
    values_2024: FloatArray, rng: np.random.Generator, growth: float, spread: float
) -> IntArray:
    """Series over YEARS that ends at values_2024, growing by about `growth` a year."""
    factors = rng.normal(growth, spread, (len(values_2024), len(YEARS) - 1))
    # Cumulative growth from each year up to 2024, read backwards.
    to_2024 = np.ones((len(values_2024), len(YEARS)))
    for k in range(len(YEARS) - 2, -1, -1):
        to_2024[:, k] = to_2024[:, k + 1] * factors[:, k]
    return np.rint(values_2024[:, None] / to_2024).astype(np.int64)


def _pin_special(city: City, inwoners: IntArray, rng: np.random.Generator) -> None:
    """Special buurten keep their small size in every year (a little noise, 2024 exact)."""
    for code, n in _fixed_inhabitants(city).items():
        i = city.buurt_index(code)
        jitter = (
            rng.integers(-3, 4, len(YEARS)) if n >= 40 else np.zeros(len(YEARS), dtype=np.int64)
        )
        jitter[-1] = 0
        inwoners[i] = n + jitter


def _household_size(city: City, rng: np.random.Generator) -> FloatArray:
    """People per household: small households in the centre, families outside."""
    size = np.clip(rng.normal(2.25, 0.15, len(city.buurten)), 1.9, 2.7)
    for i, buurt in enumerate(city.buurten):
        if buurt.is_centrum:
            size[i] = rng.uniform(1.55, 1.75)
    return np.asarray(size, dtype=np.float64)


def _businesses_2024(city: City, inhabitants: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Businesses: about the national 0.13 per inhabitant, far more in the centre."""
    per_inhabitant = NL_BUSINESSES / 17_900_000 * rng.lognormal(0.0, 0.25, len(city.buurten))
    values = inhabitants * per_inhabitant
    for i, buurt in enumerate(city.buurten):
        if buurt.rol in (ROL_CENTRUM, ROL_STATION):
            values[i] *= 3.0
        elif buurt.rol == ROL_KERN:
            values[i] = KERN_BUSINESSES
        elif buurt.rol == ROL_BEDRIJVEN:
            values[i] = BEDRIJVEN_BUSINESSES
        elif buurt.rol == ROL_KLEIN:
            values[i] = rng.integers(12, 30)  # farms and a riding school
    return np.asarray(values, dtype=np.float64)
