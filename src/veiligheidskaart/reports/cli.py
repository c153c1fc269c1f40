"""Subcommands of this app for ``veiligheidskaart`` (see cli.COMMAND_MODULES)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

AddCommand = Callable[[str, Callable[[argparse.Namespace], int], str], Any]


def register(add: AddCommand) -> None:
    """This app has no subcommands yet."""
