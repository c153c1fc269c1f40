"""Shared constants and the area model of Demostad."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt
from shapely.geometry import MultiPolygon, Polygon

GEMEENTE_CODE = "GM9999"
GEMEENTE_NAAM = "Demostad"
GEMEENTE_NUMMER = "9999"
# A fixed reference date: the generator never looks at "today".
PEILDATUM = date(2025, 3, 15)
GEPUBLICEERD = PEILDATUM.isoformat()
BOUNDARY_VINTAGE = 2024

YEARS: tuple[int, ...] = tuple(range(2019, 2025))
# Monthly police figures run to the last month before the reference date.
MONTHS: tuple[tuple[int, int], ...] = tuple(
    (year, month)
    for year in range(2019, 2026)
    for month in range(1, 13)
    if (year, month) <= (2025, 2)
)
# Late registration: the last months before the reference date are still filling up.
INCOMPLETE_FACTOR: dict[tuple[int, int], float] = {(2025, 1): 0.6, (2025, 2): 0.3}

# Stadsdelen in their fixed order; the first is the city centre.
STADSDELEN: tuple[str, ...] = ("Centrum", "Noord", "Oost", "Zuid", "West")

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def month_key(year: int, month: int) -> str:
    """`2024-03`: the period notation of `geplante_signalen.json`."""
    return f"{year:04d}-{month:02d}"


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def month_index(key: str) -> int:
    """Index in MONTHS of a `YYYY-MM` key."""
    year, month = (int(part) for part in key.split("-"))
    return MONTHS.index((year, month))


# Roles of buurten that carry planted structure (everything else is "woon").
ROL_KERN = "kern"  # the old market square: few inhabitants, a lot of crime
ROL_STATION = "station"  # station quarter: stable x4 street crime
ROL_CENTRUM = "centrum"  # other buurten of stadsdeel Centrum
ROL_BEDRIJVEN = "bedrijventerrein"
ROL_KLEIN = "klein"  # rural buurten with < 200 inhabitants
ROL_WOON = "woon"


@dataclass(frozen=True)
class Buurt:
    code: str
    naam: str
    wijkcode: str
    geometry: Polygon | MultiPolygon
    rol: str = ROL_WOON

    @property
    def is_centrum(self) -> bool:
        return self.rol in (ROL_KERN, ROL_STATION, ROL_CENTRUM)


@dataclass(frozen=True)
class Wijk:
    code: str
    naam: str
    stadsdeel: str
    buurtcodes: tuple[str, ...]


@dataclass(frozen=True)
class City:
    """Demostad's areas; buurten are ordered by code, wijken too."""

    outline: Polygon
    buurten: tuple[Buurt, ...]
    wijken: tuple[Wijk, ...]
    # buurtcode -> buurtcodes that share an edge (> 1 m) with it
    adjacency: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def buurtcodes(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.buurten)

    def buurt_index(self, code: str) -> int:
        return self.buurtcodes.index(code)

    def buurt_by_rol(self, rol: str) -> tuple[Buurt, ...]:
        return tuple(b for b in self.buurten if b.rol == rol)

    def wijk(self, code: str) -> Wijk:
        return next(w for w in self.wijken if w.code == code)

    def membership(self) -> IntArray:
        """(n_wijken, n_buurten) 0/1 matrix: wijk sums are `membership @ values`."""
        index = {code: i for i, code in enumerate(self.buurtcodes)}
        matrix = np.zeros((len(self.wijken), len(self.buurten)), dtype=np.int64)
        for w, wijk in enumerate(self.wijken):
            for code in wijk.buurtcodes:
                matrix[w, index[code]] = 1
        return matrix

    def buurten_in(self, area_codes: tuple[str, ...] | list[str]) -> tuple[int, ...]:
        """Indices of the buurten covered by a mix of wijk and buurt codes."""
        wanted: set[str] = set()
        for code in area_codes:
            if code.startswith("WK"):
                wanted.update(self.wijk(code).buurtcodes)
            elif code == GEMEENTE_CODE:
                wanted.update(self.buurtcodes)
            else:
                wanted.add(code)
        return tuple(i for i, code in enumerate(self.buurtcodes) if code in wanted)
