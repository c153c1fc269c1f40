"""Point data: Signalen meldingen and the municipality's own registrations (records).

Exact duplicates (same time, place and category) are stored once and counted.
"""

from __future__ import annotations

import json
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from veiligheidskaart.areas.geometry import NL_WGS84_BOUNDS, RD, RD_BOUNDS, WGS84, transformer
from veiligheidskaart.sources.parsers.common import BUURT_CODE, gemeente_of
from veiligheidskaart.sources.parsing import (
    EVENT_COLUMNS,
    EXCEL_SUFFIXES,
    ImportRejected,
    Meta,
    Parsed,
    Problem,
    read_excel_table,
    read_table,
    read_text,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def parse_meldingen(path: Path, options: dict[str, Any]) -> Parsed:
    """Signalen GeoJSON, Open311 GeoReport v2 JSON, a scraper-style JSON list, or a CSV
    (Signalen export, neighbourhood-watch app) through a ``--mapping`` as for records."""
    if path.suffix.lower() in (".csv", *EXCEL_SUFFIXES):
        return parse_records(path, options, default_classification="intern")
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            [Problem(path.name, exc.lineno, None, f"ongeldige JSON: {exc.msg}")]
        ) from exc
    items = data.get("features") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise ImportRejected([Problem(path.name, None, None, "geen meldingen gevonden")])
    parsed = Parsed(
        Meta(
            options.get("uitgever") or "Signalen",
            options.get("tabel") or "meldingen",
            classification="intern",
        )
    )
    rows = [_melding(item, i + 1, path.name, parsed) for i, item in enumerate(items)]
    frame = pd.DataFrame([r for r in rows if r is not None])
    if frame.empty:
        raise ImportRejected(
            parsed.problems or [Problem(path.name, None, None, "geen geldige meldingen")]
        )
    lon, lat = frame.pop("lon").to_numpy(float), frame.pop("lat").to_numpy(float)
    _check_envelope(lon, lat, frame["row"].to_numpy(), WGS84, path.name, "coordinates", parsed)
    frame["x_rd"], frame["y_rd"] = transformer(WGS84, RD).transform(lon, lat)
    parsed.events = _dedupe(frame, parsed)
    _event_meta(parsed)
    return parsed


def _melding(item: Any, index: int, file: str, parsed: Parsed) -> dict[str, Any] | None:
    props = item.get("properties", item) if isinstance(item, dict) else None
    if props is None:
        parsed.problems.append(Problem(file, index, None, "melding is geen object"))
        return None
    geometry = item.get("geometry") or {}
    lon_key = next((k for k in ("lng", "long", "lon") if k in props), "lng")
    coords = geometry.get("coordinates") if geometry else [props.get(lon_key), props.get("lat")]
    if geometry and geometry.get("type") != "Point":
        parsed.problems.append(Problem(file, index, "geometry", "melding is geen punt"))
        return None
    category = _category(props)
    try:
        created = props.get("created_at") or props["requested_datetime"]  # Open311 GeoReport v2
        when = datetime.fromisoformat(str(created).replace("Z", "+00:00"))
        lon, lat = float(coords[0]), float(coords[1])
    except (KeyError, TypeError, ValueError, IndexError):
        parsed.problems.append(
            Problem(
                file,
                index,
                "created_at/coordinates",
                "tijdstip of coördinaten ontbreken of zijn ongeldig",
            )
        )
        return None
    if when.tzinfo is None:
        parsed.problems.append(Problem(file, index, "created_at", "tijdstip zonder tijdzone"))
        return None
    return {
        "category": category,
        "indicator_code": "",
        "occurred_at": when,
        "lon": lon,
        "lat": lat,
        "area_code": None,
        "source_key": str(props.get("id") or props.get("service_request_id") or "")[:64],
        "row": index,
    }


def _category(props: dict[str, Any]) -> str:
    if "service_code" in props:  # Open311 GeoReport v2
        return str(props.get("service_name") or props["service_code"])
    cat = props.get("category")
    if isinstance(cat, dict):
        parent = (cat.get("parent") or {}).get("name", "")
        return f"{parent} / {cat.get('name', '')}".strip(" /")
    sub = props.get("subcategory")
    return f"{cat} / {sub}" if sub else str(cat or "onbekend")


def parse_records(
    path: Path, options: dict[str, Any], default_classification: str = "vertrouwelijk"
) -> Parsed:
    """A municipal CSV through a TOML mapping that names the columns and the categories."""
    mapping = _mapping(path, options)
    files, cols = mapping.get("bestand", {}), mapping.get("kolommen", {})
    _check_mapping(cols, Path(str(options["mapping"])).name)
    required = [v for k, v in cols.items() if k != "datumformaat"]
    date_format = cols.get("datumformaat", "%d-%m-%Y")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        frame = read_excel_table(path, required, date_format)
    else:
        frame = read_table(path, required, encoding=files.get("encoding", "utf-8"),
                           separator=files.get("scheidingsteken"))  # fmt: skip
    ds = mapping.get("dataset", {})
    parsed = Parsed(
        Meta(
            ds.get("uitgever", "gemeente"),
            ds.get("tabel", path.stem),
            classification=ds.get("classificatie", default_classification),
        )
    )
    when = _local_times(frame[cols["datum"]], date_format, path.name, cols["datum"], parsed)
    categories = frame[cols["categorie"]].str.strip()
    indicator = categories.map(mapping.get("categorieen", {})).astype(object).fillna("")
    parsed.note("categorieën zonder indicator", int((indicator == "").sum()))
    out = pd.DataFrame(
        {
            "category": categories,
            "indicator_code": indicator,
            "occurred_at": when,
            "x_rd": np.nan,
            "y_rd": np.nan,
            "area_code": None,
            "source_key": frame[cols["sleutel"]].str.strip() if "sleutel" in cols else "",
            "row": frame.index,
        },
        index=frame.index,
    )
    _locations(frame, cols, out, path.name, parsed)
    parsed.events = _dedupe(out[out["occurred_at"].notna()], parsed, by_key="sleutel" in cols)
    _event_meta(parsed)
    return parsed


LOCATION_KEYS = (("buurtcode",), ("x", "y"), ("lon", "lat"))


def _check_mapping(cols: dict[str, str], mapping_name: str) -> None:
    """The mapping names a date, a category and one kind of location."""
    missing = [key for key in ("datum", "categorie") if key not in cols]
    if not any(all(k in cols for k in keys) for keys in LOCATION_KEYS):
        missing.append("buurtcode, x+y (RD) of lon+lat (WGS84)")
    if missing:
        raise ImportRejected([Problem(mapping_name, None, "[kolommen]",
                                      f"mapping noemt geen {', '.join(missing)}")])  # fmt: skip


def _mapping(path: Path, options: dict[str, Any]) -> dict[str, Any]:
    mapping_path = options.get("mapping")
    if not mapping_path:
        raise ImportRejected(
            [Problem(path.name, None, None, "geef met --mapping het TOML-bestand op")]
        )
    try:
        return tomllib.loads(Path(mapping_path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ImportRejected(
            [Problem(Path(mapping_path).name, None, None, f"mapping onleesbaar: {exc}")]
        ) from exc


def _local_times(series: pd.Series, fmt: str, file: str, column: str, parsed: Parsed) -> pd.Series:
    """Local Dutch times → aware datetimes; ambiguous DST times take the first occurrence."""
    out = []
    for row, text in series.items():
        try:
            naive = datetime.strptime(text.strip(), fmt)
        except ValueError:
            parsed.problems.append(
                Problem(file, int(row), column, f"datum '{text}' past niet bij {fmt}")
            )
            out.append(None)
            continue
        aware = naive.replace(tzinfo=AMSTERDAM, fold=0)
        if aware.utcoffset() != naive.replace(tzinfo=AMSTERDAM, fold=1).utcoffset():
            parsed.note("dubbelzinnige tijden (zomertijdwissel) als eerste gelezen")
        out.append(aware)
    return pd.Series(out, index=series.index, dtype=object)


def _locations(
    frame: pd.DataFrame, cols: dict[str, str], out: pd.DataFrame, file: str, parsed: Parsed
) -> None:
    if "buurtcode" in cols:
        codes = frame[cols["buurtcode"]].str.strip()
        bad = ~codes.str.match(BUURT_CODE)
        for row in codes.index[bad][:1000]:
            parsed.problems.append(
                Problem(file, int(row), cols["buurtcode"], f"geen buurtcode: '{codes[row]}'")
            )
        out["area_code"] = codes.where(~bad)
        parsed.area_column = cols["buurtcode"]
        return
    crs = RD if "x" in cols else WGS84
    xcol, ycol = (cols["x"], cols["y"]) if crs == RD else (cols["lon"], cols["lat"])
    x = pd.to_numeric(frame[xcol].str.replace(",", ".", regex=False), errors="coerce")
    y = pd.to_numeric(frame[ycol].str.replace(",", ".", regex=False), errors="coerce")
    parsed.note("zonder locatie", int((x.isna() | y.isna()).sum()))
    ok = x.notna() & y.notna()
    _check_envelope(x[ok].to_numpy(), y[ok].to_numpy(), x.index[ok].to_numpy(), crs, file,
                    xcol, parsed)  # fmt: skip
    if crs == WGS84:
        x, y = transformer(WGS84, RD).transform(x.to_numpy(), y.to_numpy())
    out["x_rd"], out["y_rd"] = x, y


def _check_envelope(x: np.ndarray, y: np.ndarray, rows: np.ndarray, crs: str, file: str,
                    column: str, parsed: Parsed) -> None:  # fmt: skip
    """One problem per point outside the Netherlands (the first 1000)."""
    box = NL_WGS84_BOUNDS if crs == WGS84 else RD_BOUNDS
    outside = (x < box[0]) | (y < box[1]) | (x > box[2]) | (y > box[3])
    for row, px, py in list(zip(rows[outside], x[outside], y[outside], strict=True))[:1000]:
        reason = f"punt ({px:g}, {py:g}) ligt buiten Nederland ({crs})"
        parsed.problems.append(Problem(file, int(row), column, reason))


def _dedupe(frame: pd.DataFrame, parsed: Parsed, by_key: bool = False) -> pd.DataFrame:
    """Same time, place and category is one event; with ``by_key`` the case number counts too."""
    key = ["occurred_at", "x_rd", "y_rd", "area_code", "category"] + (
        ["source_key"] if by_key else []
    )
    counts = frame.groupby(key, dropna=False, sort=False)["row"].transform("size")
    frame = frame.assign(duplicates=counts - 1)
    unique = frame[~frame.duplicated(key, keep="first")]
    parsed.note("exacte dubbelen (één keer opgeslagen)", len(frame) - len(unique))
    return unique[EVENT_COLUMNS + ["duplicates"]]


def _event_meta(parsed: Parsed) -> None:
    events = parsed.events
    assert events is not None
    if len(events):
        parsed.meta.period_start = min(events["occurred_at"]).date()
        parsed.meta.period_end = max(events["occurred_at"]).date()
    codes = events["area_code"].dropna()
    parsed.meta.area_scope = ",".join(sorted({gemeente_of(c) for c in codes})) if len(codes) else ""
