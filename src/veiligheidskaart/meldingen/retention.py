"""Retention (AVG): past ``VK_RETENTION_MONTHS`` a melding loses its e-mail and free text
(the text of its internal notes too), its point moves to the buurt centroid and its time to
the start of its ISO week (its event too); an aandachtspunt loses its e-mail. Run by
``veiligheidskaart meldingen purge``."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from veiligheidskaart.areas.models import Area
from veiligheidskaart.meldingen.models import Aandachtspunt, Melding, Note
from veiligheidskaart.sources.periods import add_months

PURGED_NOTE = "[verwijderd na de bewaartermijn]"


def retention_cutoff(now: datetime | None = None, months: int | None = None) -> datetime:
    moment = timezone.localtime(now or timezone.now())
    n = settings.VK_RETENTION_MONTHS if months is None else months
    first = add_months(moment.date().replace(day=1), -n)
    day = min(moment.day, (add_months(first, 1) - timedelta(days=1)).day)
    return moment.replace(year=first.year, month=first.month, day=day)


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 local time of the ISO week of ``moment``."""
    local = timezone.localtime(moment)
    monday = local.date() - timedelta(days=local.weekday())
    return timezone.make_aware(datetime(monday.year, monday.month, monday.day))


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Past VK_RETENTION_MONTHS: drop e-mail and free text, move the point to the buurt
    centroid and the time to the start of its ISO week (the event too). Idempotent."""
    cutoff = retention_cutoff(now)
    done = {"meldingen": 0, "aandachtspunten": 0}
    with transaction.atomic():
        expired = Melding.objects.filter(received_at__lt=cutoff, coarsened_at__isnull=True)
        for melding in expired.select_related("buurt", "event").select_for_update(of=("self",)):
            _coarsen(melding, melding.buurt)
            done["meldingen"] += 1
        # Internal notes may name the resident. Notes are append-only, but the AVG outranks
        # the history: the text goes, the row (who, when) stays. Public notes were written
        # for the public and stay as they are.
        Note.objects.filter(
            melding__coarsened_at__isnull=False, melding__received_at__lt=cutoff, public=False
        ).exclude(text=PURGED_NOTE).update(text=PURGED_NOTE)
        done["aandachtspunten"] = Aandachtspunt.objects.filter(
            received_at__lt=cutoff, coarsened_at__isnull=True
        ).update(email="", coarsened_at=timezone.now())
    return done


def _coarsen(melding: Melding, buurt: Area) -> None:
    week = week_start(melding.received_at)
    melding.email, melding.description = "", ""
    melding.received_at, melding.coarsened_at = week, timezone.now()
    if melding.x_rd is not None:
        melding.x_rd, melding.y_rd = buurt.centroid_x, buurt.centroid_y
    melding.save(
        update_fields=["email", "description", "received_at", "coarsened_at", "x_rd", "y_rd"]
    )
    event = melding.event
    if event is not None:
        event.occurred_at = week
        if event.x_rd is not None:
            event.x_rd, event.y_rd = buurt.centroid_x, buurt.centroid_y
        event.save(update_fields=["occurred_at", "x_rd", "y_rd"])
