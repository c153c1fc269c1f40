"""Internal pages: /doelen, /acties, /acties/<id>, the action, priority, goal and budget-line
forms. Thin: query, call a
service, render. Writes are POST with CSRF; a refused write shows the service's reason."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render

from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Theme
from veiligheidskaart.observations.queries import home_gemeente
from veiligheidskaart.policy import permissions, queries
from veiligheidskaart.policy import services as s
from veiligheidskaart.policy.effect import effect_indication
from veiligheidskaart.policy.forms import (
    ActionForm,
    BudgetLineForm,
    GoalForm,
    PriorityForm,
    goal_initial,
    initial_of,
)
from veiligheidskaart.policy.models import Action, Goal, GoalKind, PeerGroup, Priority
from veiligheidskaart.policy.registry import (
    ACTION_STATUSES,
    ACTION_TRANSITIONS,
    PARTNER_BY_CODE,
    allowed,
)
from veiligheidskaart.web.charts import nl

STATUS_LABELS = dict(ACTION_STATUSES)


def _gemeente() -> Area:
    gemeente = home_gemeente()
    if gemeente is None:
        raise Http404("Er is nog geen gemeente geladen.")
    return gemeente


@login_required
def doelen(request: HttpRequest) -> HttpResponse:
    gemeente = _gemeente()
    year = queries.evaluation_year(gemeente.code)
    rows = queries.goal_statuses(gemeente.code, year)
    groups = PeerGroup.objects.filter(gemeente_code=gemeente.code)
    benchmark = [(g, queries.peer_ranks(g)) for g in groups]
    return render(request, "policy/doelen.html", {
        "rows": [_goal_view(r) for r in rows], "year": year, "benchmark": benchmark,
        "may_add": request.user.has_perm("policy.add_goal"),
        "may_change": request.user.has_perm("policy.change_goal"),
    })  # fmt: skip


def _goal_view(row: queries.GoalStatusRow) -> dict[str, Any]:
    goal, latest = row.goal, row.result.latest
    digits = 1 if goal.kind == "enquete" else 0
    unit = "%" if goal.kind == "enquete" else ""

    def fmt(value: float | None) -> str:
        return "" if value is None else f"{nl(value, digits)}{unit}"

    return {
        "goal": goal, "status": row.result.status, "label": row.result.label,
        "reason": row.result.reason, "baseline": fmt(row.baseline),
        "baseline_years": row.baseline_years, "baseline_note": row.baseline_note,
        "target": fmt(row.target),
        "latest": f"{fmt(latest.value)} ({latest.year}; 95%-interval {fmt(latest.lower)}–"
                  f"{fmt(latest.upper)})" if latest else "",
        "path": fmt(row.result.path_value),
        "series": [(p.year, fmt(p.value), fmt(p.lower), fmt(p.upper)) for p in row.series],
        "actions": list(goal.actions.all()),
    }  # fmt: skip


@login_required
def acties(request: HttpRequest) -> HttpResponse:
    gemeente = _gemeente()
    filters = {k: request.GET.get(k, "").strip() for k in
               ("jaar", "stadsdeel", "status", "thema", "prioriteit")}  # fmt: skip
    year = int(filters["jaar"]) if filters["jaar"].isdigit() else None
    stadsdeel = Area.objects.filter(code=filters["stadsdeel"].upper(), level="stadsdeel",
                                    gemeente_code=gemeente.code).first()  # fmt: skip
    priority = (Priority.objects.filter(pk=filters["prioriteit"], gemeente_code=gemeente.code)
                .first() if filters["prioriteit"].isdigit() else None)  # fmt: skip
    rows = queries.actions(gemeente.code, year=year, stadsdeel=stadsdeel, priority=priority,
                           status=filters["status"] if filters["status"] in STATUS_LABELS
                           else "", theme=filters["thema"])  # fmt: skip
    years = sorted({y for a in Action.objects.filter(gemeente_code=gemeente.code)
                    for y in range(a.start.year, a.end.year + 1)})  # fmt: skip
    return render(request, "policy/acties.html", {
        "rows": rows, "filters": filters, "years": years, "statuses": ACTION_STATUSES,
        "stadsdelen": Area.objects.filter(level="stadsdeel", gemeente_code=gemeente.code),
        "themes": Theme.objects.filter(action__isnull=False).distinct(),
        "priorities": Priority.objects.filter(gemeente_code=gemeente.code),
        "may_create": permissions.may_write_anything(request.user),
        "query": urlencode({k: v for k, v in filters.items() if v}),
    })  # fmt: skip


@login_required
def actie(request: HttpRequest, pk: int) -> HttpResponse:
    gemeente = _gemeente()
    action = get_object_or_404(Action, pk=pk, gemeente_code=gemeente.code)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("wat") == "status":
                s.change_action_status(action, request.POST.get("status", ""), request.user,
                                       request.POST.get("toelichting", ""))  # fmt: skip
            else:
                s.add_action_note(action, request.POST.get("tekst", ""), request.user)
            return HttpResponseRedirect(f"/acties/{action.pk}")
        except (s.PolicyError, s.PolicyPermissionError) as exc:
            error = str(exc)
    may_edit = permissions.may_edit_action(request.user, action)
    context = {
        "action": action, "may_edit": may_edit, "error": error,
        "status_label": STATUS_LABELS[action.status],
        "next_statuses": [(c, STATUS_LABELS[c]) for c in allowed(ACTION_TRANSITIONS,
                                                                action.status)],
        "partners": [PARTNER_BY_CODE[c].name for c in action.partners if c in PARTNER_BY_CODE],
        "history": [{"row": h, "from_label": STATUS_LABELS.get(h.from_status, ""),
                     "to_label": STATUS_LABELS.get(h.to_status, h.to_status)}
                    for h in action.history.select_related("changed_by")],
        "notes": action.notes.select_related("author"),
        "effect": effect_indication(action), "budget": action.budget_lines.all(),
    }  # fmt: skip
    return render(request, "policy/actie.html", context, status=400 if error else 200)


@login_required
def actie_formulier(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    gemeente = _gemeente()
    action = get_object_or_404(Action, pk=pk, gemeente_code=gemeente.code) if pk else None
    allowed_here = (permissions.may_edit_action(request.user, action) if action
                    else permissions.may_write_anything(request.user))  # fmt: skip
    if not allowed_here:
        return render(request, "policy/geen_toegang.html", status=403)
    form = ActionForm(request.POST or None, gemeente=gemeente, user=request.user,
                      initial=initial_of(action) if action else None)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            data = form.action_input()
            saved = (s.update_action(action, data, request.user) if action
                     else s.create_action(data, request.user))  # fmt: skip
            return HttpResponseRedirect(f"/acties/{saved.pk}")
        except s.PolicyError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        except s.PolicyPermissionError as exc:
            form.add_error(None, str(exc))
    status = 400 if request.method == "POST" else 200
    return render(request, "policy/actie_formulier.html", {"form": form, "action": action},
                  status=status)  # fmt: skip


# --- priorities, goals and budget lines: analist and beheerder only (their add/change perms) ---
def _form_page(request: HttpRequest, form: Any, heading: str, cancel: str) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, "policy/formulier.html", {"form": form, "heading": heading,
                                                      "cancel": cancel}, status=status)  # fmt: skip


def _refused(form: Any, exc: Exception) -> None:
    field = getattr(exc, "field", "")
    form.add_error(field if field in form.fields else None, str(exc))


@login_required
def prioriteit_formulier(request: HttpRequest) -> HttpResponse:
    gemeente = _gemeente()
    if not request.user.has_perm("policy.add_priority"):
        return render(request, "policy/geen_toegang.html", status=403)
    form = PriorityForm(request.POST or None, gemeente=gemeente, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            s.propose_priority(
                gemeente.code, d["title"], d["start_year"], d["end_year"], theme_code=d["theme"],
                area_code=d["area"], seriousness=d["seriousness"],
                seriousness_reason=d["seriousness_reason"], influence=d["influence"],
                influence_reason=d["influence_reason"], actor=request.user,
            )  # fmt: skip
            return HttpResponseRedirect("/beleid/prioriteiten")
        except (s.PolicyError, s.PolicyPermissionError) as exc:
            _refused(form, exc)
    return _form_page(request, form, "Nieuwe prioriteit (voorgesteld)", "/beleid/prioriteiten")


@login_required
def doel_formulier(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    gemeente = _gemeente()
    goal = get_object_or_404(Goal, pk=pk, gemeente_code=gemeente.code) if pk else None
    if not request.user.has_perm("policy.change_goal" if goal else "policy.add_goal"):
        return render(request, "policy/geen_toegang.html", status=403)
    if goal is not None and goal.kind == GoalKind.RANK:
        raise Http404("Een rangdoel heeft een vergelijkingsgroep; wijzig het in het beheer.")
    form = GoalForm(request.POST or None, gemeente=gemeente, user=request.user,
                    initial=goal_initial(goal) if goal else None)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            data = form.goal_input()
            saved = (s.update_goal(goal, data, request.user) if goal
                     else s.add_goal(data, request.user))  # fmt: skip
            return HttpResponseRedirect(f"/doelen#doel-{saved.pk}")
        except (s.PolicyError, s.PolicyPermissionError) as exc:
            _refused(form, exc)
    heading = f"Doel bewerken: {goal.title}" if goal else "Nieuw doel"
    return _form_page(request, form, heading, "/doelen")


@login_required
def begrotingsregel_formulier(request: HttpRequest) -> HttpResponse:
    gemeente = _gemeente()
    if not request.user.has_perm("policy.add_budgetline"):
        return render(request, "policy/geen_toegang.html", status=403)
    form = BudgetLineForm(request.POST or None, gemeente=gemeente)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            s.add_budget_line(gemeente.code, d["year"], d["name"], d["kind"], d["amount"],
                              tuple(int(x) for x in d["actions"]), request.user)  # fmt: skip
            return HttpResponseRedirect(f"/begroting#begroting-{d['year']}")
        except (s.PolicyError, s.PolicyPermissionError) as exc:
            _refused(form, exc)
    return _form_page(request, form, "Nieuwe begrotingsregel", "/begroting")
