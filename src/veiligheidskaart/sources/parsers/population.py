"""CBS Kerncijfers wijken en buurten: inhabitants and the other denominators per area.

Column suffixes differ per year, so columns are resolved by name prefix. ``-99997`` and
``.`` mean suppressed (stored as missing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from veiligheidskaart.sources.parsers.codelists import KWB_TABLES, vintage_from
from veiligheidskaart.sources.parsers.common import check_area_codes, scope_of
from veiligheidskaart.sources.parsing import (
    KERNCIJFER_COLUMNS,
    ImportRejected,
    Meta,
    Parsed,
    Problem,
    read_table,
    resolve_column,
)

MEASURES = {
    "inhabitants": ("AantalInwoners", "population", "aantal_inw", "aantalInwoners"),
    "households": ("HuishoudensTotaal", "aantal_hui", "aantalHuishoudens"),
    "dwellings": ("Woningvoorraad", "woningvoorraad"),
    "businesses": ("BedrijfsvestigingenTotaal", "bedrijfsvestigingen"),
    "land_area_ha": ("OppervlakteLand", "oppervlakteLandInHa"),
}
CODE_COLUMNS = ("WijkenEnBuurten", "Codering", "nhood_id", "Key")
SUPPRESSED_BELOW = -99990


def parse_population(path: Path, options: dict[str, Any]) -> Parsed:
    frame = read_table(path, [])
    file = path.name
    code_col = next(
        (c for name in CODE_COLUMNS if (c := resolve_column(frame.columns, name))), None
    )
    if code_col is None:
        raise ImportRejected(
            [Problem(file, 1, "WijkenEnBuurten", "kolom met gebiedscodes ontbreekt")]
        )
    year = vintage_from(path, options)
    if year is None:
        raise ImportRejected(
            [Problem(file, None, None, "jaar onbekend: geef --jaar of de tabel-id op")]
        )
    parsed = Parsed(
        Meta(
            "CBS", options.get("tabel") or _table_for(year), vintage=year, licence="CC BY 4.0 (CBS)"
        )
    )
    codes = frame[code_col].str.strip()
    check_area_codes(codes, file, code_col, parsed.problems)
    out = pd.DataFrame({"area_code": codes, "year": year, "row": frame.index}, index=frame.index)
    found = 0
    for measure, names in MEASURES.items():
        column = next((c for n in names if (c := resolve_column(frame.columns, n))), None)
        out[measure] = _measure(frame[column], file, column, parsed) if column else None
        found += column is not None
    if out["inhabitants"].isna().all() and found == 0:
        raise ImportRejected([Problem(file, 1, "AantalInwoners", "kolom met inwoners ontbreekt")])
    parsed.kerncijfers = out[KERNCIJFER_COLUMNS]
    parsed.meta.area_scope = scope_of(codes)
    parsed.meta.period_start = pd.Timestamp(year, 1, 1).date()
    parsed.meta.period_end = parsed.meta.period_start
    parsed.area_column = code_col
    return parsed


def _table_for(year: int) -> str:
    return next((t for t, y in KWB_TABLES.items() if y == year), f"kerncijfers-{year}")


def _measure(series: pd.Series, file: str, column: str, parsed: Parsed) -> pd.Series:
    text = series.str.strip().str.replace(",", ".", regex=False)
    numeric = pd.to_numeric(text.where(~text.isin([".", ""])), errors="coerce")
    bad = numeric.isna() & ~text.isin([".", ""])
    for row in series.index[bad][:1000]:
        parsed.problems.append(Problem(file, int(row), column, f"geen getal: '{series[row]}'"))
    suppressed = (numeric <= SUPPRESSED_BELOW) | text.eq(".")
    parsed.note(f"{column}: onderdrukt", int(suppressed.sum()))
    negative = (numeric < 0) & ~suppressed
    for row in series.index[negative][:1000]:
        parsed.problems.append(Problem(file, int(row), column, f"negatieve waarde: {series[row]}"))
    return numeric.where(~suppressed)
