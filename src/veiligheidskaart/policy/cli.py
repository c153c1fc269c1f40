"""``veiligheidskaart doelen`` and ``veiligheidskaart acties`` (see cli.COMMAND_MODULES).

``doelen`` prints the goal statuses as a table (or JSON). ``acties`` lists actions (filters
as on /acties) and ``acties status ID NIEUWE_STATUS`` changes a status through the same
service as the pages and the API; ``--gebruiker`` names who does it (default: the system).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

AddCommand = Callable[[str, Callable[[argparse.Namespace], int], str], Any]


def register(add: AddCommand) -> None:
    doelen = add("doelen", cmd_doelen, "doelen met hun berekende status")
    doelen.add_argument("--format", choices=("tabel", "json"), default="tabel")
    doelen.add_argument("--jaar", type=int, help="stand van dit jaar (standaard: nieuwste data)")
    acties = add("acties", cmd_acties, "acties tonen of hun status wijzigen")
    sub = acties.add_subparsers(dest="action")
    listing = sub.add_parser("lijst", help="acties tonen (standaard)")
    for parser in (acties, listing):
        parser.add_argument("--jaar", type=int)
        parser.add_argument("--stadsdeel", help="stadsdeelcode, bijv. SD999901")
        parser.add_argument("--status", choices=("gepland", "in_uitvoering", "afgerond",
                                                 "vervallen"))  # fmt: skip
    status = sub.add_parser("status", help="status van een actie wijzigen")
    status.add_argument("id", type=int)
    status.add_argument("nieuwe_status")
    status.add_argument("--toelichting", default="")
    status.add_argument("--gebruiker", help="gebruikersnaam (de rechten van die gebruiker gelden)")


def _gemeente() -> Any:
    from veiligheidskaart.cli import UsageError
    from veiligheidskaart.observations.queries import home_gemeente

    gemeente = home_gemeente()
    if gemeente is None:
        raise UsageError("er is nog geen gemeente geladen (zet VK_GEMEENTE of importeer gebieden)")
    return gemeente


def cmd_doelen(args: argparse.Namespace) -> int:
    from veiligheidskaart.policy import queries

    gemeente = _gemeente()
    year = args.jaar or queries.evaluation_year(gemeente.code)
    rows = queries.goal_statuses(gemeente.code, year)
    if args.format == "json":
        print(json.dumps([{"id": r.goal.pk, "doel": r.goal.title, "status": r.result.status,
                           "status_tekst": r.result.label, "reden": r.result.reason,
                           "nulmeting": r.baseline, "doelwaarde": r.target}
                          for r in rows], ensure_ascii=False, indent=2))  # fmt: skip
        return 0
    print(f"Doelen van {gemeente.name}, stand {year}")
    for r in rows:
        latest = r.result.latest
        value = f"{latest.value:g} ({latest.year})" if latest else "-"
        print(f"{r.goal.pk:>3}  {r.result.label:<35} {value:<14} {r.goal.title}")
        print(f"     {r.result.reason}")
    return 0


def cmd_acties(args: argparse.Namespace) -> int:
    if getattr(args, "action", None) == "status":
        return _status(args)
    from veiligheidskaart.areas.models import Area
    from veiligheidskaart.cli import UsageError
    from veiligheidskaart.policy import queries

    gemeente = _gemeente()
    stadsdeel = None
    if args.stadsdeel:
        stadsdeel = Area.objects.filter(code=args.stadsdeel.upper(), level="stadsdeel").first()
        if stadsdeel is None:
            raise UsageError(f"onbekend stadsdeel '{args.stadsdeel}'")
    rows = queries.actions(gemeente.code, year=args.jaar, stadsdeel=stadsdeel,
                           status=args.status or "")  # fmt: skip
    for a in rows:
        areas = ", ".join(x.code for x in a.areas.all())
        print(f"{a.pk:>4}  {a.get_status_display():<14} {a.start:%Y-%m-%d} t/m {a.end:%Y-%m-%d}"
              f"  {a.title} [{areas}]")  # fmt: skip
    return 0


def _status(args: argparse.Namespace) -> int:
    from django.contrib.auth.models import User

    from veiligheidskaart.cli import UsageError
    from veiligheidskaart.policy import services
    from veiligheidskaart.policy.models import Action

    action = Action.objects.filter(pk=args.id).first()
    if action is None:
        raise UsageError(f"er is geen actie {args.id}")
    actor = None
    if args.gebruiker:
        actor = User.objects.filter(username=args.gebruiker).first()
        if actor is None:
            raise UsageError(f"onbekende gebruiker '{args.gebruiker}'")
    try:
        change = services.change_action_status(action, args.nieuwe_status, actor,
                                               args.toelichting)  # fmt: skip
    except (services.PolicyError, services.PolicyPermissionError) as exc:
        raise UsageError(str(exc)) from exc
    print(f"actie {action.pk} '{action.title}': {change.from_status} -> {change.to_status}")
    return 0
