"""``veiligheidskaart doelen`` and ``veiligheidskaart acties``: output and the same service."""

from __future__ import annotations

import json

import pytest

from veiligheidskaart.cli import main
from veiligheidskaart.policy.models import Action

pytestmark = pytest.mark.django_db


def test_doelen_prints_each_status(capsys):
    assert main(["doelen"]) == 0
    out = capsys.readouterr().out
    assert "behaald binnen de marge van toeval" in out and out.count("niet op koers") == 2
    assert main(["doelen", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["status"] for r in rows] == ["behaald_marge", "niet_op_koers", "niet_op_koers"]


def test_acties_lists_with_filters(capsys):
    assert main(["acties", "--stadsdeel", "SD999904"]) == 0
    assert "Inbraakpreventie Westerveld" in capsys.readouterr().out
    assert main(["acties", "--stadsdeel", "SD999999"]) == 2


def test_acties_status_goes_through_the_service(capsys, manager_centrum):
    west = Action.objects.get(title="Inbraakpreventie Westerveld")
    assert main(["acties", "status", str(west.pk), "gepland"]) == 2
    assert "kan niet naar 'gepland'" in capsys.readouterr().err
    # the named user's rights apply: not their stadsdeel
    args = ["acties", "status", str(west.pk), "afgerond", "--gebruiker", manager_centrum.username]
    assert main(args) == 2
    assert main(["acties", "status", str(west.pk), "afgerond", "--toelichting", "klaar"]) == 0
    west.refresh_from_db()
    assert west.status == "afgerond" and west.history.last().note == "klaar"
