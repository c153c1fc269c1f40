"""Shared rules of the meldingen app: errors, field limits and checks, and who sees which
stadsdeel (a stadsdeelmanager their own stadsdelen, analist and beheerder all, the rest none)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, QuerySet

from veiligheidskaart.accounts.models import StadsdeelScope
from veiligheidskaart.accounts.services import role_of

DESCRIPTION_MAX = 2000
EMAIL_MAX = 254
NOTE_MAX = 2000
AANDACHTSPUNT_MAX = 2000
REASON_MAX = 200
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
ALL_MELDINGEN_ROLES = ("beheerder", "analist")

User = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=Model)


class MeldingInvalid(ValueError):
    """Bad input; ``errors`` maps each invalid field to a Dutch message. Nothing was stored."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class MeldingForbidden(PermissionError):
    """The user may not see or handle this melding or aandachtspunt."""


def check_text(
    value: Any, field: str, label: str, limit: int, errors: dict[str, str], required: bool = True
) -> str:
    """The stripped text; a message in ``errors[field]`` when it is not text, too long or empty."""
    text = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        errors[field] = f"{label} moet tekst zijn."
    elif len(text) > limit:
        errors[field] = f"{label} is te lang: ten hoogste {limit} tekens ({len(text)} gegeven)."
    elif "\x00" in text:
        errors[field] = f"{label} bevat een ongeldig teken."
    elif required and not text:
        errors[field] = f"{label} is verplicht."
    return text


def check_email(value: Any, errors: dict[str, str]) -> str:
    if value is None or value == "":
        return ""
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > EMAIL_MAX:
        errors["email"] = f"Het e-mailadres is te lang: ten hoogste {EMAIL_MAX} tekens."
    elif not EMAIL_RE.match(text):
        errors["email"] = "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."
    return text


def scoped(user: User, everything: QuerySet[M]) -> QuerySet[M]:
    """Rows of ``everything`` (which has a ``stadsdeel``) that this user may handle."""
    if not user.is_authenticated:
        return everything.none()
    role = role_of(user)  # type: ignore[arg-type]
    if getattr(user, "is_superuser", False) or role in ALL_MELDINGEN_ROLES:
        return everything
    if role == "stadsdeelmanager":
        codes = StadsdeelScope.objects.filter(user_id=user.pk).values("stadsdeel__code")
        return everything.filter(stadsdeel__code__in=codes)
    return everything.none()
