"""The meldingen services: validation, routing, duplicates, workflow, scope, retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from tests.helpers import table_counts
from tests.meldingen.conftest import point_in
from veiligheidskaart.meldingen import registry, services
from veiligheidskaart.meldingen.models import (
    Melding,
    PersonalDataAccess,
    Status,
    StatusChange,
)
from veiligheidskaart.meldingen.services import MeldingForbidden, MeldingInvalid
from veiligheidskaart.meldingen.signal import SERIES_KEY
from veiligheidskaart.observations.models import Event
from veiligheidskaart.observations.priorities import SAFETY_PREFIX

pytestmark = pytest.mark.django_db


def submit(**kw):  # type: ignore[no-untyped-def]
    lat, lon, _ = point_in("SD999901")
    args = {
        "category": "overlast_drugs",
        "description": "Dealen bij het speeltuintje",
        "lat": lat,
        "lon": lon,
    } | kw
    return services.submit_melding(**args)


def test_a_point_routes_to_buurt_wijk_and_stadsdeel_with_a_deadline_and_history():
    lat, lon, buurt = point_in("SD999902", skip=1)
    when = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
    m = services.submit_melding(
        category="omgeving_inbraak", description="Deur open", lat=lat, lon=lon, received_at=when
    )
    assert m.buurt_id == buurt.pk and m.wijk_id == buurt.parent_id
    assert m.stadsdeel is not None and m.stadsdeel.code == "SD999902"
    assert m.deadline == when + timedelta(days=3)  # the category's SLA
    assert m.status == Status.GEMELD
    assert list(m.history.values_list("from_status", "to_status")) == [("", "gemeld")]
    assert services.TRACKING_RE.fullmatch(m.tracking_code)


def test_tracking_codes_carry_80_random_bits_and_differ():
    codes = {services.new_tracking_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(c) == 3 + 16 for c in codes)  # 16 base32 characters = 80 bits


def test_a_buurt_code_routes_without_a_point():
    _, _, buurt = point_in("SD999901", skip=2)
    m = submit(lat=None, lon=None, buurt_code=buurt.code)
    assert m.buurt_id == buurt.pk and m.x_rd is None and m.stadsdeel.code == "SD999901"
    assert m.event.assignment == "code"


def test_every_bad_field_is_named_and_nothing_is_stored():
    before = table_counts()
    with pytest.raises(MeldingInvalid) as caught:
        services.submit_melding(
            category="bestaat_niet", description="x" * 2001, lat=52.0, lon=999, email="geen-adres"
        )
    assert set(caught.value.errors) == {"category", "description", "lon", "email"}
    assert "2000" in caught.value.errors["description"]
    assert table_counts() == before


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"lat": 52.37, "lon": 4.89}, "location"),  # Amsterdam: outside Demostad
        ({"lat": None, "lon": None}, "location"),  # neither point nor buurt
        ({"lat": None, "lon": None, "buurt_code": "BU00000000"}, "buurt_code"),
        ({"lat": "abc"}, "lat"),
        ({"lat": float("nan")}, "lat"),
        ({"description": None, "category": 5}, "category"),
    ],
)
def test_location_and_type_errors(kwargs, field):
    before = table_counts()
    with pytest.raises(MeldingInvalid) as caught:
        submit(**kwargs)
    assert field in caught.value.errors
    assert table_counts() == before


def test_a_safety_melding_becomes_an_event_of_the_internal_dataset_and_non_safety_does_not():
    m = submit()
    assert m.event is not None
    assert m.event.dataset.series_key == SERIES_KEY
    assert m.event.dataset.classification == "intern" and m.event.dataset.kind == "meldingen"
    assert m.event.category.startswith(SAFETY_PREFIX)  # counted by the analysis
    assert m.event.area_id == m.buurt_id
    events = Event.objects.count()
    waste = submit(category="afval_grofvuil")
    assert waste.event is None and Event.objects.count() == events


def test_every_default_category_has_a_known_group_and_theme():
    from veiligheidskaart.catalogue.registry import THEMES

    themes = {t.code for t in THEMES}
    for cat in registry.categories():
        assert cat.group in registry.GROUP_BY_CODE
        assert cat.theme is None or cat.theme in themes
        assert registry.GROUP_BY_CODE[cat.group].safety == cat.safety
    assert {"afval", "groen", "wegen"} == {g.code for g in registry.GROUPS if not g.safety}


def test_a_close_repeat_is_linked_to_the_first_and_merged_into_its_event():
    first = submit(received_at=datetime(2025, 5, 1, 12, tzinfo=UTC))
    again = submit(received_at=datetime(2025, 5, 1, 20, tzinfo=UTC))  # same point, 8 h later
    late = submit(received_at=datetime(2025, 5, 3, 12, tzinfo=UTC))  # 48 h later: new
    other = submit(received_at=datetime(2025, 5, 1, 21, tzinfo=UTC), category="overlast_horeca")
    assert again.duplicate_of_id == first.pk and again.event is None
    assert late.duplicate_of_id is None and other.duplicate_of_id is None
    first.event.refresh_from_db()
    assert first.event.duplicates == 1


def test_duplicates_follow_the_original_through_the_workflow(users):
    first = submit(received_at=datetime(2025, 6, 1, 12, tzinfo=UTC))
    again = submit(received_at=datetime(2025, 6, 1, 13, tzinfo=UTC))
    services.change_status(
        first, Status.AFGEHANDELD, users["manager_a"], note="Opgelost", note_public=True
    )
    again.refresh_from_db()
    assert again.status == Status.AFGEHANDELD
    assert again.notes.get().public


def test_the_transition_table_is_enforced_and_history_is_appended(users):
    m = submit()
    manager = users["manager_a"]
    services.change_status(m, Status.IN_BEHANDELING, manager)
    with pytest.raises(MeldingInvalid) as caught:
        services.change_status(m, Status.HEROPEND, manager)
    assert "status" in caught.value.errors
    services.change_status(m, Status.AFGEHANDELD, manager, note="Klaar", note_public=True)
    services.change_status(m, Status.HEROPEND, manager)
    steps = list(m.history.values_list("from_status", "to_status", "user__username"))
    assert steps == [
        ("", "gemeld", None),
        ("gemeld", "in_behandeling", "t-sdm-a"),
        ("in_behandeling", "afgehandeld", "t-sdm-a"),
        ("afgehandeld", "heropend", "t-sdm-a"),
    ]
    row = StatusChange.objects.filter(melding=m).first()
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()


def test_scope_per_role(users):
    a = submit()
    lat, lon, _ = point_in("SD999902")
    b = submit(lat=lat, lon=lon)
    seen = {
        k: set(
            services.visible_meldingen(u).filter(pk__in=[a.pk, b.pk]).values_list("pk", flat=True)
        )
        for k, u in users.items()
    }
    assert seen == {
        "beheerder": {a.pk, b.pk},
        "analist": {a.pk, b.pk},
        "partner": set(),
        "manager_a": {a.pk},
        "manager_b": {b.pk},
    }
    assert not services.visible_meldingen(AnonymousUser()).exists()
    with pytest.raises(MeldingForbidden):
        services.change_status(a, Status.IN_BEHANDELING, users["manager_b"])
    with pytest.raises(MeldingForbidden):
        services.add_note(a, "mag niet", False, users["partner"])
    a.refresh_from_db()
    assert a.status == Status.GEMELD and not a.notes.exists()


def test_overdue_lists_open_originals_past_their_deadline(users):
    old = submit(received_at=datetime(2024, 1, 1, 12, tzinfo=UTC))
    done = submit(received_at=datetime(2024, 1, 1, 12, tzinfo=UTC), category="overlast_horeca")
    services.change_status(done, Status.AFGEHANDELD, users["analist"])
    fresh = submit(received_at=datetime(2024, 1, 20, 12, tzinfo=UTC), category="groep_intimidatie")
    now = datetime(2024, 1, 8, 12, tzinfo=UTC)
    listed = set(services.overdue(now).values_list("pk", flat=True))
    assert old.pk in listed and done.pk not in listed and fresh.pk not in listed


@override_settings(VK_RETENTION_MONTHS=12)
def test_purge_removes_personal_data_and_coarsens_to_buurt_centroid_and_week(users):
    when = datetime(2024, 3, 7, 15, 30, tzinfo=UTC)  # a Thursday
    m = submit(email="bewoner@example.org", received_at=when)
    keep = submit(
        email="nieuw@example.org",
        received_at=datetime(2025, 2, 1, tzinfo=UTC),
        category="overlast_horeca",
    )
    staff = services.add_note(
        m, "Melder (06-12345678) teruggebeld", public=False, user=users["analist"]
    )
    told = services.add_note(m, "We gaan kijken.", public=True, user=users["analist"])
    kept_note = services.add_note(keep, "Melder teruggebeld", public=False, user=users["analist"])
    now = datetime(2025, 3, 10, tzinfo=UTC)
    assert services.purge_expired(now)["meldingen"] >= 1
    staff.refresh_from_db(), told.refresh_from_db(), kept_note.refresh_from_db()
    assert "06-12345678" not in staff.text and told.text == "We gaan kijken."
    assert kept_note.text == "Melder teruggebeld"
    m.refresh_from_db()
    keep.refresh_from_db()
    assert m.email == "" and m.description == "" and m.coarsened_at is not None
    assert (m.x_rd, m.y_rd) == (m.buurt.centroid_x, m.buurt.centroid_y)
    local = m.received_at.astimezone(services.timezone.get_current_timezone())
    assert (local.date().isoformat(), local.hour, local.minute) == ("2024-03-04", 0, 0)
    m.event.refresh_from_db()
    assert (m.event.x_rd, m.event.occurred_at) == (m.buurt.centroid_x, m.received_at)
    assert keep.email == "nieuw@example.org"
    assert services.purge_expired(now)["meldingen"] == 0  # idempotent


def test_personal_access_is_logged(users):
    m = submit(email="a@example.org")
    services.log_personal_access(users["manager_a"], m, "melding geopend in de inbox")
    row = PersonalDataAccess.objects.get(melding=m)
    assert row.user == users["manager_a"] and row.reason.startswith("melding geopend")
    with pytest.raises(MeldingForbidden):
        services.log_personal_access(AnonymousUser(), m, "x")


def test_aandachtspunten_per_stadsdeel_and_year():
    p = services.submit_aandachtspunt(
        stadsdeel_code="SD999901",
        theme="jeugdoverlast",
        text="Meer toezicht bij het winkelcentrum",
        year=2025,
    )
    from veiligheidskaart.areas.models import Area

    sd1 = Area.objects.filter(code="SD999901").first()
    sd2 = Area.objects.filter(code="SD999902").first()
    assert p in services.aandachtspunten_for(sd1, 2025)
    assert p not in services.aandachtspunten_for(sd1, 2024)
    assert p not in services.aandachtspunten_for(sd2, 2025)
    before = table_counts()
    with pytest.raises(MeldingInvalid) as caught:
        services.submit_aandachtspunt(stadsdeel_code="SD000000", theme="nee", text="")
    assert set(caught.value.errors) == {"stadsdeel_code", "theme", "text"}
    assert table_counts() == before


def test_a_municipal_override_adds_and_removes_categories(tmp_path, monkeypatch):
    path = tmp_path / "categorieen.toml"
    path.write_text(
        '[[categorie]]\ncode = "afval_container"\nactief = false\n\n'
        '[[categorie]]\ncode = "omgeving_hond"\nnaam = "Hondenpoep"\n'
        'groep = "omgeving"\nsla_dagen = 7\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(registry.SETTING, str(path))
    codes = {c.code for c in registry.categories()}
    assert "omgeving_hond" in codes and "afval_container" not in codes
    assert registry.category("omgeving_hond").theme is None  # no theme: not a safety signal
    m = submit(category="omgeving_hond")
    assert m.deadline - m.received_at == timedelta(days=7) and m.event is None
    assert Melding.objects.filter(pk=m.pk).exists()


def test_form_meldingen_feed_the_priority_component_against_the_areas_own_baseline():
    from veiligheidskaart.observations.priorities import _meldingen

    lat, lon, buurt = point_in("SD999902", skip=4)
    base = Event.objects.filter(
        dataset__kind="meldingen",
        dataset__is_current=True,
        area=buurt,
        category__startswith=SAFETY_PREFIX,
        occurred_at__year=2025,
    ).count()
    assert _meldingen([buurt], 2026).get(buurt.pk, 0.0) == 0.0
    times = [
        datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=25 * i) for i in range(3 * base + 20)
    ]
    for when in times:  # 25 h apart: never merged as duplicates
        submit(lat=lat, lon=lon, category="afval_container", received_at=when)
    assert _meldingen([buurt], 2026).get(buurt.pk, 0.0) == 0.0  # non-safety stays out
    for when in times:
        submit(lat=lat, lon=lon, category="overlast_vuurwerk", received_at=when)
    assert _meldingen([buurt], 2026)[buurt.pk] == 1.0  # a significant rise on its own 2025
