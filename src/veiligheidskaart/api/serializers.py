"""Serializers: the catalogue (read from models) and the documented shapes of the other bodies.

The map layer, series, areas and priorities are built as dicts by ``observations`` and
``api.payloads``; their serializers here only describe them for the OpenAPI schema, so the
schema says exactly what is sent (schemathesis checks the responses against it).
"""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from veiligheidskaart.catalogue.models import Indicator, Theme, Veiligheidsveld

MAP_SOURCES = ("misdrijven", "overlast")  # what observations.layers.map_layer can draw
LEVELS = ("buurt", "wijk", "stadsdeel")

# --- catalogue --------------------------------------------------------------------------------

INDICATOR_FIELDS = [
    "code",
    "name",
    "source",
    "source_codes",
    "validity",
    "denominator",
    "per",
    "unit",
    "direction",
    "basis",
    "bbv",
    "description",
    "map_layer",
]


class ThemeIndicatorSerializer(serializers.ModelSerializer[Indicator]):
    source_codes = serializers.ListField(child=serializers.CharField(), read_only=True)
    map_layer = serializers.SerializerMethodField(
        help_text="Er is een kaartlaag (/api/v1/map-layer/) voor deze indicator."
    )

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS

    def get_map_layer(self, indicator: Indicator) -> bool:
        return indicator.source in MAP_SOURCES


class IndicatorSerializer(ThemeIndicatorSerializer):
    theme = serializers.CharField(source="theme.code", read_only=True)
    veiligheidsveld = serializers.CharField(source="theme.veld.code", read_only=True)

    class Meta:
        model = Indicator
        fields = [*INDICATOR_FIELDS[:2], "theme", "veiligheidsveld", *INDICATOR_FIELDS[2:]]


class ThemeSerializer(serializers.ModelSerializer[Theme]):
    indicators = ThemeIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Theme
        fields = ["code", "name", "seriousness", "sensitive", "qualitative", "indicators"]


class VeiligheidsveldSerializer(serializers.ModelSerializer[Veiligheidsveld]):
    themes = ThemeSerializer(many=True, read_only=True)

    class Meta:
        model = Veiligheidsveld
        fields = ["code", "name", "themes"]


# --- problems ---------------------------------------------------------------------------------


class InvalidParamSerializer(serializers.Serializer[None]):
    name = serializers.CharField(help_text="De parameter, zoals de client hem noemde.")
    reason = serializers.CharField()


class ProblemSerializer(serializers.Serializer[None]):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text="Altijd about:blank: de status zegt genoeg.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    invalid_params = InvalidParamSerializer(many=True, required=False)


# --- areas ------------------------------------------------------------------------------------


class GeometrySerializer(serializers.Serializer[None]):
    type = serializers.CharField()
    coordinates = serializers.ListField(child=serializers.JSONField())


class AreaPropertiesSerializer(serializers.Serializer[None]):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=LEVELS)
    vintage = serializers.IntegerField(help_text="Indelingsjaar van de grenzen.")
    parent = serializers.CharField(allow_null=True, help_text="Code van het omvattende gebied.")
    stadsdeel = serializers.CharField(allow_null=True)


class AreaFeatureSerializer(serializers.Serializer[None]):
    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.CharField()
    geometry = GeometrySerializer(allow_null=True)
    properties = AreaPropertiesSerializer()


class AreaCollectionSerializer(serializers.Serializer[None]):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    crs = serializers.DictField(required=False, help_text="Alleen bij RD (EPSG:28992).")
    features = AreaFeatureSerializer(many=True)


# --- map layer (observations.layers.layer_payload) --------------------------------------------

_number = {"allow_null": True}
MAP_FEATURE = inline_serializer(
    "MapLayerFeature",
    many=True,
    fields={
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "value": serializers.FloatField(**_number, help_text="Het gekarteerde tarief."),
        "rate": serializers.FloatField(**_number),
        "lower": serializers.FloatField(**_number),
        "upper": serializers.FloatField(**_number),
        "smoothed": serializers.FloatField(**_number),
        "count": serializers.FloatField(**_number),
        "denominator": serializers.FloatField(**_number),
        "class": serializers.IntegerField(help_text="Klasse 0–4; -1 zonder zinvol tarief."),
        "status": serializers.ChoiceField(choices=["ok", "geen zinvol tarief", "geen gegevens"]),
        "change": serializers.CharField(),
        "hotspot": serializers.CharField(),
    },
)


class CodeNameSerializer(serializers.Serializer[None]):
    code = serializers.CharField()
    name = serializers.CharField()


class LayerIndicatorSerializer(CodeNameSerializer):
    theme = serializers.CharField()
    unit = serializers.CharField()
    denominator = serializers.CharField()
    per = serializers.IntegerField()
    source = serializers.CharField()
    validity = serializers.CharField()


class LayerPeriodSerializer(serializers.Serializer[None]):
    code = serializers.CharField()
    label = serializers.CharField()
    first = serializers.DateField()
    last = serializers.DateField(help_text="Eerste dag van de laatste maand.")


class LayerClassesSerializer(serializers.Serializer[None]):
    method = serializers.CharField()
    lower = serializers.FloatField()
    upper_bounds = serializers.ListField(child=serializers.FloatField())


class MapLayerSerializer(serializers.Serializer[None]):
    gemeente = CodeNameSerializer()
    indicator = LayerIndicatorSerializer()
    period = LayerPeriodSerializer()
    level = serializers.ChoiceField(choices=LEVELS)
    smoothed = serializers.BooleanField()
    classes = LayerClassesSerializer()
    data_date = serializers.DateField(allow_null=True)
    vintage = serializers.IntegerField()
    dataset_id = serializers.IntegerField(allow_null=True)
    table = serializers.CharField(help_text="Brontabel: 47022NED/47024NED, of 47018NED (jaar).")
    notes = serializers.ListField(child=serializers.CharField())
    features = MAP_FEATURE


# --- series -----------------------------------------------------------------------------------


class SeriesValuesSerializer(serializers.Serializer[None]):
    count = serializers.IntegerField(allow_null=True, help_text="Na de publicatieregel.")
    count_note = serializers.CharField(allow_null=True, help_text="Waarom afgerond of leeg.")
    denominator = serializers.FloatField(allow_null=True)
    rate = serializers.FloatField(allow_null=True, help_text="Per jaar, zoals de kaartlaag.")
    lower = serializers.FloatField(allow_null=True)
    upper = serializers.FloatField(allow_null=True)


class SeriesYearSerializer(SeriesValuesSerializer):
    year = serializers.IntegerField()
    months = serializers.IntegerField(help_text="Maanden met gegevens; alleen 12 telt.")


class SeriesMonthSerializer(SeriesValuesSerializer):
    month = serializers.CharField(help_text="JJJJ-MM")


class RunSerializer(serializers.Serializer[None]):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class StatisticsSerializer(serializers.Serializer[None]):
    run = RunSerializer()
    count = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    rate = serializers.FloatField(allow_null=True)
    rate_lower = serializers.FloatField(allow_null=True)
    rate_upper = serializers.FloatField(allow_null=True)
    smoothed_rate = serializers.FloatField(allow_null=True)
    ratio = serializers.FloatField(
        allow_null=True, help_text="Verhouding met de rest van de gemeente."
    )
    ratio_lower = serializers.FloatField(allow_null=True)
    change_direction = serializers.CharField(allow_blank=True)
    change_p = serializers.FloatField(allow_null=True, help_text="Ruwe p.")
    change_q = serializers.FloatField(allow_null=True, help_text="q-waarde na FDR.")
    change_sentence = serializers.CharField(allow_blank=True)
    hotspot = serializers.CharField(allow_blank=True)
    trend_factor = serializers.FloatField(allow_null=True)
    trend_p = serializers.FloatField(allow_null=True)
    trend_sentence = serializers.CharField(allow_blank=True)


class SeriesAreaSerializer(CodeNameSerializer):
    level = serializers.CharField()


class SeriesIndicatorSerializer(CodeNameSerializer):
    unit = serializers.CharField()
    per = serializers.IntegerField()
    denominator = serializers.CharField()
    source = serializers.CharField()


class AreaSeriesSerializer(serializers.Serializer[None]):
    area = SeriesAreaSerializer()
    indicator = SeriesIndicatorSerializer()
    buurten = serializers.IntegerField(help_text="Aantal opgetelde buurten.")
    dataset_id = serializers.IntegerField()
    data_date = serializers.DateField(allow_null=True)
    notes = serializers.ListField(child=serializers.CharField())
    yearly = SeriesYearSerializer(many=True)
    monthly = SeriesMonthSerializer(many=True)
    statistics = StatisticsSerializer(allow_null=True)


# --- priorities -------------------------------------------------------------------------------


class ComponentsSerializer(serializers.Serializer[None]):
    level = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True)
    hotspot = serializers.FloatField(allow_null=True)
    perception = serializers.FloatField(allow_null=True)
    meldingen = serializers.FloatField(allow_null=True)
    seriousness = serializers.FloatField(allow_null=True)


class PriorityRowSerializer(serializers.Serializer[None]):
    rank = serializers.IntegerField()
    area_code = serializers.CharField()
    area_name = serializers.CharField()
    theme_code = serializers.CharField()
    theme_name = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    top10_probability = serializers.FloatField()
    components = ComponentsSerializer()
    missing = serializers.ListField(child=serializers.CharField())
    reasons = serializers.ListField(child=serializers.CharField())


class PrioritiesSerializer(serializers.Serializer[None]):
    gemeente = CodeNameSerializer()
    year = serializers.IntegerField()
    withheld = serializers.ListField(
        child=serializers.CharField(), help_text="Componenten uit niet-openbare bronnen (leeg)."
    )
    count = serializers.IntegerField()
    results = PriorityRowSerializer(many=True)


# --- meldingen density (internal) -------------------------------------------------------------


DENSITY_BAND_PROPERTIES = inline_serializer(
    "DensityBandProperties",
    fields={
        "class": serializers.IntegerField(help_text="Klasse 0–4 (laag–hoog)."),
        "color": serializers.CharField(),
        "cells": serializers.IntegerField(help_text="Rastercellen van 100 m in deze klasse."),
    },
)


class DensityBandSerializer(serializers.Serializer[None]):
    type = serializers.CharField()
    geometry = GeometrySerializer()
    properties = DENSITY_BAND_PROPERTIES


class DensitySerializer(serializers.Serializer[None]):
    type = serializers.CharField()
    period = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    points = serializers.IntegerField(help_text="Meldingen met een locatie die meetellen.")
    kernel = serializers.CharField()
    bandwidth_m = serializers.FloatField()
    cell_m = serializers.FloatField()
    unit = serializers.CharField()
    scope = serializers.CharField(help_text="Gemeente, of de eigen stadsdelen.")
    clipped = serializers.BooleanField(help_text="Afgesneden op de eigen stadsdelen.")
    classes = LayerClassesSerializer()
    max = serializers.FloatField()
    features = DensityBandSerializer(many=True)
