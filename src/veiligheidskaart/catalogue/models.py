"""The indicator catalogue: veiligheidsvelden → themes → indicators, and series breaks."""

from __future__ import annotations

from django.db import models

from veiligheidskaart.catalogue import registry


def _choices(enum: type[registry.StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, member.value) for member in enum]  # type: ignore[attr-defined]


class Veiligheidsveld(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField("naam", max_length=120)
    order = models.PositiveSmallIntegerField("volgorde", default=0)

    class Meta:
        verbose_name = "veiligheidsveld"
        verbose_name_plural = "veiligheidsvelden"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField("naam", max_length=120)
    veld = models.ForeignKey(Veiligheidsveld, models.PROTECT, related_name="themes")
    seriousness = models.FloatField("ernstgewicht", default=1.0)
    sensitive = models.BooleanField("gevoelig (alleen per wijk publiceren)", default=False)
    qualitative = models.BooleanField("alleen kwalitatieve status", default=False)
    order = models.PositiveSmallIntegerField("volgorde", default=0)

    class Meta:
        verbose_name = "thema"
        verbose_name_plural = "thema's"
        ordering = ["veld__order", "order"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField("naam", max_length=200)
    theme = models.ForeignKey(Theme, models.PROTECT, related_name="indicators")
    source = models.CharField("bron", max_length=24, choices=_choices(registry.Source))
    source_codes = models.JSONField("broncodes", default=list)
    validity = models.CharField("validiteit", max_length=12, choices=_choices(registry.Validity))
    denominator = models.CharField("noemer", max_length=16, choices=_choices(registry.Denominator))
    per = models.PositiveIntegerField("per", default=1000)
    unit = models.CharField("eenheid", max_length=40)
    direction = models.CharField("richting", max_length=16, choices=_choices(registry.Direction))
    basis = models.CharField("geografische basis", max_length=16, choices=_choices(registry.Basis))
    bbv = models.BooleanField("BBV-indicator", default=False)
    description = models.TextField("toelichting", blank=True)
    order = models.PositiveSmallIntegerField("volgorde", default=0)

    class Meta:
        verbose_name = "indicator"
        verbose_name_plural = "indicatoren"
        ordering = ["theme__veld__order", "theme__order", "order"]

    def __str__(self) -> str:
        return self.name


class SeriesBreak(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField("naam", max_length=120)
    source = models.CharField("bron", max_length=24, choices=_choices(registry.Source))
    start = models.DateField("begin")
    end = models.DateField("einde", null=True, blank=True)
    source_codes = models.JSONField("broncodes (leeg = alle)", default=list, blank=True)
    description = models.TextField("toelichting", blank=True)

    class Meta:
        verbose_name = "reeksbreuk"
        verbose_name_plural = "reeksbreuken"
        ordering = ["start"]

    def __str__(self) -> str:
        return self.name
