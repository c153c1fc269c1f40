"""Aandachtspunten: residents' input to a stadsdeel's agenda (policy input, no deadline,
status only ontvangen or verwerkt). ``aandachtspunten_for`` feeds ``/agenda/<stadsdeel>``."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from veiligheidskaart.areas.models import Area, Level
from veiligheidskaart.catalogue.registry import THEMES
from veiligheidskaart.meldingen.models import Aandachtspunt, AandachtspuntStatus
from veiligheidskaart.meldingen.rules import (
    AANDACHTSPUNT_MAX,
    MeldingForbidden,
    MeldingInvalid,
    User,
    check_email,
    check_text,
    scoped,
)

AANDACHTSPUNT_THEMES = tuple(t for t in THEMES if t.code != "totaal")


def submit_aandachtspunt(
    *,
    stadsdeel_code: str,
    theme: str,
    text: str,
    email: str | None = None,
    year: int | None = None,
    received_at: datetime | None = None,
) -> Aandachtspunt:
    """A resident's input to a stadsdeel's agenda; the year defaults to the next one."""
    errors: dict[str, str] = {}
    stadsdeel = None
    if isinstance(stadsdeel_code, str) and 0 < len(stadsdeel_code) <= 16:
        stadsdeel = (
            Area.objects.filter(code=stadsdeel_code, level=Level.STADSDEEL)
            .order_by("-vintage")
            .first()
        )
    if stadsdeel is None:
        errors["stadsdeel_code"] = "Kies een bestaand stadsdeel."
    if theme not in {t.code for t in AANDACHTSPUNT_THEMES}:
        errors["theme"] = "Kies een bestaand thema."
    body = check_text(text, "text", "Het aandachtspunt", AANDACHTSPUNT_MAX, errors)
    mail = check_email(email, errors)
    when = received_at or timezone.now()
    agenda_year = year if year is not None else timezone.localtime(when).year + 1
    if not isinstance(agenda_year, int) or not 2000 <= agenda_year <= 2100:
        errors["year"] = "Het agendajaar moet tussen 2000 en 2100 liggen."
    if errors or stadsdeel is None:
        raise MeldingInvalid(errors)
    with transaction.atomic():
        return Aandachtspunt.objects.create(
            stadsdeel=stadsdeel,
            theme=theme,
            text=body,
            email=mail,
            year=agenda_year,
            received_at=when,
        )


def set_aandachtspunt_status(punt: Aandachtspunt, status: str, user: User) -> Aandachtspunt:
    """ontvangen ↔ verwerkt, by a user who sees this stadsdeel's meldingen."""
    if status not in AandachtspuntStatus.values:
        raise MeldingInvalid({"status": "Kies ontvangen of verwerkt."})
    with transaction.atomic():
        if not visible_aandachtspunten(user).filter(pk=punt.pk).exists():
            raise MeldingForbidden("Geen toegang tot dit aandachtspunt.")
        Aandachtspunt.objects.filter(pk=punt.pk).update(status=status)
    punt.status = status
    return punt


def visible_aandachtspunten(user: User) -> QuerySet[Aandachtspunt]:
    """Stadsdeelmanager: own stadsdelen; analist and beheerder: all; others: none."""
    return scoped(user, Aandachtspunt.objects.select_related("stadsdeel"))


def aandachtspunten_for(stadsdeel: Area, year: int) -> QuerySet[Aandachtspunt]:
    """The input for one stadsdeel's agenda of one year, oldest first (for /agenda/<sd>).
    Matches by code, so every vintage of the stadsdeel counts."""
    return Aandachtspunt.objects.filter(stadsdeel__code=stadsdeel.code, year=year).order_by(
        "received_at", "pk"
    )


def theme_name(code: str) -> str:
    return next((t.name for t in THEMES if t.code == code), code)
