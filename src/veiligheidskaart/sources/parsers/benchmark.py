"""CBS 83648NED "Geregistreerde criminaliteit; soort misdrijf, regio" (StatLine CSV export).

Regions come by name; the import service maps them to codes through the code list.
Kept as its own series: never mixed with 47018NED.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from veiligheidskaart.sources.parsers.common import check_duplicate_keys, parse_period_column
from veiligheidskaart.sources.parsing import (
    OBSERVATION_COLUMNS,
    Meta,
    Parsed,
    Problem,
    parse_counts,
    read_table,
)

TABLE = "83648NED"
TOTAL_LABEL = "Misdrijven, totaal"
TOTAL_KEY = "T001161"
_MEASURES = {
    "aantal": ("(aantal)", ""),
    "per1000": ("per 1000 inw", ".per1000"),
}


def soort_key(label: str) -> str:
    """The CBS key of a SoortMisdrijf label.

    >>> soort_key("Misdrijven, totaal"), soort_key("1 Vermogensmisdrijven"), soort_key("111 X")
    ('T001161', 'CRI1000', 'CRI1110')
    """
    label = label.strip()
    if label == TOTAL_LABEL:
        return TOTAL_KEY
    match = re.match(r"^(\d{1,4}) ", label)
    return f"CRI{match.group(1).ljust(4, '0')}" if match else label


def looks_like_benchmark(path: Path) -> bool:
    head = path.read_bytes()[:400].decode("utf-8-sig", errors="replace")
    return "Soort misdrijf" in head and "Regio's" in head


def parse_benchmark(path: Path, options: dict[str, Any]) -> Parsed:
    frame = read_table(path, ["Soort misdrijf", "Perioden", "Regio's"])
    file = path.name
    parsed = Parsed(Meta("CBS", TABLE, licence="CC BY 4.0 (CBS)"))
    starts, grains = parse_period_column(frame["Perioden"], file, "Perioden", parsed.problems)
    parts = []
    for suffix_key, (marker, suffix) in _MEASURES.items():
        column = next((c for c in frame.columns if marker in c), None)
        if column is None:
            continue
        values, status = parse_counts(frame[column], file, column, parsed.problems)
        parts.append(pd.DataFrame({
            "source_code": frame["Soort misdrijf"].map(soort_key) + suffix,
            "area_code": frame["Regio's"].str.strip(),
            "period_start": starts, "granularity": grains,
            "value": values, "lower": None, "upper": None, "sample_size": None,
            "status": status, "row": frame.index,
        }, index=frame.index))  # fmt: skip
        parsed.note(f"waarden {suffix_key}", int(values.notna().sum()))
    if not parts:
        parsed.problems.append(
            Problem(file, 1, "Geregistreerde misdrijven", "geen kolom met aantallen gevonden")
        )
    obs = (
        pd.concat(parts)[OBSERVATION_COLUMNS]
        if parts
        else pd.DataFrame(columns=OBSERVATION_COLUMNS)
    )
    obs = check_duplicate_keys(
        obs,
        ["source_code", "area_code", "period_start", "granularity"],
        file,
        "Regio's",
        parsed.problems,
    )
    starts_valid = obs["period_start"].dropna()
    parsed.meta.area_scope = "NL"
    parsed.meta.period_start = min(starts_valid) if len(starts_valid) else None
    parsed.meta.period_end = max(starts_valid) if len(starts_valid) else None
    parsed.meta.areas_by_name = True
    parsed.observations = obs
    return parsed
