"""Builders for the malformed-input corpus: each writes one bad file into a folder.

Every builder takes the folder to write into and a generated Demostad copy (real-shaped
files to derive broken variants from), and returns the file to import plus any extra CLI
options. Nothing binary is checked in: zip, UTF-16, shapefile and Excel files are made here.
"""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.helpers import CRIME_HEADER, write_buurten, write_crime

HTML_ERROR_PAGE = """<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>503 Service Unavailable</title></head>
<body><h1>Service tijdelijk niet beschikbaar</h1>
<p>Probeer het later opnieuw.</p></body>
</html>
"""
# Demostad keys that are loaded in the test database (gemeente GM9999)
GOOD_CRIME_ROWS = [
    ("1.1.1", "BU99990101", "2023JJ00", "4"),
    ("1.1.1", "BU99990102", "2023JJ00", "7"),
    ("1.2.3", "BU99990101", "2023JJ00", "12"),
]
RECORDS_FILE = "eigen/woonoverlast_demostad.csv"
RECORDS_MAPPING = "eigen/woonoverlast_mapping.toml"
RECORDS_ENCODING = "cp1252"


@dataclass(frozen=True)
class Built:
    """A file to import (the message must name it) and the extra CLI options."""

    path: Path
    options: tuple[str, ...] = ()

    def argv(self, kind: str) -> list[str]:
        return ["import", kind, str(self.path), *self.options]


Builder = Callable[[Path, Path], Built]


# ---------------------------------------------------------------- small helpers


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _crime(tmp: Path, name: str, rows: list[tuple[str, str, str, str]]) -> Built:
    return Built(write_crime(tmp / name, rows))


def _lines(path: Path, encoding: str = "utf-8") -> list[str]:
    return path.read_bytes().decode(encoding).split("\n")


def _replace_line(lines: list[str], row: int, old: str, new: str) -> list[str]:
    """Replace text in one spreadsheet row (the header is row 1); fail loudly if absent."""
    out = list(lines)
    assert old in out[row - 1], f"'{old}' niet in rij {row}: {out[row - 1]!r}"
    out[row - 1] = out[row - 1].replace(old, new, 1)
    return out


def _demo_buurten(demo: Path, count: int = 3) -> dict[str, Any]:
    """The first `count` buurten of the Demostad GeoJSON (RD New, with crs)."""
    text = (demo / "gebieden/demostad_buurten_2024.geojson").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    data["features"] = data["features"][:count]
    return data


def _demo_meldingen(demo: Path, count: int = 5) -> dict[str, Any]:
    text = (demo / "meldingen/signalen_demostad.geojson").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    data["features"] = data["features"][:count]
    return data


def _json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _records_mapping(demo: Path, tmp: Path, replace: dict[str, str] | None = None) -> Path:
    text = (demo / RECORDS_MAPPING).read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text, f"'{old}' niet in de mapping"
        text = text.replace(old, new)
    return _write(tmp / "mapping.toml", text)


def _records_rows(demo: Path, rows: int = 6) -> list[str]:
    """Header plus the first data rows of the Demostad own-source file (cp1252, ';')."""
    return _lines(demo / RECORDS_FILE, RECORDS_ENCODING)[: rows + 1]


# ---------------------------------------------------------------- crime and overlast


def crime_pipe_separator(tmp: Path, demo: Path) -> Built:
    path = write_crime(tmp / "47018NED_pijp.csv", GOOD_CRIME_ROWS)
    return Built(_write(path, path.read_text(encoding="utf-8").replace(";", "|")))


def crime_utf16(tmp: Path, demo: Path) -> Built:
    """Excel's "Unicode-tekst": UTF-16 with a byte-order mark."""
    path = write_crime(tmp / "47018NED_utf16.csv", GOOD_CRIME_ROWS)
    return Built(_write(path, path.read_text(encoding="utf-8"), encoding="utf-16"))


def crime_missing_column(tmp: Path, demo: Path) -> Built:
    body = [
        f'{i};"{c.ljust(6)}";"{a.ljust(10)}";{v}' for i, (c, a, _p, v) in enumerate(GOOD_CRIME_ROWS)
    ]
    header = CRIME_HEADER.replace(';"Perioden"', "")
    text = header + "\n".join(body) + "\n"
    return Built(_write(tmp / "47018NED_zonder_perioden.csv", text))


def crime_non_numeric(tmp: Path, demo: Path) -> Built:
    rows = [*GOOD_CRIME_ROWS[:1], ("1.1.1", "BU99990102", "2023JJ00", "veel"), *GOOD_CRIME_ROWS[2:]]
    return _crime(tmp, "47018NED_geen_getal.csv", rows)


def crime_negative(tmp: Path, demo: Path) -> Built:
    rows = [*GOOD_CRIME_ROWS[:2], ("1.2.3", "BU99990101", "2023JJ00", "-12")]
    return _crime(tmp, "47018NED_negatief.csv", rows)


def crime_duplicate_key(tmp: Path, demo: Path) -> Built:
    rows = [*GOOD_CRIME_ROWS, ("1.1.1", "BU99990101", "2023JJ00", "5")]
    return _crime(tmp, "47018NED_dubbel.csv", rows)


def crime_bad_period(tmp: Path, demo: Path) -> Built:
    rows = [*GOOD_CRIME_ROWS[:1], ("1.1.1", "BU99990102", "2023MM13", "7"), *GOOD_CRIME_ROWS[2:]]
    return _crime(tmp, "47022NED_periode.csv", rows)


def crime_unknown_buurt(tmp: Path, demo: Path) -> Built:
    """BU99990199 has the form of a Demostad code, but Demostad has no such buurt."""
    rows = [*GOOD_CRIME_ROWS[:2], ("1.2.3", "BU99990199", "2023JJ00", "12")]
    return _crime(tmp, "47018NED_onbekende_buurt.csv", rows)


def crime_empty(tmp: Path, demo: Path) -> Built:
    return Built(_write(tmp / "47018NED_leeg.csv", ""))


def crime_header_only(tmp: Path, demo: Path) -> Built:
    return Built(_write(tmp / "47018NED_alleen_kop.csv", CRIME_HEADER))


def crime_html_as_csv(tmp: Path, demo: Path) -> Built:
    return Built(_write(tmp / "47018NED_foutpagina.csv", HTML_ERROR_PAGE))


def crime_zip_as_csv(tmp: Path, demo: Path) -> Built:
    """The CBS bulk download is a zip; renamed to .csv without unpacking it."""
    inner = write_crime(tmp / "Observations.csv", GOOD_CRIME_ROWS)
    path = tmp / "47018NED.csv"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(inner, "Observations.csv")
    inner.unlink()
    return Built(path)


def overlast_given_crime_file(tmp: Path, demo: Path) -> Built:
    """A 47018NED download given to the overlast kind: the dimension column is absent."""
    return _crime(tmp, "47018NED_als_overlast.csv", GOOD_CRIME_ROWS)


# ---------------------------------------------------------------- population


def _kwb_lines(demo: Path, rows: int = 6) -> list[str]:
    return _lines(demo / "bevolking/kwb_2024.csv")[: rows + 1]


def population_cp1252(tmp: Path, demo: Path) -> Built:
    """A CBS file (declared UTF-8) re-saved in cp1252: row 4 holds a non-ASCII name."""
    lines = _replace_line(_kwb_lines(demo), 4, '"Demostad', '"Súdwest-Fryslân')
    path = _write(tmp / "kwb_2024_cp1252.csv", "\n".join(lines) + "\n", encoding="cp1252")
    return Built(path, ("--jaar", "2024"))


def population_non_numeric_inhabitants(tmp: Path, demo: Path) -> Built:
    lines = _kwb_lines(demo)
    cells = lines[2].split(";")  # row 3
    cells[5] = "circa 7600"  # AantalInwoners_5
    lines[2] = ";".join(cells)
    path = _write(tmp / "kwb_2024_inwoners.csv", "\n".join(lines) + "\n")
    return Built(path, ("--jaar", "2024"))


def population_unknown_buurt(tmp: Path, demo: Path) -> Built:
    lines = _replace_line(_kwb_lines(demo), 5, '"BU99990102"', '"BU99990199"')
    path = _write(tmp / "kwb_2024_onbekende_buurt.csv", "\n".join(lines) + "\n")
    return Built(path, ("--jaar", "2024"))


# ---------------------------------------------------------------- survey, panel, code lists


def survey_unknown_marge(tmp: Path, demo: Path) -> Built:
    lines = _lines(demo / "veiligheidsmonitor/85146NED_demostad.csv")
    lines = _replace_line(lines, 8, '"MOG0095"', '"MOG0090"')
    return Built(_write(tmp / "85146NED_marge.csv", "\n".join(lines)))


def panel_bad_period(tmp: Path, demo: Path) -> Built:
    lines = _lines(demo / "veiligheidsmonitor/wijkpanel_demostad.csv")[:9]
    lines = _replace_line(lines, 3, ";2019-H1;", ";2019-H3;")
    return Built(_write(tmp / "wijkpanel_periode.csv", "\n".join(lines) + "\n"))


def stadsdelen_gemeente_code(tmp: Path, demo: Path) -> Built:
    lines = _lines(demo / "gebieden/demostad_stadsdelen.csv")
    lines = _replace_line(lines, 3, "WK999902;", "GM9999;")
    return Built(_write(tmp / "stadsdelen_gemeentecode.csv", "\n".join(lines)))


def codelist_malformed_key(tmp: Path, demo: Path) -> Built:
    lines = _lines(demo / "gebieden/codelijst_demostad.csv")[:12]
    lines = _replace_line(lines, 8, '"BU99990102"', '"BU999901"')
    path = _write(tmp / "codelijst_sleutel.csv", "\n".join(lines) + "\n")
    return Built(path, ("--jaar", "2024"))


# ---------------------------------------------------------------- areas


def areas_polygon_three_coordinates(tmp: Path, demo: Path) -> Built:
    """A ring of 3 positions (closed triangle without area): GeoJSON needs at least 4."""
    data = _demo_buurten(demo)
    ring = data["features"][1]["geometry"]["coordinates"][0]
    data["features"][1]["geometry"]["coordinates"] = [[ring[0], ring[1], ring[0]]]
    return Built(_json(tmp / "buurten_drie_punten.geojson", data))


def areas_nan_coordinates(tmp: Path, demo: Path) -> Built:
    data = _demo_buurten(demo)
    ring = data["features"][1]["geometry"]["coordinates"][0]
    ring[2] = [math.nan, math.nan]
    return Built(_json(tmp / "buurten_nan.geojson", data))


def areas_zero_area_polygon(tmp: Path, demo: Path) -> Built:
    """All positions on one line: make_valid leaves no polygon, so it cannot be repaired."""
    data = _demo_buurten(demo)
    x, y = data["features"][1]["geometry"]["coordinates"][0][0]
    line = [[x, y], [x + 100, y + 100], [x + 200, y + 200], [x + 100, y + 100], [x, y]]
    data["features"][1]["geometry"]["coordinates"] = [line]
    return Built(_json(tmp / "buurten_zonder_oppervlak.geojson", data))


def areas_point_feature(tmp: Path, demo: Path) -> Built:
    data = _demo_buurten(demo)
    x, y = data["features"][1]["geometry"]["coordinates"][0][0]
    data["features"][1]["geometry"] = {"type": "Point", "coordinates": [x, y]}
    return Built(_json(tmp / "buurten_met_punt.geojson", data))


def areas_rd_without_crs(tmp: Path, demo: Path) -> Built:
    data = _demo_buurten(demo)
    del data["crs"]
    return Built(_json(tmp / "buurten_rd_zonder_crs.geojson", data))


def areas_rd_outside_nl(tmp: Path, demo: Path) -> Built:
    """RD New declared, but 40 km east of the envelope (x 340,000)."""
    return Built(write_buurten(tmp / "buurten_buiten_nl.geojson", origin=(340_000.0, 450_000.0)))


def areas_wgs84_outside_nl(tmp: Path, demo: Path) -> Built:
    """WGS84 (no crs) in Paris: outside the envelope of the Netherlands."""
    data = _demo_buurten(demo)
    del data["crs"]
    for i, feature in enumerate(data["features"]):
        x, y = 2.35 + 0.01 * i, 48.85
        square = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
        feature["geometry"] = {"type": "Polygon", "coordinates": [square]}
    return Built(_json(tmp / "buurten_parijs.geojson", data))


def areas_unsupported_crs(tmp: Path, demo: Path) -> Built:
    """Web Mercator (EPSG:3857) declared: neither RD New nor WGS84."""
    data = _demo_buurten(demo)
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    for i, feature in enumerate(data["features"]):
        x, y = 570_000.0 + 1000 * i, 6_820_000.0
        square = [[x, y], [x + 900, y], [x + 900, y + 900], [x, y + 900], [x, y]]
        feature["geometry"] = {"type": "Polygon", "coordinates": [square]}
    return Built(_json(tmp / "buurten_webmercator.geojson", data))


def areas_empty_collection(tmp: Path, demo: Path) -> Built:
    data = _demo_buurten(demo, count=0)
    return Built(_json(tmp / "buurten_zonder_features.geojson", data))


def areas_html_as_geojson(tmp: Path, demo: Path) -> Built:
    return Built(_write(tmp / "wijkenbuurten_2024.geojson", HTML_ERROR_PAGE))


def areas_truncated_geojson(tmp: Path, demo: Path) -> Built:
    text = (demo / "gebieden/demostad_buurten_2024.geojson").read_text(encoding="utf-8")
    return Built(_write(tmp / "buurten_afgebroken.geojson", text[: len(text) // 2]))


def areas_shapefile_without_dbf(tmp: Path, demo: Path) -> Built:
    """A valid shapefile written from the Demostad buurten, then its .dbf removed."""
    import pyogrio.raw

    source = demo / "gebieden/demostad_buurten_2024.geojson"
    meta, _fids, geometry, field_data = pyogrio.raw.read(source, max_features=5)
    # the shapefile-truncated attribute names, as CBS publishes them (10 characters at most)
    fields = [str(name)[:10] for name in meta["fields"]]
    path = tmp / "buurt_2024.shp"
    pyogrio.raw.write(
        path, geometry, field_data, fields, driver="ESRI Shapefile",
        geometry_type="Polygon", crs="EPSG:28992",
    )  # fmt: skip
    assert len(pyogrio.raw.read(path)[2]) == 5, "de shapefile zelf moet leesbaar zijn"
    path.with_suffix(".dbf").unlink()
    return Built(path)


def areas_wkt_csv_broken(tmp: Path, demo: Path) -> Built:
    text = (
        "buurtcode;buurtnaam;wijkcode;gemeentecode;geometry\n"
        "BU99990101;Vismarkt;WK999901;GM9999;POLYGON ((5.29 52.15, 5.30 52.15, 5.30 52.16, "
        "5.29 52.16, 5.29 52.15))\n"
        "BU99990102;Lakenhal;WK999901;GM9999;POLYGON ((5.31 52.15, 5.32 52.15, 5.32\n"
    )
    return Built(_write(tmp / "buurten_wkt.csv", text))


# ---------------------------------------------------------------- meldingen


def meldingen_truncated_json(tmp: Path, demo: Path) -> Built:
    text = json.dumps(_demo_meldingen(demo), indent=1)
    return Built(_write(tmp / "signalen_afgebroken.geojson", text[: len(text) * 2 // 3]))


def meldingen_point_outside_nl(tmp: Path, demo: Path) -> Built:
    """The third melding lies in Berlin (WGS84)."""
    data = _demo_meldingen(demo)
    data["features"][2]["geometry"]["coordinates"] = [13.405, 52.52]
    return Built(_json(tmp / "signalen_berlijn.geojson", data))


def meldingen_without_timezone(tmp: Path, demo: Path) -> Built:
    data = _demo_meldingen(demo)
    props = data["features"][1]["properties"]
    props["created_at"] = props["created_at"].replace("+00:00", "")
    return Built(_json(tmp / "signalen_zonder_tijdzone.geojson", data))


def meldingen_empty_collection(tmp: Path, demo: Path) -> Built:
    return Built(
        _json(tmp / "signalen_leeg.geojson", {"type": "FeatureCollection", "features": []})
    )


def meldingen_html_as_geojson(tmp: Path, demo: Path) -> Built:
    return Built(_write(tmp / "signalen.geojson", HTML_ERROR_PAGE))


# ---------------------------------------------------------------- records (own sources)


def _records(tmp: Path, demo: Path, name: str, lines: list[str], **mapping: str) -> Built:
    path = _write(tmp / name, "\n".join(lines) + "\n", encoding=RECORDS_ENCODING)
    return Built(path, ("--mapping", str(_records_mapping(demo, tmp, mapping))))


def records_mapping_unknown_column(tmp: Path, demo: Path) -> Built:
    """The mapping names a date column the file does not have."""
    replace = {'datum = "Datum melding"': 'datum = "Meldingsdatum"'}
    return _records(tmp, demo, "woonoverlast_kolom.csv", _records_rows(demo), **replace)


def records_mapping_unknown_location_column(tmp: Path, demo: Path) -> Built:
    """The mapping names a buurtcode column the file does not have."""
    replace = {'buurtcode = "Buurtcode"': 'buurtcode = "Buurt"'}
    return _records(tmp, demo, "woonoverlast_locatie.csv", _records_rows(demo), **replace)


def records_date_format_mismatch(tmp: Path, demo: Path) -> Built:
    """Row 3 has an ISO date where the mapping says %d-%m-%Y."""
    lines = _replace_line(_records_rows(demo), 3, ";18-1-2021;", ";2021-01-18;")
    return _records(tmp, demo, "woonoverlast_datum.csv", lines)


def records_tab_separator(tmp: Path, demo: Path) -> Built:
    """Re-saved as tab-separated, while the mapping declares ';'."""
    lines = [line.replace(";", "\t") for line in _records_rows(demo)]
    return _records(tmp, demo, "woonoverlast_tab.csv", lines)


def records_xlsx_merged_header(tmp: Path, demo: Path) -> Built:
    """An office Excel export: a merged group header above the real column names."""
    from openpyxl import Workbook

    rows = [line.split(";") for line in _records_rows(demo) if line]
    book = Workbook()
    sheet = book.active
    sheet.title = "Meldingen"
    sheet.append(["Melding", None, None, "Afhandeling", None])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("D1:E1")
    for cells in rows:
        sheet.append(cells)
    path = tmp / "woonoverlast.xlsx"
    book.save(path)
    mapping = _records_mapping(
        demo, tmp, {'encoding = "cp1252"\n': "", 'scheidingsteken = ";"\n': ""}
    )
    return Built(path, ("--mapping", str(mapping)))
