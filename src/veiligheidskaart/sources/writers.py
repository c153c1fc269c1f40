"""Writing parsed rows: area resolution and bulk inserts, called inside import_dataset's
transaction only (no transaction of their own)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
import shapely
from django.db import connection
from django.db.models import Case, Q, When
from shapely import wkb

from veiligheidskaart.areas.geometry import ZOOM_TOLERANCES, simplified_copies
from veiligheidskaart.areas.models import UNKNOWN_VINTAGE, Area, AreaShape
from veiligheidskaart.observations.models import Event, Kerncijfer, Observation
from veiligheidskaart.sources.models import Dataset
from veiligheidskaart.sources.parsers.common import gemeente_of, map_unique
from veiligheidskaart.sources.parsing import AreaRecord, Parsed, Problem

BATCH = 5000
Progress = Callable[[str, int, int], None]


# ---------------------------------------------------------------- area resolution


class AreaIndex:
    """Which area each code means, and which gemeenten are loaded.

    A code prefers the area with geometry (the same CBS code is taken as the same area in
    another boundary year, and reported), then the area of the data's own vintage.
    """

    def __init__(self, codes: Iterable[str], vintage: int | None) -> None:
        self.by_code: dict[str, int] = {}
        self.with_geometry: set[str] = set()
        self.other_vintage: set[str] = set()
        best: dict[str, tuple[int, int]] = {}
        rows = Area.objects.filter(code__in=set(codes)).values(
            "id", "code", "vintage", "centroid_x"
        )
        for row in rows:
            has_geometry = row["centroid_x"] is not None
            rank = (has_geometry * 4 + (row["vintage"] == vintage) * 2, row["vintage"])
            if row["code"] in best and rank <= best[row["code"]]:
                continue
            best[row["code"]] = rank
            self.by_code[row["code"]] = row["id"]
            self.with_geometry.discard(row["code"])
            self.other_vintage.discard(row["code"])
            if has_geometry:
                self.with_geometry.add(row["code"])
                if vintage and row["vintage"] != vintage:
                    self.other_vintage.add(row["code"])
        self.loaded_gemeenten = set(
            Area.objects.filter(level__in=["wijk", "buurt"])
            .values_list("gemeente_code", flat=True)
            .distinct()
        )


def resolve_areas(parsed: Parsed, options: dict[str, Any], file: str) -> None:
    """Map area codes to ids; unknown codes in loaded gemeenten become problems."""
    for frame_name in ("observations", "kerncijfers", "events"):
        frame = getattr(parsed, frame_name)
        if frame is None or frame.empty or frame["area_code"].isna().all():
            continue
        if parsed.meta.areas_by_name:
            frame["area_code"] = _codes_by_name(frame["area_code"])
        frame = _select_gemeente(frame, options.get("gemeente"), parsed)
        setattr(parsed, frame_name, _attach_ids(frame, parsed, file))


def _codes_by_name(names: pd.Series) -> pd.Series:
    lookup = {"nederland": "NL00"}
    for code, name in Area.objects.filter(level__in=["gemeente", "land"]).values_list(
        "code", "name"
    ):
        lookup.setdefault(name.strip().lower(), code)
    cleaned = names.str.replace(r"\s*\((gemeente|PV|LD)\)$", "", regex=True).str.strip().str.lower()
    return cleaned.map(lookup).fillna("?" + names)


def _select_gemeente(frame: pd.DataFrame, gemeente: str | None, parsed: Parsed) -> pd.DataFrame:
    if not gemeente:
        return frame
    codes = frame["area_code"].fillna("")
    keep = codes.map(gemeente_of).eq(gemeente) | codes.eq("NL00") | frame["area_code"].isna()
    parsed.note("rijen van andere gemeenten (--gemeente)", int((~keep).sum()))
    return frame[keep]


def _attach_ids(frame: pd.DataFrame, parsed: Parsed, file: str) -> pd.DataFrame:
    codes = frame["area_code"]
    distinct = set(codes.dropna().unique())
    index = AreaIndex(distinct, parsed.meta.vintage)
    ids = codes.map(index.by_code)
    unknown = codes.notna() & ids.isna()
    in_scope = map_unique(
        codes, lambda c: isinstance(c, str) and gemeente_of(c) in index.loaded_gemeenten
    ).astype(bool)
    for row, code in frame.loc[unknown & in_scope, ["row", "area_code"]].itertuples(index=False):
        parsed.problems.append(
            Problem(
                file,
                int(row),
                parsed.area_column,
                f"gebiedscode '{code}' is onbekend in een geladen gemeente",
            )
        )
    out_of_scope = unknown & ~in_scope
    parsed.note("rijen buiten bereik (gemeente niet geladen)", int(out_of_scope.sum()))
    _note_vintages(codes[codes.notna() & ids.notna()], index, parsed)
    frame = frame.assign(area_id=ids)
    return frame[~out_of_scope]


def _note_vintages(codes: pd.Series, index: AreaIndex, parsed: Parsed) -> None:
    """The vintage-mismatch report: codes without geometry, and geometry of another year."""
    local = codes[codes.str[:2].isin(["WK", "BU"])]
    no_geometry = local[~local.isin(index.with_geometry)]
    other = local[local.isin(index.other_vintage)]
    parsed.note("rijen met code zonder geometrie in de geladen indeling", len(no_geometry))
    parsed.note("codes zonder geometrie in de geladen indeling", no_geometry.nunique())
    parsed.note("rijen gekoppeld aan geometrie van een ander indelingsjaar", len(other))
    parsed.note("codes met geometrie van een ander indelingsjaar", other.nunique())
    parsed.mismatched_codes = sorted(set(no_geometry.unique()))


def drop_rejected_rows(parsed: Parsed, problems: list[Problem]) -> None:
    rows = {p.row for p in problems if p.row is not None}
    if not rows:
        return
    for frame_name in ("observations", "kerncijfers", "events"):
        frame = getattr(parsed, frame_name)
        if frame is not None:
            keep = ~frame["row"].isin(rows)
            if "area_id" in frame:
                keep &= frame["area_id"].notna() | frame["area_code"].isna()
            setattr(parsed, frame_name, frame[keep])


# ---------------------------------------------------------------- writing


def row_count(parsed: Parsed) -> int:
    """How many rows the import will store."""
    frames = (parsed.kerncijfers, parsed.observations, parsed.events)
    return len(parsed.areas) or next((len(f) for f in frames if f is not None), 0)


def write(kind: str, dataset: Dataset, parsed: Parsed, progress: Progress) -> int:
    if kind == "stadsdelen":
        return write_stadsdelen(dataset, parsed.areas)
    if parsed.areas:
        return write_areas(dataset, parsed.areas, progress)
    if parsed.kerncijfers is not None:
        return _bulk(
            Kerncijfer,
            _kerncijfer_rows(dataset, parsed.kerncijfers),
            len(parsed.kerncijfers),
            progress,
        )
    if parsed.observations is not None:
        return copy_observations(dataset, parsed.observations, progress)
    if parsed.events is not None:
        return write_events(dataset, parsed, progress)
    return 0


def _bulk(model: Any, rows: Iterable[Any], total: int, progress: Progress) -> int:
    done, batch = 0, []
    for obj in rows:
        batch.append(obj)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            done += len(batch)
            batch = []
            progress("opslaan", done, total)
    if batch:
        model.objects.bulk_create(batch)
        done += len(batch)
    progress("opslaan", done, total)
    return done


def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


OBSERVATION_COLUMNS = ["dataset_id", "source_code", "area_id", "period_start", "granularity",
                       "value", "lower", "upper", "sample_size", "status"]  # fmt: skip


def copy_observations(dataset: Dataset, frame: pd.DataFrame, progress: Progress) -> int:
    """The hot path: CSV COPY on PostgreSQL, executemany on SQLite, in batches with progress."""
    if connection.vendor == "postgresql":
        return _copy_postgresql(dataset, frame, progress)
    rows = _observation_tuples(dataset, frame)
    table, total = Observation._meta.db_table, len(rows)
    marks = ", ".join(["%s"] * len(OBSERVATION_COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(OBSERVATION_COLUMNS)}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, total, BATCH * 4):
            cursor.executemany(sql, rows[start : start + BATCH * 4])
            progress("opslaan", min(start + BATCH * 4, total), total)
    progress("opslaan", total, total)
    return total


def _copy_postgresql(dataset: Dataset, frame: pd.DataFrame, progress: Progress) -> int:
    """pandas formats the CSV in C; COPY streams it (no Python object per row)."""
    out = pd.DataFrame({
        "dataset_id": dataset.pk, "source_code": frame["source_code"],
        "area_id": frame["area_id"].astype("int64"),
        "period_start": map_unique(frame["period_start"], lambda d: d.isoformat()),
        "granularity": frame["granularity"], "value": frame["value"], "lower": frame["lower"],
        "upper": frame["upper"], "sample_size": frame["sample_size"].astype("Int64"),
        "status": frame["status"],
    })[OBSERVATION_COLUMNS]  # fmt: skip
    table, total, step = Observation._meta.db_table, len(out), BATCH * 40
    sql = f"COPY {table} ({', '.join(OBSERVATION_COLUMNS)}) FROM STDIN WITH (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for start in range(0, total, step):
            copy.write(out.iloc[start : start + step].to_csv(header=False, index=False))
            progress("opslaan", min(start + step, total), total)
    progress("opslaan", total, total)
    return total


def _observation_tuples(dataset: Dataset, frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """Plain Python tuples, NaN as None, built column-wise (no per-row model objects)."""

    def column(name: str, cast: Any = None) -> list[Any]:
        values = frame[name]
        missing = values.isna().to_numpy()
        out = values.astype(object).to_numpy().tolist()
        return [None if m else (cast(v) if cast else v) for v, m in zip(out, missing, strict=True)]

    n = len(frame)
    return list(zip(
        [dataset.pk] * n, column("source_code"), column("area_id", int), column("period_start"),
        column("granularity"), column("value", float), column("lower", float),
        column("upper", float), column("sample_size", int), column("status"), strict=True,
    ))  # fmt: skip


def _kerncijfer_rows(dataset: Dataset, frame: pd.DataFrame) -> Iterable[Kerncijfer]:
    def whole(value: Any) -> int | None:
        value = _none(value)
        return None if value is None else int(round(value))

    cols = [
        "area_id",
        "year",
        "inhabitants",
        "households",
        "dwellings",
        "businesses",
        "land_area_ha",
    ]
    for area, year, inh, hh, dw, bus, land in frame[cols].itertuples(index=False):
        yield Kerncijfer(
            dataset=dataset,
            area_id=int(area),
            year=int(year),
            inhabitants=whole(inh),
            households=whole(hh),
            dwellings=whole(dw),
            businesses=whole(bus),
            land_area_ha=_none(land),
        )


def write_events(dataset: Dataset, parsed: Parsed, progress: Progress) -> int:
    frame = parsed.events
    assert frame is not None
    area_ids, assignment = _assign_points(frame)
    parsed.note("punten toegewezen aan een buurt", int((assignment == "point").sum()))
    parsed.note(
        "buiten de geladen gebieden (niet toegewezen)", int((assignment == "outside").sum())
    )
    parsed.note("zonder locatie", int((assignment == "no_location").sum()))

    def rows() -> Iterable[Event]:
        cols = [
            "category",
            "indicator_code",
            "occurred_at",
            "x_rd",
            "y_rd",
            "source_key",
            "duplicates",
        ]
        for i, (cat, ind, when, x, y, key, dup) in enumerate(frame[cols].itertuples(index=False)):
            yield Event(
                dataset=dataset,
                category=cat[:120],
                indicator_code=ind,
                occurred_at=when,
                x_rd=_none(x),
                y_rd=_none(y),
                area_id=area_ids[i],
                assignment=assignment[i],
                source_key=key,
                duplicates=int(dup),
            )

    return _bulk(Event, rows(), len(frame), progress)


def _assign_points(frame: pd.DataFrame) -> tuple[list[int | None], np.ndarray]:
    """Vectorised point-in-polygon against the buurten with geometry; codes map directly."""
    n = len(frame)
    ids: list[int | None] = [None] * n
    assignment = np.full(n, "no_location", dtype=object)
    codes = frame["area_code"].to_numpy()
    if "area_id" in frame:
        by_code = frame["area_id"].to_numpy()
        for i in np.flatnonzero(pd.notna(codes)):
            ids[i] = None if pd.isna(by_code[i]) else int(by_code[i])
            assignment[i] = "code"
    x, y = frame["x_rd"].to_numpy(float), frame["y_rd"].to_numpy(float)
    has_xy = ~np.isnan(x) & ~np.isnan(y)
    if not has_xy.any():
        return ids, assignment
    buurten = list(
        Area.objects.filter(level="buurt", geometry_rd__isnull=False).values_list(
            "id", "geometry_rd"
        )
    )
    polys = [wkb.loads(bytes(g)) for _, g in buurten]
    points = shapely.points(x[has_xy], y[has_xy])
    which = np.flatnonzero(has_xy)
    assignment[which] = "outside"
    if polys:
        tree = shapely.STRtree(polys)
        point_idx, poly_idx = tree.query(points, predicate="within")
        for p, q in zip(point_idx, poly_idx, strict=True):
            ids[which[p]] = buurten[q][0]
            assignment[which[p]] = "point"
    return ids, assignment


AREA_FIELDS = ["level", "gemeente_code", "name", "dataset", "geometry_rd", "is_water",
               "land_area_m2", "centroid_x", "centroid_y", "parent"]  # fmt: skip
LEVEL_ORDER = ("land", "gemeente", "stadsdeel", "wijk", "buurt", "focusgebied")


def write_areas(dataset: Dataset, records: list[AreaRecord], progress: Progress) -> int:
    """Upsert areas by (code, vintage), parents before children, in bulk."""
    vintage = dataset.vintage or UNKNOWN_VINTAGE
    areas = {
        a.code: a for a in Area.objects.filter(code__in=[r.code for r in records], vintage=vintage)
    }
    parents = _outside_parents(records, areas.keys(), vintage)
    done = 0
    for level in LEVEL_ORDER:
        level_records = [r for r in records if r.level == level]
        new, changed = [], []
        for rec in level_records:
            area = areas.get(rec.code)
            if area is None:
                area = Area(code=rec.code, vintage=vintage)
                new.append(area)
            else:
                changed.append(area)
            _fill(
                area,
                rec,
                dataset,
                areas.get(rec.parent_code or "") or parents.get(rec.parent_code or ""),
            )
            areas[rec.code] = area
        Area.objects.bulk_update(changed, AREA_FIELDS, batch_size=500)
        Area.objects.bulk_create(new, batch_size=BATCH)
        _read_back_ids(new, vintage)
        done += len(level_records)
        progress("gebieden", done, len(records))
    _store_shapes(areas.values())
    return len(records)


def _fill(area: Area, rec: AreaRecord, dataset: Dataset, parent: Area | None) -> None:
    area.level, area.gemeente_code, area.dataset = rec.level, rec.gemeente_code, dataset
    if rec.name and (rec.name != rec.code or not area.name):
        area.name = rec.name
    if parent is not None:
        area.parent = parent
    if rec.wkb is not None:
        _set_geometry(area, rec)


def _outside_parents(records: list[AreaRecord], in_file: Any, vintage: int) -> dict[str, Area]:
    """Parents named by the file but not in it: the same vintage first, else the latest."""
    codes = {r.parent_code for r in records if r.parent_code} - set(in_file)
    found: dict[str, Area] = {}
    for parent in Area.objects.filter(code__in=codes).order_by("vintage"):
        if parent.code not in found or parent.vintage == vintage:
            found[parent.code] = parent
    return found


def _read_back_ids(new: list[Area], vintage: int) -> None:
    """Backends without RETURNING on bulk insert leave pk empty: read the ids back."""
    missing = [a for a in new if a.pk is None]
    if not missing:
        return
    ids = dict(
        Area.objects.filter(vintage=vintage, code__in=[a.code for a in missing]).values_list(
            "code", "id"
        )
    )
    for area in missing:
        area.pk = ids[area.code]


def _set_geometry(area: Area, rec: AreaRecord) -> None:
    geom = wkb.loads(rec.wkb)
    area.geometry_rd = rec.wkb
    area.is_water = rec.is_water
    area.land_area_m2 = 0.0 if rec.is_water else geom.area
    centroid = geom.representative_point()
    area.centroid_x, area.centroid_y = centroid.x, centroid.y
    if area.pk:
        AreaShape.objects.filter(area=area).delete()
    area._pending_shapes = simplified_copies(geom)  # type: ignore[attr-defined]


def _store_shapes(areas: Iterable[Area]) -> None:
    shapes = [
        AreaShape(area=area, zoom=zoom, tolerance_m=ZOOM_TOLERANCES[zoom], geojson=geojson)
        for area in areas
        for zoom, geojson in getattr(area, "_pending_shapes", {}).items()
    ]
    AreaShape.objects.bulk_create(shapes, batch_size=BATCH)


def preferred_area(code: str) -> Area | None:
    """The area a code means: the one with geometry first, then the latest vintage."""
    no_geometry = Case(When(centroid_x__isnull=False, then=0), default=1)
    return Area.objects.filter(code=code).order_by(no_geometry, "-vintage").first()


def write_stadsdelen(dataset: Dataset, members: list[AreaRecord]) -> int:
    """Create SD<gm4><nn> areas (numbered by name) and point wijken and buurten at them."""
    if not members:
        return 0
    gemeente_code = members[0].gemeente_code
    gemeente = preferred_area(gemeente_code)
    vintage = gemeente.vintage if gemeente else UNKNOWN_VINTAGE
    dataset.vintage = vintage
    dataset.save(update_fields=["vintage"])
    by_name: dict[str, list[Area]] = {}
    for rec in members:
        member = preferred_area(rec.code)
        if member is not None:
            by_name.setdefault(rec.name, []).append(member)
    for nn, (name, areas) in enumerate(sorted(by_name.items()), start=1):
        code = f"SD{gemeente_code[2:]}{nn:02d}"
        stadsdeel, _ = Area.objects.update_or_create(
            code=code, vintage=vintage,
            defaults={"name": name, "level": "stadsdeel", "gemeente_code": gemeente_code,
                      "parent": gemeente, "dataset": dataset},
        )  # fmt: skip
        geoms = [a.geometry() for a in areas if a.geometry_rd is not None]
        if geoms:
            union = shapely.union_all(geoms, grid_size=0.01)
            _set_geometry(
                stadsdeel,
                AreaRecord(code, name, "stadsdeel", gemeente_code, wkb=shapely.to_wkb(union)),
            )
            stadsdeel.save()
            _store_shapes([stadsdeel])
        ids = [a.pk for a in areas]
        Area.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids, level="buurt")).update(
            stadsdeel=stadsdeel
        )
    return len(members)
