"""Demostad's focusgebieden: two areas the policy names, drawn around the centre's hot spots.

They carry point data only (meldingen), are the municipality's own and internal, and come as a
GeoJSON in RD New with ``focusgebiedcode``/``focusgebiednaam``, imported as kind ``areas``.
"""

from __future__ import annotations

from pathlib import Path

from shapely.geometry import MultiPolygon, Polygon

from .model import BOUNDARY_VINTAGE, GEMEENTE_CODE, ROL_KERN, ROL_STATION, City
from .reference import RD_NEW, rd_geometry
from .writer import write_feature_collection

# (number, name, role of the buurt it is drawn around, radius in metres)
FOCUS_AREAS = (
    (1, "Uitgaansgebied Oude Markt", ROL_KERN, 450.0),
    (2, "Stationsomgeving", ROL_STATION, 600.0),
)


def focus_code(number: int) -> str:
    return f"FG{GEMEENTE_CODE[2:]}{number:02d}"


def write_focusgebieden(path: Path, city: City) -> None:
    features: list[dict[str, object]] = []
    for number, name, rol, radius in FOCUS_AREAS:
        buurt = city.buurt_by_rol(rol)[0]
        centre = buurt.geometry.representative_point()
        shape = centre.buffer(radius, quad_segs=8).intersection(city.outline)
        geometry = shape if isinstance(shape, Polygon | MultiPolygon) else Polygon()
        properties = {"focusgebiedcode": focus_code(number), "focusgebiednaam": name,
                      "gemeentecode": GEMEENTE_CODE, "jaar": BOUNDARY_VINTAGE}  # fmt: skip
        features.append({"type": "Feature", "properties": properties,
                         "geometry": rd_geometry(geometry)})  # fmt: skip
    write_feature_collection(path, features, crs=RD_NEW)
