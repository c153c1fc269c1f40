"""Who sees and exports what: data classification × role (DESIGN §4), as data.

A dataset's classification (open, intern, vertrouwelijk, wpg) decides access. The table says,
per role, which classifications the role may *see* (on pages, map layers and the API) and which
it may *export* (CSV, Excel, API downloads). The anonymous public is the role ``None``.

A stadsdeelmanager sees internal data for the own stadsdelen only (``StadsdeelScope``); every
other role's rights hold for the whole gemeente. Confidential and Wpg data never leave the
application as records: analysts see them aggregated, and nobody exports them.

>>> may("analist", "wpg", "see"), may("analist", "wpg", "export"), may(None, "open", "export")
(True, False, True)
>>> may("partner", "intern", "see"), may("stadsdeelmanager", "intern", "see")
(False, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

CLASSIFICATIONS = ("open", "intern", "vertrouwelijk", "wpg")
PUBLIC = None
Right = Literal["see", "export"]


@dataclass(frozen=True)
class Rule:
    role: str | None  # None: the anonymous public
    classification: str
    see: bool
    export: bool


def _rules() -> tuple[Rule, ...]:
    # (see, export) per classification, in the order of CLASSIFICATIONS
    grid: dict[str | None, tuple[tuple[bool, bool], ...]] = {
        None: ((True, True), (False, False), (False, False), (False, False)),
        "partner": ((True, True), (False, False), (False, False), (False, False)),
        "stadsdeelmanager": ((True, True), (True, True), (False, False), (False, False)),
        "analist": ((True, True), (True, True), (True, False), (True, False)),
        "beheerder": ((True, True), (True, True), (True, False), (True, False)),
    }
    return tuple(
        Rule(role, classification, see, export)
        for role, rights in grid.items()
        for classification, (see, export) in zip(CLASSIFICATIONS, rights, strict=True)
    )


RULES: tuple[Rule, ...] = _rules()
_INDEX = {(r.role, r.classification): r for r in RULES}
SCOPED_ROLES = ("stadsdeelmanager",)  # internal rights only inside the own stadsdelen


def may(role: str | None, classification: str, right: Right) -> bool:
    """The table's answer; an unknown role or classification gets nothing."""
    rule = _INDEX.get((role, classification))
    return bool(rule and getattr(rule, right))


def role(user: Any) -> str | None:
    """The user's role code; None for the public and for a user without a role."""
    if user is None or not user.is_authenticated:
        return None
    from veiligheidskaart.accounts.services import role_of

    code: str | None = role_of(user)
    return code


@dataclass(frozen=True)
class Access:
    """One user's rights, resolved once per request."""

    role: str | None
    stadsdelen: frozenset[int] | None  # area ids; None: the whole gemeente

    def may(self, classification: str, right: Right = "see") -> bool:
        return may(self.role, classification, right)

    @property
    def internal(self) -> bool:
        """May see internal layers somewhere (perhaps only in the own stadsdelen)."""
        return self.may("intern") and (self.stadsdelen is None or bool(self.stadsdelen))

    def internal_in(self, stadsdeel_id: int | None) -> bool:
        """May see internal data of an area in this stadsdeel (None: not in any stadsdeel)."""
        if not self.may("intern"):
            return False
        return self.stadsdelen is None or (stadsdeel_id is not None and
                                           stadsdeel_id in self.stadsdelen)  # fmt: skip


def access_of(user: Any) -> Access:
    code = role(user)
    if code in SCOPED_ROLES:
        ids = frozenset(user.stadsdeel_scopes.values_list("stadsdeel_id", flat=True))
        return Access(code, ids)
    return Access(code, None)
