"""CBS 83648NED "Geregistreerde criminaliteit; soort misdrijf, regio" (StatLine CSV export).

Regions come by name; the import service maps them to codes through the code list.
Kept as its own series: never mixed with 47018NED.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from veiligheidskaart.sources.parsers.common import (
    check_area_codes,
    check_duplicate_keys,
    option_date,
    parse_period_column,
    scope_of,
)
from veiligheidskaart.sources.parsing import (
    OBSERVATION_COLUMNS,
    Meta,
    Parsed,
    Problem,
    parse_counts,
    read_table,
    resolve_column,
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


def looks_like_benchmark(path: Path) -> str:
    """'statline' (labels), 'typed' (OData TypedDataSet keys) or '' for another table."""
    head = path.read_bytes()[:400].decode("utf-8-sig", errors="replace")
    if "Soort misdrijf" in head and "Regio's" in head:
        return "statline"
    return "typed" if "RegioS" in head and "TotaalGeregistreerdeMisdrijven" in head else ""


def parse_benchmark_typed(path: Path, options: dict[str, Any]) -> Parsed:
    """The OData TypedDataSet download: keys instead of labels, regions by code."""
    frame = read_table(
        path, ["SoortMisdrijf", "RegioS", "Perioden", "TotaalGeregistreerdeMisdrijven"]
    )
    file = path.name
    parsed = Parsed(Meta("CBS", TABLE, licence="CC BY 4.0 (CBS)"))
    regions = frame["RegioS"].str.strip().replace({"NL01": "NL00"})
    check_area_codes(regions, file, "RegioS", parsed.problems)
    starts, grains = parse_period_column(frame["Perioden"], file, "Perioden", parsed.problems)
    parts = []
    for name, suffix in (("TotaalGeregistreerdeMisdrijven", ""),
                         ("GeregistreerdeMisdrijvenPer1000Inw", ".per1000")):  # fmt: skip
        column = resolve_column(frame.columns, name)
        if column is None:
            continue
        values, status = parse_counts(frame[column], file, column, parsed.problems)
        parts.append(pd.DataFrame({
            "source_code": frame["SoortMisdrijf"].str.strip() + suffix, "area_code": regions,
            "period_start": starts, "granularity": grains, "value": values, "lower": None,
            "upper": None, "sample_size": None, "status": status, "row": frame.index,
        }, index=frame.index))  # fmt: skip
    obs = pd.concat(parts)[OBSERVATION_COLUMNS]
    obs = check_duplicate_keys(obs, ["source_code", "area_code", "period_start", "granularity"],
                               file, "RegioS", parsed.problems)  # fmt: skip
    valid = obs["period_start"].dropna()
    parsed.meta.area_scope = scope_of(regions)
    parsed.meta.published_on = option_date(options, "gepubliceerd")
    parsed.meta.period_start = min(valid) if len(valid) else None
    parsed.meta.period_end = max(valid) if len(valid) else None
    parsed.observations = obs
    return parsed


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
