"""``veiligheidskaart meldingen purge|overdue``: the cron jobs of the meldingen app.

``purge`` applies VK_RETENTION_MONTHS (removes e-mail and free text, coarsens place and
time); ``overdue`` lists open meldingen past their deadline, one per line, tab-separated,
with no personal data (id, category, stadsdeel, buurt, deadline, days over).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

AddCommand = Callable[[str, Callable[[argparse.Namespace], int], str], Any]


def register(add: AddCommand) -> None:
    parser = add("meldingen", cmd_meldingen, "meldingen: bewaartermijn toepassen, te laat")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("purge", help="persoonsgegevens verwijderen na VK_RETENTION_MONTHS")
    sub.add_parser("overdue", help="open meldingen over hun afhandeltermijn")


def cmd_meldingen(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.utils import timezone

    from veiligheidskaart.meldingen import registry, services

    if args.action == "purge":
        done = services.purge_expired()
        print(
            f"bewaartermijn {settings.VK_RETENTION_MONTHS} maanden: "
            f"{done['meldingen']} meldingen en {done['aandachtspunten']} aandachtspunten "
            "ontdaan van persoonsgegevens"
        )
        return 0
    now = timezone.now()
    rows = list(services.overdue(now))
    for m in rows:
        cat = registry.category(m.category)
        days = (now - m.deadline).days
        print(
            "\t".join(
                [
                    str(m.pk),
                    cat.name if cat else m.category,
                    m.stadsdeel.code if m.stadsdeel else "-",
                    m.buurt.code,
                    timezone.localtime(m.deadline).date().isoformat(),
                    f"{days} dagen te laat",
                ]
            )
        )
    print(f"{len(rows)} meldingen over de termijn")
    return 0
