"""Write path of the catalogue: sync the shipped registry into the database."""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction

from veiligheidskaart.catalogue import registry
from veiligheidskaart.catalogue.models import Indicator, SeriesBreak, Theme, Veiligheidsveld


@transaction.atomic
def sync_catalogue() -> dict[str, int]:
    """Add or update every shipped veld, theme, indicator and break; never delete local rows."""
    velden = {}
    for order, veld in enumerate(registry.VELDEN):
        velden[veld.code], _ = Veiligheidsveld.objects.update_or_create(
            code=veld.code, defaults={"name": veld.name, "order": order}
        )
    themes = {}
    for order, theme in enumerate(registry.THEMES):
        fields = asdict(theme) | {"veld": velden[theme.veld], "order": order}
        fields.pop("code")
        themes[theme.code], _ = Theme.objects.update_or_create(code=theme.code, defaults=fields)
    for order, ind in enumerate(registry.INDICATORS):
        fields = asdict(ind) | {
            "theme": themes[ind.theme],
            "order": order,
            "source_codes": list(ind.source_codes),
        }
        fields.pop("code")
        Indicator.objects.update_or_create(code=ind.code, defaults=fields)
    for brk in registry.BREAKS:
        fields = asdict(brk) | {"source_codes": list(brk.source_codes)}
        fields.pop("code")
        SeriesBreak.objects.update_or_create(code=brk.code, defaults=fields)
    return {
        "velden": len(registry.VELDEN),
        "themes": len(registry.THEMES),
        "indicators": len(registry.INDICATORS),
        "breaks": len(registry.BREAKS),
    }
