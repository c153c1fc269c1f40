"""Priorities, goals, peer groups, actions with their history and notes, and budget lines.

Status changes and notes are appended as rows, never overwritten; every write goes through
``policy.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from veiligheidskaart.analysis.goals import Frequency
from veiligheidskaart.policy.registry import ACTION_STATUSES, PRIORITY_STATUSES

USER = settings.AUTH_USER_MODEL


class Priority(models.Model):
    """A theme, an area, or a theme × area for a period; the council adopts it."""

    gemeente_code = models.CharField("gemeente", max_length=6, db_index=True)
    title = models.CharField("titel", max_length=200)
    theme = models.ForeignKey(
        "catalogue.Theme", models.PROTECT, null=True, blank=True, verbose_name="thema"
    )
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, null=True, blank=True, verbose_name="gebied"
    )
    start_year = models.PositiveSmallIntegerField("van jaar")
    end_year = models.PositiveSmallIntegerField("tot en met jaar")
    status = models.CharField(max_length=16, choices=PRIORITY_STATUSES, default="voorgesteld")
    decision_reference = models.CharField("raadsbesluit (kenmerk)", max_length=100, blank=True)
    decided_on = models.DateField("datum raadsbesluit", null=True, blank=True)
    seriousness = models.PositiveSmallIntegerField("ernst (1-5)")
    seriousness_reason = models.TextField("onderbouwing ernst")
    influence = models.PositiveSmallIntegerField("beïnvloedbaarheid (1-5)")
    influence_reason = models.TextField("onderbouwing beïnvloedbaarheid")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "prioriteit"
        verbose_name_plural = "prioriteiten"
        ordering = ["start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(theme__isnull=False) | Q(area__isnull=False),
                name="priority_theme_or_area",
            ),
            models.CheckConstraint(
                condition=Q(start_year__lte=models.F("end_year")), name="priority_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}-{self.end_year})"


class PriorityStatusChange(models.Model):
    priority = models.ForeignKey(Priority, models.CASCADE, related_name="history")
    from_status = models.CharField("van", max_length=16)
    to_status = models.CharField("naar", max_length=16)
    decision_reference = models.CharField("raadsbesluit (kenmerk)", max_length=100, blank=True)
    decided_on = models.DateField("datum raadsbesluit", null=True, blank=True)
    changed_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True)
    changed_at = models.DateTimeField("gewijzigd op", auto_now_add=True)

    class Meta:
        verbose_name = "statuswijziging prioriteit"
        verbose_name_plural = "statuswijzigingen prioriteiten"
        ordering = ["changed_at", "pk"]


class PeerGroup(models.Model):
    """The peer list fixed at the baseline, and the index the council adopted."""

    gemeente_code = models.CharField("gemeente", max_length=6)
    name = models.CharField("naam", max_length=200)
    baseline_year = models.PositiveSmallIntegerField("basisjaar")
    min_inhabitants = models.PositiveIntegerField("minimaal aantal inwoners", default=0)
    peer_codes = models.JSONField("vergelijkingsgemeenten (codes)", default=list)
    source_code = models.CharField("83648NED-soort", max_length=24, default="T001161")
    adopted_index = models.CharField("vastgestelde index", max_length=300)

    class Meta:
        verbose_name = "vergelijkingsgroep"
        verbose_name_plural = "vergelijkingsgroepen"

    def __str__(self) -> str:
        return f"{self.name} ({self.baseline_year})"


class GoalKind(models.TextChoices):
    COUNT = "aantal", "aantal per jaar (politie)"
    SURVEY = "enquete", "percentage (Veiligheidsmonitor)"
    RANK = "rang", "rang onder vergelijkingsgemeenten"


class Goal(models.Model):
    """A goal: indicator, area, baseline (as adopted and recomputed), target and deadline."""

    gemeente_code = models.CharField("gemeente", max_length=6, db_index=True)
    title = models.CharField("titel", max_length=300)
    kind = models.CharField("soort", max_length=12, choices=GoalKind.choices)
    indicator = models.ForeignKey(
        "catalogue.Indicator", models.PROTECT, null=True, blank=True, verbose_name="indicator"
    )
    peer_group = models.ForeignKey(
        PeerGroup, models.PROTECT, null=True, blank=True, verbose_name="vergelijkingsgroep"
    )
    area = models.ForeignKey("areas.Area", models.PROTECT, verbose_name="gebied")
    adopted_baseline_value = models.FloatField("nulmeting zoals vastgesteld")
    adopted_baseline_label = models.CharField("nulmeting (periode, bron)", max_length=200)
    baseline_start_year = models.PositiveSmallIntegerField("nulmeting vanaf jaar")
    baseline_end_year = models.PositiveSmallIntegerField("nulmeting tot en met jaar")
    target_value = models.FloatField("doelwaarde", null=True, blank=True)
    target_change = models.FloatField(
        "doel als verandering", null=True, blank=True,
        help_text="bijv. -0,20 voor 20% minder dan de (herberekende) nulmeting",
    )  # fmt: skip
    deadline_year = models.PositiveSmallIntegerField("uiterlijk in jaar")
    lower_is_better = models.BooleanField("lager is beter", default=True)
    frequency = models.CharField(
        "meetfrequentie", max_length=24, choices=[(f.value, f.value) for f in Frequency],
        default=Frequency.YEARLY.value,
    )  # fmt: skip
    priorities = models.ManyToManyField(
        Priority, blank=True, related_name="goals", verbose_name="prioriteiten"
    )
    order = models.PositiveSmallIntegerField("volgorde", default=0)

    class Meta:
        verbose_name = "doel"
        verbose_name_plural = "doelen"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__isnull=False) | Q(target_change__isnull=False),
                name="goal_has_target",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    """An action of the actieplan or a stadsdeelagenda."""

    gemeente_code = models.CharField("gemeente", max_length=6, db_index=True)
    title = models.CharField("titel", max_length=200)
    description = models.TextField("omschrijving")
    themes = models.ManyToManyField("catalogue.Theme", blank=True, verbose_name="thema's")
    areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="policy_actions", verbose_name="gebieden"
    )
    owner = models.CharField("eigenaar", max_length=200)
    partners = models.JSONField("partners", default=list, blank=True)
    start = models.DateField("gepland vanaf")
    end = models.DateField("gepland tot en met")
    status = models.CharField(max_length=16, choices=ACTION_STATUSES, default="gepland")
    priorities = models.ManyToManyField(
        Priority, blank=True, related_name="actions", verbose_name="prioriteiten"
    )
    goals = models.ManyToManyField(Goal, blank=True, related_name="actions", verbose_name="doelen")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)

    class Meta:
        verbose_name = "actie"
        verbose_name_plural = "acties"
        ordering = ["start", "title"]
        permissions = [("change_any_action", "Kan acties van alle stadsdelen wijzigen")]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="action_period")
        ]

    def __str__(self) -> str:
        return self.title


class ActionStatusChange(models.Model):
    action = models.ForeignKey(Action, models.CASCADE, related_name="history")
    from_status = models.CharField("van", max_length=16)
    to_status = models.CharField("naar", max_length=16)
    note = models.TextField("toelichting", blank=True)
    changed_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True)
    changed_at = models.DateTimeField("gewijzigd op", auto_now_add=True)

    class Meta:
        verbose_name = "statuswijziging actie"
        verbose_name_plural = "statuswijzigingen acties"
        ordering = ["changed_at", "pk"]


class ActionNote(models.Model):
    """A progress note: appended, never edited."""

    action = models.ForeignKey(Action, models.CASCADE, related_name="notes")
    text = models.TextField("voortgang")
    author = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField("geschreven op", auto_now_add=True)

    class Meta:
        verbose_name = "voortgangsnotitie"
        verbose_name_plural = "voortgangsnotities"
        ordering = ["created_at", "pk"]


class BudgetKind(models.TextChoices):
    LASTEN = "lasten", "lasten"
    BATEN = "baten", "baten"


class BudgetLine(models.Model):
    """One line of the safety programme's budget (lasten or baten) for a year."""

    gemeente_code = models.CharField("gemeente", max_length=6, db_index=True)
    year = models.PositiveSmallIntegerField("jaar")
    programme = models.CharField("programma", max_length=120)
    name = models.CharField("omschrijving", max_length=200)
    kind = models.CharField("soort", max_length=8, choices=BudgetKind.choices)
    amount = models.DecimalField("bedrag (€)", max_digits=14, decimal_places=2)
    actions = models.ManyToManyField(
        Action, blank=True, related_name="budget_lines", verbose_name="gefinancierde acties"
    )

    class Meta:
        verbose_name = "begrotingsregel"
        verbose_name_plural = "begrotingsregels"
        ordering = ["year", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente_code", "year", "programme", "name", "kind"],
                name="budgetline_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind}: {self.name}"
