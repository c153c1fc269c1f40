"""A stadsdeelmanager's scope: the stadsdelen whose internal data the user may see."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class StadsdeelScope(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="stadsdeel_scopes"
    )
    stadsdeel = models.ForeignKey(
        "areas.Area", models.CASCADE, limit_choices_to={"level": "stadsdeel"}
    )

    class Meta:
        verbose_name = "stadsdeel van gebruiker"
        verbose_name_plural = "stadsdelen van gebruikers"
        constraints = [
            models.UniqueConstraint(fields=["user", "stadsdeel"], name="stadsdeelscope_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.stadsdeel}"


class ApiKey(models.Model):
    """A client's key for the Open311 POST (and the private API's create).

    Only the sha256 of the key is stored: a leaked database does not leak usable keys.
    A name has at most one active key; a revoked key stays as a record of who had access.
    """

    name = models.CharField("naam", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("begin van de sleutel", max_length=8, editable=False)
    created = models.DateTimeField("aangemaakt", auto_now_add=True)
    revoked_at = models.DateTimeField("ingetrokken", null=True, blank=True)

    class Meta:
        verbose_name = "API-sleutel"
        verbose_name_plural = "API-sleutels"
        ordering = ["name", "created"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(revoked_at__isnull=True),
                name="apikey_one_active_per_name",
            )
        ]

    def __str__(self) -> str:
        state = "ingetrokken" if self.revoked_at else "actief"
        return f"{self.name} ({self.prefix}…, {state})"
