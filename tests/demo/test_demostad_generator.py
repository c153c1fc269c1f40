"""Tests of the Demostad generator: formats, sums, planted signals, determinism.

Pure: no database. Demostad is generated once per module (about 1-2 s per run).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from veiligheidskaart.catalogue.codes import OVERLAST, SOORT_MISDRIJF, YEARLY_GEMEENTE_ONLY
from veiligheidskaart.demo.generator import DEFAULT_SEED, generate_demostad
from veiligheidskaart.demo.generator.geometry import build_outline
from veiligheidskaart.demo.generator.layout import build_city

SEED = DEFAULT_SEED
GM = "GM9999"
YEARS = range(2019, 2025)
MEASURE_PREFIXES = (
    "AantalInwoners",
    "HuishoudensTotaal",
    "Woningvoorraad",
    "BedrijfsvestigingenTotaal",
    "OppervlakteLand",
)
SUPPRESSED = (".", "-99997")


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demostad")
    generate_demostad(path, seed=SEED)
    return path


@pytest.fixture(scope="module")
def buurten(out: Path) -> dict[str, dict[str, Any]]:
    """buurtcode -> properties plus the shapely geometry under "geometry"."""
    collection = json.loads((out / "gebieden/demostad_buurten_2024.geojson").read_text("utf-8"))
    assert collection["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::28992"
    result: dict[str, dict[str, Any]] = {}
    for feature in collection["features"]:
        props = dict(feature["properties"])
        props["geometry"] = shape(feature["geometry"])
        result[props["buurtcode"]] = props
    return result


@pytest.fixture(scope="module")
def wijk_of(buurten: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {code: str(props["wijkcode"]) for code, props in buurten.items()}


@pytest.fixture(scope="module")
def kwb(out: Path) -> dict[int, pd.DataFrame]:
    return {
        year: pd.read_csv(out / f"bevolking/kwb_{year}.csv", sep=";", dtype=str) for year in YEARS
    }


@pytest.fixture(scope="module")
def crime(out: Path) -> pd.DataFrame:
    return _police(
        out / "misdrijven/47022NED_demostad.csv", "SoortMisdrijf", "GeregistreerdeMisdrijven_1"
    )


@pytest.fixture(scope="module")
def overlast(out: Path) -> pd.DataFrame:
    return _police(out / "overlast/47024NED_demostad.csv", "Overlast", "GeregistreerdeOverlast_1")


@pytest.fixture(scope="module")
def signals(out: Path) -> list[dict[str, Any]]:
    return list(json.loads((out / "geplante_signalen.json").read_text("utf-8")))


def _police(path: Path, dimension: str, measure: str) -> pd.DataFrame:
    raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    assert list(raw.columns) == ["ID", dimension, "WijkenEnBuurten", "Perioden", measure]
    frame = pd.DataFrame(
        {
            "id": raw["ID"].astype(int),
            "raw_code": raw[dimension],
            "raw_area": raw["WijkenEnBuurten"],
            "code": raw[dimension].str.strip(),
            "area": raw["WijkenEnBuurten"].str.strip(),
            "period": raw["Perioden"],
            "secret": raw[measure] == ".",
        }
    )
    frame["value"] = pd.to_numeric(raw[measure].where(~frame["secret"], "0")).astype(int)
    frame["year"] = frame["period"].str[:4].astype(int)
    frame["is_year"] = frame["period"].str[4:6] == "JJ"
    return frame


def _kwb_column(frame: pd.DataFrame, prefix: str) -> str:
    matches = [str(c) for c in frame.columns if str(c).startswith(prefix + "_")]
    assert len(matches) == 1, (prefix, list(frame.columns))
    return matches[0]


def _level(area: pd.Series) -> pd.Series:
    return area.str[:2]


# --- geometry ---------------------------------------------------------------------------------


def test_buurten_tile_the_outline_exactly(buurten: dict[str, dict[str, Any]]) -> None:
    geoms = [props["geometry"] for props in buurten.values()]
    assert len(geoms) >= 60
    assert all(g.is_valid and g.geom_type in ("Polygon", "MultiPolygon") for g in geoms)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    overlaps = [
        shapely.intersection(geoms[i], geoms[j]).area
        for i, j in zip(left, right, strict=True)
        if i < j
    ]
    assert max(overlaps) < 1.0
    union = shapely.union_all(geoms)
    total = sum(g.area for g in geoms)
    assert union.geom_type == "Polygon" and not list(union.interiors)
    assert abs(union.area - total) < 1.0
    assert abs(union.area - build_city(SEED).outline.area) < 1.0
    # Snapping to the 0.01 m grid barely changes the drawn outline.
    assert abs(union.area - build_outline(SEED).area) / union.area < 1e-6
    assert 120e6 <= union.area <= 160e6


def test_wijken_and_stadsdelen_are_connected_groups(
    out: Path, buurten: dict[str, dict[str, Any]]
) -> None:
    wijken: dict[str, list[str]] = {}
    for code, props in buurten.items():
        assert code.startswith(f"BU9999{str(props['wijkcode'])[6:8]}") and len(code) == 10
        assert props["gemeentecode"] == GM and props["water"] == "NEE" and props["jaar"] == 2024
        wijken.setdefault(str(props["wijkcode"]), []).append(code)
    assert len(wijken) >= 12
    for wijk, codes in wijken.items():
        assert _connected(codes, buurten), wijk
    stadsdelen = pd.read_csv(out / "gebieden/demostad_stadsdelen.csv", sep=";", dtype=str)
    assert list(stadsdelen.columns) == ["gebiedscode", "stadsdeel"]
    assert set(stadsdelen["gebiedscode"]) == set(wijken)
    assert stadsdelen["stadsdeel"].nunique() >= 4 and "Centrum" in set(stadsdelen["stadsdeel"])


def _shares_edge(a: BaseGeometry, b: BaseGeometry) -> bool:
    return bool(shapely.length(shapely.intersection(a.boundary, b.boundary)) > 1.0)


def _connected(codes: list[str], buurten: dict[str, dict[str, Any]]) -> bool:
    seen = {codes[0]}
    stack = [codes[0]]
    while stack:
        current = stack.pop()
        for other in codes:
            if other not in seen and _shares_edge(
                buurten[current]["geometry"], buurten[other]["geometry"]
            ):
                seen.add(other)
                stack.append(other)
    return seen == set(codes)


# --- population -------------------------------------------------------------------------------


def test_population_sums_per_year(kwb: dict[int, pd.DataFrame], wijk_of: dict[str, str]) -> None:
    suffixes = set()
    for year, frame in kwb.items():
        assert frame["WijkenEnBuurten"].str.len().eq(10).all()
        assert frame["Codering_3"].str.len().eq(10).all()
        assert frame["Gemeentenaam_1"].str.len().eq(40).all()
        assert set(frame["SoortRegio_2"]) == {"Gemeente  ", "Wijk      ", "Buurt     "}
        columns = [_kwb_column(frame, p) for p in MEASURE_PREFIXES]
        suffixes.add(tuple(columns))
        area = frame["WijkenEnBuurten"].str.strip()
        buurt = frame[area.str.startswith("BU")].assign(wijk=area.map(wijk_of))
        wijk = frame[area.str.startswith("WK")].set_index(area[area.str.startswith("WK")])
        gemeente = frame[area == GM].iloc[0]
        for column in columns:
            values = pd.to_numeric(buurt[column].where(~buurt[column].isin(SUPPRESSED)))
            sums = values.groupby(buurt["wijk"]).sum()
            hidden = buurt[column].isin(SUPPRESSED).groupby(buurt["wijk"]).any()
            published = wijk[column].astype(int)
            for code, total in published.items():
                # Suppressed buurt cells still count in the wijk total, so only "at least".
                assert total >= sums[code] if hidden[code] else total == sums[code], (
                    year,
                    column,
                    code,
                )
            assert int(gemeente[column]) == published.sum(), (year, column)
        assert int(gemeente[columns[0]]) > 150_000
    assert len(suffixes) == len(kwb)  # CBS renumbers the columns every year


def test_suppressed_cells_and_special_buurten(
    kwb: dict[int, pd.DataFrame], buurten: dict[str, dict[str, Any]], out: Path
) -> None:
    frame = kwb[2024]
    area = frame["WijkenEnBuurten"].str.strip()
    rows = frame[area.str.startswith("BU")].set_index(area[area.str.startswith("BU")])
    households = rows[_kwb_column(frame, "HuishoudensTotaal")]
    assert (households == ".").any() and (households == "-99997").any()
    inwoners = {year: _inwoners(kwb[year]) for year in YEARS}
    small = [code for code in rows.index if all(inwoners[y][code] < 200 for y in YEARS)]
    assert len(small) >= 3
    names = {code: str(props["buurtnaam"]) for code, props in buurten.items()}
    bedrijven = [code for code, naam in names.items() if naam.startswith("Bedrijventerrein")]
    assert len(bedrijven) == 1
    businesses = rows[_kwb_column(frame, "BedrijfsvestigingenTotaal")].astype(int)
    assert inwoners[2024][bedrijven[0]] <= 10
    assert businesses[bedrijven[0]] >= 4 * businesses.median()
    kern = next(code for code, naam in names.items() if naam == "Oude Markt")
    stadsdelen = pd.read_csv(out / "gebieden/demostad_stadsdelen.csv", sep=";", dtype=str)
    centrum = set(stadsdelen.loc[stadsdelen["stadsdeel"] == "Centrum", "gebiedscode"])
    assert buurten[kern]["wijkcode"] in centrum
    assert 700 <= inwoners[2024][kern] <= 1_100
    assert businesses[kern] >= 3 * businesses.median()


def _inwoners(frame: pd.DataFrame) -> dict[str, int]:
    column = _kwb_column(frame, "AantalInwoners")
    return dict(zip(frame["WijkenEnBuurten"].str.strip(), frame[column].astype(int), strict=True))


def test_centrum_buurt_has_a_lot_of_crime(
    crime: pd.DataFrame, kwb: dict[int, pd.DataFrame], buurten: dict[str, dict[str, Any]]
) -> None:
    kern = next(code for code, props in buurten.items() if props["buurtnaam"] == "Oude Markt")
    totals = crime[
        (crime["period"] == "2024JJ00")
        & (crime["code"] == "0.0.0")
        & crime["area"].str.startswith("BU")
    ]
    by_area = totals.set_index("area")["value"]
    assert by_area[kern] == by_area.max()
    inwoners = _inwoners(kwb[2024])
    gemeente_rate = (
        1000
        * crime.query("period == '2024JJ00' and code == '0.0.0' and area == @GM")["value"].iloc[0]
        / inwoners[GM]
    )
    assert 1000 * by_area[kern] / inwoners[kern] > 5 * gemeente_rate
    assert 45 <= gemeente_rate <= 65


# --- crime and nuisance tables ----------------------------------------------------------------


def _check_layout(frame: pd.DataFrame, codes: set[str]) -> None:
    assert frame["id"].is_monotonic_increasing and frame["id"].is_unique
    assert frame["raw_code"].str.len().eq(6).all()
    assert frame["raw_area"].str.len().eq(10).all()
    months = {f"{y}MM{m:02d}" for y in range(2019, 2025) for m in range(1, 13)} | {
        "2025MM01",
        "2025MM02",
    }
    assert set(frame["period"]) == months | {f"{y}JJ00" for y in YEARS}
    assert set(frame["code"]) == codes


def _check_months_add_up(frame: pd.DataFrame) -> None:
    months = frame[~frame["is_year"] & (frame["year"] <= 2024)]
    summed = months.groupby(["area", "code", "year"])["value"].sum()
    years = frame[frame["is_year"]].set_index(["area", "code", "year"])
    summed = summed.reindex(years.index)
    # Hidden codes have year rows only; secret cells have no number.
    check = years[~years["secret"] & summed.notna().to_numpy()]
    assert len(check) > 0.9 * len(years)
    assert (check["value"] == summed[check.index]).all()
    assert months.groupby(["area", "code", "year"]).size().eq(12).all()


def _wijk_sums(frame: pd.DataFrame, wijk_of: dict[str, str]) -> pd.DataFrame:
    buurt = frame[_level(frame["area"]) == "BU"].assign(wijk=lambda f: f["area"].map(wijk_of))
    grouped = buurt.groupby(["wijk", "code", "period"]).agg(
        total=("value", "sum"), secret=("secret", "any")
    )
    wijk = frame[_level(frame["area"]) == "WK"].set_index(["area", "code", "period"])["value"]
    grouped["published"] = wijk.reindex(grouped.index).to_numpy()
    return grouped


def test_crime_table_structure_and_sums(crime: pd.DataFrame, wijk_of: dict[str, str]) -> None:
    codes = {c.code for c in SOORT_MISDRIJF}
    _check_layout(crime, codes)
    _check_months_add_up(crime)
    hidden = crime[crime["code"].isin(YEARLY_GEMEENTE_ONLY)]
    assert len(hidden) == len(YEARLY_GEMEENTE_ONLY) * len(YEARS)
    assert (hidden["area"] == GM).all() and hidden["is_year"].all()
    # Every other code is published for every area and period.
    published = crime[~crime["code"].isin(YEARLY_GEMEENTE_ONLY)]
    assert published.groupby(["area", "code"]).size().eq(80).all()
    # Types do not add up to the total below the gemeente: sex offences are hidden there.
    types = published[published["code"] != "0.0.0"].groupby(["area", "period"])["value"].sum()
    total = published[published["code"] == "0.0.0"].set_index(["area", "period"])["value"]
    assert (total >= types.reindex(total.index)).all()
    assert (total > types.reindex(total.index)).any()
    sums = _wijk_sums(published, wijk_of)
    exact = sums[~sums["secret"]]
    assert (exact["published"] == exact["total"]).all()
    assert (sums["published"] >= sums["total"]).all()
    assert sums["secret"].any()
    # Gemeente = wijken + unplaced crime (about 3% of each type).
    wijken = published[_level(published["area"]) == "WK"].groupby(["code", "period"])["value"].sum()
    gemeente = published[published["area"] == GM].set_index(["code", "period"])["value"]
    assert (gemeente >= wijken.reindex(gemeente.index)).all()
    year_total = gemeente.xs("0.0.0", level="code")
    unplaced = (year_total - wijken.xs("0.0.0", level="code"))[[f"{y}JJ00" for y in YEARS]]
    share = unplaced / year_total[[f"{y}JJ00" for y in YEARS]]
    assert share.between(0.01, 0.06).all()


def test_secret_cells_only_in_small_buurten(
    crime: pd.DataFrame, kwb: dict[int, pd.DataFrame]
) -> None:
    secret = crime[crime["secret"]]
    assert len(secret) > 0
    inwoners = _inwoners(kwb[2024])
    assert all(inwoners[area] < 200 for area in secret["area"].unique())
    assert len(secret["area"].unique()) == 3
    assert secret.groupby(["area", "code"]).size().eq(80).all()  # all months and years


def test_overlast_table_structure_and_sums(overlast: pd.DataFrame, wijk_of: dict[str, str]) -> None:
    _check_layout(overlast, {c.code for c in OVERLAST})
    _check_months_add_up(overlast)
    assert overlast.groupby(["area", "code"]).size().eq(80).all()
    types = overlast[overlast["code"] != "0.0.0"].groupby(["area", "period"])["value"].sum()
    total = overlast[overlast["code"] == "0.0.0"].set_index(["area", "period"])["value"]
    assert (total == types.reindex(total.index)).all()
    sums = _wijk_sums(overlast, wijk_of)
    assert (sums["published"] == sums["total"]).all()
    wijken = overlast[_level(overlast["area"]) == "WK"].groupby(["code", "period"])["value"].sum()
    gemeente = overlast[overlast["area"] == GM].set_index(["code", "period"])["value"]
    assert (gemeente == wijken.reindex(gemeente.index)).all()


def test_counts_are_overdispersed(
    crime: pd.DataFrame, signals: list[dict[str, Any]], kwb: dict[int, pd.DataFrame]
) -> None:
    """Pooled Pearson dispersion of frequent, non-seasonal types in 2022-2024 across null
    buurten: about 1 under Poisson, clearly above 1 under the gamma-Poisson model."""
    planted = {code for s in signals if s["soort"] != "breuk" for code in s["gebieden"]}
    inwoners = _inwoners(kwb[2024])
    null = [a for a, n in inwoners.items() if a.startswith("BU") and n >= 200 and a not in planted]
    window = crime[
        crime["area"].isin(null)
        & crime["code"].isin(["3.9.1", "1.6.2", "1.3.1", "2.2.1"])
        & ~crime["is_year"]
        & crime["year"].between(2022, 2024)
    ]
    assert len(null) >= 40
    dispersion = _dispersion(window.groupby(["area", "code"])["value"])
    means = window.groupby(["area", "code"])["value"].mean()
    rng = np.random.default_rng(0)
    poisson = pd.DataFrame(
        [(key, v) for key, mu in means.items() for v in rng.poisson(mu, 36)],
        columns=["key", "value"],
    )
    reference = _dispersion(poisson.groupby("key")["value"])
    assert reference < 1.08 < dispersion


def _dispersion(groups: pd.core.groupby.SeriesGroupBy) -> float:
    values = groups.obj
    mean = groups.transform("mean")
    n = groups.transform("count")
    return float(((values - mean) ** 2).sum() / (mean * (n - 1) / n).sum())


# --- planted signals --------------------------------------------------------------------------


def test_planted_signals_are_readable_data(
    signals: list[dict[str, Any]], crime: pd.DataFrame, overlast: pd.DataFrame, out: Path
) -> None:
    keys = {"naam", "bron", "codes", "gebieden", "van", "tot", "effect", "soort", "beschrijving"}
    codelist = pd.read_csv(out / "gebieden/codelijst_demostad.csv", dtype=str)
    areas = set(codelist["Key"].str.strip())
    tables = {"47022NED": set(crime["code"]), "47024NED": set(overlast["code"])}
    assert {s["soort"] for s in signals} == {"niveau", "trend", "stabiel", "breuk"}
    for signal in signals:
        assert keys <= set(signal)
        assert set(signal["codes"]) <= tables[str(signal["bron"])]
        assert set(signal["gebieden"]) <= areas
        assert set(signal["gebieden"]) <= set(crime["area"])
        assert datetime.strptime(str(signal["van"]), "%Y-%m") <= datetime.strptime(
            str(signal["tot"]), "%Y-%m"
        )
        assert isinstance(signal["effect"], float)


def test_hotspot_is_adjacent_and_visible(
    signals: list[dict[str, Any]], crime: pd.DataFrame, buurten: dict[str, dict[str, Any]]
) -> None:
    hotspot = next(s for s in signals if s["soort"] == "niveau")
    cluster = list(hotspot["gebieden"])
    assert 4 <= len(cluster) <= 5 and all(c.startswith("BU") for c in cluster)
    assert _connected(cluster, buurten)
    yearly = crime[(crime["code"] == "1.1.1") & crime["is_year"] & (_level(crime["area"]) == "BU")]
    per_year = (
        yearly.assign(hot=yearly["area"].isin(cluster)).groupby(["hot", "year"])["value"].sum()
    )
    hot_ratio = per_year[(True, 2024)] / per_year[(True, 2023)]
    rest_ratio = per_year[(False, 2024)] / per_year[(False, 2023)]
    assert hot_ratio > 2.0 and rest_ratio < 1.3


def test_trend_and_stable_signals_are_visible(
    signals: list[dict[str, Any]],
    crime: pd.DataFrame,
    overlast: pd.DataFrame,
    buurten: dict[str, dict[str, Any]],
    wijk_of: dict[str, str],
    out: Path,
) -> None:
    trend = next(s for s in signals if s["soort"] == "trend")
    wijk = trend["gebieden"][0]
    e35 = overlast[
        (overlast["code"] == "E35") & overlast["is_year"] & (_level(overlast["area"]) == "WK")
    ]
    inside = e35[e35["area"] == wijk].set_index("year")["value"]
    outside = e35[e35["area"] != wijk].groupby("year")["value"].sum()
    # Planted: x1.15 a year, so the last two years are ~1.8 times the first two.
    assert (inside[2023] + inside[2024]) / (inside[2019] + inside[2020]) > 1.35
    assert (outside[2023] + outside[2024]) / (outside[2019] + outside[2020]) < 1.15
    stable = next(s for s in signals if s["soort"] == "stabiel")
    station = stable["gebieden"][0]
    kern = next(a for a, p in buurten.items() if p["buurtnaam"] == "Oude Markt")
    stadsdelen = pd.read_csv(out / "gebieden/demostad_stadsdelen.csv", sep=";", dtype=str)
    centrum_wijken = set(stadsdelen.loc[stadsdelen["stadsdeel"] == "Centrum", "gebiedscode"])
    others = [a for a, w in wijk_of.items() if w in centrum_wijken and a not in (kern, station)]
    street = crime[crime["code"].isin(["1.2.3", "1.2.4"]) & (crime["period"] == "2023JJ00")]
    per_buurt = street.groupby("area")["value"].sum()
    assert per_buurt[station] > 2.5 * per_buurt[others].mean()
    covid = crime[(crime["code"] == "1.2.4") & (crime["area"] == GM) & crime["is_year"]].set_index(
        "year"
    )["value"]
    assert covid[2021] < 0.7 * covid[2019]


# --- determinism ------------------------------------------------------------------------------


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_counts(out: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_demostad(again, seed=SEED)
    assert _hashes(again) == _hashes(out)
    other = tmp_path / "other"
    generate_demostad(other, seed=SEED + 1)
    first = (out / "misdrijven/47022NED_demostad.csv").read_bytes()
    assert (other / "misdrijven/47022NED_demostad.csv").read_bytes() != first
    assert b"\r\n" not in first


# --- meldingen, records, survey, peers --------------------------------------------------------


def test_meldingen_are_points_inside_demostad(
    out: Path, buurten: dict[str, dict[str, Any]]
) -> None:
    collection = json.loads((out / "meldingen/signalen_demostad.geojson").read_text("utf-8"))
    assert "crs" not in collection
    features = collection["features"]
    assert len(features) >= 3_000
    lon = np.array([f["geometry"]["coordinates"][0] for f in features])
    lat = np.array([f["geometry"]["coordinates"][1] for f in features])
    assert ((lon > 3.2) & (lon < 7.3) & (lat > 50.7) & (lat < 53.6)).all()
    assert np.allclose(lon, np.round(lon, 6)) and np.allclose(lat, np.round(lat, 6))
    to_rd = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
    x, y = to_rd.transform(lon, lat)
    outline = shapely.union_all([props["geometry"] for props in buurten.values()])
    assert shapely.contains_xy(outline, x, y).all()
    ids = [f["properties"]["id"] for f in features]
    assert len(set(ids)) == len(ids) and all(i.startswith("SIG-") for i in ids)
    created = [f["properties"]["created_at"] for f in features]
    assert all(c.endswith("+00:00") for c in created)
    assert min(created) >= "2023-01-01" and max(created) < "2025-03-15"
    keys = [
        json.dumps([f["geometry"], f["properties"]["category"], f["properties"]["created_at"]])
        for f in features
    ]
    assert len(keys) - len(set(keys)) >= 10
    parents = {f["properties"]["category"]["parent"]["name"] for f in features}
    assert {"Overlast van en door personen of groepen", "Afval"} <= parents


def test_records_are_cp1252_with_a_mapping(out: Path, buurten: dict[str, dict[str, Any]]) -> None:
    data = (out / "eigen/woonoverlast_demostad.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    lines = data.decode("cp1252").splitlines()
    mapping = tomllib.loads((out / "eigen/woonoverlast_mapping.toml").read_text("utf-8"))
    assert mapping["bestand"] == {"encoding": "cp1252", "scheidingsteken": ";"}
    columns = mapping["kolommen"]
    header = lines[0].split(";")
    assert {columns[k] for k in ("datum", "buurtcode", "categorie", "sleutel")} <= set(header)
    rows = [dict(zip(header, line.split(";"), strict=True)) for line in lines[1:]]
    assert 400 <= len(rows) <= 800
    for row in rows:
        moment = datetime.strptime(row[columns["datum"]], columns["datumformaat"])
        assert 2021 <= moment.year <= 2024
        assert row[columns["buurtcode"]] in buurten
        assert mapping["categorieen"][row[columns["categorie"]]] == "woonoverlast"
    assert any("–" in row["Status"] for row in rows)
    assert any(
        row["Datum melding"].count("-") == 2 and len(row["Datum melding"]) < 10 for row in rows
    )


def test_survey_and_panel(out: Path, buurten: dict[str, dict[str, Any]]) -> None:
    monitor = pd.read_csv(out / "veiligheidsmonitor/85146NED_demostad.csv", sep=";", dtype=str)
    assert len(monitor) == 18 and set(monitor["Marges"]) == {"MW00000", "MOG0095", "MBG0095"}
    value = monitor.query("Marges == 'MW00000' and RegioS == 'GM9999    '")
    onveilig = value["VoeltZichWeleensOnveiligInBuurt_50"].astype(float).tolist()
    assert onveilig[0] > onveilig[-1] and 15 <= onveilig[-1] <= 19
    panel = pd.read_csv(
        out / "veiligheidsmonitor/wijkpanel_demostad.csv", sep=";", dtype={"waarde": str}
    )
    assert set(panel["vraag"]) == {"onveilig_in_buurt", "rapportcijfer_veiligheid"}
    assert set(panel["wijkcode"]) == {str(p["wijkcode"]) for p in buurten.values()}
    assert panel["waarde"].str.contains(r"^\d+\.\d$").all()
    small_share = (panel["n"] < 50).groupby(panel["wijkcode"]).mean()
    assert (small_share > 0.5).sum() >= 2
    assert (
        panel.loc[~panel["wijkcode"].isin(small_share[small_share > 0.5].index), "n"]
        .between(80, 300)
        .all()
    )


def test_peer_table_is_a_statline_export(out: Path) -> None:
    raw = (out / "misdrijven/83648NED_demostad_peers.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(
        out / "misdrijven/83648NED_demostad_peers.csv", sep=";", encoding="utf-8-sig", dtype=str
    )
    count, _, rate = frame.columns[3:]
    population = pd.read_csv(out / "misdrijven/83648NED_peers_bevolking.csv", sep=";")
    assert frame["Regio's"].nunique() == 17 and {"Nederland", "Demostad"} <= set(frame["Regio's"])
    assert set(frame["Perioden"]) == {str(y) for y in range(2015, 2025)}
    totals = frame[frame["Soort misdrijf"] == "Misdrijven, totaal"].merge(
        population,
        left_on=["Regio's", "Perioden"],
        right_on=["naam", population["jaar"].astype(str)],
    )
    counts = totals[count].astype(int)
    rates = totals[rate].str.replace(",", ".").astype(float)
    assert (counts % 5 == 0).all()
    assert np.all(
        np.abs(rates - 1000 * counts / totals["inwoners"]) <= 0.05 + 2500 / totals["inwoners"]
    )
    peers = totals[totals["code"].str.startswith("GM99") & (totals["code"] != GM)]
    assert peers["naam"].nunique() == 15
    assert (
        peers["inwoners"].between(100_000, 350_000).all()
        and rates[peers.index].between(35, 90).all()
    )


def test_codelist_and_manifest(out: Path, buurten: dict[str, dict[str, Any]]) -> None:
    codelist = pd.read_csv(
        out / "gebieden/codelijst_demostad.csv", dtype=str, keep_default_na=False
    )
    assert list(codelist.columns) == [
        "Key",
        "Title",
        "Description",
        "Municipality",
        "DetailRegionCode",
    ]
    assert codelist["Key"].str.len().eq(10).all()
    keys = set(codelist["Key"].str.strip())
    assert {"NL00", GM, *buurten, *(str(p["wijkcode"]) for p in buurten.values())} <= keys
    assert sum(k.startswith("GM99") and k != GM for k in keys) == 15
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert (
        manifest["gemeente"] == GM
        and manifest["peildatum"] == "2025-03-15"
        and manifest["seed"] == SEED
    )
    kinds = [entry["soort"] for entry in manifest["bestanden"]]
    expected = [
        "codelist",
        "areas",
        "stadsdelen",
        "areas",  # focusgebieden
        *["population"] * 6,
        "crime",
        "crime",
        "overlast",
    ]
    assert kinds == [*expected, "survey", "panel", "meldingen", "records"]
    for entry in manifest["bestanden"]:
        assert (out / entry["pad"]).is_file(), entry
    assert (out / manifest["geplante_signalen"]).is_file()
    assert (out / manifest["bestanden"][-1]["opties"]["mapping"]).is_file()
    tables = json.loads((out / "bevolking/tabellen.json").read_text("utf-8"))
    assert tables["2024"] == "85984NED" and len(tables) == 6


def test_focusgebieden_are_internal_polygons_inside_the_city(out: Path) -> None:
    import shapely
    from shapely.geometry import shape

    data = json.loads((out / "gebieden/demostad_focusgebieden.geojson").read_text("utf-8"))
    codes = [f["properties"]["focusgebiedcode"] for f in data["features"]]
    assert codes == ["FG999901", "FG999902"]
    outline = shapely.union_all(
        [shape(f["geometry"]) for f in json.loads(
            (out / "gebieden/demostad_buurten_2024.geojson").read_text("utf-8"))["features"]]
    )  # fmt: skip
    for feature in data["features"]:
        geom = shape(feature["geometry"])
        assert geom.is_valid and 0.3e6 < geom.area < 1.5e6
        assert outline.buffer(1).contains(geom)
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    entry = next(e for e in manifest["bestanden"] if e["pad"].endswith("focusgebieden.geojson"))
    assert entry["opties"]["classificatie"] == "intern"
