"""The pure parsers on small hand-made files: every problem names file, row and column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from veiligheidskaart.sources.parsers.police import parse_crime, parse_overlast
from veiligheidskaart.sources.parsers.population import parse_population
from veiligheidskaart.sources.parsing import ImportRejected

HEADER = '"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"\n'


def write(tmp_path: Path, text: str, name: str = "47022NED.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_crime_keys_are_stripped_and_symbols_read(tmp_path):
    path = write(
        tmp_path,
        HEADER + '0;"1.1.1 ";"BU01530000";"2024MM01";3\n'
        '1;"1.1.1 ";"BU01530000";"2024JJ00";.\n'
        '2;"2.6.10";"GM0153    ";"2025MM02";7\n',
    )
    parsed = parse_crime(path, {"gepubliceerd": "2025-03-15"})
    obs = parsed.observations
    assert not parsed.problems
    assert list(obs["source_code"]) == ["1.1.1", "1.1.1", "2.6.10"]
    assert list(obs["area_code"]) == ["BU01530000", "BU01530000", "GM0153"]
    assert list(obs["granularity"]) == ["month", "year", "month"]
    assert list(obs["status"]) == ["final", "secret", "incomplete"]
    assert obs["value"].isna().tolist() == [False, True, False]
    assert parsed.meta.table_id == "47022NED"
    assert parsed.meta.area_scope == "GM0153"


def test_crime_problems_list_every_bad_row(tmp_path):
    path = write(
        tmp_path,
        HEADER + '0;"1.1.1 ";"BU01530000";"2024MM01";-3\n'
        '1;"1.1.1 ";"BU01530000";"2024MM13";4\n'
        '2;"1.1.1 ";"BU01530000";"2024MM02";veel\n'
        '3;"1.1.1 ";"XX12";"2024MM03";1\n',
    )
    problems = parse_crime(path, {}).problems
    text = "\n".join(sorted(p.line() for p in problems))
    assert len(problems) == 4
    assert "rij 2, kolom 'GeregistreerdeMisdrijven_1': negatief aantal" in text
    assert "rij 3, kolom 'Perioden': onbekende periodecode '2024MM13'" in text
    assert "rij 4, kolom 'GeregistreerdeMisdrijven_1': geen getal: 'veel'" in text
    assert "rij 5, kolom 'WijkenEnBuurten'" in text


def test_duplicate_key_with_other_value_is_a_problem_but_exact_duplicate_is_not(tmp_path):
    rows = '0;"1.1.1 ";"BU01530000";"2024MM01";3\n1;"1.1.1 ";"BU01530000";"2024MM01";3\n'
    assert not parse_crime(write(tmp_path, HEADER + rows), {}).problems
    rows += '2;"1.1.1 ";"BU01530000";"2024MM01";4\n'
    problems = parse_crime(write(tmp_path, HEADER + rows, "b.csv"), {}).problems
    assert [p.row for p in problems] == [4] and "dubbele sleutel" in problems[0].reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "leeg"),
        (HEADER, "geen gegevensrijen"),
        ("<!DOCTYPE html><html><body>502</body></html>", "HTML-pagina"),
        (HEADER.replace(';"Perioden"', ""), "kolom ontbreekt"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(tmp_path, content, reason):
    with pytest.raises(ImportRejected, match=reason):
        parse_crime(write(tmp_path, content), {})


def test_comma_separated_download_is_read_too(tmp_path):
    text = HEADER.replace(";", ",") + '0,"1.1.1 ","BU01530000","2024MM01",3\n'
    parsed = parse_crime(write(tmp_path, text), {})
    assert not parsed.problems and parsed.observations["value"].tolist() == [3.0]


def test_wrong_separator_is_named(tmp_path):
    with pytest.raises(ImportRejected) as caught:
        parse_crime(write(tmp_path, HEADER.replace(";", "|") + "0|x|y|z|1\n"), {})
    assert "ander scheidingsteken" in str(caught.value)


def test_cp1252_file_is_not_read_as_utf8(tmp_path):
    path = write(tmp_path, HEADER + '0;"1.1.1 ";"BU01530000";"2024MM01";3 – x\n', encoding="cp1252")
    with pytest.raises(ImportRejected, match="geen geldige utf-8"):
        parse_crime(path, {})


def test_overlast_uses_its_own_dimension(tmp_path):
    text = (
        '"ID";"Overlast";"WijkenEnBuurten";"Perioden";"GeregistreerdeOverlast_1"\n'
        '0;"E35   ";"WK015300  ";"2023JJ00";12\n'
    )
    parsed = parse_overlast(write(tmp_path, text, "47024NED.csv"), {})
    assert parsed.observations["source_code"].tolist() == ["E35"]
    assert parsed.meta.table_id == "47024NED"


def test_population_resolves_suffixes_and_suppression(tmp_path):
    text = (
        '"ID";"WijkenEnBuurten";"AantalInwoners_5";"HuishoudensTotaal_29";"Woningvoorraad_35"\n'
        '0;"BU01530000";1200;.;-99997\n1;"BU01530001";5;2;3\n'
    )
    parsed = parse_population(write(tmp_path, text, "kwb.csv"), {"jaar": 2024})
    frame = parsed.kerncijfers
    assert frame["inhabitants"].tolist() == [1200, 5]
    assert frame["households"].isna().tolist() == [True, False]
    assert frame["dwellings"].isna().tolist() == [True, False]
    assert parsed.meta.vintage == 2024 and parsed.meta.period_start == date(2024, 1, 1)
