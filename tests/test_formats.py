"""The other published layouts each importer reads, on small hand-made files."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from tests.helpers import square, write_buurten
from veiligheidskaart.areas.geometry import to_wgs84
from veiligheidskaart.areas.models import Area
from veiligheidskaart.observations.models import Event, Observation
from veiligheidskaart.sources.services import import_dataset

pytestmark = pytest.mark.django_db


def _inside_demostad(n: int) -> list[tuple[float, float]]:
    """WGS84 points inside the first n buurten of Demostad."""
    buurten = Area.objects.filter(gemeente_code="GM9999", level="buurt", centroid_x__isnull=False)
    points = [shapely.Point(b.centroid_x, b.centroid_y) for b in buurten.order_by("code")[:n]]
    return [(p.x, p.y) for p in (to_wgs84(p) for p in points)]


def test_odata_json_download_with_provisional_marker(tmp_path):
    def row(ident: int, buurt: str, value: int | None) -> dict[str, object]:
        return {"ID": ident, "SoortMisdrijf": "1.1.1 ", "WijkenEnBuurten": buurt,
                "Perioden": "2024JJ00", "GeregistreerdeMisdrijven_1": value}  # fmt: skip

    page = {"odata.metadata": "x", "value": [row(0, "BU99990101", 12), row(1, "BU99990102", None)]}
    path = tmp_path / "47018NED.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    result = import_dataset("crime", path, {})
    rows = Observation.objects.filter(dataset_id=result.dataset_id).order_by("area__code")
    assert [(r.value, r.status) for r in rows] == [(12.0, "final"), (None, "secret")]
    csv = tmp_path / "47018NED_voorlopig.csv"
    csv.write_text('"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"\n'
                   '0;"1.1.1 ";"BU99990101";"2024JJ00";15*\n', encoding="utf-8")  # fmt: skip
    starred = Observation.objects.get(dataset_id=import_dataset("crime", csv, {}).dataset_id)
    assert (starred.value, starred.status) == (15.0, "provisional")


def test_open311_georeport_requests_are_read_and_assigned(tmp_path):
    (lon1, lat1), (lon2, lat2) = _inside_demostad(2)
    first = {"service_request_id": "638344", "service_code": "jeugd",
             "service_name": "Jongerenoverlast", "requested_datetime": "2024-10-01T21:03:00+02:00",
             "lat": lat1, "long": lon1, "status": "open"}  # fmt: skip
    second = {"service_request_id": "638345", "service_code": "afval", "service_name": "Afval",
              "requested_datetime": "2024-10-02T08:00:00Z", "lat": lat2, "long": lon2,
              "status": "closed"}  # fmt: skip
    requests = [first, second]
    path = tmp_path / "requests.json"
    path.write_text(json.dumps(requests), encoding="utf-8")
    result = import_dataset("meldingen", path, {})
    events = Event.objects.filter(dataset_id=result.dataset_id).order_by("source_key")
    assert [e.category for e in events] == ["Jongerenoverlast", "Afval"]
    assert all(e.assignment == "point" and e.area.level == "buurt" for e in events)


def test_neighbourhood_watch_csv_through_a_mapping(tmp_path):
    ((lon, lat),) = _inside_demostad(1)
    path = tmp_path / "waaksamen.csv"
    path.write_text(f"Tijdstip;Categorie;Breedtegraad;Lengtegraad\n"
                    f"3-2-2024 22:15;voertuig;{lat};{lon}\n"
                    f"4-2-2024 1:40;persoon;{lat};{lon}\n", encoding="utf-8")  # fmt: skip
    mapping = tmp_path / "waaksamen.toml"
    mapping.write_text('[bestand]\nscheidingsteken = ";"\n[kolommen]\ndatum = "Tijdstip"\n'
                       'datumformaat = "%d-%m-%Y %H:%M"\ncategorie = "Categorie"\n'
                       'lat = "Breedtegraad"\nlon = "Lengtegraad"\n'
                       '[dataset]\nuitgever = "buurtpreventie-app"\ntabel = "waaksamen"\n',
                       encoding="utf-8")  # fmt: skip
    result = import_dataset("meldingen", path, {"mapping": str(mapping)})
    events = Event.objects.filter(dataset_id=result.dataset_id)
    assert sorted(events.values_list("category", flat=True)) == ["persoon", "voertuig"]
    assert events.first().dataset.classification == "intern"
    assert events.filter(assignment="point").count() == 2


def test_wijk_panel_through_a_mapping(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text("Wijk;Meting;Vraag;Percentage;Respondenten\n"
                    "WK999901;2024-H1;onveilig_in_buurt;21.5;140\n", encoding="utf-8")  # fmt: skip
    mapping = tmp_path / "panel.toml"
    mapping.write_text('[kolommen]\nwijkcode = "Wijk"\nperiode = "Meting"\nvraag = "Vraag"\n'
                       'waarde = "Percentage"\nn = "Respondenten"\n', encoding="utf-8")  # fmt: skip
    result = import_dataset("panel", path, {"mapping": str(mapping)})
    row = Observation.objects.get(dataset_id=result.dataset_id)
    assert (row.value, row.sample_size, row.granularity) == (21.5, 140, "half")


def test_geopackage_and_repaired_bowtie(tmp_path):
    import pyogrio.raw

    bowtie = shapely.Polygon([(200_000, 450_000), (200_500, 450_500), (200_500, 450_000),
                              (200_000, 450_500), (200_000, 450_000)])  # fmt: skip
    good = shapely.Polygon(square(201_000, 450_000)[0])
    path = tmp_path / "buurten.gpkg"
    pyogrio.raw.write(
        path, np.array([shapely.to_wkb(bowtie), shapely.to_wkb(good)], dtype=object),
        field_data=[np.array(["BU99800000", "BU99800001"]), np.array(["WK998000"] * 2),
                    np.array(["GM9980"] * 2)],
        fields=["buurtcode", "wijkcode", "gemeentecode"], crs="EPSG:28992",
        geometry_type="Polygon", driver="GPKG",
    )  # fmt: skip
    result = import_dataset("areas", path, {"jaar": 2024})
    assert result.notes["geometrieën hersteld"] == 1
    assert any("BU99800000" in w and "hersteld" in w for w in result.warnings)
    repaired = Area.objects.get(code="BU99800000").geometry()
    assert repaired.is_valid and repaired.area == pytest.approx(2 * 0.5 * 500 * 250, rel=1e-6)


def test_areas_geojson_without_crs_in_wgs84_is_reprojected(tmp_path):
    path = write_buurten(tmp_path / "rd.geojson", gemeente="GM9970")
    data = json.loads(path.read_text())
    for feature in data["features"]:
        ring = shapely.Polygon(feature["geometry"]["coordinates"][0])
        feature["geometry"] = shapely.geometry.mapping(to_wgs84(ring))
    del data["crs"]
    path.write_text(json.dumps(data), encoding="utf-8")
    import_dataset("areas", path, {})
    area = Area.objects.get(code="BU99700000").geometry()
    assert area.area == pytest.approx(500 * 500, rel=1e-4)
