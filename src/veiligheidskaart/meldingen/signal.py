"""Meldingen as a signal: safety meldingen become ``observations.Event`` rows.

They go into one dataset, "Meldingen via Veiligheidskaart" (kind ``meldingen``, classification
``intern`` per DESIGN §4), the way the Collect importers write Signalen meldingen, so the
meldingen sub-index, the priority component against the area's own baseline and the internal
layers count them. Non-safety categories (afval, groen, wegen) never become events.
Called inside ``submit_melding``'s transaction only.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from veiligheidskaart.meldingen.registry import CategoryDef, event_category
from veiligheidskaart.observations.models import Assignment, Event
from veiligheidskaart.observations.queries import home_gemeente
from veiligheidskaart.sources.models import Classification, Dataset

SERIES_KEY = "veiligheidskaart|meldingen|formulier"
DATASET_NAME = "Meldingen via Veiligheidskaart"


def signal_dataset() -> Dataset:
    """The one current dataset of the form's meldingen (created on first use)."""
    found = Dataset.objects.filter(series_key=SERIES_KEY, is_current=True).first()
    if found is not None:
        return found
    gemeente = home_gemeente()
    try:
        with transaction.atomic():
            return Dataset.objects.create(
                series_key=SERIES_KEY,
                kind="meldingen",
                publisher="Veiligheidskaart",
                table_id=DATASET_NAME,
                area_scope=gemeente.code if gemeente else "",
                vintage=gemeente.vintage if gemeente else None,
                licence="intern",
                sha256="",
                classification=Classification.INTERN,
                file_name="(webformulier en API)",
                period_start=timezone.localdate(),
                period_end=timezone.localdate(),
            )
    except IntegrityError:  # a concurrent first submission created it
        return Dataset.objects.get(series_key=SERIES_KEY, is_current=True)


def write_event(melding: object, cat: CategoryDef) -> Event:
    from veiligheidskaart.meldingen.models import Melding

    assert isinstance(melding, Melding)
    dataset = signal_dataset()
    event = Event.objects.create(
        dataset=dataset,
        category=event_category(cat)[:120],
        indicator_code="",
        occurred_at=melding.received_at,
        x_rd=melding.x_rd,
        y_rd=melding.y_rd,
        area_id=melding.buurt_id,
        assignment=Assignment.POINT if melding.x_rd is not None else Assignment.CODE,
        source_key=f"melding-{melding.pk}",
    )
    day = timezone.localtime(melding.received_at).date()
    Dataset.objects.filter(pk=dataset.pk).update(
        row_count=F("row_count") + 1,
        period_start=Least(F("period_start"), day),
        period_end=Greatest(F("period_end"), day),
    )
    return event


def merge_duplicate_event(event_id: int) -> None:
    Event.objects.filter(pk=event_id).update(duplicates=F("duplicates") + 1)
