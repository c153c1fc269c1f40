"""The planted signals: chosen from the city, applied as multipliers, written as data."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from .geometry import CENTRE
from .model import (
    GEMEENTE_CODE,
    MONTHS,
    ROL_STATION,
    ROL_WOON,
    City,
    FloatArray,
    month_index,
    month_key,
)
from .population import Population

HOTSPOT_EFFECT = 3.0
HOTSPOT_SIZE = 5
TREND_EFFECT = 1.15
STATION_EFFECT = 4.0
# The COVID-like dip of the base model, documented here as a series break.
COVID_VAN, COVID_TOT = "2020-03", "2021-12"
COVID_FACTORS: dict[str, float] = {"1.2.4": 0.5, "1.1.1": 0.8}


@dataclass(frozen=True)
class PlantedSignal:
    naam: str
    bron: str
    codes: tuple[str, ...]
    gebieden: tuple[str, ...]
    van: str
    tot: str
    effect: float
    soort: str  # "niveau", "trend", "stabiel" or "breuk"
    beschrijving: str

    def as_record(self) -> dict[str, object]:
        record = asdict(self)
        record["codes"] = list(self.codes)
        record["gebieden"] = list(self.gebieden)
        if self.soort == "breuk":
            record["effect_per_code"] = dict(COVID_FACTORS)
        return record


def plant_signals(city: City, population: Population) -> tuple[PlantedSignal, ...]:
    hotspot = _hotspot_cluster(city)
    trend_wijk = _trend_wijk(city, population, set(hotspot))
    station = city.buurt_by_rol(ROL_STATION)[0]
    van_all, tot_all = month_key(*MONTHS[0]), month_key(*MONTHS[-1])
    return (
        PlantedSignal(
            naam="Woninginbraak-hotspot 2024",
            bron="47022NED",
            codes=("1.1.1",),
            gebieden=hotspot,
            van="2024-01",
            tot="2024-12",
            effect=HOTSPOT_EFFECT,
            soort="niveau",
            beschrijving=(
                "In vijf aangrenzende buurten ligt de woninginbraak in alle maanden van 2024 drie "
                "keer zo hoog als verwacht."
            ),
        ),
        PlantedSignal(
            naam="Stijgende jeugdoverlast",
            bron="47024NED",
            codes=("E35",),
            gebieden=(trend_wijk,),
            van=van_all,
            tot=tot_all,
            effect=TREND_EFFECT,
            soort="trend",
            beschrijving=(
                "In alle buurten van deze wijk stijgt de jeugdoverlast vanaf 2019 met 15% per jaar."
            ),
        ),
        PlantedSignal(
            naam="Fietsdiefstal en zakkenrollerij bij het station",
            bron="47022NED",
            codes=("1.2.3", "1.2.4"),
            gebieden=(station.code,),
            van=van_all,
            tot=tot_all,
            effect=STATION_EFFECT,
            soort="stabiel",
            beschrijving=(
                "In het Stationskwartier liggen fietsdiefstal en zakkenrollerij in alle perioden "
                "vier keer zo hoog, zonder verandering in de tijd."
            ),
        ),
        PlantedSignal(
            naam="Coronadip",
            bron="47022NED",
            codes=tuple(COVID_FACTORS),
            gebieden=(GEMEENTE_CODE,),
            van=COVID_VAN,
            tot=COVID_TOT,
            effect=min(COVID_FACTORS.values()),
            soort="breuk",
            beschrijving=(
                "Van maart 2020 tot en met december 2021 daalt zakkenrollerij overal met de helft "
                "en woninginbraak met 20%."
            ),
        ),
    )


def _hotspot_cluster(city: City) -> tuple[str, ...]:
    """A residential buurt in the middle ring plus its residential neighbours with the
    longest shared edges: all share an edge with the first one, so the cluster is adjacent."""
    woon = {b.code for b in city.buurten if b.rol == ROL_WOON}
    radius = math.sqrt(city.outline.area / math.pi)

    def score(code: str) -> tuple[int, float]:
        point = city.buurten[city.buurt_index(code)].geometry.centroid
        ring = abs(math.hypot(point.x - CENTRE[0], point.y - CENTRE[1]) / radius - 0.45)
        return len(city.adjacency[code] & woon), -ring

    candidates = [c for c in sorted(woon) if len(city.adjacency[c] & woon) >= HOTSPOT_SIZE - 1]
    centre = max(candidates, key=score)
    geom = city.buurten[city.buurt_index(centre)].geometry

    def shared(code: str) -> float:
        return float(
            geom.boundary.intersection(
                city.buurten[city.buurt_index(code)].geometry.boundary
            ).length
        )

    neighbours = sorted(city.adjacency[centre] & woon, key=lambda c: (-shared(c), c))
    return tuple(sorted((centre, *neighbours[: HOTSPOT_SIZE - 1])))


def _trend_wijk(city: City, population: Population, avoid: set[str]) -> str:
    """The most populous wijk outside Centrum that holds no other planted buurt."""
    inwoners = population.inwoners[:, -1]

    def size(code: str) -> int:
        return int(sum(inwoners[city.buurt_index(b)] for b in city.wijk(code).buurtcodes))

    options = [
        w.code
        for w in city.wijken
        if w.stadsdeel != "Centrum"
        and not set(w.buurtcodes) & avoid
        and all(city.buurten[city.buurt_index(b)].rol == ROL_WOON for b in w.buurtcodes)
    ]
    return max(options, key=size)


def multiplier(
    signals: tuple[PlantedSignal, ...], bron: str, codes: tuple[str, ...], city: City
) -> FloatArray:
    """Planted multipliers, shape (n_buurten, n_codes, n_months); 1 where nothing is planted.
    The COVID break is part of the base model and is not applied here."""
    result = np.ones((len(city.buurten), len(codes), len(MONTHS)))
    for signal in signals:
        if signal.bron != bron or signal.soort == "breuk":
            continue
        rows = np.array(city.buurten_in(signal.gebieden), dtype=np.int64)
        months = np.arange(month_index(signal.van), month_index(signal.tot) + 1)
        factor = _time_profile(signal, months)
        for code in signal.codes:
            c = codes.index(code)
            result[np.ix_(rows, np.array([c]), months)] *= factor[None, None, :]
    return result


def _time_profile(signal: PlantedSignal, months: np.ndarray) -> FloatArray:
    if signal.soort == "trend":
        start_year = MONTHS[months[0]][0]
        years = np.array([MONTHS[m][0] - start_year for m in months])
        return np.asarray(signal.effect**years, dtype=np.float64)
    return np.full(len(months), signal.effect, dtype=np.float64)
