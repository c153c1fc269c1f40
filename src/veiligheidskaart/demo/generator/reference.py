"""Area files: PDOK buurt GeoJSON, stadsdelen, the 85984NED code list and Kerncijfers tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.polygon import orient

from . import names
from .model import (
    BOUNDARY_VINTAGE,
    GEMEENTE_CODE,
    GEMEENTE_NAAM,
    ROL_BEDRIJVEN,
    ROL_KLEIN,
    YEARS,
    City,
    IntArray,
)
from .population import Population
from .writer import quote, write_feature_collection, write_json, write_lines

RD_NEW = "urn:ogc:def:crs:EPSG::28992"
# Kerncijfers table per year, and the column suffixes of households, dwellings,
# businesses and land area, which CBS renumbers every year.
KWB_TABLES: dict[int, str] = {
    2019: "84583NED",
    2020: "84799NED",
    2021: "85039NED",
    2022: "85318NED",
    2023: "85618NED",
    2024: "85984NED",
}
KWB_SUFFIXES: dict[int, tuple[int, int, int, int]] = {
    2019: (28, 34, 76, 104),
    2020: (28, 34, 78, 107),
    2021: (28, 35, 80, 109),
    2022: (29, 35, 80, 108),
    2023: (29, 35, 79, 110),
    2024: (29, 35, 81, 111),
}
SUPPRESSED_DOT = "."
SUPPRESSED_CODE = "-99997"


def write_buurten(path: Path, city: City) -> None:
    wijknaam = {w.code: w.naam for w in city.wijken}
    features: list[dict[str, object]] = []
    for buurt in city.buurten:
        properties = {
            "buurtcode": buurt.code,
            "buurtnaam": buurt.naam,
            "wijkcode": buurt.wijkcode,
            "wijknaam": wijknaam[buurt.wijkcode],
            "gemeentecode": GEMEENTE_CODE,
            "gemeentenaam": GEMEENTE_NAAM,
            "water": "NEE",
            "jaar": BOUNDARY_VINTAGE,
        }
        features.append(
            {"type": "Feature", "properties": properties, "geometry": rd_geometry(buurt.geometry)}
        )
    write_feature_collection(path, features, crs=RD_NEW)


def rd_geometry(geometry: Polygon | MultiPolygon) -> dict[str, object]:
    """Counter-clockwise exterior rings, coordinates on the 0.01 m grid."""
    if isinstance(geometry, Polygon):
        geometry = orient(geometry, 1.0)
    else:
        geometry = MultiPolygon([orient(p, 1.0) for p in geometry.geoms])
    return _round(dict(mapping(geometry)))


def _round(node: dict[str, object]) -> dict[str, object]:
    def walk(value: object) -> object:
        if isinstance(value, (tuple, list)):
            if value and isinstance(value[0], float):
                return [round(float(v), 2) for v in value]
            return [walk(v) for v in value]
        return value

    return {"type": node["type"], "coordinates": walk(node["coordinates"])}


def write_stadsdelen(path: Path, city: City) -> None:
    write_lines(path, ["gebiedscode;stadsdeel", *(f"{w.code};{w.stadsdeel}" for w in city.wijken)])


def write_codelijst(path: Path, city: City) -> None:
    """85984NED WijkenEnBuurten code list: Nederland, gemeenten, Demostad's wijken and buurten."""
    rows = [("NL00", "Nederland", "", "", "")]
    gemeenten = sorted(
        [(GEMEENTE_CODE, GEMEENTE_NAAM), *zip(names.peer_codes(), names.PEER_NAMEN, strict=True)],
        key=lambda g: g[1],
    )
    for code, naam in gemeenten:
        rows.append((code, naam, f"Gemeente '{naam}' ({code})", code, code))
        if code == GEMEENTE_CODE:
            rows.extend(_demostad_rows(city))
    lines = [
        ",".join(
            quote(h) for h in ("Key", "Title", "Description", "Municipality", "DetailRegionCode")
        )
    ]
    lines.extend(",".join(quote(v) for v in (row[0].ljust(10), *row[1:])) for row in rows)
    write_lines(path, lines)


def _demostad_rows(city: City) -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = []
    buurtnaam = {b.code: b.naam for b in city.buurten}
    for wijk in city.wijken:
        desc = f"Wijk '{wijk.naam}' ({wijk.code}) is een wijk in de gemeente '{GEMEENTE_NAAM}'."
        rows.append((wijk.code, wijk.naam, desc, GEMEENTE_CODE, wijk.code))
        for code in wijk.buurtcodes:
            naam = buurtnaam[code]
            desc = (
                f"Buurt '{naam}' ({code}) is een buurt in wijk '{wijk.naam}'"
                f" in de gemeente '{GEMEENTE_NAAM}'."
            )
            rows.append((code, naam, desc, GEMEENTE_CODE, code))
    return rows


def suppressed_cells(city: City) -> dict[tuple[str, str], str]:
    """(buurtcode, measure) -> published symbol, for the tiniest buurten."""
    klein = city.buurt_by_rol(ROL_KLEIN)
    cells = {
        (klein[0].code, "huishoudens"): SUPPRESSED_DOT,
        (klein[1].code, "huishoudens"): SUPPRESSED_CODE,
    }
    for buurt in city.buurt_by_rol(ROL_BEDRIJVEN):
        cells[(buurt.code, "huishoudens")] = SUPPRESSED_CODE
    return cells


def write_kwb(out_dir: Path, city: City, population: Population) -> list[tuple[int, str]]:
    """One Kerncijfers CSV per year; returns (year, relative path)."""
    written: list[tuple[int, str]] = []
    for year in YEARS:
        relative = f"bevolking/kwb_{year}.csv"
        write_lines(out_dir / relative, _kwb_lines(city, population, year))
        written.append((year, relative))
    write_json(out_dir / "bevolking/tabellen.json", {str(y): t for y, t in KWB_TABLES.items()})
    return written


_MEASURES = ("inwoners", "huishoudens", "woningen", "vestigingen", "oppervlakte_ha")


def _kwb_lines(city: City, population: Population, year: int) -> list[str]:
    hh, won, ves, opp = KWB_SUFFIXES[year]
    header = [
        "ID",
        "WijkenEnBuurten",
        "Gemeentenaam_1",
        "SoortRegio_2",
        "Codering_3",
        "AantalInwoners_5",
        f"HuishoudensTotaal_{hh}",
        f"Woningvoorraad_{won}",
        f"BedrijfsvestigingenTotaal_{ves}",
        f"OppervlakteLand_{opp}",
    ]
    y = population.year(year)
    buurt_values = np.stack([population.measures()[m][:, y] for m in _MEASURES], axis=1)
    wijk_values = city.membership() @ buurt_values
    suppressed = suppressed_cells(city)
    lines = [";".join(quote(h) for h in header)]
    rows: list[tuple[str, str, list[str]]] = [
        (GEMEENTE_CODE, "Gemeente", _cells(buurt_values.sum(axis=0)))
    ]
    for w, wijk in enumerate(city.wijken):
        rows.append((wijk.code, "Wijk", _cells(wijk_values[w])))
        for code in wijk.buurtcodes:
            cells = _cells(buurt_values[city.buurt_index(code)])
            for m, measure in enumerate(_MEASURES):
                cells[m] = suppressed.get((code, measure), cells[m])
            rows.append((code, "Buurt", cells))
    for row_id, (code, soort, cells) in enumerate(rows):
        fixed = [
            quote(code.ljust(10)),
            quote(GEMEENTE_NAAM.ljust(40)),
            quote(soort.ljust(10)),
            quote(code.ljust(10)),
        ]
        lines.append(";".join([str(row_id), *fixed, *cells]))
    return lines


def _cells(values: IntArray) -> list[str]:
    return [str(int(v)) for v in values]
