"""Write paths of the policy app: one function per write, one transaction each.

Pages, the API, the admin, the CLI and the demo seed call these. ``actor`` is the user who
writes; ``None`` is the system (CLI, demo seed), which the permission checks let through.
Every refusal is a :class:`PolicyError` (bad input) or :class:`PolicyPermissionError`, with a
Dutch message that names the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from veiligheidskaart.analysis.goals import Frequency
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator, Theme
from veiligheidskaart.catalogue.registry import Source
from veiligheidskaart.policy import permissions
from veiligheidskaart.policy.models import (
    Action,
    ActionNote,
    ActionStatusChange,
    BudgetLine,
    Goal,
    GoalKind,
    Priority,
    PriorityStatusChange,
)
from veiligheidskaart.policy.registry import (
    ACTION_TRANSITIONS,
    PARTNER_BY_CODE,
    PRIORITY_TRANSITIONS,
    allowed,
)

AREA_LEVELS = ("gemeente", "stadsdeel", "wijk", "buurt", "focusgebied")
# goals entered on the page measure police counts or the Veiligheidsmonitor (policy.goal_status)
GOAL_SOURCES = (Source.MISDRIJVEN, Source.OVERLAST, Source.MONITOR)
PROGRAMME = "Openbare orde en veiligheid"


class PolicyError(ValueError):
    """Bad input for a policy write; ``field`` names the offending field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class PolicyPermissionError(PermissionError):
    """The actor may not make this write."""


@dataclass(frozen=True)
class ActionInput:
    """What a user fills in for an action; codes, not objects, so every adapter can build it."""

    title: str
    description: str
    owner: str
    start: date
    end: date
    theme_codes: Sequence[str] = ()
    area_codes: Sequence[str] = ()
    partners: Sequence[str] = ()
    priority_ids: Sequence[int] = ()
    goal_ids: Sequence[int] = ()
    gemeente_code: str = ""


# --- actions -----------------------------------------------------------------------------------
@transaction.atomic
def create_action(data: ActionInput, actor: Any | None) -> Action:
    """Create an action in status gepland; a stadsdeelmanager only within their stadsdelen."""
    resolved = _resolve(data)
    if actor is not None and not permissions.may_create_action(actor, resolved["areas"]):
        raise PolicyPermissionError(
            "U mag alleen acties aanmaken in gebieden van uw eigen stadsdelen."
        )
    action = Action.objects.create(
        gemeente_code=resolved["gemeente_code"], title=data.title.strip(),
        description=data.description.strip(), owner=data.owner.strip(),
        partners=list(data.partners), start=data.start, end=data.end,
    )  # fmt: skip
    _set_links(action, resolved)
    ActionStatusChange.objects.create(
        action=action, from_status="", to_status=action.status, changed_by=_user(actor),
        note="aangemaakt",
    )  # fmt: skip
    return action


@transaction.atomic
def update_action(action: Action, data: ActionInput, actor: Any | None) -> Action:
    """Change an action's fields (not its status); both old and new areas must be in scope."""
    resolved = _resolve(data, action.gemeente_code)
    if actor is not None and not (
        permissions.may_edit_action(actor, action)
        and permissions.may_create_action(actor, resolved["areas"])
    ):
        raise PolicyPermissionError("U mag deze actie niet wijzigen (ander stadsdeel).")
    for name in ("title", "description", "owner"):
        setattr(action, name, getattr(data, name).strip())
    action.partners, action.start, action.end = list(data.partners), data.start, data.end
    action.save()
    _set_links(action, resolved)
    return action


@transaction.atomic
def change_action_status(action: Action, to_status: str, actor: Any | None, note: str = ""
                         ) -> ActionStatusChange:  # fmt: skip
    """Move an action along the transition table and append a history row."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if actor is not None and not permissions.may_edit_action(actor, locked):
        raise PolicyPermissionError("U mag de status van deze actie niet wijzigen.")
    targets = allowed(ACTION_TRANSITIONS, locked.status)
    if to_status not in targets:
        options = ", ".join(targets) or "geen: de actie is afgesloten"
        raise PolicyError(
            f"status '{locked.status}' kan niet naar '{to_status}'; mogelijk: {options}", "status"
        )
    change = ActionStatusChange.objects.create(
        action=locked, from_status=locked.status, to_status=to_status, note=note.strip(),
        changed_by=_user(actor),
    )  # fmt: skip
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    action.status = to_status
    return change


@transaction.atomic
def add_action_note(action: Action, text: str, actor: Any | None) -> ActionNote:
    """Append a progress note (notes are never edited or deleted)."""
    if not text.strip():
        raise PolicyError("een voortgangsnotitie mag niet leeg zijn", "text")
    if actor is not None and not permissions.may_edit_action(actor, action):
        raise PolicyPermissionError("U mag bij deze actie geen voortgang schrijven.")
    return ActionNote.objects.create(action=action, text=text.strip(), author=_user(actor))


def _resolve(data: ActionInput, gemeente_code: str = "") -> dict[str, Any]:
    if not data.title.strip():
        raise PolicyError("de titel is verplicht", "title")
    if not data.owner.strip():
        raise PolicyError("de eigenaar is verplicht", "owner")
    if data.start > data.end:
        raise PolicyError("het begin ligt na het einde", "end")
    unknown = [p for p in data.partners if p not in PARTNER_BY_CODE]
    if unknown:
        raise PolicyError(f"onbekende partner(s): {', '.join(unknown)}", "partners")
    themes = list(Theme.objects.filter(code__in=data.theme_codes))
    if len(themes) != len(set(data.theme_codes)):
        missing = set(data.theme_codes) - {t.code for t in themes}
        raise PolicyError(f"onbekend thema: {', '.join(sorted(missing))}", "themes")
    areas = _areas(data.area_codes)
    gemeente = gemeente_code or data.gemeente_code or _gemeente_of(areas)
    if not gemeente:
        raise PolicyError("geef een gebied of een gemeente op", "areas")
    if any(a.gemeente_code != gemeente for a in areas if a.level != "gemeente") or any(
        a.code != gemeente for a in areas if a.level == "gemeente"
    ):
        raise PolicyError(f"alle gebieden moeten in {gemeente} liggen", "areas")
    priorities = list(Priority.objects.filter(pk__in=data.priority_ids, gemeente_code=gemeente))
    goals = list(Goal.objects.filter(pk__in=data.goal_ids, gemeente_code=gemeente))
    if len(priorities) != len(set(data.priority_ids)):
        raise PolicyError("onbekende prioriteit", "priorities")
    if len(goals) != len(set(data.goal_ids)):
        raise PolicyError("onbekend doel", "goals")
    return {"themes": themes, "areas": areas, "priorities": priorities, "goals": goals,
            "gemeente_code": gemeente}  # fmt: skip


def _areas(codes: Sequence[str]) -> list[Area]:
    areas = []
    for code in dict.fromkeys(c.strip().upper() for c in codes):
        area = Area.objects.filter(code=code, level__in=AREA_LEVELS).order_by("-vintage").first()
        if area is None:
            raise PolicyError(f"onbekend gebied '{code}'", "areas")
        areas.append(area)
    return areas


def _gemeente_of(areas: list[Area]) -> str:
    codes = {a.code if a.level == "gemeente" else a.gemeente_code for a in areas}
    return codes.pop() if len(codes) == 1 else ""


def _set_links(action: Action, resolved: dict[str, Any]) -> None:
    action.themes.set(resolved["themes"])
    action.areas.set(resolved["areas"])
    action.priorities.set(resolved["priorities"])
    action.goals.set(resolved["goals"])


def _user(actor: Any | None) -> Any | None:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- priorities --------------------------------------------------------------------------------
@transaction.atomic
def propose_priority(gemeente_code: str, title: str, start_year: int, end_year: int, *,
                     theme_code: str = "", area_code: str = "", seriousness: int,
                     seriousness_reason: str, influence: int, influence_reason: str,
                     actor: Any | None = None) -> Priority:  # fmt: skip
    """A new priority in status voorgesteld, with its written seriousness and influence."""
    if actor is not None and not actor.has_perm("policy.add_priority"):
        raise PolicyPermissionError("U mag geen prioriteiten voorstellen.")
    if not title.strip():
        raise PolicyError("de titel is verplicht", "title")
    theme = Theme.objects.filter(code=theme_code).first() if theme_code else None
    area = _areas([area_code])[0] if area_code else None
    if theme is None and area is None:
        raise PolicyError("een prioriteit heeft een thema, een gebied of allebei", "theme")
    for name, score, reason in (("seriousness", seriousness, seriousness_reason),
                                ("influence", influence, influence_reason)):  # fmt: skip
        if not 1 <= score <= 5:
            raise PolicyError("een score loopt van 1 tot en met 5", name)
        if not reason.strip():
            raise PolicyError("schrijf de onderbouwing van de score", f"{name}_reason")
    if start_year > end_year:
        raise PolicyError("het beginjaar ligt na het eindjaar", "end_year")
    priority = Priority.objects.create(
        gemeente_code=gemeente_code, title=title.strip(), theme=theme, area=area,
        start_year=start_year, end_year=end_year, seriousness=seriousness,
        seriousness_reason=seriousness_reason,
        influence=influence, influence_reason=influence_reason,
    )  # fmt: skip
    PriorityStatusChange.objects.create(
        priority=priority, from_status="", to_status=priority.status, changed_by=_user(actor)
    )
    return priority


@transaction.atomic
def change_priority_status(priority: Priority, to_status: str, actor: Any | None,
                           decision_reference: str = "", decided_on: date | None = None
                           ) -> PriorityStatusChange:  # fmt: skip
    """voorgesteld → vastgesteld (with the council decision) or → ingetrokken."""
    locked = Priority.objects.select_for_update().get(pk=priority.pk)
    if actor is not None and not actor.has_perm("policy.change_priority"):
        raise PolicyPermissionError("U mag de status van prioriteiten niet wijzigen.")
    if to_status not in allowed(PRIORITY_TRANSITIONS, locked.status):
        raise PolicyError(f"status '{locked.status}' kan niet naar '{to_status}'", "status")
    if to_status == "vastgesteld" and (not decision_reference.strip() or decided_on is None):
        raise PolicyError("vaststellen vraagt het kenmerk en de datum van het raadsbesluit",
                          "decision_reference")  # fmt: skip
    change = PriorityStatusChange.objects.create(
        priority=locked, from_status=locked.status, to_status=to_status,
        decision_reference=decision_reference.strip(), decided_on=decided_on,
        changed_by=_user(actor),
    )  # fmt: skip
    locked.status = to_status
    if to_status == "vastgesteld":
        locked.decision_reference, locked.decided_on = decision_reference.strip(), decided_on
    locked.save()
    priority.refresh_from_db()
    return change


# --- goals and budget --------------------------------------------------------------------------
@transaction.atomic
def create_goal(priorities: Sequence[Priority] = (), **fields: Any) -> Goal:
    """A goal as the council adopted it; the status is computed, never stored."""
    if fields.get("target_value") is None and fields.get("target_change") is None:
        raise PolicyError("een doel heeft een doelwaarde of een doelverandering", "target_value")
    goal = Goal(**fields)
    _clean(goal)
    goal.save()
    goal.priorities.set(priorities)
    return goal


@transaction.atomic
def save_budget_line(gemeente_code: str, year: int, programme: str, name: str, kind: str,
                     amount: Decimal, actions: Sequence[Action] = ()) -> BudgetLine:  # fmt: skip
    """Create or update one budget line, keyed by year, programme, name and kind."""
    if kind not in ("lasten", "baten"):
        raise PolicyError("soort is 'lasten' of 'baten'", "kind")
    line, _ = BudgetLine.objects.update_or_create(
        gemeente_code=gemeente_code, year=year, programme=programme, name=name, kind=kind,
        defaults={"amount": amount},
    )  # fmt: skip
    line.actions.set(actions)
    return line


# --- goals and budget lines from the pages -------------------------------------------------------
@dataclass(frozen=True)
class GoalInput:
    """A count or survey goal as a user enters it (rank goals come with a peer group: seed/CLI)."""

    gemeente_code: str
    title: str
    indicator_code: str
    area_code: str
    adopted_baseline_value: float
    adopted_baseline_label: str
    baseline_start_year: int
    baseline_end_year: int
    deadline_year: int
    lower_is_better: bool = True
    target_value: float | None = None
    target_change: float | None = None
    priority_ids: Sequence[int] = ()


@transaction.atomic
def add_goal(data: GoalInput, actor: Any | None) -> Goal:
    """Create a goal from the page; needs ``policy.add_goal`` (analist, beheerder)."""
    if actor is not None and not actor.has_perm("policy.add_goal"):
        raise PolicyPermissionError("U mag geen doelen aanmaken.")
    fields, priorities = _goal_fields(data)
    return create_goal(priorities, gemeente_code=data.gemeente_code, **fields)


@transaction.atomic
def update_goal(goal: Goal, data: GoalInput, actor: Any | None) -> Goal:
    """Change a count or survey goal; needs ``policy.change_goal`` (analist, beheerder)."""
    if actor is not None and not actor.has_perm("policy.change_goal"):
        raise PolicyPermissionError("U mag geen doelen wijzigen.")
    if goal.kind == GoalKind.RANK:
        raise PolicyError("een rangdoel wijzigt u niet op deze pagina", "indicator")
    fields, priorities = _goal_fields(data)
    for name, value in fields.items():
        setattr(goal, name, value)
    _clean(goal)
    goal.save()
    goal.priorities.set(priorities)
    return goal


def _goal_fields(data: GoalInput) -> tuple[dict[str, Any], list[Priority]]:
    if not data.title.strip():
        raise PolicyError("de titel is verplicht", "title")
    indicator = Indicator.objects.filter(code=data.indicator_code).first()
    if indicator is None or indicator.source not in GOAL_SOURCES:
        raise PolicyError("kies een indicator uit de politiecijfers of de Veiligheidsmonitor",
                          "indicator")  # fmt: skip
    area = _areas([data.area_code])[0] if data.area_code else None
    if area is None or (area.gemeente_code or area.code) != data.gemeente_code:
        raise PolicyError(f"kies een gebied in {data.gemeente_code}", "area")
    if data.baseline_start_year > data.baseline_end_year:
        raise PolicyError("het beginjaar van de nulmeting ligt na het eindjaar",
                          "baseline_end_year")  # fmt: skip
    if data.deadline_year <= data.baseline_end_year:
        raise PolicyError("de termijn ligt na de nulmeting", "deadline_year")
    if (data.target_value is None) == (data.target_change is None):
        raise PolicyError("geef een doelwaarde of een doel als verandering (één van beide)",
                          "target_value")  # fmt: skip
    if not data.adopted_baseline_label.strip():
        raise PolicyError("beschrijf de nulmeting (periode, bron)", "adopted_baseline_label")
    priorities = list(Priority.objects.filter(pk__in=data.priority_ids,
                                              gemeente_code=data.gemeente_code))  # fmt: skip
    if len(priorities) != len(set(data.priority_ids)):
        raise PolicyError("onbekende prioriteit", "priorities")
    survey = indicator.source == Source.MONITOR
    fields = {
        "title": data.title.strip(), "indicator": indicator, "area": area,
        "kind": GoalKind.SURVEY if survey else GoalKind.COUNT,
        "frequency": (Frequency.BIENNIAL_ODD if survey else Frequency.YEARLY).value,
        "adopted_baseline_value": data.adopted_baseline_value,
        "adopted_baseline_label": data.adopted_baseline_label.strip(),
        "baseline_start_year": data.baseline_start_year,
        "baseline_end_year": data.baseline_end_year, "deadline_year": data.deadline_year,
        "lower_is_better": data.lower_is_better, "target_value": data.target_value,
        "target_change": data.target_change,
    }  # fmt: skip
    return fields, priorities


def _clean(goal: Goal) -> None:
    """The model's own checks, as a PolicyError naming the first offending field."""
    try:
        goal.full_clean(exclude=["priorities"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise PolicyError(str(messages[0]), "" if field == NON_FIELD_ERRORS else field) from exc


@transaction.atomic
def add_budget_line(gemeente_code: str, year: int, name: str, kind: str, amount: Decimal,
                    action_ids: Sequence[int] = (), actor: Any | None = None,
                    programme: str = PROGRAMME) -> BudgetLine:  # fmt: skip
    """A new budget line from the page; an existing line (same year, name, kind) is refused."""
    if actor is not None and not actor.has_perm("policy.add_budgetline"):
        raise PolicyPermissionError("U mag geen begrotingsregels toevoegen.")
    if not name.strip():
        raise PolicyError("de omschrijving is verplicht", "name")
    if not 2000 <= year <= 2100:
        raise PolicyError("het jaar ligt tussen 2000 en 2100", "year")
    if amount < 0:
        raise PolicyError("het bedrag is niet negatief; kies de soort lasten of baten", "amount")
    if BudgetLine.objects.filter(gemeente_code=gemeente_code, year=year, programme=programme,
                                 name=name.strip(), kind=kind).exists():  # fmt: skip
        raise PolicyError(f"er is al een regel '{name.strip()}' ({kind}) voor {year}", "name")
    actions = list(Action.objects.filter(pk__in=action_ids, gemeente_code=gemeente_code))
    if len(actions) != len(set(action_ids)):
        raise PolicyError("onbekende actie", "actions")
    return save_budget_line(gemeente_code, year, programme, name.strip(), kind, amount, actions)
