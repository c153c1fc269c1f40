"""Write paths and scoped reads of meldingen and aandachtspunten.

Every write is one function with one ``transaction.atomic``; the form, the Open311 and REST
APIs, the CLI, the demo and the tests all call these.

Interface (for the pages, the APIs and the policy app):

- ``submit_melding(*, category, description, lat=None, lon=None, buurt_code=None,
  email=None, source="formulier", received_at=None) -> Melding``. Raises ``MeldingInvalid``
  whose ``errors`` maps every invalid field (the keyword names: ``category``,
  ``description``, ``lat``, ``lon``, ``buurt_code``, ``email``, ``source``, and ``location``
  for "outside the municipality" or "neither point nor buurt") to a Dutch message.
  A point wins over a buurt code. Safety categories also become an ``observations.Event``.
- ``change_status(melding, status, user, *, note="", note_public=False)`` along
  ``TRANSITIONS``; duplicates follow their original.
- ``add_note(melding, text, public, user)``.
- ``visible_meldingen(user)``: stadsdeelmanager own stadsdelen, analist/beheerder all,
  partner and anonymous none. ``can_handle(user, melding)`` for one melding.
- ``submit_aandachtspunt(*, stadsdeel_code, theme, text, email=None, year=None,
  received_at=None)``, ``set_aandachtspunt_status``, ``aandachtspunten_for(stadsdeel, year)``.
- ``overdue(now=None)``, ``purge_expired(now=None)``, ``log_personal_access(user, melding,
  reason)``.

Duplicate rule: a melding with a point is a duplicate of an open original (not itself a
duplicate) of the same category whose point lies within ``DUPLICATE_METRES`` and that was
received at most ``DUPLICATE_HOURS`` earlier. It is stored with its own tracking code, linked
to the original and takes its status; its event is merged into the original's
(``Event.duplicates`` + 1). Meldingen with a buurt only are never merged (a buurt is too
coarse to say two reports are one).
"""

from __future__ import annotations

import base64
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from veiligheidskaart.meldingen import registry
from veiligheidskaart.meldingen.aandachtspunten import (
    aandachtspunten_for,
    set_aandachtspunt_status,
    submit_aandachtspunt,
    theme_name,
    visible_aandachtspunten,
)
from veiligheidskaart.meldingen.models import (
    Melding,
    Note,
    PersonalDataAccess,
    Source,
    Status,
    StatusChange,
)
from veiligheidskaart.meldingen.retention import purge_expired, retention_cutoff, week_start
from veiligheidskaart.meldingen.routing import Route, route_buurt, route_point, valid_coordinate
from veiligheidskaart.meldingen.rules import (
    DESCRIPTION_MAX,
    NOTE_MAX,
    REASON_MAX,
    MeldingForbidden,
    MeldingInvalid,
    User,
    check_email,
    check_text,
    scoped,
)
from veiligheidskaart.meldingen.signal import merge_duplicate_event, write_event

DUPLICATE_METRES = 50.0
DUPLICATE_HOURS = 24
TRACKING_PREFIX = "vk-"
TRACKING_RE = re.compile(r"vk-[a-z2-7]{16}")

OPEN = (Status.GEMELD, Status.IN_BEHANDELING, Status.HEROPEND)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.GEMELD: (Status.IN_BEHANDELING, Status.AFGEHANDELD, Status.GEANNULEERD),
    Status.IN_BEHANDELING: (Status.AFGEHANDELD, Status.GEANNULEERD),
    Status.AFGEHANDELD: (Status.HEROPEND,),
    Status.GEANNULEERD: (Status.HEROPEND,),
    Status.HEROPEND: (Status.IN_BEHANDELING, Status.AFGEHANDELD, Status.GEANNULEERD),
}


def new_tracking_code() -> str:
    """'vk-' + 16 base32 characters: 80 random bits from ``secrets``."""
    return TRACKING_PREFIX + base64.b32encode(secrets.token_bytes(10)).decode().lower()


# ---------------------------------------------------------------- submit


def submit_melding(
    *,
    category: str,
    description: str,
    lat: float | None = None,
    lon: float | None = None,
    buurt_code: str | None = None,
    email: str | None = None,
    source: str = Source.FORMULIER,
    received_at: datetime | None = None,
) -> Melding:
    """Validate, route, store; raise MeldingInvalid with every bad field at once."""
    errors: dict[str, str] = {}
    cat = _check_category(category, errors)
    description = check_text(
        description, "description", "De omschrijving", DESCRIPTION_MAX, errors, required=False
    )
    email = check_email(email, errors)
    if source not in Source.values:
        errors["source"] = "Onbekende bron."
    route = _route(lat, lon, buurt_code, errors)
    if errors or cat is None or route is None:
        raise MeldingInvalid(errors)
    when = received_at or timezone.now()
    with transaction.atomic():
        original = _original_of(cat.code, route, when)
        melding = Melding.objects.create(
            tracking_code=new_tracking_code(),
            category=cat.code,
            description=description,
            email=email,
            x_rd=route.x_rd,
            y_rd=route.y_rd,
            buurt_id=route.buurt_id,
            wijk_id=route.wijk_id,
            stadsdeel_id=route.stadsdeel_id,
            source=source,
            status=original.status if original else Status.GEMELD,
            received_at=when,
            deadline=when + timedelta(days=cat.sla_days),
            duplicate_of=original,
        )
        StatusChange.objects.create(
            melding=melding, from_status="", to_status=melding.status, user=None, at=when
        )
        if cat.safety:
            if original is not None and original.event_id is not None:
                merge_duplicate_event(original.event_id)
            elif original is None:
                melding.event = write_event(melding, cat)
                melding.save(update_fields=["event"])
    return melding


def _check_category(code: Any, errors: dict[str, str]) -> registry.CategoryDef | None:
    cat = registry.category(code) if isinstance(code, str) else None
    if cat is None:
        errors["category"] = "Kies een bestaande categorie."
    return cat


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _route(lat: Any, lon: Any, buurt_code: Any, errors: dict[str, str]) -> Route | None:
    if lat is not None or lon is not None:
        flat, flon = _number(lat), _number(lon)
        if lat is None or flat is None or not valid_coordinate(flat, 0.0):
            errors["lat"] = "De breedtegraad (lat) moet een getal tussen -90 en 90 zijn."
        if lon is None or flon is None or not valid_coordinate(0.0, flon):
            errors["lon"] = "De lengtegraad (lon) moet een getal tussen -180 en 180 zijn."
        if flat is None or flon is None or "lat" in errors or "lon" in errors:
            return None
        route = route_point(flat, flon)
        if route is None:
            errors["location"] = "Deze plek ligt buiten de gemeente. Kies een plek in de gemeente."
        return route
    if buurt_code:
        code = buurt_code.strip() if isinstance(buurt_code, str) else ""
        route = route_buurt(code) if 0 < len(code) <= 16 else None
        if route is None:
            errors["buurt_code"] = "Kies een buurt van de gemeente."
        return route
    errors["location"] = "Geef de plek aan: klik op de kaart of kies een buurt."
    return None


def _original_of(category: str, route: Route, when: datetime) -> Melding | None:
    if route.x_rd is None or route.y_rd is None:
        return None
    x, y, d = route.x_rd, route.y_rd, DUPLICATE_METRES
    candidates = Melding.objects.filter(
        category=category,
        duplicate_of__isnull=True,
        status__in=OPEN,
        received_at__gte=when - timedelta(hours=DUPLICATE_HOURS),
        received_at__lte=when,
        x_rd__range=(x - d, x + d),
        y_rd__range=(y - d, y + d),
    ).order_by("received_at", "pk")
    for melding in candidates:
        assert melding.x_rd is not None and melding.y_rd is not None
        if (melding.x_rd - x) ** 2 + (melding.y_rd - y) ** 2 <= d**2:
            return melding
    return None


# ---------------------------------------------------------------- workflow


def visible_meldingen(user: User) -> QuerySet[Melding]:
    """The meldingen this user may handle; none for the public and partners."""
    return scoped(user, Melding.objects.select_related("buurt", "wijk", "stadsdeel"))


def can_handle(user: User, melding: Melding) -> bool:
    return visible_meldingen(user).filter(pk=melding.pk).exists()


def change_status(
    melding: Melding,
    status: str,
    user: User,
    *,
    note: str = "",
    note_public: bool = False,
    at: datetime | None = None,
) -> Melding:
    """Move along TRANSITIONS, append history (and a note), and carry the duplicates along."""
    with transaction.atomic():
        current = Melding.objects.select_for_update().get(pk=melding.pk)
        if not can_handle(user, current):
            raise MeldingForbidden("Geen toegang tot deze melding.")
        if status not in TRANSITIONS.get(current.status, ()):
            allowed = ", ".join(Status(s).label for s in TRANSITIONS.get(current.status, ()))
            raise MeldingInvalid(
                {"status": f"Van '{current.get_status_display()}' kan alleen naar: {allowed}."}
            )
        errors: dict[str, str] = {}
        text = check_text(note, "note", "De notitie", NOTE_MAX, errors, required=False)
        if errors:
            raise MeldingInvalid(errors)
        when = at or timezone.now()
        author = user if user.is_authenticated else None
        targets = [current] + list(
            Melding.objects.select_for_update().filter(duplicate_of=current, status=current.status)
        )
        for target in targets:
            StatusChange.objects.create(
                melding=target, from_status=target.status, to_status=status, user=author, at=when
            )
            target.status = status
            target.save(update_fields=["status"])
            if text:
                Note.objects.create(
                    melding=target, text=text, public=note_public, user=author, at=when
                )
    melding.status = status
    return current


def add_note(melding: Melding, text: str, public: bool, user: User) -> Note:
    """An internal note (handlers only) or a public note (shown on the status page)."""
    errors: dict[str, str] = {}
    text = check_text(text, "text", "De notitie", NOTE_MAX, errors)
    if errors:
        raise MeldingInvalid(errors)
    with transaction.atomic():
        if not can_handle(user, melding):
            raise MeldingForbidden("Geen toegang tot deze melding.")
        return Note.objects.create(
            melding=melding,
            text=text,
            public=bool(public),
            user=user if user.is_authenticated else None,
            at=timezone.now(),
        )


def log_personal_access(user: User, melding: Melding, reason: str) -> PersonalDataAccess:
    """Record that ``user`` saw the e-mail or free text of ``melding``."""
    if not user.is_authenticated:
        raise MeldingForbidden("Alleen ingelogde gebruikers zien persoonsgegevens.")
    with transaction.atomic():
        return PersonalDataAccess.objects.create(
            user=user, melding=melding, reason=reason[:REASON_MAX], at=timezone.now()
        )


def overdue(now: datetime | None = None) -> QuerySet[Melding]:
    """Open originals past their deadline, oldest deadline first."""
    moment = now or timezone.now()
    return (
        Melding.objects.filter(status__in=OPEN, duplicate_of__isnull=True, deadline__lt=moment)
        .select_related("stadsdeel", "buurt")
        .order_by("deadline", "pk")
    )


# Re-exported: one place to import the meldingen write paths from.
__all__ = [
    "TRANSITIONS",
    "MeldingForbidden",
    "MeldingInvalid",
    "aandachtspunten_for",
    "add_note",
    "can_handle",
    "change_status",
    "log_personal_access",
    "new_tracking_code",
    "overdue",
    "purge_expired",
    "retention_cutoff",
    "set_aandachtspunt_status",
    "submit_aandachtspunt",
    "submit_melding",
    "theme_name",
    "visible_aandachtspunten",
    "visible_meldingen",
    "week_start",
]
