"""The analysis adapter on Demostad: planted signals found, runs recorded, ranking printed."""

from __future__ import annotations

import json

import pytest

from veiligheidskaart.cli import main
from veiligheidskaart.observations.models import AnalysisRun, AreaResult, PriorityEntry

pytestmark = pytest.mark.django_db
HOTSPOT = ["BU99991202", "BU99991301", "BU99991304", "BU99991306", "BU99991403"]


@pytest.fixture
def run():
    return AnalysisRun.objects.get(gemeente_code="GM9999", is_current=True)


def test_demo_run_records_seed_versions_and_families(run):
    assert run.year == 2024 and run.seed == 20250315
    assert {"numpy", "esda", "statsmodels"} <= set(run.versions)
    assert run.families and all({"indicator", "grootte", "weggelaten", "methode"} <= set(f)
                                for f in run.families)  # fmt: skip
    assert run.datasets


def test_planted_woninginbraak_hotspot_is_found(run):
    rows = AreaResult.objects.filter(run=run, indicator_code="woninginbraak", area__level="buurt")
    found = set(rows.filter(hotspot="hotspot").values_list("area__code", flat=True))
    recall = len(found & set(HOTSPOT)) / len(HOTSPOT)
    false_positives = len(found - set(HOTSPOT))
    print(f"woninginbraak-hotspot: recall {recall:.0%}, vals-positief {false_positives}")
    assert recall >= 0.6


def test_planted_jeugdoverlast_trend_is_found_in_its_wijk(run):
    rows = AreaResult.objects.filter(run=run, indicator_code="jeugdoverlast", area__level="wijk")
    planted = rows.get(area__code="WK999906")
    assert planted.trend_p < 0.001 and planted.trend_factor > 1.1
    others = [r for r in rows.exclude(area__code="WK999906") if r.trend_p is not None]
    false_positives = sum(r.trend_p < 0.05 for r in others)
    print(
        f"jeugdoverlast-trend: gevonden, vals-positief {false_positives} van {len(others)} wijken"
    )
    assert false_positives <= 2


def test_planted_station_level_is_found(run):
    row = AreaResult.objects.get(run=run, indicator_code="fietsdiefstal", area__code="BU99990202")
    assert row.ratio_lower > 2
    assert row.change_direction in ("noise", "not_tested")  # stable: no rise or fall


def test_no_significant_change_is_called_a_rise_or_fall(run):
    for row in AreaResult.objects.filter(run=run, change_direction__in=["rise", "fall"]):
        assert row.change_q is not None and row.change_q < 0.05


def test_priorities_json_is_ordered_with_reasons(capsys, run):
    assert main(["priorities", "--year", "2024", "--format", "json", "--top", "5"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    first = rows[0]
    assert {"area_code", "area_name", "theme_code", "theme_name", "score", "components",
            "top10_probability", "reasons"} <= set(first)  # fmt: skip
    assert "het gemiddelde van de rest van de gemeente" in first["reasons"][0]
    assert PriorityEntry.objects.filter(run=run).count() > 100


def test_activiteit_themes_are_not_scored_as_worse(run):
    assert AreaResult.objects.filter(run=run, indicator_code="rijden_onder_invloed").exists()
    entries = PriorityEntry.objects.filter(run=run, theme_code="rijden_onder_invloed")
    assert all(e.components["level"] is None and e.components["change"] is None for e in entries)
    direct = PriorityEntry.objects.filter(run=run, theme_code="woninginbraak")
    assert any(e.components["level"] is not None for e in direct)


def test_wijk_sub_indices_and_composite_are_stored(run):
    for code in ("index_objectief", "index_subjectief", "index_meldingen", "index_samengesteld"):
        rows = AreaResult.objects.filter(run=run, indicator_code=code)
        assert rows.count() == 14, code
        known = [row for row in rows if row.rate is not None]
        assert all(row.area.level == "wijk" for row in rows)
        assert all(0 < r.rate <= 200 and r.rate_lower <= r.rate <= r.rate_upper for r in known)
        # only the panel can be missing (wijken with n < 50 are suppressed); the rest is complete
        assert len(known) == 14 or code == "index_subjectief", code


def test_gemeente_row_shows_unplaced_share_and_ratio_to_the_country(tmp_path):
    from veiligheidskaart.observations.judge import run_analysis
    from veiligheidskaart.sources.services import import_dataset
    from veiligheidskaart.sources.writers import preferred_area

    population = tmp_path / "kwb_nl.csv"
    population.write_text('"ID";"WijkenEnBuurten";"AantalInwoners_5"\n0;"NL00      ";18000000\n',
                          encoding="utf-8")  # fmt: skip
    import_dataset("population", population, {"jaar": 2024, "tabel": "85984NED"})
    national = tmp_path / "47018NED_nl.csv"
    header = '"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"\n'
    national.write_text(header + '0;"0.0.0 ";"NL00      ";"2024JJ00";900000\n', encoding="utf-8")
    import_dataset("crime", national, {})
    gemeente = preferred_area("GM9999")
    run = run_analysis(gemeente, force=True)
    row = AreaResult.objects.get(run=run, area=gemeente, indicator_code="misdrijven_totaal")
    assert 0 < row.unplaced_share < 0.1
    expected = (row.count / row.denominator) / (900_000 / 18_000_000)
    assert row.national_ratio == pytest.approx(expected)


def test_public_ranking_uses_public_sources_only(run):
    public = PriorityEntry.objects.filter(run=run, public=True)
    internal = PriorityEntry.objects.filter(run=run, public=False)
    assert public.count() == internal.count() > 0
    assert all(e.components["perception"] is None and e.components["meldingen"] is None
               for e in public)  # fmt: skip
    assert any(e.components["perception"] is not None for e in internal)
    assert all("perception" in e.missing for e in public)
