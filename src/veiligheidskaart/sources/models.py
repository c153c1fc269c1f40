"""Datasets: every imported file, with provenance, version and classification."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Classification(models.TextChoices):
    OPEN = "open", "open"
    INTERN = "intern", "intern"
    VERTROUWELIJK = "vertrouwelijk", "vertrouwelijk"
    WPG = "wpg", "Wpg (politiegegevens)"


class Dataset(models.Model):
    """One version of one series; a corrected file becomes a new version that supersedes."""

    series_key = models.CharField("reekssleutel", max_length=200, db_index=True)
    kind = models.CharField("soort import", max_length=24)
    publisher = models.CharField("uitgever", max_length=120)
    table_id = models.CharField("tabel", max_length=40)
    area_scope = models.CharField("gebiedsbereik", max_length=40, blank=True)
    period_start = models.DateField("periode vanaf", null=True, blank=True)
    period_end = models.DateField("periode tot en met", null=True, blank=True)
    version = models.PositiveIntegerField("versie", default=1)
    supersedes = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    is_current = models.BooleanField("actueel", default=True)
    vintage = models.PositiveSmallIntegerField("gebiedsindeling (jaar)", null=True, blank=True)
    published_on = models.DateField("publicatiedatum", null=True, blank=True)
    licence = models.CharField("licentie", max_length=120, blank=True)
    sha256 = models.CharField(max_length=64)
    classification = models.CharField(
        "classificatie", max_length=16, choices=Classification.choices, default=Classification.OPEN
    )
    file_name = models.CharField("bestand", max_length=255)
    row_count = models.PositiveIntegerField("rijen opgeslagen", default=0)
    report = models.JSONField("validatierapport", default=dict, blank=True)
    imported_at = models.DateTimeField("geïmporteerd op", auto_now_add=True)

    class Meta:
        verbose_name = "dataset"
        verbose_name_plural = "datasets"
        ordering = ["series_key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["series_key", "version"], name="dataset_version_unique"
            ),
            models.UniqueConstraint(
                fields=["series_key"], condition=Q(is_current=True), name="dataset_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table_id} {self.area_scope} v{self.version}"
