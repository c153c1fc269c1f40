"""The authorisation matrix: every role against every melding endpoint and page.

Each cell has its expected allow (2xx, or the inbox's redirect back to itself after a write)
or deny (401, 403, 404, 405, or a redirect to the login or the admin index). A leak is a
cell allowed where deny was expected, or any answer (allowed or not) that shows content of
a melding the role may not see: the other stadsdeel's melding for a stadsdeelmanager, and
every description and e-mail address on the public endpoints. Every cell runs in a
savepoint that is rolled back, so a write in one cell does not change the next.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client

from tests.open311.conftest import World, buurt_in

pytestmark = pytest.mark.django_db

ROLES = ("anoniem", "partner", "sdm_a", "sdm_b", "analist", "beheerder")
ALL = frozenset(ROLES)
NONE: frozenset[str] = frozenset()
HANDLERS = frozenset({"sdm_a", "sdm_b", "analist", "beheerder"})
SIDE_A = frozenset({"sdm_a", "analist", "beheerder"})
SIDE_B = frozenset({"sdm_b", "analist", "beheerder"})


@dataclass(frozen=True)
class Cell:
    name: str
    allowed: frozenset[str]
    call: Callable[[Client, World], object]
    public: bool = False  # no description or e-mail of any melding may appear


def _get(path: Callable[[World], str]) -> Callable[[Client, World], object]:
    return lambda client, w: client.get(path(w))


def _json(
    path: Callable[[World], str], body: dict[str, object]
) -> Callable[[Client, World], object]:
    return lambda client, w: client.post(path(w), json.dumps(body), content_type="application/json")


def _form(path: Callable[[World], str], body: dict[str, str]) -> Callable[[Client, World], object]:
    return lambda client, w: client.post(path(w), body)


def _new_melding(client: Client, w: World) -> object:
    body = {"category": "afval_grofvuil", "buurt_code": buurt_in("SD999901").code}
    return client.post("/api/v1/meldingen/", json.dumps(body), content_type="application/json")


A = lambda w: w.melding_a.pk  # noqa: E731
B = lambda w: w.melding_b.pk  # noqa: E731
STATUS = {"status": "in_behandeling", "note": "Opgepakt"}
NOTE = {"text": "Interne aantekening"}
CELLS = [
    Cell("Open311 services", ALL, _get(lambda w: "/open311/v2/services.json"), True),
    Cell("Open311 requests (JSON)", ALL, _get(lambda w: "/open311/v2/requests.json"), True),
    Cell("Open311 requests (XML)", ALL, _get(lambda w: "/open311/v2/requests.xml"), True),
    Cell("Open311 requests/<nr A>", ALL, _get(lambda w: f"/open311/v2/requests/{A(w)}.json"), True),
    Cell("Open311 requests/<nr B> (niet openbaar)", NONE,
         _get(lambda w: f"/open311/v2/requests/{B(w)}.xml"), True),
    Cell("Open311 requests/<volgcode A>", ALL,
         _get(lambda w: f"/open311/v2/requests/{w.melding_a.tracking_code}.json"), True),
    Cell("Open311 POST zonder api_key", NONE,
         _form(lambda w: "/open311/v2/requests.json",
               {"service_code": "afval_grofvuil", "address_string": "BU99990101"}), True),
    Cell("API GET meldingen/", HANDLERS, _get(lambda w: "/api/v1/meldingen/")),
    Cell("API POST meldingen/", HANDLERS, _new_melding),
    Cell("API GET meldingen/<A>/", SIDE_A, _get(lambda w: f"/api/v1/meldingen/{A(w)}/")),
    Cell("API GET meldingen/<B>/", SIDE_B, _get(lambda w: f"/api/v1/meldingen/{B(w)}/")),
    Cell("API <A>/status/", SIDE_A, _json(lambda w: f"/api/v1/meldingen/{A(w)}/status/", STATUS)),
    Cell("API <B>/status/", SIDE_B, _json(lambda w: f"/api/v1/meldingen/{B(w)}/status/", STATUS)),
    Cell("API <A>/notes/", SIDE_A, _json(lambda w: f"/api/v1/meldingen/{A(w)}/notes/", NOTE)),
    Cell("API <B>/notes/", SIDE_B, _json(lambda w: f"/api/v1/meldingen/{B(w)}/notes/", NOTE)),
    Cell("/meldingen/inbox", HANDLERS, _get(lambda w: "/meldingen/inbox")),
    Cell("/meldingen/inbox/<A>", SIDE_A, _get(lambda w: f"/meldingen/inbox/{A(w)}")),
    Cell("/meldingen/inbox/<B>", SIDE_B, _get(lambda w: f"/meldingen/inbox/{B(w)}")),
    Cell("POST /meldingen/inbox/<A> (notitie)", SIDE_A,
         _form(lambda w: f"/meldingen/inbox/{A(w)}", {"notitie-text": "Intern"})),
    Cell("POST /meldingen/inbox/<B> (notitie)", SIDE_B,
         _form(lambda w: f"/meldingen/inbox/{B(w)}", {"notitie-text": "Intern"})),
    Cell("statuspagina A", ALL, _get(lambda w: f"/meldingen/{w.melding_a.tracking_code}"), True),
    Cell("statuspagina B", ALL, _get(lambda w: f"/meldingen/{w.melding_b.tracking_code}"), True),
    Cell("formulier /meldingen/nieuw", ALL, _get(lambda w: "/meldingen/nieuw"), True),
    Cell("admin meldingen (lijst)", HANDLERS, _get(lambda w: "/beheer/meldingen/melding/")),
    Cell("admin melding A", SIDE_A, _get(lambda w: f"/beheer/meldingen/melding/{A(w)}/change/")),
    Cell("admin melding B", SIDE_B, _get(lambda w: f"/beheer/meldingen/melding/{B(w)}/change/")),
]  # fmt: skip


def _markers(w: World, which: str) -> list[str]:
    """Strings that show melding A's or B's content or existence to whoever sees them."""
    m = w.melding_a if which == "A" else w.melding_b
    return [m.description, m.email, f'"id":{m.pk},', f'/meldingen/inbox/{m.pk}"',
            f"/melding/{m.pk}/change/"]  # fmt: skip


def _allowed(response: object) -> bool:
    status = response.status_code  # type: ignore[attr-defined]
    if status in (200, 201):
        return True
    if status == 302:  # the inbox goes back to itself after a write; anything else is a refusal
        return response["Location"].startswith("/meldingen/inbox/")  # type: ignore[index]
    return False


def _forbidden_markers(cell: Cell, role: str, w: World) -> list[str]:
    if cell.public:
        return [w.melding_a.description, w.melding_a.email, w.melding_b.description,
                w.melding_b.email]  # fmt: skip
    return {
        "sdm_a": _markers(w, "B"),
        "sdm_b": _markers(w, "A"),
        "anoniem": _markers(w, "A") + _markers(w, "B"),
        "partner": _markers(w, "A") + _markers(w, "B"),
    }.get(role, [])


def test_authorisation_matrix_has_no_leaks(world, capsys):
    rows, leaks, refused_wrongly = [], [], []
    for cell in CELLS:
        marks = []
        for role in ROLES:
            with transaction.atomic():
                response = cell.call(world.client(role), world)
                transaction.set_rollback(True)
            allowed = _allowed(response)
            body = response.content.decode(errors="replace")  # type: ignore[attr-defined]
            shown = [m for m in _forbidden_markers(cell, role, world) if m and m in body]
            expected = role in cell.allowed
            status = response.status_code  # type: ignore[attr-defined]
            if (allowed and not expected) or shown:
                leaks.append(f"{cell.name} / {role}: {status} {shown}")
            elif expected and not allowed:
                refused_wrongly.append(f"{cell.name} / {role}: {status}")
            marks.append(f"{'ja ' if allowed else 'nee'} {status}")
        rows.append(f"{cell.name:<42} " + "  ".join(f"{m:<8}" for m in marks))
    cells = len(CELLS) * len(ROLES)
    with capsys.disabled():
        print(f"\n{'':<42} " + "  ".join(f"{r:<8}" for r in ROLES))
        print("\n".join(rows))
        print(f"autorisatiematrix: {cells} cellen, {len(leaks)} lekken, "
              f"{len(refused_wrongly)} ten onrechte geweigerd")  # fmt: skip
    assert cells == 26 * 6
    assert leaks == []
    assert refused_wrongly == []


def test_the_markers_find_content_where_it_is_visible(world):
    """The leak check above can fail: for the analist every marker of A and B shows up."""
    client = world.client("analist")
    pages = {
        "api": client.get("/api/v1/meldingen/").content.decode(),
        "inbox": client.get("/meldingen/inbox").content.decode(),
        "admin": client.get("/beheer/meldingen/melding/").content.decode(),
        "detail": client.get(f"/api/v1/meldingen/{world.melding_b.pk}/").content.decode(),
    }
    for melding in (world.melding_a, world.melding_b):
        assert f'"id":{melding.pk},' in pages["api"]
        assert f'/meldingen/inbox/{melding.pk}"' in pages["inbox"]
        assert f"/melding/{melding.pk}/change/" in pages["admin"]
    assert world.melding_b.description in pages["detail"]
    assert world.melding_b.email in pages["detail"]
