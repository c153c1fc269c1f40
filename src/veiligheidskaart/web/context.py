"""Template context for every page: the home gemeente and whether it is fictitious."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

FICTIONAL_PREFIX = "GM99"  # Demostad and its peers


def site(request: HttpRequest) -> dict[str, Any]:
    from veiligheidskaart.observations.queries import home_gemeente

    gemeente = home_gemeente()
    return {
        "gemeente": gemeente,
        "fictief": bool(gemeente and gemeente.code.startswith(FICTIONAL_PREFIX)),
    }
