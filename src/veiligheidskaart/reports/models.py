"""Reports, their interpretations, their status history, and the job table that makes them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from veiligheidskaart.reports.registry import JOB_STATES, KINDS, STATUSES


class Report(models.Model):
    """One report: what it covers, its workflow status and the dataset versions it used.

    ``content`` holds the computed figures (numbers and SVG); it is written by a job, and once
    the report is published it is never computed again except to prove it is the same.
    """

    kind = models.CharField("soort", max_length=16, choices=[(k.code, k.name) for k in KINDS])
    gemeente_code = models.CharField("gemeente", max_length=6)
    periode = models.CharField("periode", max_length=16, help_text="2024-H2 of 2024")
    stadsdeel_code = models.CharField("stadsdeel", max_length=16, blank=True)
    title = models.CharField("titel", max_length=200)
    status = models.CharField("status", max_length=16, choices=STATUSES, default="concept")
    decision_reference = models.CharField("kenmerk besluit", max_length=120, blank=True)
    datasets = models.JSONField("gebruikte datasetversies", default=list)
    content = models.JSONField("berekende inhoud", default=dict, blank=True)
    content_sha256 = models.CharField("sha256 van de inhoud", max_length=64, blank=True)
    html_sha256 = models.CharField("sha256 van de HTML bij publicatie", max_length=64, blank=True)
    generated_on = models.DateField("gegevens bepaald op", null=True, blank=True)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "rapport"
        verbose_name_plural = "rapporten"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def pinned(self) -> frozenset[int]:
        return frozenset(int(d["id"]) for d in self.datasets)


class Interpretation(models.Model):
    """The written interpretation of one author role for one section, edited while concept."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="interpretations")
    section = models.CharField("onderdeel", max_length=60)
    author_role = models.CharField("namens", max_length=16)
    text = models.TextField("duiding", blank=True)
    updated_at = models.DateTimeField("bijgewerkt op", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "duiding"
        verbose_name_plural = "duidingen"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "section", "author_role"], name="interpretation_unique"
            )
        ]


class ReportTransition(models.Model):
    """Append-only status history: every change of status is a new row."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="transitions")
    from_status = models.CharField("van", max_length=16, blank=True)
    to_status = models.CharField("naar", max_length=16)
    at = models.DateTimeField("op", auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField("toelichting", max_length=200, blank=True)

    class Meta:
        verbose_name = "statuswijziging"
        verbose_name_plural = "statuswijzigingen"
        ordering = ["at", "pk"]


class ReportJob(models.Model):
    """A queued piece of report work; a runner claims it atomically (DESIGN §7)."""

    action = models.CharField("taak", max_length=16)  # "maken" (compute + render), "opmaken"
    report = models.ForeignKey(Report, models.CASCADE, related_name="jobs")
    state = models.CharField("toestand", max_length=12, choices=JOB_STATES, default="wachtrij")
    stage = models.CharField("stap", max_length=120, blank=True)
    progress = models.PositiveSmallIntegerField("voortgang (%)", default=0)
    error = models.CharField("fout", max_length=300, blank=True)
    worker = models.CharField("uitvoerder", max_length=80, blank=True)
    requested_at = models.DateTimeField("aangevraagd op", auto_now_add=True)
    started_at = models.DateTimeField("gestart op", null=True, blank=True)
    finished_at = models.DateTimeField("klaar op", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "rapporttaak"
        verbose_name_plural = "rapporttaken"
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["state", "requested_at"])]
