"""Demo seed: two stadsdeelmanagers, meldingen in both stadsdelen in every status, and
aandachtspunten for the 2024 and 2025 agendas. Everything goes through the services.

Idempotent: the meldingen and aandachtspunten are seeded once (the demo meldingen are the
marker), and the analysis is run again after the first seed; a manager's password is kept
in VK_DATA_DIR (mode 600) like the demo admin's.
Meldingen fall inside the Signalen demo window (before 15 March 2025), so the profiles'
"last 12 months" stay the same; every demo melding has a point, like the imported ones.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from veiligheidskaart.accounts.services import create_user
from veiligheidskaart.areas.models import Area, Level
from veiligheidskaart.meldingen import services
from veiligheidskaart.meldingen.models import Melding, Source, Status
from veiligheidskaart.meldingen.routing import to_wgs84

Progress = Callable[[str, int, int], None]
MANAGER = "demo-stadsdeelmanager-{n}"
PASSWORD_FILE = "demo_stadsdeelmanager_{n}_password"
START = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)

# (buurt index in the stadsdeel, category, day after START, statuses in order, public note)
MELDINGEN: tuple[tuple[int, str, int, tuple[str, ...], str], ...] = (
    (0, "overlast_drugs", 0, (), ""),
    (1, "groep_jongeren", 3, (Status.IN_BEHANDELING,), "De wijkagent gaat langs."),
    (2, "omgeving_vernieling", 6, (Status.AFGEHANDELD,), "De bushokjes zijn hersteld."),
    (3, "voertuig_verdacht", 10, (Status.GEANNULEERD,), ""),
    (4, "afval_grofvuil", 14, (Status.AFGEHANDELD,), "Opgehaald."),
    (
        0,
        "omgeving_onveilig",
        20,
        (Status.AFGEHANDELD, Status.HEROPEND),
        "De lamp brandt weer; de melding is heropend omdat de plek nog donker is.",
    ),
    (5, "overlast_horeca", 28, (Status.IN_BEHANDELING,), ""),
    (1, "wegen_verlichting", 35, (), ""),
)
AANDACHTSPUNTEN: tuple[tuple[int, str, str, bool], ...] = (
    (2024, "woninginbraak", "Meer voorlichting over inbraakpreventie in de oudere wijken.", True),
    (2024, "jeugdoverlast", "Een plek voor jongeren bij het sportpark, met toezicht.", True),
    (2024, "verkeer", "Te hard rijden op de doorgaande weg langs de school.", False),
    (2025, "drugsoverlast", "Handel rond het station in de avond.", False),
    (2025, "beleving", "Betere verlichting op het fietspad naar het centrum.", False),
)


def seed(gemeente_code: str, progress: Progress) -> None:
    by_code: dict[str, Area] = {}
    for area in Area.objects.filter(level=Level.STADSDEEL, gemeente_code=gemeente_code).order_by(
        "code", "-vintage"
    ):
        by_code.setdefault(area.code, area)
    stadsdelen = list(by_code.values())[:2]
    if not stadsdelen:
        return
    managers = [_manager(n, sd.code) for n, sd in enumerate(stadsdelen, start=1)]
    if Melding.objects.filter(source=Source.DEMO).exists():
        return
    with transaction.atomic():
        for i, (stadsdeel, manager) in enumerate(zip(stadsdelen, managers, strict=True)):
            _meldingen(stadsdeel, manager, i)
            _aandachtspunten(stadsdeel, manager)
    progress("demo-meldingen", 1, 1)
    _reanalyse(gemeente_code, progress)


def _reanalyse(gemeente_code: str, progress: Progress) -> None:
    """The demo meldingen are a new input of the analysis (their dataset did not exist when
    the demo ran it): run it again now, so a second demo run finds it current."""
    from veiligheidskaart.observations.judge import run_analysis
    from veiligheidskaart.sources.writers import preferred_area

    gemeente = preferred_area(gemeente_code)
    if gemeente is not None:
        run_analysis(gemeente, progress=progress)


def _manager(n: int, stadsdeel_code: str) -> User:
    username = MANAGER.format(n=n)
    path = Path(settings.VK_DATA_DIR) / PASSWORD_FILE.format(n=n)
    user = User.objects.filter(username=username).first()
    if user is not None and path.exists():
        return user
    User.objects.filter(username=username).delete()
    password = secrets.token_urlsafe(12)
    user = create_user(username, "stadsdeelmanager", password, stadsdelen=[stadsdeel_code])
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password)
    return user


def _meldingen(stadsdeel: Area, manager: User, offset: int) -> None:
    buurten = list(
        Area.objects.filter(
            level=Level.BUURT,
            stadsdeel__code=stadsdeel.code,
            is_water=False,
            centroid_x__isnull=False,
        ).order_by("code")
    )
    for index, category, day, steps, note in MELDINGEN:
        buurt = buurten[index % len(buurten)]
        lat, lon = to_wgs84(buurt.centroid_x or 0.0, buurt.centroid_y or 0.0)
        when = START + timedelta(days=day + offset, hours=index)
        melding = services.submit_melding(
            category=category,
            description="Demomelding (fictief).",
            lat=lat,
            lon=lon,
            email=f"bewoner{index}@example.org" if index % 2 else None,
            source=Source.DEMO,
            received_at=when,
        )
        for n, status in enumerate(steps, start=1):
            last = n == len(steps)
            services.change_status(
                melding,
                status,
                manager,
                note=note if last else "",
                note_public=True,
                at=when + timedelta(days=n),
            )
        if category == "overlast_drugs":  # a second report of the same thing, merged
            services.submit_melding(
                category=category,
                description="Nog steeds.",
                lat=lat,
                lon=lon,
                source=Source.DEMO,
                received_at=when + timedelta(hours=2),
            )


def _aandachtspunten(stadsdeel: Area, manager: User) -> None:
    for year, theme, text, processed in AANDACHTSPUNTEN:
        punt = services.submit_aandachtspunt(
            stadsdeel_code=stadsdeel.code,
            theme=theme,
            text=text,
            year=year,
            received_at=datetime(year - 1, 10, 1, 12, tzinfo=UTC),
        )
        if processed:
            services.set_aandachtspunt_status(punt, "verwerkt", manager)
