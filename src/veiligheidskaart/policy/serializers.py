"""API shapes of the policy app: separate input and output serializers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from veiligheidskaart.policy.models import Action, Priority
from veiligheidskaart.policy.registry import ACTION_STATUSES, PARTNERS

CODE = r"^[A-Za-z]{2}[0-9]{4,8}$"


class ActionSerializer(serializers.Serializer[Action]):
    """An action as the API shows it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=ACTION_STATUSES)
    owner = serializers.CharField()
    partners = serializers.ListField(child=serializers.CharField())
    start = serializers.DateField()
    end = serializers.DateField()
    themes = serializers.ListField(child=serializers.CharField(), help_text="themacodes")
    areas = serializers.ListField(child=serializers.CharField(), help_text="gebiedscodes")
    priorities = serializers.ListField(child=serializers.IntegerField())
    goals = serializers.ListField(child=serializers.IntegerField())
    may_edit = serializers.BooleanField(help_text="mag de aanvrager deze actie wijzigen")

    @staticmethod
    def data_of(action: Action, may_edit: bool) -> dict[str, Any]:
        return {
            "id": action.pk, "title": action.title, "description": action.description,
            "status": action.status, "owner": action.owner, "partners": list(action.partners),
            "start": action.start.isoformat(), "end": action.end.isoformat(),
            "themes": [t.code for t in action.themes.all()],
            "areas": [a.code for a in action.areas.all()],
            "priorities": [p.pk for p in action.priorities.all()],
            "goals": [g.pk for g in action.goals.all()], "may_edit": may_edit,
        }  # fmt: skip


class ActionInputSerializer(serializers.Serializer[None]):
    """What a client sends to create an action (all fields) or to change one (PATCH: some)."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    owner = serializers.CharField(max_length=200)
    start = serializers.DateField()
    end = serializers.DateField()
    themes = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                   max_length=40)  # fmt: skip
    areas = serializers.ListField(child=serializers.RegexField(CODE, max_length=16),
                                  min_length=1, max_length=100)  # fmt: skip
    partners = serializers.ListField(
        child=serializers.ChoiceField(choices=[p.code for p in PARTNERS]), required=False,
        max_length=len(PARTNERS),
    )  # fmt: skip
    priorities = serializers.ListField(child=serializers.IntegerField(min_value=1),
                                       required=False, max_length=100)  # fmt: skip
    goals = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                  max_length=100)  # fmt: skip


class StatusChangeSerializer(serializers.Serializer[None]):
    status = serializers.ChoiceField(choices=ACTION_STATUSES)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class StatusChangeResultSerializer(serializers.Serializer[None]):
    id = serializers.IntegerField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    changed_by = serializers.CharField(allow_null=True)
    changed_at = serializers.DateTimeField()


class GoalPointSerializer(serializers.Serializer[None]):
    year = serializers.IntegerField()
    value = serializers.FloatField()
    lower = serializers.FloatField()
    upper = serializers.FloatField()


class GoalSerializer(serializers.Serializer[None]):
    """A goal with its status computed from the data."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    indicator = serializers.CharField(allow_null=True)
    area = serializers.CharField()
    adopted_baseline_value = serializers.FloatField()
    adopted_baseline_label = serializers.CharField()
    baseline = serializers.FloatField(allow_null=True, help_text="herberekend, gelijk gemeten")
    baseline_note = serializers.CharField()
    target = serializers.FloatField(allow_null=True)
    deadline_year = serializers.IntegerField()
    lower_is_better = serializers.BooleanField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    reason = serializers.CharField()
    series = GoalPointSerializer(many=True)
    priorities = serializers.ListField(child=serializers.IntegerField())


class PrioritySerializer(serializers.Serializer[Priority]):
    """An adopted priority with its council decision, goals and actions."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    theme = serializers.CharField(allow_null=True)
    area = serializers.CharField(allow_null=True)
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    decision_reference = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    seriousness = serializers.IntegerField()
    seriousness_reason = serializers.CharField()
    influence = serializers.IntegerField()
    influence_reason = serializers.CharField()
    goals = serializers.ListField(child=serializers.IntegerField())
    actions = serializers.ListField(child=serializers.IntegerField())
