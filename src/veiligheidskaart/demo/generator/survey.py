"""Survey data: Veiligheidsmonitor 85146NED (gemeente, odd years) and the own wijk panel."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .geometry import rng_for
from .model import GEMEENTE_CODE, City, IntArray
from .population import Population
from .writer import quote, write_lines

MONITOR_COLUMNS: tuple[str, ...] = (
    "VoeltZichWeleensOnveilig_43",
    "VoeltZichWeleensOnveiligInBuurt_50",
    "DenktDatErVeelCriminaliteitInBuurt_57",
    "RapportcijferVeiligheidInBuurt_60",
)
MONITOR_PERIODS: tuple[str, ...] = ("2019JJ00", "2021JJ00", "2023JJ00")
# Values per region and column, one per period; Demostad feels a little safer each edition.
MONITOR_VALUES: dict[str, dict[str, tuple[float, float, float]]] = {
    GEMEENTE_CODE: {
        "VoeltZichWeleensOnveilig_43": (35.8, 33.9, 33.1),
        "VoeltZichWeleensOnveiligInBuurt_50": (18.5, 17.2, 16.0),
        "DenktDatErVeelCriminaliteitInBuurt_57": (14.6, 13.2, 12.5),
        "RapportcijferVeiligheidInBuurt_60": (7.0, 7.1, 7.2),
    },
    "NL01": {
        "VoeltZichWeleensOnveilig_43": (34.1, 32.7, 33.0),
        "VoeltZichWeleensOnveiligInBuurt_50": (16.2, 15.8, 16.1),
        "DenktDatErVeelCriminaliteitInBuurt_57": (12.6, 11.9, 12.2),
        "RapportcijferVeiligheidInBuurt_60": (7.2, 7.3, 7.3),
    },
}
# Half-widths of the 95% interval: Demostad has ~1,500 respondents, the country ~180,000.
MARGINS: dict[str, tuple[float, float, float]] = {
    GEMEENTE_CODE: (1.4, 1.2, 1.1),
    "NL01": (0.2, 0.2, 0.2),
}
CIJFER_MARGIN: dict[str, float] = {GEMEENTE_CODE: 0.1, "NL01": 0.0}

PANEL_PERIODS: tuple[str, ...] = tuple(f"{y}-H{h}" for y in range(2019, 2025) for h in (1, 2))
PANEL_SMALL_WIJKEN = 2


def write_monitor(path: Path) -> None:
    header = ["ID", "Marges", "RegioS", "Perioden", *MONITOR_COLUMNS]
    lines = [";".join(quote(h) for h in header)]
    row_id = 0
    for marge, sign in (("MW00000", 0), ("MOG0095", -1), ("MBG0095", 1)):
        for region in (GEMEENTE_CODE, "NL01"):
            for p, period in enumerate(MONITOR_PERIODS):
                values = [_bounded(region, column, p, sign) for column in MONITOR_COLUMNS]
                fields = [str(row_id), quote(marge), quote(region.ljust(10)), quote(period)]
                lines.append(";".join(fields + [f"{v:.1f}" for v in values]))
                row_id += 1
    write_lines(path, lines)


def _bounded(region: str, column: str, period: int, sign: int) -> float:
    value = MONITOR_VALUES[region][column][period]
    margin = (
        CIJFER_MARGIN[region] if column.startswith("Rapportcijfer") else MARGINS[region][period]
    )
    return round(value + sign * margin, 1)


def write_panel(path: Path, city: City, population: Population, seed: int) -> None:
    """The municipality's own panel, twice a year, sampled around a true level per wijk."""
    rng = rng_for(seed, 40)
    small = set(_smallest_wijken(city, population))
    lines = ["wijkcode;periode;vraag;waarde;n"]
    for wijk in city.wijken:
        centrum = wijk.stadsdeel == "Centrum"
        share = float(np.clip(rng.normal(22.0 if centrum else 14.0, 3.0), 6.0, 35.0)) / 100
        mean = float(np.clip(7.6 - 4.0 * (share - 0.14) + rng.normal(0, 0.12), 5.5, 8.5))
        for period in PANEL_PERIODS:
            n = _sample_size(rng, wijk.code in small)
            unsafe = 100.0 * rng.binomial(n, share) / n
            cijfer = float(np.clip(rng.normal(mean, 1.3 / np.sqrt(n)), 1.0, 10.0))
            lines.append(f"{wijk.code};{period};onveilig_in_buurt;{unsafe:.1f};{n}")
            lines.append(f"{wijk.code};{period};rapportcijfer_veiligheid;{cijfer:.1f};{n}")
    write_lines(path, lines)


def _smallest_wijken(city: City, population: Population) -> list[str]:
    totals: IntArray = city.membership() @ population.inwoners[:, -1]
    order = np.argsort(totals, kind="stable")
    return [city.wijken[int(w)].code for w in order[:PANEL_SMALL_WIJKEN]]


def _sample_size(rng: np.random.Generator, small: bool) -> int:
    if small:  # mostly below 50, now and then just above
        return int(rng.integers(50, 62)) if rng.uniform() < 0.15 else int(rng.integers(24, 50))
    return int(rng.integers(80, 301))
