"""REST API of the policy app under /api/v1/: actions (read and write), goals with their
computed status, adopted priorities. Internal: a logged-in user with the view permission
reads; writes go through ``policy.services`` with the same scope checks as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from veiligheidskaart.api.errors import ParameterError, ProblemMixin
from veiligheidskaart.api.renderers import PROBLEM_MEDIA_TYPE, Utf8JSONRenderer
from veiligheidskaart.api.serializers import ProblemSerializer
from veiligheidskaart.areas.models import Area
from veiligheidskaart.observations.queries import home_gemeente
from veiligheidskaart.policy import permissions, queries
from veiligheidskaart.policy import serializers as ps
from veiligheidskaart.policy import services as s
from veiligheidskaart.policy.forms import initial_of
from veiligheidskaart.policy.models import Action
from veiligheidskaart.policy.registry import ACTION_STATUSES


def _problems(*statuses: int) -> dict[Any, Any]:
    return {(code, PROBLEM_MEDIA_TYPE): ProblemSerializer for code in statuses}


class CanViewPolicy(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.has_perm("policy.view_action"))


class PolicyApiView(ProblemMixin, APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated, CanViewPolicy]
    renderer_classes = [Utf8JSONRenderer]
    parser_classes = [JSONParser]

    def gemeente(self) -> Area:
        gemeente = home_gemeente()
        if gemeente is None:
            raise NotFound("Er is nog geen gemeente geladen.")
        return gemeente


def _write(call: Any) -> Any:
    """Run a service call; map its refusals to 400 and 403 problems."""
    try:
        return call()
    except s.PolicyPermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except s.PolicyError as exc:
        raise ValidationError({exc.field or "actie": [str(exc)]}) from exc


def _action_out(action: Action, user: Any) -> dict[str, Any]:
    return ps.ActionSerializer.data_of(action, permissions.may_edit_action(user, action))


def _input(data: dict[str, Any], gemeente: str) -> s.ActionInput:
    return s.ActionInput(
        data["title"], data["description"], data["owner"], data["start"], data["end"],
        tuple(data.get("themes", ())), tuple(data["areas"]), tuple(data.get("partners", ())),
        tuple(data.get("priorities", ())), tuple(data.get("goals", ())), gemeente,
    )  # fmt: skip


STATUS_CODES = [code for code, _ in ACTION_STATUSES]
FILTERS = [
    OpenApiParameter("year", int, description="planperiode overlapt dit jaar"),
    OpenApiParameter("stadsdeel", str, description="stadsdeelcode, bijv. SD999901"),
    OpenApiParameter("status", str, enum=STATUS_CODES),
    OpenApiParameter("theme", str, description="themacode"),
]


class ActionListView(PolicyApiView):
    @extend_schema(operation_id="actions_list", summary="Acties, gefilterd", parameters=FILTERS,
                   responses={200: ps.ActionSerializer(many=True),
                              **_problems(400, 403, 404)})  # fmt: skip
    def get(self, request: Request) -> Response:
        gemeente = self.gemeente()
        year = request.query_params.get("year", "")
        if year and not (year.isdigit() and 1900 <= int(year) <= 2100):
            raise ParameterError("year", "een jaar van vier cijfers")
        status = request.query_params.get("status", "")
        if status and status not in STATUS_CODES:
            raise ParameterError("status", f"kies uit {', '.join(STATUS_CODES)}")
        code = request.query_params.get("stadsdeel", "")
        stadsdeel = None
        if code:
            stadsdeel = Area.objects.filter(code=code.upper(), level="stadsdeel",
                                            gemeente_code=gemeente.code).first()  # fmt: skip
            if stadsdeel is None:
                raise ParameterError("stadsdeel", f"onbekend stadsdeel '{code}'")
        rows = queries.actions(gemeente.code, year=int(year) if year else None,
                               stadsdeel=stadsdeel, status=status,
                               theme=request.query_params.get("theme", ""))  # fmt: skip
        return Response([_action_out(a, request.user) for a in rows])

    @extend_schema(operation_id="actions_create", summary="Nieuwe actie",
                   request=ps.ActionInputSerializer,
                   responses={201: ps.ActionSerializer, **_problems(400, 403, 404)})  # fmt: skip
    def post(self, request: Request) -> Response:
        gemeente = self.gemeente()
        body = ps.ActionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        action = _write(lambda: s.create_action(_input(body.validated_data, gemeente.code),
                                                request.user))  # fmt: skip
        return Response(_action_out(action, request.user), status=201)


class ActionLookup(PolicyApiView):
    def find(self, pk: int) -> Action:
        action = Action.objects.filter(pk=pk, gemeente_code=self.gemeente().code).first()
        if action is None:
            raise NotFound(f"Er is geen actie {pk}.")
        return action


class ActionDetailView(ActionLookup):
    @extend_schema(operation_id="actions_detail", summary="Eén actie",
                   responses={200: ps.ActionSerializer, **_problems(403, 404)})  # fmt: skip
    def get(self, request: Request, pk: int) -> Response:
        return Response(_action_out(self.find(pk), request.user))

    @extend_schema(operation_id="actions_update", summary="Actie wijzigen (niet de status)",
                   request=ps.ActionInputSerializer(partial=True),
                   responses={200: ps.ActionSerializer, **_problems(400, 403, 404)})  # fmt: skip
    def patch(self, request: Request, pk: int) -> Response:
        action = self.find(pk)
        if not permissions.may_edit_action(request.user, action):
            raise PermissionDenied(
                "U mag deze actie niet wijzigen (ander stadsdeel of alleen lezen)."
            )
        body = ps.ActionInputSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        merged = initial_of(action) | dict(body.validated_data)
        merged["priorities"] = [int(x) for x in merged["priorities"]]
        merged["goals"] = [int(x) for x in merged["goals"]]
        saved = _write(lambda: s.update_action(action, _input(merged, action.gemeente_code),
                                               request.user))  # fmt: skip
        return Response(_action_out(saved, request.user))


class ActionStatusView(ActionLookup):
    @extend_schema(operation_id="actions_status", summary="Status van een actie wijzigen",
                   request=ps.StatusChangeSerializer,
                   responses={201: ps.StatusChangeResultSerializer,
                              **_problems(400, 403, 404)})  # fmt: skip
    def post(self, request: Request, pk: int) -> Response:
        action = self.find(pk)
        body = ps.StatusChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        change = _write(lambda: s.change_action_status(action, data["status"], request.user,
                                                       data.get("note", "")))  # fmt: skip
        return Response({"id": change.pk, "from_status": change.from_status,
                         "to_status": change.to_status,
                         "changed_by": change.changed_by.username if change.changed_by else None,
                         "changed_at": change.changed_at.isoformat()}, status=201)  # fmt: skip


class GoalListView(PolicyApiView):
    @extend_schema(operation_id="goals_list", summary="Doelen met berekende status",
                   responses={200: ps.GoalSerializer(many=True),
                              **_problems(403, 404)})  # fmt: skip
    def get(self, request: Request) -> Response:
        gemeente = self.gemeente()
        rows = queries.goal_statuses(gemeente.code, queries.evaluation_year(gemeente.code))
        return Response([_goal(r) for r in rows])


def _goal(row: queries.GoalStatusRow) -> dict[str, Any]:
    g = row.goal
    return {
        "id": g.pk, "title": g.title, "kind": g.kind,
        "indicator": g.indicator.code if g.indicator else None, "area": g.area.code,
        "adopted_baseline_value": g.adopted_baseline_value,
        "adopted_baseline_label": g.adopted_baseline_label, "baseline": row.baseline,
        "baseline_note": row.baseline_note, "target": row.target,
        "deadline_year": g.deadline_year, "lower_is_better": g.lower_is_better,
        "status": row.result.status, "status_label": row.result.label,
        "reason": row.result.reason,
        "series": [{"year": p.year, "value": p.value, "lower": p.lower, "upper": p.upper}
                   for p in row.series],
        "priorities": [p.pk for p in g.priorities.all()],
    }  # fmt: skip


class AdoptedPriorityListView(PolicyApiView):
    @extend_schema(operation_id="adopted_priorities_list",
                   summary="Door de raad vastgestelde prioriteiten",
                   parameters=[OpenApiParameter("year", int, description="periode bevat dit jaar")],
                   responses={200: ps.PrioritySerializer(many=True),
                              **_problems(400, 403, 404)})  # fmt: skip
    def get(self, request: Request) -> Response:
        gemeente = self.gemeente()
        year = request.query_params.get("year", "")
        if year and not (year.isdigit() and 1900 <= int(year) <= 2100):
            raise ParameterError("year", "een jaar van vier cijfers")
        rows = queries.adopted_priorities(gemeente.code, int(year) if year else None)
        return Response([{
            "id": p.pk, "title": p.title, "theme": p.theme.code if p.theme else None,
            "area": p.area.code if p.area else None, "start_year": p.start_year,
            "end_year": p.end_year, "decision_reference": p.decision_reference,
            "decided_on": p.decided_on.isoformat() if p.decided_on else None,
            "seriousness": p.seriousness, "seriousness_reason": p.seriousness_reason,
            "influence": p.influence, "influence_reason": p.influence_reason,
            "goals": [g.pk for g in p.goals.all()], "actions": [a.pk for a in p.actions.all()],
        } for p in rows])  # fmt: skip
