"""Write paths for users and roles."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from veiligheidskaart.accounts.models import StadsdeelScope
from veiligheidskaart.accounts.roles import ALL, ROLE_BY_CODE, ROLES
from veiligheidskaart.areas.models import Area, Level


class AccountError(ValueError):
    """Bad input for an account write; the message is Dutch and names the field."""


@transaction.atomic
def sync_roles() -> int:
    """Create or update one auth group per role with exactly its permissions."""
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.code)
        if ALL in role.permissions:
            perms = list(Permission.objects.all())
        else:
            perms = [_permission(code) for code in role.permissions]
        group.permissions.set([p for p in perms if p is not None])
    return len(ROLES)


def _permission(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


@transaction.atomic
def create_user(
    username: str,
    role: str,
    password: str,
    email: str = "",
    stadsdelen: Sequence[str] = (),
) -> User:
    """Create a user in one role; a stadsdeelmanager needs at least one stadsdeel code."""
    if role not in ROLE_BY_CODE:
        raise AccountError(f"onbekende rol '{role}'; kies uit {', '.join(ROLE_BY_CODE)}")
    if User.objects.filter(username=username).exists():
        raise AccountError(f"gebruiker '{username}' bestaat al")
    if role == "stadsdeelmanager" and not stadsdelen:
        raise AccountError("een stadsdeelmanager heeft minstens één --stadsdeel nodig")
    areas = _stadsdelen(stadsdelen)
    sync_roles()
    definition = ROLE_BY_CODE[role]
    user = User.objects.create_user(username=username, email=email, password=password)
    user.is_staff = definition.staff
    user.is_superuser = role == "beheerder"
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.add(Group.objects.get(name=role))
    StadsdeelScope.objects.bulk_create(StadsdeelScope(user=user, stadsdeel=a) for a in areas)
    return user


def _stadsdelen(codes: Sequence[str]) -> list[Area]:
    areas = []
    for code in codes:
        area = Area.objects.filter(code=code, level=Level.STADSDEEL).order_by("-vintage").first()
        if area is None:
            raise AccountError(f"onbekend stadsdeel '{code}'")
        areas.append(area)
    return areas


def role_of(user: User) -> str | None:
    """The user's role code, or None for the anonymous public."""
    if not user.is_authenticated:
        return None
    names = set(user.groups.values_list("name", flat=True))
    return next((role.code for role in ROLES if role.code in names), None)


def user_rows() -> list[tuple[str, str, str]]:
    return [
        (
            u.username,
            role_of(u) or "-",
            ",".join(s.stadsdeel.code for s in u.stadsdeel_scopes.all()),
        )
        for u in User.objects.order_by("username").prefetch_related("stadsdeel_scopes__stadsdeel")
    ]
