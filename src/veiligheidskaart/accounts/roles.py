"""Roles as data. Each role is a Django auth group; the public is anonymous."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    description: str
    staff: bool  # may log in to /beheer/
    permissions: tuple[str, ...]  # "app_label.codename"; ALL = every permission


ALL = "*"
_VIEW_DATA = (
    "areas.view_area",
    "catalogue.view_veiligheidsveld",
    "catalogue.view_theme",
    "catalogue.view_indicator",
    "catalogue.view_seriesbreak",
    "sources.view_dataset",
    "observations.view_observation",
    "observations.view_kerncijfer",
)
# the admin lists them read-only, scoped like the inbox (meldingen.services.visible_meldingen)
_VIEW_MELDINGEN = ("meldingen.view_melding", "meldingen.view_aandachtspunt")

_POLICY_MODELS = ("priority", "prioritystatuschange", "peergroup", "goal", "action",
                  "actionstatuschange", "actionnote", "budgetline")  # fmt: skip
_VIEW_POLICY = tuple(f"policy.view_{m}" for m in _POLICY_MODELS)
_WRITE_POLICY = tuple(
    f"policy.{verb}_{m}"
    for m in ("priority", "peergroup", "goal", "action", "budgetline")
    for verb in ("add", "change")
) + ("policy.add_actionnote", "policy.change_any_action")
# a stadsdeelmanager writes actions of their own stadsdelen only (policy.permissions)
_SCOPED_POLICY = ("policy.add_action", "policy.change_action", "policy.add_actionnote")

ROLES: tuple[Role, ...] = (
    Role("beheerder", "Beheerder", "Beheert gebruikers, catalogus en gegevens.", True, (ALL,)),
    Role(
        "analist",
        "Analist",
        "Informatieanalist of beleidsadviseur: ziet alle interne lagen.",
        True,
        _VIEW_DATA
        + (
            "observations.view_event",
            "catalogue.change_indicator",
            "catalogue.change_theme",
            # reports: request, interpret, adopt and publish (reports.views.MANAGE)
            "reports.view_report",
            "reports.add_report",
            "reports.change_report",
        )
        + _VIEW_MELDINGEN
        + _VIEW_POLICY
        + _WRITE_POLICY,
    ),
    Role(
        "stadsdeelmanager",
        "Stadsdeelmanager",
        "Stadsdeelmanager of wijkregisseur: interne gegevens van de eigen stadsdelen.",
        True,
        _VIEW_DATA + _VIEW_MELDINGEN + _VIEW_POLICY + _SCOPED_POLICY,
    ),
    Role(
        "partner",
        "Partner",
        "Politie, OM of zorgpartner: alleen lezen.",
        True,
        _VIEW_DATA + _VIEW_POLICY,
    ),
)

ROLE_BY_CODE = {role.code: role for role in ROLES}
