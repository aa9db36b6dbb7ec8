"""The files of an export: the data (CSV, SPSS .sav, Stata .dta), codebook.html and datapackage.json.

CSV is written by the standard library's csv module a batch of rows at a time as they arrive, so it
streams; the module itself writes None as an empty field and a date as its ISO form (YYYY-MM-DD).
SPSS and Stata files are written by pyreadstat, which takes a whole data frame: those two are built
in memory.
The data package follows Frictionless Data Package v2 (Table Schema per file; value labels as
`categories`, allowed values as an `enum` constraint, declared missing codes as `missingValues`),
plus a `survey_export` record of everything needed to reproduce the export.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from survey_app.domain import datasets
from survey_app.domain.catalogue import Catalogue
from survey_app.domain.datasets import DATE, INTEGER, NUMBER, STRING, Column, Layout

MEDIA_TYPES = {"csv": "text/csv", "sav": "application/x-spss-sav", "dta": "application/x-stata-dta"}
SPSS_LABEL, STATA_LABEL = 255, 80  # longest variable label each format keeps
CODEBOOK, PACKAGE = "codebook.html", "datapackage.json"


def write_data(layout: Layout, batches: Iterable[list[list]], fmt: str, folder: Path) -> str:
    """Write the rows, given in batches, as the data file; return its name."""
    name = datasets.data_file_name(layout.cohort, layout.layout, fmt)
    if fmt == "csv":
        _write_csv(layout.columns, batches, folder / name)
    else:
        frame = _frame(layout.columns, (row for batch in batches for row in batch), stata=fmt == "dta")
        (_write_dta if fmt == "dta" else _write_sav)(layout, frame, folder / name)
    return name


def _write_csv(columns: tuple[Column, ...], batches: Iterable[list[list]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.name for c in columns])
        for rows in batches:
            writer.writerows(rows)


def _frame(columns: tuple[Column, ...], rows: Iterable[list], stata: bool) -> pd.DataFrame:
    values = [[] for _ in columns]
    for row in rows:
        for column_values, value in zip(values, row):
            column_values.append(value)
    return pd.DataFrame({c.name: _typed(c, v, stata) for c, v in zip(columns, values)})


def _typed(column: Column, values: list, stata: bool) -> pd.Series:
    if column.kind == STRING:
        return pd.Series(["" if v is None else v for v in values], dtype=object)
    if column.kind == DATE:
        return pd.Series(values, dtype=object)
    if stata and column.missing:  # Stata keeps declared missing codes as .a, .b, .c
        return pd.Series([np.nan if v is None else datasets.STATA_MISSING.get(v, float(v)) for v in values],
                         dtype=object)
    return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")


def _labels(columns: tuple[Column, ...], longest: int) -> dict[str, str]:
    return {c.name: c.title if len(c.title) <= longest else c.title[:longest - 1] + "…" for c in columns}


def _write_sav(layout: Layout, frame: pd.DataFrame, path: Path) -> None:
    columns = layout.columns
    pyreadstat.write_sav(frame, path, file_label=_file_label(layout), column_labels=_labels(columns, SPSS_LABEL),
                         variable_value_labels=datasets.value_labels(columns),
                         missing_ranges={c.name: [code for code, _ in c.missing] for c in columns if c.missing},
                         variable_measure={c.name: _measure(c) for c in columns})


def _write_dta(layout: Layout, frame: pd.DataFrame, path: Path) -> None:
    columns = layout.columns
    pyreadstat.write_dta(frame, path, file_label=_file_label(layout), column_labels=_labels(columns, STATA_LABEL),
                         variable_value_labels={c.name: dict(c.values) for c in columns if c.values},
                         missing_user_values={c.name: [datasets.STATA_MISSING[code] for code, _ in c.missing]
                                              for c in columns if c.missing})


def _measure(column: Column) -> str:
    if column.kind == NUMBER:
        return "scale"
    return "ordinal" if column.kind == INTEGER and column.values else "nominal"


def _file_label(layout: Layout) -> str:
    return f"{layout.cohort} {layout.layout} dataset"


# --- the data package and the codebook ---------------------------------------------------------

def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def describe(layout: Layout, request, data_name: str, folder: Path, catalogue: Catalogue, tally,
             exported_at: datetime, platform_version: str) -> dict:
    fmt = request.format
    resource = {"name": data_name.rsplit(".", 1)[0], "path": data_name, "format": fmt,
                "mediatype": MEDIA_TYPES[fmt], "bytes": (folder / data_name).stat().st_size,
                "hash": f"sha256:{sha256(folder / data_name)}",
                "schema": {"fields": [_field(c) for c in layout.columns]}}
    if fmt == "csv":
        resource["encoding"] = "utf-8"
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": f"{layout.cohort}-{layout.layout}".replace("_", "-"),
        "title": f"{'Service users' if layout.cohort == 'service_user' else '(Ex-)partners'}: outcome measures, "
                 f"{layout.layout} layout",
        "created": exported_at.isoformat(timespec="seconds"),
        "resources": [resource],
        "survey_export": {
            "platform_version": platform_version,
            "exported_at": exported_at.isoformat(timespec="seconds"),
            "filters": request.filters,
            "rows": tally.rows,
            "participants": tally.participants,
            "instruments": [{"key": key, "sha256": catalogue.published[key].content_sha256}
                            for key in sorted(tally.instruments) if key in catalogue.published],
            "translations": [{"key": key, "status": status} for key, status in sorted(tally.translations)],
            "consent_document_versions": sorted(tally.consent_versions),
            "missing_codes": {str(code): label for code, label in datasets.MISSING_LABELS.items()},
            "stata_missing_codes": {str(code): f".{letter}" for code, letter in datasets.STATA_MISSING.items()},
            "files": {data_name: sha256(folder / data_name)},
        },
    }


def _field(column: Column) -> dict:
    described = {"name": column.name, "type": column.kind, "title": column.title}
    if column.description:
        described["description"] = column.description
    if column.values:
        described["categories"] = [{"value": value, "label": label} for value, label in column.values]
        described["constraints"] = {"enum": [value for value, _ in column.values]}
    if column.missing:
        described["missingValues"] = [""] + [str(code) for code, _ in column.missing]
    return described


def write_codebook(layout: Layout, package: dict, folder: Path, render: Callable[..., str]) -> None:
    """`render` turns the context into the page (the callers pass their template engine: the service knows
    no templates)."""
    page = render(package=package, export=package["survey_export"], columns=layout.columns,
                  resource=package["resources"][0], missing=datasets.MISSING_LABELS)
    (folder / CODEBOOK).write_text(page, encoding="utf-8")
    package["survey_export"]["files"][CODEBOOK] = sha256(folder / CODEBOOK)


def write_package(package: dict, folder: Path) -> dict[str, str]:
    """Write datapackage.json; return every file's SHA-256, the package's own included."""
    (folder / PACKAGE).write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {**package["survey_export"]["files"], PACKAGE: sha256(folder / PACKAGE)}
