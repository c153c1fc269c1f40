"""Code lists: CBS 85984NED WijkenEnBuurten (areas without geometry) and stadsdeel mappings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from veiligheidskaart.sources.parsers.common import AREA_CODE, gemeente_of, level_of
from veiligheidskaart.sources.parsing import (
    AreaRecord,
    ImportRejected,
    Meta,
    Parsed,
    Problem,
    read_table,
)

# Kerncijfers wijken en buurten: table id → boundary year
KWB_TABLES = {
    "84286NED": 2018, "84583NED": 2019, "84799NED": 2020, "85039NED": 2021,
    "85318NED": 2022, "85618NED": 2023, "85984NED": 2024, "86165NED": 2025,
}  # fmt: skip


def vintage_from(path: Path, options: dict[str, Any]) -> int | None:
    if options.get("jaar"):
        return int(options["jaar"])
    table = options.get("tabel") or next((t for t in KWB_TABLES if t in path.name), None)
    return KWB_TABLES.get(table) if table else None


def parse_codelist(path: Path, options: dict[str, Any]) -> Parsed:
    frame = read_table(path, ["Key", "Title"])
    parsed = Parsed(Meta("CBS", "WijkenEnBuurten", licence="CC BY 4.0 (CBS)"))
    only = options.get("gemeente")
    for row, key, title in zip(frame.index, frame["Key"], frame["Title"], strict=True):
        code = key.strip()
        level = level_of(code)
        if not AREA_CODE.match(code):
            parsed.problems.append(
                Problem(path.name, int(row), "Key", f"onbekende gebiedscode '{code}'")
            )
            continue
        if only and level in ("wijk", "buurt") and gemeente_of(code) != only:
            parsed.note("wijken/buurten van andere gemeenten overgeslagen")
            continue
        parent = {"land": None, "gemeente": "NL00", "wijk": gemeente_of(code),
                  "buurt": "WK" + code[2:8]}[level]  # fmt: skip
        parsed.areas.append(
            AreaRecord(code, title.strip() or code, level, gemeente_of(code), parent)
        )
    parsed.meta.vintage = vintage_from(path, options)
    if parsed.meta.vintage is None:
        parsed.warnings.append("indelingsjaar onbekend: geef --jaar op")
    parsed.meta.area_scope = only or "NL"
    parsed.note("gebieden in codelijst", len(parsed.areas))
    return parsed


def parse_stadsdelen(path: Path, options: dict[str, Any]) -> Parsed:
    """A small mapping file: wijk or buurt code → stadsdeel name."""
    frame = read_table(path, ["gebiedscode", "stadsdeel"])
    parsed = Parsed(Meta("gemeente", "stadsdelen", classification="open"))
    gemeenten = set()
    for row, code, name in zip(frame.index, frame["gebiedscode"], frame["stadsdeel"], strict=True):
        code, name = code.strip(), name.strip()
        if level_of(code) not in ("wijk", "buurt"):
            parsed.problems.append(
                Problem(path.name, int(row), "gebiedscode", f"'{code}' is geen wijk- of buurtcode")
            )
        elif not name:
            parsed.problems.append(Problem(path.name, int(row), "stadsdeel", "naam ontbreekt"))
        else:
            gemeenten.add(gemeente_of(code))
            parsed.areas.append(AreaRecord(code, name, "stadsdeel-lid", gemeente_of(code)))
    if len(gemeenten) > 1:
        raise ImportRejected(
            [
                Problem(
                    path.name,
                    None,
                    "gebiedscode",
                    f"codes van meer dan één gemeente: {sorted(gemeenten)}",
                )
            ]
        )
    parsed.meta.area_scope = next(iter(gemeenten), "")
    parsed.note("gebieden toegewezen aan een stadsdeel", len(parsed.areas))
    return parsed
