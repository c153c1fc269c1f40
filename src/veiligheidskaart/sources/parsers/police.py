"""Police tables on CBS open data: 47018NED/47022NED (crime) and 47024NED (overlast).

Reads the CBS CSV download (``"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";…``,
padded keys) and the cbsodata/cbsodataR export (stripped keys, extra label columns).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from veiligheidskaart.catalogue.codes import MISDRIJF_BY_CODE, OVERLAST_BY_CODE
from veiligheidskaart.sources.parsers.common import (
    check_area_codes,
    check_duplicate_keys,
    mark_incomplete,
    option_date,
    parse_period_column,
    scope_of,
    strip,
)
from veiligheidskaart.sources.parsing import (
    OBSERVATION_COLUMNS,
    Meta,
    Parsed,
    parse_counts,
    read_table,
    resolve_column,
)

PUBLISHER = "Politie via CBS"
LICENCE = "CC BY 4.0 (Politie/CBS)"


def parse_crime(path: Path, options: dict[str, Any]) -> Parsed:
    return _parse(
        path,
        options,
        "SoortMisdrijf",
        "GeregistreerdeMisdrijven",
        MISDRIJF_BY_CODE,
        monthly_table="47022NED",
        yearly_table="47018NED",
    )


def parse_overlast(path: Path, options: dict[str, Any]) -> Parsed:
    return _parse(
        path,
        options,
        "Overlast",
        "GeregistreerdeOverlast",
        OVERLAST_BY_CODE,
        monthly_table="47024NED",
        yearly_table="47024NED",
    )


def _parse(
    path: Path,
    options: dict[str, Any],
    dimension: str,
    topic: str,
    known: dict[str, object],
    monthly_table: str,
    yearly_table: str,
) -> Parsed:
    frame = read_table(path, [dimension, "WijkenEnBuurten", "Perioden", topic])
    file = path.name
    value_col = resolve_column(frame.columns, topic) or topic
    parsed = Parsed(Meta(PUBLISHER, "", licence=LICENCE))
    problems = parsed.problems
    areas = strip(frame["WijkenEnBuurten"])
    check_area_codes(areas, file, "WijkenEnBuurten", problems)
    starts, grains = parse_period_column(frame["Perioden"], file, "Perioden", problems)
    values, status = parse_counts(frame[value_col], file, value_col, problems)
    obs = pd.DataFrame({
        "source_code": strip(frame[dimension]),
        "area_code": areas,
        "period_start": starts,
        "granularity": grains,
        "value": values,
        "lower": None, "upper": None, "sample_size": None,
        "status": status,
        "row": frame.index,
    }, index=frame.index)[OBSERVATION_COLUMNS]  # fmt: skip
    obs = check_duplicate_keys(
        obs, ["source_code", "area_code", "period_start", "granularity"], file, value_col, problems
    )
    unknown = sorted(set(obs["source_code"]) - set(known))
    if unknown:
        parsed.warnings.append(
            f"onbekende {dimension}-codes ruw opgeslagen: {', '.join(unknown[:10])}"
        )
        parsed.note("onbekende codes (ruw opgeslagen)", int(obs["source_code"].isin(unknown).sum()))
    published = option_date(options, "gepubliceerd")
    parsed.note("maanden gemarkeerd als onvolledig", mark_incomplete(obs, published))
    parsed.note("geheim ('.')", int((obs["status"] == "secret").sum()))
    has_months = (obs["granularity"] == "month").any()
    valid_starts = obs["period_start"].dropna()
    parsed.meta = Meta(
        PUBLISHER,
        options.get("tabel") or (monthly_table if has_months else yearly_table),
        area_scope=scope_of(obs["area_code"]),
        period_start=min(valid_starts) if len(valid_starts) else None,
        period_end=max(valid_starts) if len(valid_starts) else None,
        published_on=published,
        licence=LICENCE,
        vintage=int(options["jaar"]) if options.get("jaar") else None,
    )
    parsed.observations = obs
    parsed.area_column = "WijkenEnBuurten"
    return parsed
