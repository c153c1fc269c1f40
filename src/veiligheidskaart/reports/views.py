"""/rapporten: published reports for everyone; requests, interpretations and the workflow for
analisten and beheerders. Heavy work is queued as a job, never done in the request."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from veiligheidskaart.areas.models import Area
from veiligheidskaart.observations.queries import home_gemeente
from veiligheidskaart.reports import content as c
from veiligheidskaart.reports import services
from veiligheidskaart.reports.models import Report, ReportJob
from veiligheidskaart.reports.registry import AUTHOR_ROLES, KINDS, TRANSITIONS

MANAGE = "reports.change_report"  # analist and beheerder (accounts.roles)
TRANSITION_SERVICES: dict[str, Callable[[Report, Any, str], Report]] = {
    "vastgesteld": services.adopt_report,  # the note is the decision's reference
    "concept": services.reopen_report,  # the note is the reason
    "gepubliceerd": lambda report, user, note: services.publish_report(report, user),
}


def can_manage(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and request.user.has_perm(MANAGE))


def editable_roles(request: HttpRequest, report: Report) -> list[str]:
    """Whose interpretation this user may write: all for analist/beheerder; a stadsdeelmanager
    only the stadsdeel's text of a report on their own stadsdeel."""
    if report.status != "concept" or not request.user.is_authenticated:
        return []
    if can_manage(request):
        return [r.code for r in AUTHOR_ROLES]
    scoped = request.user.stadsdeel_scopes.filter(stadsdeel__code=report.stadsdeel_code)
    return ["stadsdeel"] if report.stadsdeel_code and scoped.exists() else []


def rapporten(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    published = Report.objects.filter(status="gepubliceerd").order_by("-created_at")
    context: dict[str, Any] = {"published": published, "manage": can_manage(request),
                               "error": error}  # fmt: skip
    if context["manage"]:
        gemeente = home_gemeente()
        context |= {
            "drafts": Report.objects.exclude(status="gepubliceerd").order_by("-created_at")[:30],
            "jobs": ReportJob.objects.select_related("report").order_by("-requested_at")[:15],
            "kinds": KINDS,
            "stadsdelen": Area.objects.filter(level="stadsdeel",
                                              gemeente_code=gemeente.code).order_by("code")
            if gemeente else [],
        }  # fmt: skip
    return render(request, "reports/rapporten.html", context, status=status)


@login_required(login_url="/beheer/login/")
@require_POST
def aanvragen(request: HttpRequest) -> HttpResponse:
    if not can_manage(request):
        raise PermissionDenied
    gemeente = home_gemeente()
    if gemeente is None:
        raise Http404
    kind = request.POST.get("soort", "")
    try:
        subject = c.subject(kind, gemeente, request.POST.get("periode", "").strip(),
                            request.POST.get("stadsdeel", ""))  # fmt: skip
    except c.ReportInputError as exc:
        return rapporten(request, str(exc), status=400)
    report = services.request_report(subject, request.user)
    return redirect("rapport", pk=report.pk)


def _visible(request: HttpRequest, pk: int) -> Report:
    report = get_object_or_404(Report, pk=pk)
    if report.status != "gepubliceerd" and not (can_manage(request)
                                                 or editable_roles(request, report)):  # fmt: skip
        raise Http404
    return report


def rapport(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible(request, pk)
    texts = services.interpretations(report)
    slots = [
        {"key": b["key"], "title": sec["title"],
         "entries": [(r, texts.get(b["key"], {}).get(r.code, "")) for r in AUTHOR_ROLES]}
        for sec in report.content.get("sections", []) for b in services.blocks_of(sec)
        if b["type"] == "duiding"
    ]  # fmt: skip
    manage = can_manage(request)
    context = {
        "report": report, "slots": slots, "roles": AUTHOR_ROLES, "manage": manage,
        "editable": editable_roles(request, report),
        "transitions": [t for t in TRANSITIONS if t.source == report.status] if manage else [],
        "history": report.transitions.select_related("by"),
        "jobs": report.jobs.order_by("-requested_at")[:5] if manage else [],
        "pdf_ready": bool(report.content) and services.pdf_path(report).exists(),
    }  # fmt: skip
    return render(request, "reports/rapport.html", context)


def rapport_html(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible(request, pk)
    if not report.content:
        raise Http404
    return HttpResponse(services.report_html(report))


def rapport_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible(request, pk)
    path = services.pdf_path(report) if report.content else None
    if path is None or not path.exists():
        raise Http404("de PDF is nog niet gemaakt")
    name = f"{report.title}.pdf".replace(" ", "-")
    return FileResponse(path.open("rb"), content_type="application/pdf", filename=name)


@login_required(login_url="/beheer/login/")
@require_POST
def duiding(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    role = request.POST.get("rol", "")
    if role not in editable_roles(request, report):
        raise PermissionDenied
    try:
        services.save_interpretation(report, request.POST.get("onderdeel", ""), role,
                                     request.POST.get("tekst", ""), request.user)  # fmt: skip
    except services.ReportError as exc:
        return HttpResponse(escape(str(exc)), status=409)
    services.enqueue(report, "opmaken", request.user)
    return redirect("rapport", pk=pk)


@login_required(login_url="/beheer/login/")
@require_POST
def status(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_manage(request):
        raise PermissionDenied
    report = get_object_or_404(Report, pk=pk)
    target, note = request.POST.get("naar", ""), request.POST.get("toelichting", "")
    if target not in TRANSITION_SERVICES:
        return HttpResponse("onbekende status", status=400)
    try:
        TRANSITION_SERVICES[target](report, request.user, note)
    except services.ReportError as exc:
        return HttpResponse(escape(str(exc)), status=409)
    return redirect("rapport", pk=pk)


@login_required(login_url="/beheer/login/")
@require_POST
def opnieuw(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a recompute (concept, from the newest datasets) or a new PDF."""
    if not can_manage(request):
        raise PermissionDenied
    report = get_object_or_404(Report, pk=pk)
    action = "maken" if report.status == "concept" and "herberekenen" in request.POST else "opmaken"
    services.enqueue(report, action, request.user)
    return redirect("rapport", pk=pk)
