"""/beheer/ for policy: actions are written through the services with the same scope checks as
pages and API; a stadsdeelmanager's list holds only the actions they may edit. Priorities,
goals, peer groups and budget lines are shown read-only here (their writes are services,
used by the CLI and the demo seed); history and notes are append-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from veiligheidskaart.adminbase import ReadOnlyAdmin
from veiligheidskaart.policy import permissions
from veiligheidskaart.policy import services as s
from veiligheidskaart.policy.models import (
    Action,
    ActionNote,
    ActionStatusChange,
    BudgetLine,
    Goal,
    PeerGroup,
    Priority,
)
from veiligheidskaart.policy.registry import PARTNER_BY_CODE


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HistoryInline(ReadOnlyInline):
    model = ActionStatusChange
    fields = readonly_fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]


class NoteInline(ReadOnlyInline):
    model = ActionNote
    fields = readonly_fields = ["created_at", "author", "text"]


def _transition(target: str, label: str) -> Any:
    @admin.action(description=label)
    def run(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Action]) -> None:
        for action in queryset:
            try:
                s.change_action_status(action, target, request.user)
            except (s.PolicyError, s.PolicyPermissionError) as exc:
                modeladmin.message_user(request, f"{action}: {exc}", messages.ERROR)

    run.__name__ = f"naar_{target}"
    return run


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "status", "start", "end", "owner"]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = ["status", "gemeente_code", "created_at", "updated_at"]
    filter_horizontal = ["themes", "areas", "priorities", "goals"]
    inlines = [HistoryInline, NoteInline]
    actions = [_transition("in_uitvoering", "Status naar in uitvoering"),
               _transition("afgerond", "Status naar afgerond"),
               _transition("vervallen", "Status naar vervallen")]  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet[Action]:
        rows = super().get_queryset(request)
        user = request.user
        if user.has_perm("policy.change_action") and not permissions.edits_everything(user):
            return permissions.editable_actions(user, rows)  # a stadsdeelmanager: own only
        return rows

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False,
                 **kwargs: Any) -> Any:  # fmt: skip
        base = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class ScopedForm(base):  # type: ignore[valid-type,misc]
            """Refuse what the service would refuse, as form errors instead of a 500."""

            def clean(self) -> dict[str, Any]:
                data: dict[str, Any] = super().clean()
                unknown = [p for p in data.get("partners") or () if p not in PARTNER_BY_CODE]
                if unknown:
                    raise forms.ValidationError(f"onbekende partner(s): {', '.join(unknown)}")
                areas = list(data.get("areas") or ())
                if not permissions.may_create_action(user, areas):
                    raise forms.ValidationError(
                        "U mag alleen acties vastleggen in gebieden van uw eigen stadsdelen."
                    )
                return data

        return ScopedForm

    def has_change_permission(self, request: HttpRequest, obj: Action | None = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return permissions.may_edit_action(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Action | None = None) -> bool:
        return False  # an action is ended with status vervallen, never deleted

    def save_model(self, request: HttpRequest, obj: Action, form: Any, change: bool) -> None:
        """Deferred to save_related, where the links are known: one service call saves all."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        d = form.cleaned_data
        data = s.ActionInput(
            d["title"], d["description"], d["owner"], d["start"], d["end"],
            tuple(t.code for t in d["themes"]), tuple(a.code for a in d["areas"]),
            tuple(d["partners"] or ()), tuple(p.pk for p in d["priorities"]),
            tuple(g.pk for g in d["goals"]),
        )  # fmt: skip
        if change:
            original = Action.objects.get(pk=form.instance.pk)
            form.instance = s.update_action(original, data, request.user)
        else:
            form.instance = s.create_action(data, request.user)
        for formset in formsets:  # read-only inlines: saving adds nothing, but the admin's
            formset.instance = form.instance  # change message reads their results
            self.save_formset(request, form, formset, change)


@admin.register(Priority)
class PriorityAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "start_year", "end_year", "decision_reference"]


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "deadline_year"]


@admin.register(PeerGroup)
class PeerGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "baseline_year", "adopted_index"]


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ["year", "name", "kind", "amount"]
