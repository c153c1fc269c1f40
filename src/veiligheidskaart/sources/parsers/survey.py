"""Survey figures: the CBS Veiligheidsmonitor (values with 95% margins) and own wijk panels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from veiligheidskaart.sources.parsers.common import (
    check_area_codes,
    check_duplicate_keys,
    parse_period_column,
    scope_of,
)
from veiligheidskaart.sources.parsing import (
    OBSERVATION_COLUMNS,
    ImportRejected,
    Meta,
    Parsed,
    Problem,
    parse_counts,
    read_table,
)

MARGES = {"MW00000": "value", "MOG0095": "lower", "MBG0095": "upper"}
KEY_COLUMNS = {"ID", "Marges", "RegioS", "Perioden"}


def parse_monitor(path: Path, options: dict[str, Any]) -> Parsed:
    frame = read_table(path, ["Marges", "RegioS", "Perioden"])
    file = path.name
    parsed = Parsed(Meta("CBS", options.get("tabel") or "85146NED", licence="CC BY 4.0 (CBS)"))
    topics = [c for c in frame.columns if c not in KEY_COLUMNS]
    if not topics:
        raise ImportRejected([Problem(file, 1, None, "geen kolommen met uitkomsten")])
    regions = frame["RegioS"].str.strip().replace({"NL01": "NL00"})
    check_area_codes(regions, file, "RegioS", parsed.problems)
    starts, grains = parse_period_column(frame["Perioden"], file, "Perioden", parsed.problems)
    marges = frame["Marges"].str.strip()
    for row in frame.index[~marges.isin(list(MARGES))]:
        parsed.problems.append(
            Problem(file, int(row), "Marges", f"onbekende marge '{marges[row]}'")
        )
    long = []
    for topic in topics:
        values, _status = parse_counts(frame[topic], file, topic, parsed.problems)
        long.append(
            pd.DataFrame(
                {
                    "source_code": topic.rsplit("_", 1)[0],
                    "area_code": regions,
                    "period_start": starts,
                    "granularity": grains,
                    "marge": marges.map(MARGES),
                    "value": values,
                    "row": frame.index,
                }
            )
        )
    data = pd.concat(long)
    wide = data.pivot_table(
        index=["source_code", "area_code", "period_start", "granularity"],
        columns="marge",
        values="value",
        aggfunc="first",
    ).reset_index()
    rows = data.groupby(["source_code", "area_code", "period_start", "granularity"])["row"].min()
    wide = wide.merge(
        rows.reset_index(), on=["source_code", "area_code", "period_start", "granularity"]
    )
    for column in ("value", "lower", "upper"):
        if column not in wide:
            wide[column] = None
    wide["sample_size"] = None
    wide["status"] = wide["value"].map(lambda v: "final" if pd.notna(v) else "secret")
    parsed.observations = wide[OBSERVATION_COLUMNS]
    parsed.area_column = "RegioS"
    parsed.meta.area_scope = scope_of(regions)
    _period_meta(parsed)
    return parsed


PANEL_COLUMNS = ("wijkcode", "periode", "vraag", "waarde", "n")


def _panel_mapping(options: dict[str, Any]) -> dict[str, Any]:
    if not options.get("mapping"):
        return {}
    import tomllib

    mapping_path = Path(str(options["mapping"]))
    try:
        return tomllib.loads(mapping_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ImportRejected(
            [Problem(mapping_path.name, None, None, f"mapping onleesbaar: {exc}")]
        ) from exc


def parse_panel(path: Path, options: dict[str, Any]) -> Parsed:
    """Own wijk panel: ``wijkcode;periode;vraag;waarde;n``, or other names through a TOML
    ``--mapping`` whose ``[kolommen]`` maps these five names to the file's columns."""
    mapping = _panel_mapping(options)
    columns = {key: mapping.get("kolommen", {}).get(key, key) for key in PANEL_COLUMNS}
    files = mapping.get("bestand", {})
    frame = read_table(path, list(columns.values()), encoding=files.get("encoding", "utf-8"),
                       separator=files.get("scheidingsteken"))  # fmt: skip
    frame = frame.rename(columns={v: k for k, v in columns.items()})
    file = path.name
    parsed = Parsed(
        Meta(
            options.get("uitgever") or "gemeente",
            options.get("tabel") or "wijkpanel",
            classification="intern",
        )
    )
    codes = frame["wijkcode"].str.strip()
    check_area_codes(codes, file, "wijkcode", parsed.problems)
    starts, grains = parse_period_column(frame["periode"], file, "periode", parsed.problems)
    values, status = parse_counts(frame["waarde"], file, "waarde", parsed.problems)
    sizes, _ = parse_counts(frame["n"], file, "n", parsed.problems)
    obs = pd.DataFrame(
        {
            "source_code": frame["vraag"].str.strip(),
            "area_code": codes,
            "period_start": starts,
            "granularity": grains,
            "value": values,
            "lower": None,
            "upper": None,
            "sample_size": sizes,
            "status": status,
            "row": frame.index,
        },
        index=frame.index,
    )
    obs = check_duplicate_keys(
        obs,
        ["source_code", "area_code", "period_start", "granularity"],
        file,
        "waarde",
        parsed.problems,
    )
    parsed.note("cellen met n < 50 (worden onderdrukt getoond)", int((sizes < 50).sum()))
    parsed.observations = obs[OBSERVATION_COLUMNS]
    parsed.area_column = "wijkcode"
    parsed.meta.area_scope = scope_of(codes)
    _period_meta(parsed)
    return parsed


def _period_meta(parsed: Parsed) -> None:
    assert parsed.observations is not None
    starts = parsed.observations["period_start"].dropna()
    parsed.meta.period_start = min(starts) if len(starts) else None
    parsed.meta.period_end = max(starts) if len(starts) else None
