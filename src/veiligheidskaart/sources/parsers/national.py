"""Other published layouts of the same series.

- 83648NED as a GeoJSON of gemeenten with the 2022 figures as attributes (a dashboard export);
- national yearly counts per crime or nuisance type as ``incident_type_code,year,incident_count``
  (CBS/Politie national totals, as kept by researchers): stored for NL00.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from veiligheidskaart.catalogue.codes import OVERLAST, SOORT_MISDRIJF
from veiligheidskaart.sources.parsers.benchmark import TABLE as BENCHMARK_TABLE
from veiligheidskaart.sources.parsers.benchmark import TOTAL_KEY
from veiligheidskaart.sources.parsers.common import check_duplicate_keys, parse_period_column
from veiligheidskaart.sources.parsing import (
    OBSERVATION_COLUMNS,
    ImportRejected,
    Meta,
    Parsed,
    Problem,
    parse_counts,
    read_table,
    read_text,
)

BENCHMARK_MEASURES = {
    "Geregistreerde Misdrijven": TOTAL_KEY,
    "Misdrijven Per 1000 Inw": f"{TOTAL_KEY}.per1000",
}
_TITLES = {c.title.lower(): c.code for c in SOORT_MISDRIJF} | {
    "totaal registraties overlast": "0.0.0",
}
_OVERLAST_TITLES = {c.title.lower(): c.code for c in OVERLAST}


def sniff_layout(path: Path) -> str:
    """'benchmark-geojson', 'national', or '' for the other crime layouts."""
    head = path.read_bytes()[:2000].decode("utf-8-sig", errors="replace")
    if path.suffix.lower() in (".geojson", ".json") and '"statcode"' in head:
        return "benchmark-geojson"
    return "national" if head.startswith("incident_type_code,") else ""


def parse_benchmark_geojson(path: Path, options: dict[str, Any]) -> Parsed:
    if not options.get("jaar"):
        raise ImportRejected([Problem(path.name, None, None, "geef het jaar op met --jaar")])
    try:
        features = json.loads(read_text(path))["features"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ImportRejected([Problem(path.name, None, None, f"ongeldige GeoJSON: {exc}")]) from exc
    year = int(options["jaar"])
    parsed = Parsed(Meta("CBS", BENCHMARK_TABLE, licence="CC BY 4.0 (CBS)", area_scope="NL"))
    rows = []
    for i, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        for column, code in BENCHMARK_MEASURES.items():
            rows.append({"source_code": code, "area_code": str(props.get("statcode", "")).strip(),
                         "value": props.get(column), "row": i})  # fmt: skip
    frame = pd.DataFrame(rows)
    values, status = parse_counts(frame["value"].astype(str).replace("None", ""), path.name,
                                  "Geregistreerde Misdrijven", parsed.problems)  # fmt: skip
    start = pd.Timestamp(year, 1, 1).date()
    frame = frame.assign(value=values, status=status, lower=None, upper=None, sample_size=None,
                         period_start=start, granularity="year")  # fmt: skip
    parsed.observations = frame[OBSERVATION_COLUMNS]
    parsed.meta.period_start = parsed.meta.period_end = start
    return parsed


def parse_national(path: Path, options: dict[str, Any]) -> Parsed:
    frame = read_table(path, ["incident_type_code", "year", "incident_count"])
    overlast = options.get("soort") == "overlast"
    titles = _OVERLAST_TITLES if overlast else _TITLES
    table = "47024NED" if overlast else "47018NED"
    parsed = Parsed(
        Meta("Politie via CBS", table, licence="CC BY 4.0 (Politie/CBS)", area_scope="NL00")
    )
    labels = frame["incident_type_code"].str.strip()
    codes = labels.map(lambda label: _code(label, titles))
    for row in labels.index[codes.isna()][:1000]:
        parsed.warnings.append(
            f"{path.name}, rij {row}: onbekend type '{labels[row]}' ruw opgeslagen"
        )
    starts, grains = parse_period_column(frame["year"], path.name, "year", parsed.problems)
    values, status = parse_counts(
        frame["incident_count"], path.name, "incident_count", parsed.problems
    )
    obs = pd.DataFrame({"source_code": codes.fillna(labels), "area_code": "NL00",
                        "period_start": starts, "granularity": grains, "value": values,
                        "lower": None, "upper": None, "sample_size": None, "status": status,
                        "row": frame.index}, index=frame.index)  # fmt: skip
    obs = check_duplicate_keys(obs, ["source_code", "period_start"], path.name, "incident_count",
                               parsed.problems)  # fmt: skip
    parsed.observations = obs[OBSERVATION_COLUMNS]
    valid = obs["period_start"].dropna()
    parsed.meta.period_start = min(valid) if len(valid) else None
    parsed.meta.period_end = max(valid) if len(valid) else None
    return parsed


def _code(label: str, titles: dict[str, str]) -> str | None:
    """'1.2.3 Diefstal van brom-, snor-, fietsen' → '1.2.3'; titles without a code by name."""
    match = re.match(r"^(\d+\.\d+\.\d+)\s", label)
    if match:
        return match.group(1)
    key = label.lower().replace("ivm alcohol/ drugs", "ivm alcohol/drugs")
    return titles.get(key) or next(
        (code for title, code in titles.items() if title.startswith(key)), None
    )
