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
