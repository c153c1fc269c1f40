"""Meldingen (reports with a workflow and a deadline) and aandachtspunten (policy input).

Writes go through ``meldingen.services`` only. History rows are append-only: a status
change is a new ``StatusChange`` row, never an update.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Status(models.TextChoices):
    GEMELD = "gemeld", "gemeld"
    IN_BEHANDELING = "in_behandeling", "in behandeling"
    AFGEHANDELD = "afgehandeld", "afgehandeld"
    GEANNULEERD = "geannuleerd", "geannuleerd"
    HEROPEND = "heropend", "heropend"


class Source(models.TextChoices):
    FORMULIER = "formulier", "webformulier"
    OPEN311 = "open311", "Open311"
    API = "api", "REST-API"
    DEMO = "demo", "demo"


class Melding(models.Model):
    tracking_code = models.CharField("volgcode", max_length=32, unique=True)
    category = models.CharField("categorie", max_length=40)
    description = models.TextField("omschrijving", blank=True)
    email = models.EmailField("e-mailadres", blank=True)
    # Exact point in RD New; after the retention period the buurt centroid.
    x_rd = models.FloatField(null=True, blank=True)
    y_rd = models.FloatField(null=True, blank=True)
    buurt = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="meldingen_buurt", verbose_name="buurt"
    )
    wijk = models.ForeignKey(
        "areas.Area",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="meldingen_wijk",
        verbose_name="wijk",
    )
    stadsdeel = models.ForeignKey(
        "areas.Area",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="meldingen_stadsdeel",
        verbose_name="stadsdeel",
    )
    source = models.CharField("bron", max_length=12, choices=Source.choices)
    status = models.CharField(
        "status", max_length=16, choices=Status.choices, default=Status.GEMELD
    )
    received_at = models.DateTimeField("ontvangen op", db_index=True)
    deadline = models.DateTimeField("afhandeltermijn")
    duplicate_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name="dubbel van",
    )
    event = models.OneToOneField(
        "observations.Event", models.SET_NULL, null=True, blank=True, related_name="melding"
    )
    coarsened_at = models.DateTimeField("persoonsgegevens verwijderd op", null=True, blank=True)

    class Meta:
        verbose_name = "melding"
        verbose_name_plural = "meldingen"
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["stadsdeel", "status"]),
            models.Index(fields=["category", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"melding {self.pk} ({self.category}, {self.get_status_display()})"

    @property
    def has_personal_data(self) -> bool:
        return bool(self.email or self.description)


class AppendOnly(models.Model):
    """A history row: saved once, never changed or deleted one by one."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{type(self).__name__} is append-only")


class StatusChange(AppendOnly):
    melding = models.ForeignKey(Melding, models.CASCADE, related_name="history")
    from_status = models.CharField("van", max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField("naar", max_length=16, choices=Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name="door"
    )
    at = models.DateTimeField("op")

    class Meta:
        verbose_name = "statuswijziging"
        verbose_name_plural = "statuswijzigingen"
        ordering = ["at", "pk"]


class Note(AppendOnly):
    melding = models.ForeignKey(Melding, models.CASCADE, related_name="notes")
    text = models.TextField("tekst")
    public = models.BooleanField("openbaar", default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name="door"
    )
    at = models.DateTimeField("op")

    class Meta:
        verbose_name = "notitie"
        verbose_name_plural = "notities"
        ordering = ["at", "pk"]


class PersonalDataAccess(AppendOnly):
    """Who opened a melding with personal data (e-mail, free text), when and why."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name="gebruiker")
    melding = models.ForeignKey(Melding, models.CASCADE, related_name="accesses")
    reason = models.CharField("reden", max_length=200)
    at = models.DateTimeField("op")

    class Meta:
        verbose_name = "inzage persoonsgegevens"
        verbose_name_plural = "inzagen persoonsgegevens"
        ordering = ["-at"]


class AandachtspuntStatus(models.TextChoices):
    ONTVANGEN = "ontvangen", "ontvangen"
    VERWERKT = "verwerkt", "verwerkt"


class Aandachtspunt(models.Model):
    """A resident's input to a stadsdeel's agenda for one year: no deadline, no workflow."""

    stadsdeel = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="aandachtspunten", verbose_name="stadsdeel"
    )
    theme = models.CharField("thema", max_length=40)
    text = models.TextField("tekst")
    email = models.EmailField("e-mailadres", blank=True)
    year = models.PositiveSmallIntegerField("agendajaar")
    status = models.CharField(
        max_length=12, choices=AandachtspuntStatus.choices, default=AandachtspuntStatus.ONTVANGEN
    )
    received_at = models.DateTimeField("ontvangen op")
    coarsened_at = models.DateTimeField("persoonsgegevens verwijderd op", null=True, blank=True)

    class Meta:
        verbose_name = "aandachtspunt"
        verbose_name_plural = "aandachtspunten"
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["stadsdeel", "year"])]

    def __str__(self) -> str:
        return f"aandachtspunt {self.pk} ({self.theme})"
