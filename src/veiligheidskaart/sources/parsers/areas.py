"""CBS/PDOK wijk- en buurtkaart: shapefile, GeoPackage, GeoJSON, or CSV with a WKT column.

Three attribute conventions are read (old ``BU_CODE``, shapefile-truncated ``gemeenteco``,
PDOK 2024 ``gemeentecode``). Coordinates are checked against the declared CRS, never
guessed; invalid geometry is repaired with ``make_valid`` and each repair is reported.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely import wkb, wkt
from shapely.geometry.base import BaseGeometry

from veiligheidskaart.areas.geometry import NL_WGS84_BOUNDS, RD, RD_BOUNDS, WGS84, to_rd, within
from veiligheidskaart.sources.parsing import (
    AreaRecord,
    ImportRejected,
    Meta,
    Parsed,
    Problem,
    read_table,
)

FIELDS: dict[str, tuple[str, ...]] = {
    "buurtcode": ("bu_code", "buurtcode"),
    "buurtnaam": ("bu_naam", "buurtnaam"),
    "wijkcode": ("wk_code", "wijkcode"),
    "wijknaam": ("wk_naam", "wijknaam"),
    "gemeentecode": ("gm_code", "gemeentecode", "gemeenteco", "statcode"),
    "gemeentenaam": ("gm_naam", "gemeentenaam", "gemeentena", "statnaam"),
    "water": ("water",),
    "jaar": ("jaar", "jrstatcode"),
    # a municipality's own focus areas (focusgebieden, FG<gm4><nn>): point data only
    "focusgebiedcode": ("fg_code", "focusgebiedcode"),
    "focusgebiednaam": ("fg_naam", "focusgebiednaam"),
}
POLYGONAL = ("Polygon", "MultiPolygon")
CLASSIFICATIONS = ("open", "intern", "vertrouwelijk", "wpg")


def parse_areas(path: Path, options: dict[str, Any]) -> Parsed:
    if path.suffix.lower() == ".csv":
        rows, geoms, crs = _read_wkt_csv(path, options)
    else:
        rows, geoms, crs = _read_vector(path, options)
    if not rows:
        raise ImportRejected([Problem(path.name, None, None, "het bestand heeft geen gebieden")])
    attrs = _resolve_fields(rows[0].keys(), path.name)
    parsed = Parsed(_meta(attrs, options))
    only = options.get("gemeente")
    selected = [
        (i, r) for i, r in enumerate(rows) if not only or _get(r, attrs, "gemeentecode") == only
    ]
    if not selected:
        reason = f"geen gebieden van gemeente {only}" if only else "het bestand heeft geen gebieden"
        raise ImportRejected([Problem(path.name, None, None, reason)])
    _check_crs_range([geoms[i] for i, _ in selected], crs, path.name)
    level = _level(attrs)
    records = [
        _record(r, attrs, level, to_rd(geoms[i], crs), i + 2, path.name, parsed)
        for i, r in selected
    ]
    parsed.areas = records + _derived_parents(records, level, parsed)
    parsed.meta.vintage = _vintage(rows, attrs, options, parsed)
    parsed.meta.area_scope = only or ",".join(sorted({r.gemeente_code for r in records}))
    parsed.note(f"{level}en gelezen", len(records))
    return parsed


def _read_vector(
    path: Path, options: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[BaseGeometry], str]:
    import pyogrio

    if path.suffix.lower() == ".shp" and not path.with_suffix(".dbf").exists():
        raise ImportRejected(
            [Problem(path.name, None, None, "het .dbf-bestand naast de .shp ontbreekt")]
        )
    _check_json_text(path)
    try:
        meta, _fids, geometry, field_data = pyogrio.raw.read(path)
    except Exception as exc:  # GDAL raises many kinds; all mean: not a readable layer
        raise ImportRejected(
            [Problem(path.name, None, None, f"onleesbare geodata: {exc}")]
        ) from exc
    crs = _crs_name(meta.get("crs"), path.name)
    names = list(meta["fields"])
    rows = [
        {name: _plain(field_data[j][i]) for j, name in enumerate(names)}
        for i in range(len(geometry))
    ]
    geoms = []
    for i, blob in enumerate(geometry):
        if blob is None:
            raise ImportRejected([Problem(path.name, i + 2, "geometry", "geometrie ontbreekt")])
        with warnings.catch_warnings():  # NaN coordinates are reported by _finite
            warnings.simplefilter("ignore", RuntimeWarning)
            geom = wkb.loads(bytes(blob))
        geoms.append(_finite(geom, path.name, i + 2, "geometry"))
    return rows, geoms, crs


def _check_json_text(path: Path) -> None:
    if path.suffix.lower() not in (".geojson", ".json"):
        return
    from veiligheidskaart.sources.parsing import read_text

    text = read_text(path)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            [Problem(path.name, exc.lineno, None, f"ongeldige JSON: {exc.msg}")]
        ) from exc


def _read_wkt_csv(
    path: Path, options: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[BaseGeometry], str]:
    frame = read_table(path, [])
    column = next((c for c in frame.columns if c.lower() in ("geometry", "geometrie", "wkt")), None)
    if column is None:
        raise ImportRejected(
            [Problem(path.name, 1, "geometry", "kolom met WKT-geometrie ontbreekt")]
        )
    geoms = []
    for row, text in frame[column].items():
        try:
            geoms.append(_finite(wkt.loads(text), path.name, int(row), column))
        except shapely.errors.GEOSException as exc:
            raise ImportRejected(
                [
                    Problem(
                        path.name, int(row), column, f"ongeldige WKT: {str(exc).split(': ', 1)[-1]}"
                    )
                ]
            ) from exc
    rows = frame.drop(columns=[column]).to_dict("records")
    return rows, geoms, str(options.get("crs") or WGS84)


def _geos_reason(exc: Exception) -> str:
    return str(exc).split(": ", 1)[-1]  # drop the GEOS class name


def _finite(geom: BaseGeometry, file: str, row: int, column: str) -> BaseGeometry:
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        raise ImportRejected(
            [Problem(file, row, column, "coördinaten zijn geen getal (NaN of oneindig)")]
        )
    return geom


def _bounds_text(bounds: tuple[float, ...], crs: str) -> str:
    digits = 0 if crs == RD else 4
    return ", ".join(f"{float(v):.{digits}f}" for v in bounds)


def _crs_name(crs: str | None, file: str) -> str:
    if not crs:
        return WGS84  # RFC 7946: GeoJSON without crs is WGS84
    from pyproj import CRS

    epsg = CRS.from_user_input(crs).to_epsg()
    if epsg not in (28992, 4326):
        raise ImportRejected(
            [Problem(file, None, None, f"coördinaatstelsel {crs} wordt niet ondersteund")]
        )
    return f"EPSG:{epsg}"


def _check_crs_range(geoms: list[BaseGeometry], crs: str, file: str) -> None:
    bounds = tuple(shapely.total_bounds(geoms))
    box = RD_BOUNDS if crs == RD else NL_WGS84_BOUNDS
    if crs == WGS84 and not within(bounds, (-180.0, -90.0, 180.0, 90.0)):
        hint = " (RD-coördinaten zonder crs-aanduiding?)" if within(bounds, RD_BOUNDS) else ""
        raise ImportRejected(
            [Problem(file, None, "geometry", f"coördinaten buiten bereik voor {crs}{hint}")]
        )
    if not within(bounds, box):
        raise ImportRejected(
            [
                Problem(
                    file,
                    None,
                    "geometry",
                    f"coördinaten liggen buiten Nederland ({crs}, "
                    f"grenzen {_bounds_text(bounds, crs)})",
                )
            ]
        )


def _resolve_fields(columns: Any, file: str) -> dict[str, str]:
    lower = {c.lower(): c for c in columns}
    attrs = {key: lower[c] for key, cands in FIELDS.items() for c in cands if c in lower}
    if not {"buurtcode", "wijkcode", "gemeentecode", "focusgebiedcode"} & attrs.keys():
        raise ImportRejected(
            [Problem(file, 1, "buurtcode", "geen kolom met buurt-, wijk- of gemeentecode")]
        )
    return attrs


def _level(attrs: dict[str, str]) -> str:
    for level in ("focusgebied", "buurt", "wijk"):
        if f"{level}code" in attrs:
            return level
    return "gemeente"


def _meta(attrs: dict[str, str], options: dict[str, Any]) -> Meta:
    """CBS boundaries are open; a municipality's focus areas are its own, internal by default."""
    if "focusgebiedcode" in attrs:
        classification = options.get("classificatie") or "intern"
        if classification not in CLASSIFICATIONS:
            raise ImportRejected([Problem("", None, "classificatie",
                                          f"onbekende classificatie '{classification}'; kies uit "
                                          f"{', '.join(CLASSIFICATIONS)}")])  # fmt: skip
        return Meta("gemeente", "focusgebieden", classification=classification)
    return Meta("CBS/PDOK", "wijkenbuurtkaart", licence="CC BY 4.0 (CBS)")


def _get(row: dict[str, Any], attrs: dict[str, str], key: str) -> str:
    value = row.get(attrs.get(key, ""), "")
    return "" if value is None else str(value).strip()


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _record(
    row: dict[str, Any],
    attrs: dict[str, str],
    level: str,
    geom: BaseGeometry,
    rownum: int,
    file: str,
    parsed: Parsed,
) -> AreaRecord:
    code_key = f"{level}code"
    code = _get(row, attrs, code_key)
    if geom.geom_type not in POLYGONAL:
        raise ImportRejected(
            [
                Problem(
                    file,
                    rownum,
                    "geometry",
                    f"{geom.geom_type} is geen vlak; een gebiedenbestand heeft polygonen",
                )
            ]
        )
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        geom = shapely.make_valid(geom)
        geom = shapely.union_all([g for g in shapely.get_parts(geom) if g.geom_type in POLYGONAL])
        if geom.is_empty or not geom.is_valid:
            raise ImportRejected(
                [
                    Problem(
                        file,
                        rownum,
                        "geometry",
                        f"ongeldige geometrie, niet te herstellen: {reason}",
                    )
                ]
            )
        parsed.warnings.append(f"{file}, rij {rownum} ({code}): geometrie hersteld ({reason})")
        parsed.note("geometrieën hersteld")
    gemeente = _get(row, attrs, "gemeentecode") or (
        "GM" + code[2:6] if level != "gemeente" else code
    )
    parent = {"buurt": _get(row, attrs, "wijkcode") or None, "wijk": gemeente,
              "gemeente": "NL00", "focusgebied": gemeente}[level]  # fmt: skip
    name = _get(row, attrs, f"{level}naam")
    water = _get(row, attrs, "water").upper() in ("JA", "TRUE", "1", "J")
    parent_name = _get(row, attrs, "wijknaam") if level == "buurt" else ""
    return AreaRecord(
        code,
        name or code,
        level,
        gemeente,
        parent,
        shapely.to_wkb(geom),
        water,
        parent_name,
        _get(row, attrs, "gemeentenaam"),
    )


def _derived_parents(records: list[AreaRecord], level: str, parsed: Parsed) -> list[AreaRecord]:
    """Wijken and the gemeente as unions of the buurten, when their own layers are absent."""
    derived: list[AreaRecord] = []
    if level == "buurt":
        derived += _unions(records, key=lambda r: r.parent_code or "", level="wijk")
    if level in ("buurt", "wijk"):
        derived += _unions(records, key=lambda r: r.gemeente_code, level="gemeente")
    parsed.note("wijken en gemeenten afgeleid", len(derived))
    return derived


def _unions(records: list[AreaRecord], key: Any, level: str) -> list[AreaRecord]:
    groups: dict[str, list[AreaRecord]] = {}
    for rec in records:
        if key(rec):
            groups.setdefault(key(rec), []).append(rec)
    out = []
    for code, members in sorted(groups.items()):
        geom = shapely.union_all([wkb.loads(m.wkb) for m in members if m.wkb], grid_size=0.01)
        first = members[0]
        parent = first.gemeente_code if level == "wijk" else "NL00"
        name = first.parent_name if level == "wijk" else first.gemeente_name
        out.append(
            AreaRecord(
                code,
                name or code,
                level,
                first.gemeente_code,
                parent,
                shapely.to_wkb(geom),
                gemeente_name=first.gemeente_name,
            )
        )
    return out


def _vintage(
    rows: list[dict[str, Any]], attrs: dict[str, str], options: dict[str, Any], parsed: Parsed
) -> int | None:
    if "jaar" in attrs and rows:
        text = _get(rows[0], attrs, "jaar")[:4]
        if text.isdigit():
            return int(text)
    if options.get("jaar"):
        return int(options["jaar"])
    parsed.warnings.append("indelingsjaar onbekend: geef --jaar op")
    return None
