"""Gemeente benchmark table 83648NED (StatLine CSV export) for Demostad and 15 peers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import names
from .geometry import rng_for
from .model import GEMEENTE_CODE, GEMEENTE_NAAM, YEARS
from .writer import decimal_comma, quote, write_lines

PEER_YEARS: tuple[int, ...] = tuple(range(2015, 2025))
NL_CODE, NL_NAAM = "NL01", "Nederland"
# Approximate national population (1 January) and a plausible national crime rate per 1,000.
NL_INHABITANTS: dict[int, int] = {
    2015: 16_900_726,
    2016: 16_979_120,
    2017: 17_081_507,
    2018: 17_181_084,
    2019: 17_282_163,
    2020: 17_407_585,
    2021: 17_475_415,
    2022: 17_590_672,
    2023: 17_811_291,
    2024: 17_942_942,
}
NL_RATE: dict[int, float] = {
    2015: 55.5,
    2016: 53.4,
    2017: 49.3,
    2018: 45.6,
    2019: 45.3,
    2020: 46.9,
    2021: 43.6,
    2022: 45.1,
    2023: 44.9,
    2024: 44.2,
}
# StatLine group labels as in the real export, with their national share of the total.
TOTAAL = "Misdrijven, totaal"
GROUPS: dict[str, float] = {
    "1 Vermogensmisdrijven": 0.56,
    "2 Vernielingen, misdr.openb.orde/gezag": 0.12,
    "3 Gewelds- en seksuele misdrijven": 0.11,
}
HEADER = (
    "Soort misdrijf",
    "Perioden",
    "Regio's",
    "Geregistreerde misdrijven/Totaal geregistreerde misdrijven (aantal)",
    "Geregistreerde misdrijven/Geregistreerde misdrijven, relatief"
    " (% van totaal geregistreerde misdrijven)",
    "Geregistreerde misdrijven/Geregistreerde misdrijven per 1000 inw.  (per 1 000 inwoners)",
)
# CBS counts differ a little from the police counts of 47022NED.
CBS_TO_POLICE = 0.96


@dataclass(frozen=True)
class Region:
    code: str
    naam: str
    inwoners: dict[int, int]
    totaal: dict[int, float]  # unrounded yearly count
    shares: dict[str, float]


def build_regions(
    demostad_inwoners: dict[int, int], demostad_police: dict[int, int], seed: int
) -> list[Region]:
    rng = rng_for(seed, 30)
    nl_totals = {y: NL_RATE[y] * NL_INHABITANTS[y] / 1000 for y in PEER_YEARS}
    regions = [Region(NL_CODE, NL_NAAM, dict(NL_INHABITANTS), nl_totals, dict(GROUPS))]
    regions.append(_demostad(demostad_inwoners, demostad_police, rng))
    sizes = rng.permutation(np.linspace(115_000, 340_000, len(names.PEER_NAMEN)))
    for code, naam, size in zip(names.peer_codes(), names.PEER_NAMEN, sizes, strict=True):
        regions.append(_peer(code, naam, float(size), rng))
    return regions


def _demostad(inwoners: dict[int, int], police: dict[int, int], rng: np.random.Generator) -> Region:
    first = YEARS[0]
    population = {y: round(inwoners[first] / 1.007 ** (first - y)) for y in PEER_YEARS if y < first}
    population.update(inwoners)
    totals = {y: CBS_TO_POLICE * police[y] for y in YEARS}
    rate_first = totals[first] / population[first]
    for y in PEER_YEARS:
        if y < first:  # before the monthly series: follow the national decline
            totals[y] = (
                rate_first * NL_RATE[y] / NL_RATE[first] * population[y] * rng.normal(1, 0.02)
            )
    return Region(GEMEENTE_CODE, GEMEENTE_NAAM, population, totals, _shares(rng))


def _peer(code: str, naam: str, size_2024: float, rng: np.random.Generator) -> Region:
    growth = rng.uniform(1.003, 1.010)
    population = {y: round(size_2024 / growth ** (2024 - y)) for y in PEER_YEARS}
    level = rng.uniform(38, 85)
    totals: dict[int, float] = {}
    for y in PEER_YEARS:
        rate = float(
            np.clip(level * NL_RATE[y] / NL_RATE[2015] * 1.1 * rng.normal(1, 0.03), 35.5, 89.5)
        )
        totals[y] = rate * population[y] / 1000
    return Region(code, naam, population, totals, _shares(rng))


def _shares(rng: np.random.Generator) -> dict[str, float]:
    return {group: share * float(rng.normal(1, 0.08)) for group, share in GROUPS.items()}


def _round5(value: float) -> int:
    return int(5 * round(value / 5))


def write_peers(path: Path, regions: list[Region]) -> None:
    ordered = [regions[0], *sorted(regions[1:], key=lambda r: r.naam)]
    lines = [";".join(quote(h) for h in HEADER)]
    for soort in (TOTAAL, *GROUPS):
        for region in ordered:
            for year in PEER_YEARS:
                total = region.totaal[year]
                count = total if soort == TOTAAL else total * region.shares[soort]
                relative = 100 * count / total
                rate = 1000 * count / region.inwoners[year]
                fields = [quote(soort), quote(str(year)), quote(region.naam)]
                values = [str(_round5(count)), str(round(relative)), decimal_comma(rate)]
                lines.append(";".join(fields + values))
    write_lines(path, lines, bom=True)


def write_peer_population(path: Path, regions: list[Region]) -> None:
    lines = ["code;naam;jaar;inwoners"]
    for region in regions:
        lines.extend(f"{region.code};{region.naam};{y};{region.inwoners[y]}" for y in PEER_YEARS)
    write_lines(path, lines)
