"""Policy write paths: transitions, append-only history, scope of a stadsdeelmanager."""

from __future__ import annotations

from datetime import date

import pytest

from veiligheidskaart.policy import services as s
from veiligheidskaart.policy.models import Action, ActionStatusChange, Priority
from veiligheidskaart.policy.permissions import editable_actions, may_edit_action

pytestmark = pytest.mark.django_db
CENTRUM_BUURT, WEST_BUURT = "BU99990201", "BU99991301"


def action_input(*areas: str, title: str = "Testactie") -> s.ActionInput:
    return s.ActionInput(title, "omschrijving", "Team Veiligheid", date(2025, 1, 1),
                         date(2025, 12, 31), ("woninginbraak",), areas, ("politie",))  # fmt: skip


def test_the_demo_seed_made_goals_priorities_actions_and_history():
    adopted = Priority.objects.filter(gemeente_code="GM9999", status="vastgesteld")
    assert adopted.count() == 3
    assert all(p.decision_reference == "RB 2022/114" for p in adopted)
    assert all(p.history.filter(to_status="vastgesteld").exists() for p in adopted)
    statuses = set(Action.objects.values_list("status", flat=True))
    assert statuses == {"gepland", "in_uitvoering", "afgerond", "vervallen"}


def test_status_follows_the_transition_table_with_a_history_row(analist):
    action = s.create_action(action_input(WEST_BUURT), analist)
    s.change_action_status(action, "in_uitvoering", analist, "gestart")
    with pytest.raises(s.PolicyError, match="kan niet naar 'gepland'"):
        s.change_action_status(action, "gepland", analist)
    s.change_action_status(action, "afgerond", analist)
    with pytest.raises(s.PolicyError, match="afgesloten"):
        s.change_action_status(action, "vervallen", analist)
    rows = list(ActionStatusChange.objects.filter(action=action).values_list(
        "from_status", "to_status", "changed_by__username"))  # fmt: skip
    assert rows == [("", "gepland", "t-analist"), ("gepland", "in_uitvoering", "t-analist"),
                    ("in_uitvoering", "afgerond", "t-analist")]  # fmt: skip


def test_a_stadsdeelmanager_writes_only_in_their_own_stadsdelen(manager_centrum, analist):
    own = s.create_action(action_input(CENTRUM_BUURT, "SD999901"), manager_centrum)
    other = s.create_action(action_input(WEST_BUURT), analist)
    mixed = s.create_action(action_input(CENTRUM_BUURT, WEST_BUURT), analist)
    citywide = s.create_action(action_input("GM9999"), analist)
    assert may_edit_action(manager_centrum, own)
    for action in (other, mixed, citywide):
        assert not may_edit_action(manager_centrum, action)
        with pytest.raises(s.PolicyPermissionError):
            s.change_action_status(action, "in_uitvoering", manager_centrum)
        with pytest.raises(s.PolicyPermissionError):
            s.add_action_note(action, "mag niet", manager_centrum)
    with pytest.raises(s.PolicyPermissionError):
        s.create_action(action_input(WEST_BUURT), manager_centrum)
    with pytest.raises(s.PolicyPermissionError):  # moving an own action out of scope
        s.update_action(own, action_input(WEST_BUURT), manager_centrum)
    editable = set(editable_actions(manager_centrum, Action.objects.all()))
    assert own in editable and not {other, mixed, citywide} & editable
    assert other.status == "gepland" and not other.notes.exists()


def test_a_partner_only_reads(partner):
    action = Action.objects.first()
    assert not may_edit_action(partner, action)
    with pytest.raises(s.PolicyPermissionError):
        s.create_action(action_input(WEST_BUURT), partner)
    with pytest.raises(s.PolicyPermissionError):
        s.change_action_status(action, "vervallen", partner)
    assert partner.has_perm("policy.view_action") and not partner.has_perm("policy.change_action")


def test_bad_input_names_the_field(analist):
    with pytest.raises(s.PolicyError) as bad_partner:
        s.create_action(s.ActionInput("t", "d", "o", date(2025, 1, 1), date(2025, 2, 1),
                                      (), ("GM9999",), ("maffia",)), analist)  # fmt: skip
    assert bad_partner.value.field == "partners"
    with pytest.raises(s.PolicyError) as bad_period:
        s.create_action(s.ActionInput("t", "d", "o", date(2025, 3, 1), date(2025, 2, 1),
                                      (), ("GM9999",)), analist)  # fmt: skip
    assert bad_period.value.field == "end"


def test_adopting_a_priority_needs_the_council_decision(analist):
    proposed = Priority.objects.get(status="voorgesteld")
    with pytest.raises(s.PolicyError, match="raadsbesluit"):
        s.change_priority_status(proposed, "vastgesteld", analist)
    s.change_priority_status(proposed, "vastgesteld", analist, "RB 2025/7", date(2025, 2, 1))
    proposed.refresh_from_db()
    assert (proposed.status, proposed.decision_reference) == ("vastgesteld", "RB 2025/7")
    assert proposed.history.last().changed_by == analist
