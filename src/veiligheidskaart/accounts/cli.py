"""``veiligheidskaart apikey create|revoke|list`` (see cli.COMMAND_MODULES).

``create`` prints the key alone on the last line of stdout, so scripts can take it with
``tail -n 1``; it is shown only then.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

AddCommand = Callable[[str, Callable[[argparse.Namespace], int], str], Any]


def cmd_apikey(args: argparse.Namespace) -> int:
    from veiligheidskaart.accounts import apikeys
    from veiligheidskaart.cli import UsageError

    try:
        if args.action == "create":
            new = apikeys.create_key(args.name)
            print(f"API-sleutel voor '{new.name}' aangemaakt; hij wordt maar één keer getoond:")
            print(new.key)
        elif args.action == "revoke":
            apikeys.revoke_key(args.name)
            print(f"API-sleutel van '{args.name}' ingetrokken")
        else:
            for row in apikeys.key_rows():
                state = f"ingetrokken {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "actief"
                print(f"{row.name}\t{row.prefix}…\t{row.created:%Y-%m-%d}\t{state}")
    except apikeys.ApiKeyError as exc:
        raise UsageError(str(exc)) from exc
    return 0


def register(add: AddCommand) -> None:
    parser = add("apikey", cmd_apikey, "API-sleutels voor Open311 beheren")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("create", help="maak een sleutel; de laatste regel is de sleutel").add_argument(
        "name"
    )
    sub.add_parser("revoke", help="trek de actieve sleutel van een naam in").add_argument("name")
    sub.add_parser("list", help="toon alle sleutels (alleen het begin)")
