"""Observations as published: source codes with their granularity, never theme sums."""

from __future__ import annotations

from django.db import models


class Granularity(models.TextChoices):
    YEAR = "year", "jaar"
    HALF = "half", "halfjaar"
    QUARTER = "quarter", "kwartaal"
    MONTH = "month", "maand"


class Status(models.TextChoices):
    FINAL = "final", "definitief"
    PROVISIONAL = "provisional", "voorlopig"
    SECRET = "secret", "geheim"
    NOT_APPLICABLE = "not_applicable", "niet van toepassing"
    INCOMPLETE = "incomplete", "onvolledig"


class Observation(models.Model):
    dataset = models.ForeignKey("sources.Dataset", models.CASCADE, related_name="observations")
    source_code = models.CharField("broncode", max_length=64)
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="observations")
    period_start = models.DateField("periode")
    granularity = models.CharField("granulariteit", max_length=8, choices=Granularity.choices)
    value = models.FloatField("waarde", null=True, blank=True)
    lower = models.FloatField("ondergrens", null=True, blank=True)
    upper = models.FloatField("bovengrens", null=True, blank=True)
    sample_size = models.PositiveIntegerField("steekproefomvang", null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.FINAL)

    class Meta:
        verbose_name = "waarneming"
        verbose_name_plural = "waarnemingen"
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "source_code", "area", "period_start", "granularity"],
                name="observation_unique",
            )
        ]
        indexes = [
            models.Index(fields=["source_code", "granularity", "period_start"]),
            models.Index(fields=["area", "source_code", "granularity"]),
        ]


class Kerncijfer(models.Model):
    """Denominators per area per year (CBS Kerncijfers wijken en buurten)."""

    dataset = models.ForeignKey("sources.Dataset", models.CASCADE, related_name="kerncijfers")
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="kerncijfers")
    year = models.PositiveSmallIntegerField("jaar")
    inhabitants = models.PositiveIntegerField("inwoners", null=True, blank=True)
    households = models.PositiveIntegerField("huishoudens", null=True, blank=True)
    dwellings = models.PositiveIntegerField("woningen", null=True, blank=True)
    businesses = models.PositiveIntegerField("bedrijfsvestigingen", null=True, blank=True)
    land_area_ha = models.FloatField("oppervlakte land (ha)", null=True, blank=True)

    class Meta:
        verbose_name = "kerncijfer"
        verbose_name_plural = "kerncijfers"
        constraints = [
            models.UniqueConstraint(fields=["dataset", "area", "year"], name="kerncijfer_unique")
        ]
        indexes = [models.Index(fields=["year", "area"])]


class Assignment(models.TextChoices):
    POINT = "point", "punt in buurt"
    CODE = "code", "buurtcode"
    OUTSIDE = "outside", "buiten geladen gebieden"
    NO_LOCATION = "no_location", "zonder locatie"


class Event(models.Model):
    """One point or record: an imported melding or a row of a municipal registration."""

    dataset = models.ForeignKey("sources.Dataset", models.CASCADE, related_name="events")
    category = models.CharField("categorie", max_length=120)
    indicator_code = models.CharField("indicator", max_length=40, blank=True)
    occurred_at = models.DateTimeField("tijdstip")
    x_rd = models.FloatField(null=True, blank=True)
    y_rd = models.FloatField(null=True, blank=True)
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, null=True, blank=True, related_name="events"
    )
    assignment = models.CharField("toewijzing", max_length=12, choices=Assignment.choices)
    source_key = models.CharField("bronsleutel", max_length=64, blank=True)
    duplicates = models.PositiveIntegerField("exacte dubbelen", default=0)

    class Meta:
        verbose_name = "registratie"
        verbose_name_plural = "registraties"
        indexes = [
            models.Index(fields=["dataset", "category", "occurred_at"]),
            models.Index(fields=["area", "indicator_code", "occurred_at"]),
        ]


class AnalysisRun(models.Model):
    """One run of `veiligheidskaart analyse`: what was computed, with what, and how many tests."""

    gemeente_code = models.CharField("gemeente", max_length=6)
    year = models.PositiveSmallIntegerField("jaar")
    created_at = models.DateTimeField("berekend op", auto_now_add=True)
    seed = models.BigIntegerField("seed")
    versions = models.JSONField("bibliotheekversies", default=dict)
    families = models.JSONField("FDR-families", default=list)
    datasets = models.JSONField("gebruikte datasets (id, versie)", default=list)
    is_current = models.BooleanField("actueel", default=True)

    class Meta:
        verbose_name = "analyse"
        verbose_name_plural = "analyses"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"analyse {self.gemeente_code} {self.year} ({self.created_at:%Y-%m-%d %H:%M})"


class AreaResult(models.Model):
    """The judged figures of one indicator in one area for the run's year."""

    run = models.ForeignKey(AnalysisRun, models.CASCADE, related_name="area_results")
    area = models.ForeignKey("areas.Area", models.CASCADE, related_name="analysis_results")
    indicator_code = models.CharField("indicator", max_length=40)
    count = models.FloatField("aantal", null=True)
    denominator = models.FloatField("noemer", null=True)
    rate = models.FloatField("tarief", null=True)
    rate_lower = models.FloatField("tarief ondergrens", null=True)
    rate_upper = models.FloatField("tarief bovengrens", null=True)
    smoothed_rate = models.FloatField("gladgestreken tarief (EB)", null=True)
    ratio = models.FloatField("verhouding met rest gemeente", null=True)
    ratio_lower = models.FloatField("verhouding ondergrens", null=True)
    change_direction = models.CharField("verandering", max_length=20, blank=True)
    change_p = models.FloatField("p (ruw)", null=True)
    change_q = models.FloatField("q", null=True)
    change_sentence = models.CharField("verandering in woorden", max_length=200, blank=True)
    hotspot = models.CharField("hotspot", max_length=12, blank=True)
    trend_factor = models.FloatField("trend per jaar", null=True)
    trend_p = models.FloatField("trend p", null=True)
    trend_sentence = models.CharField("trend in woorden", max_length=200, blank=True)
    unplaced_share = models.FloatField("aandeel niet in een buurt geplaatst", null=True)
    national_ratio = models.FloatField("verhouding met Nederland", null=True)

    class Meta:
        verbose_name = "analyse-uitkomst"
        verbose_name_plural = "analyse-uitkomsten"
        constraints = [
            models.UniqueConstraint(
                fields=["run", "area", "indicator_code"], name="arearesult_unique"
            )
        ]


class PriorityEntry(models.Model):
    """One theme × area in the ranking, with its components and Dutch reasons."""

    run = models.ForeignKey(AnalysisRun, models.CASCADE, related_name="priorities")
    area = models.ForeignKey("areas.Area", models.CASCADE, related_name="priorities")
    theme_code = models.CharField("thema", max_length=40)
    public = models.BooleanField(
        "openbare ranking", default=False,
        help_text="alleen openbare bronnen; de interne ranking telt ook beleving en meldingen",
    )  # fmt: skip
    rank = models.PositiveIntegerField("rang")
    score = models.FloatField("score", null=True)
    top10_probability = models.FloatField("kans op top 10")
    components = models.JSONField("componenten", default=dict)
    missing = models.JSONField("ontbrekende componenten", default=list)
    reasons = models.TextField("redenen")

    class Meta:
        verbose_name = "prioriteitsscore"
        verbose_name_plural = "prioriteitsscores"
        ordering = ["run", "rank"]
