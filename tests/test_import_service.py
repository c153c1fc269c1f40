"""The import write path: atomic, idempotent, versioned, with problems that name the row."""

from __future__ import annotations

import pytest

from tests.helpers import table_counts, write_buurten, write_crime
from veiligheidskaart.areas.models import Area, AreaShape
from veiligheidskaart.observations.models import Observation
from veiligheidskaart.sources.models import Dataset
from veiligheidskaart.sources.parsing import ImportRejected
from veiligheidskaart.sources.services import import_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def testdorp(tmp_path):
    import_dataset("areas", write_buurten(tmp_path / "buurten.geojson"), {})
    return tmp_path


def test_areas_import_derives_wijk_and_gemeente_with_map_copies(testdorp):
    buurten = Area.objects.filter(gemeente_code="GM9990", level="buurt")
    assert buurten.count() == 2
    wijk = Area.objects.get(code="WK999000")
    gemeente = Area.objects.get(code="GM9990")
    assert wijk.name == "Testwijk" and wijk.parent == gemeente
    assert {b.parent_id for b in buurten} == {wijk.pk}
    assert gemeente.geometry().area == pytest.approx(2 * 500 * 500, rel=1e-9)
    assert AreaShape.objects.filter(area__in=buurten).count() == 2 * 3
    assert buurten.first().vintage == 2024


def test_same_file_twice_changes_nothing(testdorp):
    path = write_crime(testdorp / "c.csv", [("1.1.1", "BU99900000", "2024JJ00", "4")])
    first = import_dataset("crime", path, {})
    before = table_counts()
    second = import_dataset("crime", path, {})
    assert first.changed and not second.changed
    assert second.dataset_id == first.dataset_id
    assert table_counts() == before


def test_corrected_file_becomes_a_new_version_and_keeps_history(testdorp):
    path = write_crime(testdorp / "c.csv", [("1.1.1", "BU99900000", "2024JJ00", "4")])
    first = import_dataset("crime", path, {})
    write_crime(path, [("1.1.1", "BU99900000", "2024JJ00", "5")])
    second = import_dataset("crime", path, {})
    old, new = Dataset.objects.get(pk=first.dataset_id), Dataset.objects.get(pk=second.dataset_id)
    assert (new.version, new.supersedes_id, new.is_current, old.is_current) == (
        2,
        old.pk,
        True,
        False,
    )
    assert Observation.objects.get(dataset=old).value == 4
    assert Observation.objects.get(dataset=new).value == 5


def test_unknown_code_in_loaded_gemeente_rejects_the_whole_file(testdorp):
    path = write_crime(
        testdorp / "c.csv",
        [("1.1.1", "BU99900000", "2024JJ00", "4"), ("1.1.1", "BU99900077", "2024JJ00", "2")],
    )
    before = table_counts()
    with pytest.raises(ImportRejected) as caught:
        import_dataset("crime", path, {})
    assert str(caught.value).startswith(
        "c.csv, rij 3, kolom 'WijkenEnBuurten': gebiedscode 'BU99900077'"
    )
    assert table_counts() == before


def test_skip_invalid_stores_valid_rows_and_reports_the_rest(testdorp):
    path = write_crime(
        testdorp / "c.csv",
        [("1.1.1", "BU99900000", "2024JJ00", "4"), ("1.1.1", "BU99900001", "2024JJ00", "-1")],
    )
    result = import_dataset("crime", path, {}, skip_invalid=True)
    assert result.rows == 1
    assert [p.row for p in result.rejected] == [3]


def test_rows_of_gemeenten_not_loaded_are_out_of_scope(testdorp):
    path = write_crime(
        testdorp / "c.csv",
        [("1.1.1", "BU99900000", "2024JJ00", "4"), ("1.1.1", "BU01530000", "2024JJ00", "9")],
    )
    result = import_dataset("crime", path, {})
    assert result.rows == 1
    assert result.notes["rijen buiten bereik (gemeente niet geladen)"] == 1


def test_rd_coordinates_without_crs_are_rejected_not_guessed(tmp_path):
    before = table_counts()
    with pytest.raises(ImportRejected, match="RD-coördinaten zonder crs"):
        import_dataset("areas", write_buurten(tmp_path / "b.geojson", crs=False), {})
    assert table_counts() == before


def test_coordinates_outside_the_netherlands_are_rejected(tmp_path):
    with pytest.raises(ImportRejected, match="buiten Nederland"):
        import_dataset(
            "areas", write_buurten(tmp_path / "b.geojson", origin=(350_000, 300_000)), {}
        )
