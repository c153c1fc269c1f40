"""Read side shared by pages, API and commands."""

from __future__ import annotations

from django.conf import settings

from veiligheidskaart.areas.models import Area


def home_gemeente() -> Area | None:
    """VK_GEMEENTE, or the only gemeente with geometry."""
    gemeenten = Area.objects.filter(level="gemeente", geometry_rd__isnull=False)
    if settings.VK_GEMEENTE:
        return gemeenten.filter(code=settings.VK_GEMEENTE).order_by("-vintage").first()
    codes = set(gemeenten.values_list("code", flat=True))
    return gemeenten.order_by("-vintage").first() if len(codes) == 1 else None
