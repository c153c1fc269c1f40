"""The action form: choices limited to what the user may pick; the service has the last word."""

from __future__ import annotations

from typing import Any

from django import forms

from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Theme
from veiligheidskaart.policy import permissions
from veiligheidskaart.policy.models import Action, Goal, Priority
from veiligheidskaart.policy.registry import PARTNERS
from veiligheidskaart.policy.services import ActionInput

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
