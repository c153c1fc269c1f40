"""The malformed-input corpus: every bad file is rejected whole by the real CLI.

Each case gives exit code 2, one Dutch line on stderr starting with ``fout: `` that names
the file (and the row and column where that applies), and leaves the row count of every
data table unchanged. Two cases also run through a real ``python -m veiligheidskaart``.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import table_counts
from tests.malformed import builders as b
from veiligheidskaart.cli import main

pytestmark = pytest.mark.django_db

# leaked internals: exception class names, tracebacks, numpy reprs
LEAKED = re.compile(r"Traceback|\b\w*(Error|Exception)\b|\bnp\.\w+\(")


@dataclass(frozen=True)
class Case:
    kind: str
    build: b.Builder
    expect: tuple[str, ...]  # substrings of the `fout: ` line, besides the file name


def case(
    case_id: str, kind: str, build: b.Builder, *expect: str, xfail: str | None = None
) -> pytest.ParameterSet:
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(Case(kind, build, expect), id=case_id, marks=marks)


CASES = [
    # crime and overlast (CBS CSV download)
    case("crime-pijp-scheidingsteken", "crime", b.crime_pipe_separator,
         "rij 1", "kolom 'SoortMisdrijf'", "kolom ontbreekt", "ander scheidingsteken"),
    case("crime-utf16", "crime", b.crime_utf16, "UTF-16"),
    case("crime-kolom-ontbreekt", "crime", b.crime_missing_column,
         "rij 1", "kolom 'Perioden'", "kolom ontbreekt"),
    case("crime-geen-getal", "crime", b.crime_non_numeric,
         "rij 3", "kolom 'GeregistreerdeMisdrijven_1'", "geen getal: 'veel'"),
    case("crime-negatief-aantal", "crime", b.crime_negative,
         "rij 4", "kolom 'GeregistreerdeMisdrijven_1'", "negatief aantal"),
    case("crime-dubbele-sleutel", "crime", b.crime_duplicate_key,
         "rij 5", "kolom 'GeregistreerdeMisdrijven_1'", "dubbele sleutel", "rij 2"),
    case("crime-onbekende-periodecode", "crime", b.crime_bad_period,
         "rij 3", "kolom 'Perioden'", "onbekende periodecode '2023MM13'"),
    case("crime-onbekende-buurt-in-geladen-gemeente", "crime", b.crime_unknown_buurt,
         "rij 4", "'BU99990199'", "onbekend in een geladen gemeente"),
    case("crime-leeg-bestand", "crime", b.crime_empty, "leeg"),
    case("crime-alleen-kopregel", "crime", b.crime_header_only, "geen gegevensrijen"),
    case("crime-html-foutpagina-als-csv", "crime", b.crime_html_as_csv, "HTML-pagina"),
    case("crime-zip-als-csv", "crime", b.crime_zip_as_csv, "zip-archief"),
    case("overlast-misdrijvenbestand", "overlast", b.overlast_given_crime_file,
         "rij 1", "kolom 'Overlast'", "kolom ontbreekt"),
    # population (Kerncijfers wijken en buurten)
    case("population-cp1252-in-utf8-bestand", "population", b.population_cp1252,
         "rij 4", "geen geldige utf-8"),
    case("population-inwoners-geen-getal", "population", b.population_non_numeric_inhabitants,
         "rij 3", "kolom 'AantalInwoners_5'", "geen getal: 'circa 7600'"),
    case("population-onbekende-buurt-noemt-kolom", "population", b.population_unknown_buurt,
         "rij 5", "'BU99990199'", "kolom 'WijkenEnBuurten'"),
    # survey, panel, code lists
    case("survey-onbekende-marge", "survey", b.survey_unknown_marge,
         "rij 8", "kolom 'Marges'", "onbekende marge 'MOG0090'"),
    case("panel-onbekende-periodecode", "panel", b.panel_bad_period,
         "rij 3", "kolom 'periode'", "onbekende periodecode '2019-H3'"),
    case("stadsdelen-gemeentecode", "stadsdelen", b.stadsdelen_gemeente_code,
         "rij 3", "kolom 'gebiedscode'", "'GM9999' is geen wijk- of buurtcode"),
    case("codelist-misvormde-key", "codelist", b.codelist_malformed_key,
         "rij 8", "kolom 'Key'", "onbekende gebiedscode 'BU999901'"),
    # areas (wijk- en buurtkaart)
    case("areas-ring-met-drie-posities", "areas", b.areas_polygon_three_coordinates,
         "rij 3", "kolom 'geometry'", "niet te herstellen"),
    case("areas-nan-coordinaten", "areas", b.areas_nan_coordinates,
         "rij 3", "kolom 'geometry'"),
    case("areas-polygoon-zonder-oppervlak", "areas", b.areas_zero_area_polygon,
         "rij 3", "kolom 'geometry'", "niet te herstellen"),
    case("areas-punt-in-gebiedenbestand", "areas", b.areas_point_feature,
         "rij 3", "kolom 'geometry'", "Point is geen vlak"),
    case("areas-rd-zonder-crs", "areas", b.areas_rd_without_crs,
         "kolom 'geometry'", "RD-coördinaten zonder crs-aanduiding"),
    case("areas-rd-buiten-nederland", "areas", b.areas_rd_outside_nl,
         "kolom 'geometry'", "buiten Nederland (EPSG:28992"),
    case("areas-wgs84-buiten-nederland", "areas", b.areas_wgs84_outside_nl,
         "kolom 'geometry'", "buiten Nederland (EPSG:4326"),
    case("areas-webmercator-niet-ondersteund", "areas", b.areas_unsupported_crs,
         "EPSG:3857", "niet ondersteund"),
    case("areas-geen-features", "areas", b.areas_empty_collection, "geen gebieden"),
    case("areas-html-foutpagina-als-geojson", "areas", b.areas_html_as_geojson, "HTML-pagina"),
    case("areas-afgebroken-geojson", "areas", b.areas_truncated_geojson, "ongeldige JSON"),
    case("areas-shapefile-zonder-dbf", "areas", b.areas_shapefile_without_dbf,
         ".dbf", "ontbreekt"),
    case("areas-wkt-csv-afgebroken-wkt", "areas", b.areas_wkt_csv_broken,
         "rij 3", "kolom 'geometry'", "ongeldige WKT"),
    # meldingen (Signalen)
    case("meldingen-afgebroken-json", "meldingen", b.meldingen_truncated_json, "ongeldige JSON"),
    case("meldingen-punt-buiten-nederland", "meldingen", b.meldingen_point_outside_nl,
         "rij 3", "buiten Nederland"),
    case("meldingen-tijd-zonder-tijdzone", "meldingen", b.meldingen_without_timezone,
         "rij 2", "kolom 'created_at'", "zonder tijdzone"),
    case("meldingen-geen-features", "meldingen", b.meldingen_empty_collection,
         "geen meldingen"),
    case("meldingen-html-foutpagina-als-geojson", "meldingen", b.meldingen_html_as_geojson,
         "HTML-pagina"),
    # records (own sources through a TOML mapping)
    case("records-mapping-noemt-onbekende-kolom", "records", b.records_mapping_unknown_column,
         "rij 1", "kolom 'Meldingsdatum'", "kolom ontbreekt"),
    case("records-mapping-noemt-onbekende-locatiekolom", "records",
         b.records_mapping_unknown_location_column, "rij 1", "kolom 'Buurt'", "ontbreekt"),
    case("records-datum-past-niet-bij-formaat", "records", b.records_date_format_mismatch,
         "rij 3", "kolom 'Datum melding'", "'2021-01-18' past niet bij %d-%m-%Y"),
    case("records-tab-in-plaats-van-puntkomma", "records", b.records_tab_separator,
         "rij 1", "kolom 'Datum melding'", "kolom ontbreekt", "ander scheidingsteken"),
    case("records-xlsx-samengevoegde-kopcellen", "records", b.records_xlsx_merged_header,
         "rij 1", "samengevoegde kopcellen"),
]  # fmt: skip
SUBPROCESS_CASES = [
    p for p in CASES if p.id in ("crime-zip-als-csv", "crime-onbekende-periodecode")
]


@pytest.fixture(scope="module")
def demostad_files() -> Iterator[Path]:
    """A generated Demostad copy: the real-shaped files the broken variants derive from."""
    from veiligheidskaart.demo.generator import generate_demostad

    with tempfile.TemporaryDirectory(prefix="vk-malformed-") as folder:
        generate_demostad(Path(folder))
        yield Path(folder)


def assert_rejected(code: int, stderr: str, built: b.Built, expect: tuple[str, ...]) -> None:
    assert code == 2, f"exit {code}, verwacht 2; stderr:\n{stderr}"
    errors = [line for line in stderr.splitlines() if line.startswith("fout: ")]
    assert len(errors) == 1, f"verwacht precies één 'fout: '-regel; stderr:\n{stderr}"
    line = errors[0]
    stray = [
        text
        for text in stderr.splitlines()
        if text and not text.startswith(("fout: ", "  ", "[import "))
    ]
    assert not stray, f"de melding loopt over meer regels: {stray}"
    name = built.path.name
    assert name in line, f"de melding noemt het bestand {name} niet: {line}"
    missing = [text for text in expect if text not in line]
    assert not missing, f"ontbreekt in de melding: {missing}; melding: {line}"
    assert not LEAKED.search(line), f"interne details in de melding (foutklasse, numpy): {line}"


@pytest.mark.parametrize("bad", CASES)
def test_malformed_input_is_rejected_whole(
    bad: Case, tmp_path: Path, demostad_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    built = bad.build(tmp_path, demostad_files)
    before = table_counts()
    code = main(built.argv(bad.kind))
    stderr = capsys.readouterr().err
    assert_rejected(code, stderr, built, bad.expect)
    assert table_counts() == before


# ---------------------------------------------------------------- end to end, in a subprocess


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """A fresh SQLite installation in its own data dir, migrated by the real command."""
    data_dir = tmp_path_factory.mktemp("cli-subprocess")
    env = {k: v for k, v in os.environ.items() if k != "VK_DATABASE_URL"}
    env["VK_DATA_DIR"] = str(data_dir)
    subprocess.run(
        [sys.executable, "-m", "veiligheidskaart", "migrate"],
        env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return env, data_dir / "veiligheidskaart.sqlite3"


def sqlite_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.mark.parametrize("bad", SUBPROCESS_CASES)
def test_malformed_input_exits_2_through_a_real_process(
    bad: Case,
    tmp_path: Path,
    demostad_files: Path,
    installed: tuple[dict[str, str], Path],
) -> None:
    env, database = installed
    built = bad.build(tmp_path, demostad_files)
    before = sqlite_counts(database)
    assert before, "de installatie heeft geen tabellen"
    done = subprocess.run(
        [sys.executable, "-m", "veiligheidskaart", *built.argv(bad.kind)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert_rejected(done.returncode, done.stderr, built, bad.expect)
    assert done.stdout == ""
    assert sqlite_counts(database) == before
