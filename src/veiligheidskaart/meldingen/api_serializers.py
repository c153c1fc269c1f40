"""Serializers of the private meldingen API: input shapes with a size limit on every field,
and the output shapes (list row, detail with history and notes)."""

from __future__ import annotations

from rest_framework import serializers

from veiligheidskaart.meldingen import registry
from veiligheidskaart.meldingen.models import Melding, Note, Status, StatusChange
from veiligheidskaart.meldingen.rules import DESCRIPTION_MAX, EMAIL_MAX, NOTE_MAX


class MeldingCreateSerializer(serializers.Serializer[None]):
    """A new melding: a point (lat/lon, WGS84) or a buurt code; the rest as on the form."""

    category = serializers.CharField(max_length=40, help_text="Code uit /open311/v2/services.json")
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX, required=False, allow_blank=True, default=""
    )
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, min_value=-180, max_value=180)
    buurt_code = serializers.CharField(max_length=16, required=False)
    email = serializers.CharField(max_length=EMAIL_MAX, required=False, allow_blank=True)


class StatusChangeInputSerializer(serializers.Serializer[None]):
    status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")
    note_public = serializers.BooleanField(required=False, default=False)


class NoteInputSerializer(serializers.Serializer[None]):
    text = serializers.CharField(max_length=NOTE_MAX)
    public = serializers.BooleanField(required=False, default=False)


class MeldingSerializer(serializers.ModelSerializer[Melding]):
    category_name = serializers.SerializerMethodField()
    buurt = serializers.CharField(source="buurt.code", read_only=True)
    wijk = serializers.CharField(source="wijk.code", read_only=True, allow_null=True, default=None)
    stadsdeel = serializers.CharField(
        source="stadsdeel.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Melding
        fields = [
            "id",
            "category",
            "category_name",
            "status",
            "source",
            "received_at",
            "deadline",
            "buurt",
            "wijk",
            "stadsdeel",
            "duplicate_of",
        ]

    def get_category_name(self, melding: Melding) -> str:
        cat = registry.category(melding.category)
        return cat.name if cat else melding.category


class HistorySerializer(serializers.ModelSerializer[StatusChange]):
    user = serializers.CharField(
        source="user.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "user", "at"]


class NoteSerializer(serializers.ModelSerializer[Note]):
    user = serializers.CharField(
        source="user.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Note
        fields = ["id", "text", "public", "user", "at"]


class MeldingDetailSerializer(MeldingSerializer):
    """With the personal data (description, e-mail, exact point): opening it is logged."""

    history = HistorySerializer(many=True, read_only=True)
    notes = NoteSerializer(many=True, read_only=True)

    class Meta(MeldingSerializer.Meta):
        fields = [
            *MeldingSerializer.Meta.fields,
            "description",
            "email",
            "x_rd",
            "y_rd",
            "history",
            "notes",
        ]


class CreatedSerializer(MeldingSerializer):
    class Meta(MeldingSerializer.Meta):
        fields = [*MeldingSerializer.Meta.fields, "tracking_code"]


class MeldingPageSerializer(serializers.Serializer[None]):
    count = serializers.IntegerField()
    results = MeldingSerializer(many=True)
