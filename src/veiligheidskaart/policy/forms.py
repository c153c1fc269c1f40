"""The page forms (action, priority, goal, budget line): choices limited to what the user may
pick; the service has the last word."""

from __future__ import annotations

from typing import Any

from django import forms

from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator, Theme
from veiligheidskaart.policy import permissions
from veiligheidskaart.policy.models import Action, BudgetKind, Goal, Priority
from veiligheidskaart.policy.registry import PARTNERS
from veiligheidskaart.policy.services import GOAL_SOURCES, ActionInput, GoalInput

CHECKS = forms.CheckboxSelectMultiple
LEVEL_ORDER = {"gemeente": 0, "stadsdeel": 1, "wijk": 2, "buurt": 3, "focusgebied": 4}


def area_choices(gemeente: Area, user: Any) -> list[tuple[str, str]]:
    """Areas of the gemeente; a scoped user sees only those in their stadsdelen."""
    rows = list(Area.objects.filter(
        gemeente_code=gemeente.code, vintage=gemeente.vintage,
        level__in=("stadsdeel", "wijk", "buurt", "focusgebied"),
    ))  # fmt: skip
    if not permissions.edits_everything(user):
        scope = permissions.scope_ids(user)
        rows = [a for a in rows if permissions.stadsdeel_id(a) in scope]
    else:
        rows.append(gemeente)
    rows.sort(key=lambda a: (LEVEL_ORDER[a.level], a.code))
    return [(a.code, f"{a.name} ({a.get_level_display()}, {a.code})") for a in rows]


class ActionForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200)
    description = forms.CharField(label="Omschrijving", widget=forms.Textarea(attrs={"rows": 4}))
    owner = forms.CharField(label="Eigenaar", max_length=200)
    start = forms.DateField(label="Gepland vanaf", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="Gepland tot en met",
                          widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    themes = forms.MultipleChoiceField(label="Thema's", required=False, widget=CHECKS)
    areas = forms.MultipleChoiceField(label="Gebieden", widget=forms.SelectMultiple(
        attrs={"size": 10}))  # fmt: skip
    partners = forms.MultipleChoiceField(label="Partners", required=False, widget=CHECKS,
                                         choices=[(p.code, p.name) for p in PARTNERS])  # fmt: skip
    priorities = forms.MultipleChoiceField(label="Prioriteiten", required=False, widget=CHECKS)
    goals = forms.MultipleChoiceField(label="Doelen", required=False, widget=CHECKS)

    def __init__(self, *args: Any, gemeente: Area, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gemeente = gemeente
        fields: Any = self.fields
        fields["themes"].choices = [(t.code, t.name) for t in Theme.objects.all()]
        fields["areas"].choices = area_choices(gemeente, user)
        fields["priorities"].choices = [
            (str(p.pk), f"{p.title} ({p.get_status_display()})")
            for p in Priority.objects.filter(gemeente_code=gemeente.code)
        ]
        fields["goals"].choices = [
            (str(g.pk), g.title) for g in Goal.objects.filter(gemeente_code=gemeente.code)
        ]

    def action_input(self) -> ActionInput:
        d = self.cleaned_data
        return ActionInput(
            d["title"], d["description"], d["owner"], d["start"], d["end"], tuple(d["themes"]),
            tuple(d["areas"]), tuple(d["partners"]), tuple(int(x) for x in d["priorities"]),
            tuple(int(x) for x in d["goals"]), self.gemeente.code,
        )  # fmt: skip


def initial_of(action: Action) -> dict[str, Any]:
    return {
        "title": action.title, "description": action.description, "owner": action.owner,
        "start": action.start, "end": action.end, "partners": action.partners,
        "themes": [t.code for t in action.themes.all()],
        "areas": [a.code for a in action.areas.all()],
        "priorities": [str(p.pk) for p in action.priorities.all()],
        "goals": [str(g.pk) for g in action.goals.all()],
    }  # fmt: skip


# --- priorities, goals and budget lines (analist, beheerder) -----------------------------------
YEAR = {"min_value": 2000, "max_value": 2100}
SCORE = {"min_value": 1, "max_value": 5}
DIRECTIONS = [("lager", "lager is beter"), ("hoger", "hoger is beter")]


def _area_select(gemeente: Area, user: Any) -> list[tuple[str, str]]:
    return [("", "—")] + area_choices(gemeente, user)


class PriorityForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200)
    theme = forms.ChoiceField(label="Thema", required=False,
                              help_text="Een thema, een gebied of allebei.")  # fmt: skip
    area = forms.ChoiceField(label="Gebied", required=False)
    start_year = forms.IntegerField(label="Van jaar", **YEAR)
    end_year = forms.IntegerField(label="Tot en met jaar", **YEAR)
    seriousness = forms.IntegerField(label="Ernst (1-5)", **SCORE)
    seriousness_reason = forms.CharField(label="Onderbouwing ernst",
                                         widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    influence = forms.IntegerField(label="Beïnvloedbaarheid (1-5)", **SCORE)
    influence_reason = forms.CharField(label="Onderbouwing beïnvloedbaarheid",
                                       widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args: Any, gemeente: Area, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["theme"].choices = [("", "—")] + [(t.code, t.name) for t in Theme.objects.all()]
        fields["area"].choices = _area_select(gemeente, user)


class GoalForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=300)
    indicator = forms.ChoiceField(label="Indicator")
    area = forms.ChoiceField(label="Gebied")
    adopted_baseline_value = forms.FloatField(label="Nulmeting zoals vastgesteld (waarde)",
                                              localize=True)  # fmt: skip
    adopted_baseline_label = forms.CharField(
        label="Nulmeting (periode, bron)", max_length=200,
        help_text="Zoals vastgesteld, bijv. 'gemiddeld 187 per jaar (2019–2021)'.",
    )  # fmt: skip
    baseline_start_year = forms.IntegerField(label="Nulmeting vanaf jaar", **YEAR)
    baseline_end_year = forms.IntegerField(label="Nulmeting tot en met jaar", **YEAR)
    target_value = forms.FloatField(label="Doelwaarde", required=False, localize=True,
                                    help_text="Of vul het doel als verandering in.")  # fmt: skip
    target_change = forms.FloatField(
        label="Doel als verandering", required=False, localize=True,
        help_text="Bijv. -0,20 voor 20% minder dan de (herberekende) nulmeting.",
    )  # fmt: skip
    deadline_year = forms.IntegerField(label="Uiterlijk in jaar", **YEAR)
    direction = forms.ChoiceField(label="Richting", choices=DIRECTIONS, initial="lager",
                                  widget=forms.RadioSelect)  # fmt: skip
    priorities = forms.MultipleChoiceField(label="Prioriteiten", required=False, widget=CHECKS)

    def __init__(self, *args: Any, gemeente: Area, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gemeente = gemeente
        fields: Any = self.fields
        fields["indicator"].choices = [("", "—")] + [
            (i.code, f"{i.name} ({i.get_source_display()})")
            for i in Indicator.objects.filter(source__in=GOAL_SOURCES).order_by("order", "code")
        ]
        fields["area"].choices = _area_select(gemeente, user)
        fields["priorities"].choices = [
            (str(p.pk), f"{p.title} ({p.get_status_display()})")
            for p in Priority.objects.filter(gemeente_code=gemeente.code)
        ]

    def goal_input(self) -> GoalInput:
        d = self.cleaned_data
        return GoalInput(
            self.gemeente.code, d["title"], d["indicator"], d["area"],
            d["adopted_baseline_value"], d["adopted_baseline_label"], d["baseline_start_year"],
            d["baseline_end_year"], d["deadline_year"], d["direction"] == "lager",
            d["target_value"], d["target_change"], tuple(int(x) for x in d["priorities"]),
        )  # fmt: skip


def goal_initial(goal: Goal) -> dict[str, Any]:
    return {
        "title": goal.title, "indicator": goal.indicator.code if goal.indicator else "",
        "area": goal.area.code, "adopted_baseline_value": goal.adopted_baseline_value,
        "adopted_baseline_label": goal.adopted_baseline_label,
        "baseline_start_year": goal.baseline_start_year,
        "baseline_end_year": goal.baseline_end_year, "target_value": goal.target_value,
        "target_change": goal.target_change, "deadline_year": goal.deadline_year,
        "direction": "lager" if goal.lower_is_better else "hoger",
        "priorities": [str(p.pk) for p in goal.priorities.all()],
    }  # fmt: skip


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label="Jaar", **YEAR)
    name = forms.CharField(label="Omschrijving", max_length=200)
    kind = forms.ChoiceField(label="Soort", choices=BudgetKind.choices, widget=forms.RadioSelect)
    amount = forms.DecimalField(label="Bedrag (€)", max_digits=14, decimal_places=2,
                                min_value=0, localize=True)  # fmt: skip
    actions = forms.MultipleChoiceField(label="Gefinancierde acties", required=False,
                                        widget=CHECKS)  # fmt: skip

    def __init__(self, *args: Any, gemeente: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["actions"].choices = [
            (str(a.pk), a.title) for a in Action.objects.filter(gemeente_code=gemeente.code)
        ]
