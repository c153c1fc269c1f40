"""Who may write which action: one answer for pages, API, admin and services.

An analist (``policy.change_any_action``) edits every action. A stadsdeelmanager edits only
actions whose areas all lie in their own stadsdelen (``accounts.StadsdeelScope``); an action
without an area is city-wide and theirs to read only. A partner has no write permission at
all. ``actor=None`` is the system itself (CLI and demo seed), which is not checked here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from veiligheidskaart.areas.models import Area
from veiligheidskaart.policy.models import Action


def stadsdeel_id(area: Area) -> int | None:
    """The stadsdeel an area belongs to (itself for a stadsdeel)."""
    return area.pk if area.level == "stadsdeel" else area.stadsdeel_id


def scope_ids(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(user.stadsdeel_scopes.values_list("stadsdeel_id", flat=True))


def edits_everything(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("policy.change_any_action"))


def areas_in_scope(user: Any, areas: Iterable[Area]) -> bool:
    """True when every area lies in one of the user's stadsdelen (and there is one)."""
    areas = list(areas)
    scope = scope_ids(user)
    return bool(areas) and all(stadsdeel_id(a) in scope for a in areas)


def may_create_action(user: Any, areas: Iterable[Area]) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.has_perm("policy.add_action")):
        return False
    return edits_everything(user) or areas_in_scope(user, areas)


def may_edit_action(user: Any, action: Action) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.has_perm("policy.change_action")):
        return False
    return edits_everything(user) or areas_in_scope(user, action.areas.all())


def may_write_anything(user: Any) -> bool:
    """Whether to show the create link and form at all."""
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("policy.add_action"))


def editable_actions(user: Any, actions: QuerySet[Action]) -> QuerySet[Action]:
    """The actions of ``actions`` that ``user`` may edit, as a queryset (for the admin)."""
    if not (getattr(user, "is_authenticated", False) and user.has_perm("policy.change_action")):
        return actions.none()
    if edits_everything(user):
        return actions
    scope = scope_ids(user)
    in_scope = Q(areas__level="stadsdeel", areas__pk__in=scope) | Q(areas__stadsdeel_id__in=scope)
    counted = actions.annotate(
        n_areas=Count("areas", distinct=True),
        n_in_scope=Count("areas", filter=in_scope, distinct=True),
    )
    ids = counted.filter(n_areas__gt=0, n_areas=F("n_in_scope")).values("pk")
    return actions.filter(pk__in=ids)
