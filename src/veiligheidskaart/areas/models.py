"""Areas by code and vintage: land, gemeente, stadsdeel, wijk, buurt, focusgebied."""

from __future__ import annotations

from django.db import models
from shapely import wkb
from shapely.geometry.base import BaseGeometry


class Level(models.TextChoices):
    LAND = "land", "land"
    GEMEENTE = "gemeente", "gemeente"
    STADSDEEL = "stadsdeel", "stadsdeel"
    WIJK = "wijk", "wijk"
    BUURT = "buurt", "buurt"
    FOCUSGEBIED = "focusgebied", "focusgebied"


UNKNOWN_VINTAGE = 0  # boundary year not known; the import report warns


class Area(models.Model):
    code = models.CharField("code", max_length=16)
    vintage = models.PositiveSmallIntegerField("indelingsjaar", default=UNKNOWN_VINTAGE)
    level = models.CharField("niveau", max_length=12, choices=Level.choices)
    name = models.CharField("naam", max_length=200)
    gemeente_code = models.CharField("gemeentecode", max_length=6, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="ligt in",
    )
    stadsdeel = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"level": Level.STADSDEEL},
        verbose_name="stadsdeel",
    )
    is_water = models.BooleanField("water", default=False)
    geometry_rd = models.BinaryField(
        "geometrie (WKB, RD New)", null=True, blank=True, editable=False
    )
    land_area_m2 = models.FloatField("oppervlakte (m²)", null=True, blank=True)
    centroid_x = models.FloatField(null=True, blank=True, editable=False)
    centroid_y = models.FloatField(null=True, blank=True, editable=False)
    dataset = models.ForeignKey(
        "sources.Dataset", models.PROTECT, null=True, blank=True, related_name="areas"
    )

    class Meta:
        verbose_name = "gebied"
        verbose_name_plural = "gebieden"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "vintage"], name="area_code_vintage_unique")
        ]
        indexes = [models.Index(fields=["level", "gemeente_code", "vintage"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def has_geometry(self) -> bool:
        return self.geometry_rd is not None

    def geometry(self) -> BaseGeometry | None:
        return None if self.geometry_rd is None else wkb.loads(bytes(self.geometry_rd))


class AreaShape(models.Model):
    """A simplified WGS84 copy of an area's geometry for one zoom band of the map."""

    area = models.ForeignKey(Area, models.CASCADE, related_name="shapes")
    zoom = models.PositiveSmallIntegerField("zoomniveau")
    tolerance_m = models.FloatField("vereenvoudiging (m)")
    geojson = models.TextField("GeoJSON-geometrie (WGS84)")

    class Meta:
        verbose_name = "vereenvoudigde geometrie"
        verbose_name_plural = "vereenvoudigde geometrieën"
        constraints = [models.UniqueConstraint(fields=["area", "zoom"], name="areashape_unique")]
