"""The inbox: meldingen and aandachtspunten for the roles that handle them, within scope.

Anonymous users are sent to the login; partners (and users without a handling role) get 403;
a melding outside the user's stadsdelen is a 404, so its existence does not leak. Opening a
melding with personal data logs the access.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from veiligheidskaart.accounts.services import role_of
from veiligheidskaart.meldingen import registry, services
from veiligheidskaart.meldingen.forms import AandachtspuntStatusForm, NoteForm, StatusForm
from veiligheidskaart.meldingen.models import Melding, Status
from veiligheidskaart.meldingen.rules import ALL_MELDINGEN_ROLES

HANDLING_ROLES = (*ALL_MELDINGEN_ROLES, "stadsdeelmanager")
PAGE_SIZE = 50
ACCESS_REASON = "melding geopend in de inbox"


def _require_handler(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_superuser or role_of(user) in HANDLING_ROLES):  # type: ignore[arg-type]
        raise PermissionDenied("Uw rol behandelt geen meldingen.")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _require_handler(request)
    rows = services.visible_meldingen(request.user).filter(duplicate_of__isnull=True)
    chosen = request.GET.get("status", "")
    if chosen == "open":
        rows = rows.filter(status__in=services.OPEN)
    elif chosen in Status.values:
        rows = rows.filter(status=chosen)
    page = Paginator(rows.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    now = timezone.now()
    items = [_row(m, now) for m in page.object_list]
    punten = services.visible_aandachtspunten(request.user).order_by("-received_at")[:PAGE_SIZE]
    context = {
        "page": page,
        "items": items,
        "chosen": chosen,
        "statuses": Status.choices,
        "punten": [(p, services.theme_name(p.theme)) for p in punten],
    }
    return render(request, "meldingen/inbox.html", context)


def _row(m: Melding, now: Any) -> dict[str, Any]:
    cat = registry.category(m.category)
    return {
        "m": m,
        "category": cat.name if cat else m.category,
        "overdue": m.status in services.OPEN and m.deadline < now,
        "duplicates": m.duplicates.count(),
    }


def _melding(request: HttpRequest, pk: int) -> Melding:
    melding = services.visible_meldingen(request.user).filter(pk=pk).first()
    if melding is None:
        raise Http404("Onbekende melding")
    return melding


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_handler(request)
    melding = _melding(request, pk)
    allowed = services.TRANSITIONS.get(melding.status, ())
    status_form = StatusForm(allowed=allowed, prefix="status")
    note_form = NoteForm(prefix="notitie")
    if request.method == "POST":
        if "status-status" in request.POST:
            status_form = StatusForm(request.POST, allowed=allowed, prefix="status")
            if status_form.is_valid() and _apply(request, melding, status_form.cleaned_data):
                return HttpResponseRedirect(f"/meldingen/inbox/{melding.pk}")
        else:
            note_form = NoteForm(request.POST, prefix="notitie")
            if note_form.is_valid():
                data = note_form.cleaned_data
                services.add_note(melding, data["text"], data["public"], request.user)
                messages.success(request, "Notitie toegevoegd.")
                return HttpResponseRedirect(f"/meldingen/inbox/{melding.pk}")
    if melding.has_personal_data:
        services.log_personal_access(request.user, melding, ACCESS_REASON)
    cat = registry.category(melding.category)
    context = {
        "melding": melding,
        "category": cat,
        "status_form": status_form,
        "note_form": note_form,
        "history": melding.history.select_related("user"),
        "notes": melding.notes.select_related("user"),
        "duplicates": melding.duplicates.all(),
        "overdue": melding.status in services.OPEN and melding.deadline < timezone.now(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "meldingen/inbox_detail.html", context, status=status)


def _apply(request: HttpRequest, melding: Melding, data: dict[str, Any]) -> bool:
    try:
        services.change_status(
            melding,
            data["status"],
            request.user,
            note=data["note"],
            note_public=data["note_public"],
        )
    except services.MeldingInvalid as exc:
        for message in exc.errors.values():
            messages.error(request, message)
        return False
    messages.success(request, f"Status gewijzigd naar '{Status(data['status']).label}'.")
    return True


@login_required
@require_http_methods(["POST"])
def aandachtspunt_status(request: HttpRequest, pk: int) -> HttpResponse:
    _require_handler(request)
    punt = services.visible_aandachtspunten(request.user).filter(pk=pk).first()
    if punt is None:
        raise Http404("Onbekend aandachtspunt")
    form = AandachtspuntStatusForm(request.POST)
    if form.is_valid():
        services.set_aandachtspunt_status(punt, form.cleaned_data["status"], request.user)
        messages.success(request, "Aandachtspunt bijgewerkt.")
    return HttpResponseRedirect("/meldingen/inbox#aandachtspunten")
