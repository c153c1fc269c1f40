"""Write paths and the check for API keys (Open311 ``api_key``, the private API's create).

A key is ``secrets.token_urlsafe(32)`` (256 bits); only its sha256 is kept, so the key is
shown once, at creation. Checking hashes the offered key and looks the hash up: a unique
index, no comparison loop over keys.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from veiligheidskaart.accounts.models import ApiKey

NAME_MAX = 100
KEY_MAX = 200  # longer input is never a key of ours: refuse before hashing


class ApiKeyError(ValueError):
    """Bad input for a key write; the message is Dutch and names the key."""


@dataclass(frozen=True)
class NewKey:
    name: str
    key: str  # the only time the plain key exists


@dataclass(frozen=True)
class KeyRow:
    name: str
    prefix: str
    created: datetime
    revoked_at: datetime | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def create_key(name: str) -> NewKey:
    """A new active key for ``name``; refused while that name has an active key."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise ApiKeyError(f"naam moet 1 tot {NAME_MAX} tekens hebben")
    key = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            ApiKey.objects.create(name=name, key_hash=hash_key(key), prefix=key[:8])
    except IntegrityError as exc:
        raise ApiKeyError(f"'{name}' heeft al een actieve sleutel; trek die eerst in") from exc
    return NewKey(name, key)


@transaction.atomic
def revoke_key(name: str) -> int:
    """Revoke the active key of ``name``; the number revoked (0 or 1)."""
    active = ApiKey.objects.select_for_update().filter(name=name, revoked_at__isnull=True)
    if not active.exists():
        raise ApiKeyError(f"'{name}' heeft geen actieve sleutel")
    return active.update(revoked_at=timezone.now())


def key_rows() -> list[KeyRow]:
    return [
        KeyRow(k.name, k.prefix, k.created, k.revoked_at)
        for k in ApiKey.objects.order_by("name", "created")
    ]


def check_key(key: str | None) -> ApiKey | None:
    """The active key that matches, or None (missing, unknown or revoked)."""
    if not key or len(key) > KEY_MAX:
        return None
    return ApiKey.objects.filter(key_hash=hash_key(key), revoked_at__isnull=True).first()
