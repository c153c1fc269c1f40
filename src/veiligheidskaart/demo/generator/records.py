"""The municipality's own woonoverlast cases: a cp1252 office CSV plus its import mapping."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np

from .geometry import rng_for
from .model import GEMEENTE_NAAM, PEILDATUM, City
from .population import Population
from .writer import write_lines

RECORD_YEARS: tuple[int, ...] = (2021, 2022, 2023, 2024)
CASES_PER_YEAR = 150
SOORTEN: tuple[tuple[str, float], ...] = (
    ("Geluidsoverlast", 0.38),
    ("Vervuiling woning", 0.17),
    ("Intimidatie/bedreiging", 0.16),
    ("Drugsoverlast woning", 0.14),
    ("Overlast huisdieren", 0.15),
)
# The en dash is a cp1252-only byte (0x96): the file cannot be read as UTF-8.
AFGEHANDELD: tuple[str, ...] = (
    "Afgehandeld – opgelost",
    "Afgehandeld – doorverwezen",
    "Afgehandeld – geen vervolg",
)
IN_BEHANDELING = "In behandeling"
MAPPING_TOML = f"""# Importmapping voor de woonoverlastregistratie van Gemeente {GEMEENTE_NAAM}.
[bestand]
encoding = "cp1252"
scheidingsteken = ";"

[kolommen]
datum = "Datum melding"
datumformaat = "%d-%m-%Y"
buurtcode = "Buurtcode"
categorie = "Soort overlast"
sleutel = "Zaaknummer"

[dataset]
uitgever = "Gemeente {GEMEENTE_NAAM}"
tabel = "woonoverlast"
classificatie = "vertrouwelijk"

[categorieen]
"""


def write_records(
    path: Path, mapping_path: Path, city: City, population: Population, seed: int
) -> int:
    rng = rng_for(seed, 60)
    weights = population.inwoners[:, -1].astype(float)
    lines = ["Zaaknummer;Datum melding;Buurtcode;Soort overlast;Status"]
    for year in RECORD_YEARS:
        n_cases = int(rng.poisson(CASES_PER_YEAR))
        days = np.sort(rng.integers(0, 365, n_cases))
        buurten = rng.choice(len(city.buurten), size=n_cases, p=weights / weights.sum())
        soorten = rng.choice(len(SOORTEN), size=n_cases, p=[s[1] for s in SOORTEN])
        for k in range(n_cases):
            day = date(year, 1, 1) + timedelta(days=int(days[k]))
            fields = [
                f"WO-{year}-{k + 1:04d}",
                f"{day.day}-{day.month}-{day.year}",  # d-m-jjjj, no leading zeros
                city.buurten[int(buurten[k])].code,
                SOORTEN[int(soorten[k])][0],
                _status(day, rng),
            ]
            lines.append(";".join(fields))
    write_lines(path, lines, encoding="cp1252")
    _write_mapping(mapping_path)
    return len(lines) - 1


def _status(day: date, rng: np.random.Generator) -> str:
    """Recent cases are often still open; older ones are nearly all closed."""
    age = (PEILDATUM - day).days
    open_chance = 0.6 if age < 90 else 0.2 if age < 365 else 0.02
    if rng.uniform() < open_chance:
        return IN_BEHANDELING
    return AFGEHANDELD[int(rng.integers(0, len(AFGEHANDELD)))]


def _write_mapping(path: Path) -> None:
    categories = [f'"{soort}" = "woonoverlast"' for soort, _ in SOORTEN]
    write_lines(path, [*MAPPING_TOML.rstrip("\n").split("\n"), *categories])
