"""Writes that touch several models, as typed, keyword-only, atomic functions.

`knowledge_base_load` turns the reviewable YAML in `comparisons/knowledge_base/` into records.
It only ever creates: a record that already exists (found by its natural key, or by its
unique name when an editor has changed the slug) is left exactly as it is, so editors' later
edits survive any number of re-runs. New records go through `full_clean()` first, so the
same model rules apply as in the admin (e.g. a rating must come from its feature's scale).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from .comparable import comparable_value
from .history import history_batch
from .models import (
    Benchmark,
    BenchmarkResult,
    Claim,
    Feature,
    FeatureCategory,
    Framework,
    Milestone,
    Point,
    Recommendation,
    RegistrySnapshot,
    ScalePoint,
    Source,
    Status,
    Support,
    UseCase,
    UseCaseRequirement,
)

KNOWLEDGE_BASE_DIR = Path(__file__).resolve().parent / "knowledge_base"

if False:  # typing only: registry imports requests, which the loader does not need
    from .registry import RegistryFacts


class KnowledgeBaseError(Exception):
    """The data files are malformed or do not fit the models; nothing has been written."""


@dataclass
class LoadReport:
    """How many records of each model the load created, and how many it found already there."""

    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)

    def count(self, model: type[models.Model], *, created: bool) -> None:
        name = str(model._meta.verbose_name_plural)
        self.created.setdefault(name, 0)
        self.existing.setdefault(name, 0)
        (self.created if created else self.existing)[name] += 1

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_existing(self) -> int:
        return sum(self.existing.values())

    def lines(self) -> list[str]:
        return [
            f"{name}: {self.created[name]} created, {self.existing[name]} already there"
            for name in self.created
        ]


@history_batch("Loaded from the shipped knowledge base")
@transaction.atomic
def knowledge_base_load(*, path: Path | None = None) -> LoadReport:
    """Create every record of the shipped knowledge base that is missing; touch none that exist.

    `path` is the knowledge base folder (default: the one shipped in the repo). Raises
    KnowledgeBaseError, and writes nothing, when a file is malformed or a record would break
    a model rule.
    """
    loader = _KnowledgeBaseLoader(Path(path) if path else KNOWLEDGE_BASE_DIR)
    loader.load()
    return loader.report


# --- reading the files --------------------------------------------------------------------


def read_knowledge_base(path: Path | None = None) -> dict[str, Any]:
    """Parse the knowledge base folder into plain data (no database access)."""
    folder = Path(path) if path else KNOWLEDGE_BASE_DIR
    if not folder.is_dir():
        raise KnowledgeBaseError(f"No knowledge base folder at {folder}.")
    sources = []
    for file in sorted((folder / "sources").glob("*.yaml")):
        document = _read_yaml(file)
        # A bundle (`sources: [...]`) holds several sources, e.g. one framework's pages of
        # official documentation; each entry is read as a file of its own would be.
        if "sources" in document:
            bundle = _fields(document, file.name, required=["sources"])["sources"]
            if not isinstance(bundle, list):
                raise KnowledgeBaseError(f"{file.name}: `sources` must be a list.")
            for number, entry in enumerate(bundle, start=1):
                if not isinstance(entry, Mapping):
                    raise KnowledgeBaseError(f"{file.name} source {number}: expected a mapping.")
                sources.append((f"{file.name} source {number}", entry))
        else:
            sources.append((file.name, document))
    # One file a framework: its record (`framework`) and Versus's verdicts on it (`cells`).
    frameworks = [
        (f"frameworks/{file.name}", _read_yaml(file))
        for file in sorted((folder / "frameworks").glob("*.yaml"))
    ]
    if not frameworks:
        raise KnowledgeBaseError(f"No framework files in {folder / 'frameworks'}.")
    return {
        "frameworks": frameworks,
        "features": _read_yaml(folder / "features.yaml"),
        "use_cases": _read_yaml(folder / "use_cases.yaml"),
        "sources": sources,
        "benchmark_runs": [
            (file.name, _read_json(file))
            for file in sorted((folder / "benchmark_runs").glob("*.json"))
        ],
    }


def _read_json(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise KnowledgeBaseError(f"{file.name} is not valid JSON: {error}") from error


def _read_yaml(file: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise KnowledgeBaseError(f"Missing knowledge base file {file}.") from error
    except yaml.YAMLError as error:
        raise KnowledgeBaseError(f"{file.name} is not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise KnowledgeBaseError(f"{file.name} must hold a mapping at its top level.")
    return data


def _fields(
    record: Any,
    where: str,
    *,
    required: Iterable[str] = (),
    optional: Iterable[str] = (),
) -> dict[str, Any]:
    """Check a record's keys, so that a typo in the data fails loudly instead of vanishing."""
    if not isinstance(record, Mapping):
        raise KnowledgeBaseError(f"{where}: expected a mapping, got {record!r}.")
    required, optional = set(required), set(optional)
    missing = required - record.keys()
    unknown = record.keys() - required - optional
    if missing:
        raise KnowledgeBaseError(f"{where}: missing {', '.join(sorted(missing))}.")
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}.")
    return dict(record)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


# --- writing ------------------------------------------------------------------------------

CELL_KEYS = ("level", "rating", "value", "summary", "packages", "since_version", "notes")
READING_KEYS = ("level", "rating", "value", "statement")


class _KnowledgeBaseLoader:
    def __init__(self, folder: Path):
        self.data = read_knowledge_base(folder)
        self.report = LoadReport()
        # Records by the slug the data files use, which may differ from an edited slug.
        self.frameworks: dict[str, Framework] = {}
        self.features: dict[str, Feature] = {}
        self.use_cases: dict[str, UseCase] = {}
        self.sources: dict[str, Source] = {}
        self.cells: dict[tuple[str, str], Support] = {}
        self.verdicts: dict[tuple[str, str], dict[str, Any]] = {}
        self.claimed: set[tuple[str, str, str]] = set()

    # The one place records are written: find, or validate and create.
    def ensure(
        self,
        model: type[models.Model],
        lookups: list[dict[str, Any]],
        build: Callable[[], dict[str, Any]],
        where: str,
        *,
        after_create: Callable[[Any], None] | None = None,
    ) -> Any:
        for lookup in lookups:
            found = model._default_manager.filter(**lookup).first()
            if found is not None:
                self.report.count(model, created=False)
                return found
        record = model(**build())
        try:
            record.full_clean()
        except ValidationError as error:
            raise KnowledgeBaseError(f"{where}: {_describe(error)}") from error
        # Shown in the record's history (django-simple-history), so editors see its origin.
        record._change_reason = "Loaded from the shipped knowledge base"
        record.save()
        if after_create:
            after_create(record)
        self.report.count(model, created=True)
        return record

    def load(self) -> None:
        self.load_features()
        self.load_frameworks()
        self.load_use_cases()
        self.read_verdicts()
        for file_name, document in self.data["sources"]:
            self.load_source_record(file_name, document)
        for file_name, document in self.data["sources"]:
            self.load_source_content(file_name, document)
        # Every verdict becomes a cell, claimed or not.
        for framework_slug, feature_slug in sorted(self.verdicts):
            self.cell(framework_slug, feature_slug, f"frameworks/{framework_slug}.yaml")
        # Versus's own benchmark runs, as `manage.py import_benchmark_run` imports them.
        for file_name, document in self.data["benchmark_runs"]:
            try:
                _, created = benchmark_run_import(document=document)
            except BenchmarkRunError as error:
                raise KnowledgeBaseError(f"benchmark_runs/{file_name}: {error}") from error
            self.report.count(Source, created=created)

    # -- catalogue ---------------------------------------------------------------------------

    def load_features(self) -> None:
        document = _fields(self.data["features"], "features.yaml", required=["categories"])
        for category_position, raw_category in enumerate(document["categories"], start=1):
            where = f"features.yaml category {category_position}"
            category_data = _fields(
                raw_category, where, required=["slug", "name", "features"], optional=["description"]
            )
            category = self.ensure(
                FeatureCategory,
                [{"slug": category_data["slug"]}, {"name": category_data["name"]}],
                lambda data=category_data, position=category_position: {
                    "slug": data["slug"],
                    "name": data["name"],
                    "description": _text(data.get("description")),
                    "position": position,
                },
                where,
            )
            for feature_position, raw_feature in enumerate(category_data["features"], start=1):
                self.load_feature(category, feature_position, raw_feature)

    def load_feature(self, category: FeatureCategory, position: int, raw: Any) -> None:
        where = f"features.yaml feature {raw.get('slug') if isinstance(raw, Mapping) else raw!r}"
        data = _fields(
            raw,
            where,
            required=["slug", "name", "kind"],
            optional=["description", "scale", "value_kind"],
        )
        if data["slug"] in self.features:
            raise KnowledgeBaseError(f"{where}: listed twice.")
        if bool(data.get("scale")) != (data["kind"] == Feature.Kind.RATING):
            raise KnowledgeBaseError(f"{where}: rating features, and only they, need a scale.")
        feature = self.ensure(
            Feature,
            [{"slug": data["slug"]}, {"name": data["name"]}],
            lambda: {
                "slug": data["slug"],
                "name": data["name"],
                "kind": data["kind"],
                "value_kind": _text(data.get("value_kind")),
                "category": category,
                "description": _text(data.get("description")),
                "position": position,
                "status": Status.PUBLISHED,
            },
            where,
        )
        self.features[data["slug"]] = feature
        for value, raw_point in enumerate(data.get("scale") or [], start=1):
            point = _fields(raw_point, f"{where} scale", required=["slug", "label", "tone"])
            self.ensure(
                ScalePoint,
                [{"feature": feature, "slug": point["slug"]}],
                lambda point=point, value=value: {
                    "feature": feature,
                    "value": value,
                    "slug": point["slug"],
                    "label": point["label"],
                    "tone": point["tone"],
                },
                f"{where} scale point {point['slug']}",
            )

    def load_frameworks(self) -> None:
        rows = []
        for file_name, document in self.data["frameworks"]:
            raw = _fields(document, file_name, required=["framework"], optional=["cells"])
            raw = raw["framework"]
            where = f"{file_name} framework"
            data = _fields(
                raw,
                where,
                required=["slug", "name", "kind", "interface"],
                optional=[
                    "tagline",
                    "summary",
                    "builds_on",
                    "foundations",
                    "first_release_year",
                    "creators",
                    "license",
                    "homepage_url",
                    "repository_url",
                    "docs_url",
                    "latest_version",
                    "registry_package",
                ],
            )
            created: list[Framework] = []
            framework = self.ensure(
                Framework,
                [{"slug": data["slug"]}, {"name": data["name"]}],
                lambda data=data: {
                    "slug": data["slug"],
                    "name": data["name"],
                    "kind": data["kind"],
                    "interface": data["interface"],
                    "first_release_year": data.get("first_release_year"),
                    "status": Status.PUBLISHED,
                    **{
                        name: _text(data.get(name))
                        for name in (
                            "tagline",
                            "summary",
                            "foundations",
                            "creators",
                            "license",
                            "homepage_url",
                            "repository_url",
                            "docs_url",
                            "latest_version",
                            "registry_package",
                        )
                    },
                },
                where,
                after_create=created.append,
            )
            if data["slug"] in self.frameworks:
                raise KnowledgeBaseError(f"{where}: framework '{data['slug']}' is listed twice.")
            if file_name != f"frameworks/{data['slug']}.yaml":
                raise KnowledgeBaseError(f"{where}: the file must be named {data['slug']}.yaml.")
            self.frameworks[data["slug"]] = framework
            rows.append((data, bool(created), where))
        # Relations between frameworks, once all of them exist; only on records made now.
        for data, created, where in rows:
            if created:
                bases = [self.framework(slug, where) for slug in data.get("builds_on") or []]
                self.frameworks[data["slug"]].builds_on.set(bases)

    def load_use_cases(self) -> None:
        document = _fields(self.data["use_cases"], "use_cases.yaml", required=["use_cases"])
        for position, raw in enumerate(document["use_cases"], start=1):
            where = f"use_cases.yaml {raw.get('slug') if isinstance(raw, Mapping) else raw!r}"
            data = _fields(
                raw,
                where,
                required=["slug", "name"],
                optional=["description", "preset", "preset_note"],
            )
            use_case = self.use_cases[data["slug"]] = self.ensure(
                UseCase,
                [{"slug": data["slug"]}, {"name": data["name"]}],
                lambda data=data, position=position: {
                    "slug": data["slug"],
                    "name": data["name"],
                    "description": _text(data.get("description")),
                    "preset_note": _text(data.get("preset_note")),
                    "position": position,
                    "status": Status.PUBLISHED,
                },
                where,
            )
            if data.get("preset") is not None:
                self.load_preset(use_case, data["preset"], f"{where} preset")

    def load_preset(self, use_case: UseCase, raw: Any, where: str) -> None:
        """`{must: [feature:level], nice: [feature:weight], prefer: [feature:end:weight]}`,
        each written as in a /choose/ URL."""
        kinds = {kind.value: kind for kind in UseCaseRequirement.Kind}
        preset = _fields(raw, where, optional=kinds)
        for key, items in preset.items():
            if not isinstance(items, list):
                raise KnowledgeBaseError(f"{where} {key}: expected a list, got {items!r}.")
            for item in items:
                self.load_requirement(use_case, kinds[key], str(item), f"{where} {key} {item}")

    def load_requirement(self, use_case: UseCase, kind: str, item: str, where: str) -> None:
        Kind = UseCaseRequirement.Kind
        shapes = {Kind.MUST: "feature:level", Kind.NICE: "feature:weight",
                  Kind.PREFER: "feature:end:weight"}  # fmt: skip
        parts = item.split(":")
        if len(parts) != shapes[kind].count(":") + 1:
            raise KnowledgeBaseError(f"{where}: write a {kind} requirement as {shapes[kind]}.")
        feature = self.feature(parts[0], where)
        level = parts[1] if kind == Kind.MUST else ""
        end = self.scale_point(feature, parts[1], where) if kind == Kind.PREFER else None
        weight = None
        if kind != Kind.MUST:
            if not parts[-1].isdigit():
                raise KnowledgeBaseError(f"{where}: the weight must be a whole number.")
            weight = int(parts[-1])
        self.ensure(
            UseCaseRequirement,
            [{"use_case": use_case, "feature": feature}],
            lambda: {
                "use_case": use_case,
                "feature": feature,
                "kind": kind,
                "level": level,
                "end": end,
                "weight": weight,
            },
            where,
        )

    def read_verdicts(self) -> None:
        """Each framework file's `cells`: feature slug → verdict. A framework has a cell only
        where a source speaks to it; silence is no cell, never a guess."""
        for file_name, document in self.data["frameworks"]:
            framework_slug = document["framework"]["slug"]
            cells = document.get("cells") or {}
            if not isinstance(cells, Mapping):
                raise KnowledgeBaseError(f"{file_name}: `cells` must map feature slugs to cells.")
            for feature_slug, raw in cells.items():
                where = f"{file_name} cell {feature_slug}"
                self.feature(feature_slug, where)
                self.verdicts[(framework_slug, feature_slug)] = _fields(
                    raw, where, optional=CELL_KEYS
                )

    # -- lookups by the data files' slugs ----------------------------------------------------

    def framework(self, slug: str, where: str) -> Framework:
        try:
            return self.frameworks[slug]
        except KeyError:
            raise KnowledgeBaseError(f"{where}: unknown framework '{slug}'.") from None

    def feature(self, slug: str, where: str) -> Feature:
        try:
            return self.features[slug]
        except KeyError:
            raise KnowledgeBaseError(f"{where}: unknown feature '{slug}'.") from None

    def use_case(self, slug: str, where: str) -> UseCase:
        try:
            return self.use_cases[slug]
        except KeyError:
            raise KnowledgeBaseError(f"{where}: unknown use case '{slug}'.") from None

    def scale_point(self, feature: Feature, slug: str | None, where: str) -> ScalePoint | None:
        if not slug:
            return None
        point = ScalePoint.objects.filter(feature=feature, slug=slug).first()
        if point is None:
            raise KnowledgeBaseError(f"{where}: '{slug}' is not on the scale of {feature.name}.")
        return point

    def cell(self, framework_slug: str, feature_slug: str, where: str) -> Support:
        key = (framework_slug, feature_slug)
        if key in self.cells:
            return self.cells[key]
        framework = self.framework(framework_slug, where)
        feature = self.feature(feature_slug, where)
        if key not in self.verdicts:
            raise KnowledgeBaseError(
                f"{where}: claims about {framework_slug} × {feature_slug}, but "
                f"frameworks/{framework_slug}.yaml has no verdict for that cell."
            )

        def build() -> dict[str, Any]:
            verdict = self.verdicts[key]
            return {
                "framework": framework,
                "feature": feature,
                "level": _text(verdict.get("level")),
                "rating": self.scale_point(feature, verdict.get("rating"), where),
                **{
                    name: _text(verdict.get(name))
                    for name in ("value", "summary", "packages", "since_version", "notes")
                },
            }

        self.cells[key] = self.ensure(
            Support,
            [{"framework": framework, "feature": feature}],
            build,
            f"frameworks/{framework_slug}.yaml cell {feature_slug}",
        )
        return self.cells[key]

    # -- sources and everything they say -----------------------------------------------------

    def load_source_record(self, file_name: str, document: Any) -> None:
        _fields(
            document,
            file_name,
            required=["source"],
            optional=[
                "seed",  # the article file in shared/seeds; read by the tests only
                "found",  # how the source's address was found; read by the tests only
                "table",
                "prose",
                "points",
                "recommendations",
                "benchmarks",
                "milestones",
            ],
        )
        where = f"{file_name} source"
        data = _fields(
            document["source"],
            where,
            required=["slug", "title"],
            optional=[
                "kind",
                "author",
                "publisher",
                "url",
                "read_on",
                "published_on",
                "date_precision",
                "summary",
                "conclusion",
                "frameworks",
            ],
        )
        if data["slug"] in self.sources:
            raise KnowledgeBaseError(f"{where}: slug '{data['slug']}' is used twice.")
        covered = [self.framework(slug, where) for slug in data.get("frameworks") or []]
        source = self.ensure(
            Source,
            # By slug, else (an editor renamed the slug) by title and publisher: pages of
            # different projects share titles ("Templates", "Release Notes").
            [
                {"slug": data["slug"]},
                {"title": data["title"], "publisher": _text(data.get("publisher"))},
            ],
            lambda: {
                "slug": data["slug"],
                "title": data["title"],
                "kind": data.get("kind") or Source.Kind.ARTICLE,
                "read_on": data.get("read_on"),
                "published_on": data.get("published_on"),
                "date_precision": data.get("date_precision") or Source.DatePrecision.DAY,
                "status": Status.PUBLISHED,
                **{
                    name: _text(data.get(name))
                    for name in ("author", "publisher", "url", "summary", "conclusion")
                },
            },
            where,
            after_create=lambda source: source.frameworks.set(covered),
        )
        if source in self.sources.values():
            raise KnowledgeBaseError(
                f"{where}: the same page as another source here (same title and publisher, "
                f"'{source.slug}'); give its claims to that source instead."
            )
        self.sources[data["slug"]] = source

    def load_source_content(self, file_name: str, document: Mapping[str, Any]) -> None:
        source_slug = document["source"]["slug"]
        source = self.sources[source_slug]
        if document.get("table"):
            self.load_table(file_name, source_slug, source, document["table"])
        for raw in document.get("prose") or []:
            where = f"{file_name} prose"
            data = _fields(raw, where, required=["feature", "claims"], optional=["label"])
            for framework_slug, reading in data["claims"].items():
                self.load_claim(
                    source_slug,
                    source,
                    framework_slug,
                    data["feature"],
                    reading,
                    place=Claim.Place.PROSE,
                    label=_text(data.get("label")),
                    where=f"{where} {data['feature']} × {framework_slug}",
                )
        self.load_points(file_name, source, document.get("points") or {})
        self.load_recommendations(file_name, source, document.get("recommendations") or [])
        for raw in document.get("benchmarks") or []:
            self.load_benchmark(file_name, source, raw)
        self.load_milestones(file_name, source, document.get("milestones") or [])

    def load_table(self, file_name: str, source_slug: str, source: Source, raw: Any) -> None:
        table = _fields(raw, f"{file_name} table", required=["columns", "rows"])
        columns = list(table["columns"])
        for row_number, raw_row in enumerate(table["rows"], start=1):
            where = f"{file_name} table row {row_number}"
            row = _fields(raw_row, where, required=["label", "feature", "claims"])
            if sorted(row["claims"]) != sorted(columns):
                raise KnowledgeBaseError(
                    f"{where} ({row['label']}): needs a claim for each column {columns}, "
                    f"has {sorted(row['claims'])}."
                )
            for framework_slug, reading in row["claims"].items():
                self.load_claim(
                    source_slug,
                    source,
                    framework_slug,
                    row["feature"],
                    reading,
                    place=Claim.Place.TABLE,
                    label=_text(row["label"]),
                    where=f"{where} ({row['label']}) × {framework_slug}",
                )

    def load_claim(
        self,
        source_slug: str,
        source: Source,
        framework_slug: str,
        feature_slug: str,
        raw: Any,
        *,
        place: str,
        label: str,
        where: str,
    ) -> None:
        reading = _fields(raw, where, required=["statement"], optional=READING_KEYS)
        key = (source_slug, framework_slug, feature_slug)
        if key in self.claimed:
            raise KnowledgeBaseError(
                f"{where}: the source already has a claim on this cell (one claim per source "
                "and cell); fold the two into one statement."
            )
        self.claimed.add(key)
        support = self.cell(framework_slug, feature_slug, where)
        self.ensure(
            Claim,
            [{"source": source, "support": support}],
            lambda: {
                "source": source,
                "support": support,
                "level": _text(reading.get("level")),
                "rating": self.scale_point(support.feature, reading.get("rating"), where),
                "value": _text(reading.get("value")),
                "statement": _text(reading["statement"]),
                "source_label": label,
                "place": place,
            },
            where,
        )

    def load_points(self, file_name: str, source: Source, raw: Any) -> None:
        kinds = {"strengths": Point.Kind.STRENGTH, "weaknesses": Point.Kind.WEAKNESS}
        for framework_slug, lists in raw.items():
            where = f"{file_name} points {framework_slug}"
            framework = self.framework(framework_slug, where)
            lists = _fields(lists, where, optional=kinds)
            for key, kind in kinds.items():
                texts = [_text(text) for text in lists.get(key) or []]
                if len(set(texts)) != len(texts):
                    raise KnowledgeBaseError(f"{where} {key}: the same point is listed twice.")
                for position, text in enumerate(texts, start=1):
                    # Position identifies the point, so an editor's rewording is not undone.
                    self.ensure(
                        Point,
                        [
                            {
                                "framework": framework,
                                "source": source,
                                "kind": kind,
                                "position": position,
                            },
                            {"framework": framework, "source": source, "kind": kind, "text": text},
                        ],
                        lambda text=text, kind=kind, position=position, framework=framework: {
                            "framework": framework,
                            "source": source,
                            "kind": kind,
                            "text": text,
                            "position": position,
                        },
                        f"{where} {key} {position}",
                    )

    def load_recommendations(self, file_name: str, source: Source, raw: Any) -> None:
        for number, raw_recommendation in enumerate(raw, start=1):
            where = f"{file_name} recommendation {number}"
            data = _fields(
                raw_recommendation,
                where,
                required=["use_case", "framework", "rationale"],
                optional=["fit"],
            )
            use_case = self.use_case(data["use_case"], where)
            framework = self.framework(data["framework"], where)
            self.ensure(
                Recommendation,
                [{"use_case": use_case, "framework": framework, "source": source}],
                lambda data=data, use_case=use_case, framework=framework: {
                    "use_case": use_case,
                    "framework": framework,
                    "source": source,
                    "fit": data.get("fit") or Recommendation.Fit.RECOMMENDED,
                    "rationale": _text(data["rationale"]),
                },
                where,
            )

    def load_benchmark(self, file_name: str, source: Source, raw: Any) -> None:
        where = f"{file_name} benchmark"
        data = _fields(
            raw,
            where,
            required=["slug", "title", "workload", "metric", "results"],
            optional=[
                "unit",
                "higher_is_better",
                "server",
                "hardware",
                "measured_on",
                "caveats",
            ],
        )
        where = f"{where} {data['slug']}"
        benchmark = self.ensure(
            Benchmark,
            [{"slug": data["slug"]}, {"title": data["title"]}],
            lambda: {
                "slug": data["slug"],
                "title": data["title"],
                "source": source,
                "higher_is_better": data.get("higher_is_better", True),
                "measured_on": data.get("measured_on"),
                "status": Status.PUBLISHED,
                **{
                    name: _text(data.get(name))
                    for name in ("workload", "metric", "unit", "server", "hardware", "caveats")
                },
            },
            where,
        )
        for raw_result in data["results"]:
            result = _fields(
                raw_result,
                f"{where} result",
                required=["framework", "figure"],
                optional=["server", "value", "low", "high", "rank", "approximate", "notes"],
            )
            framework = self.framework(result["framework"], f"{where} result")
            server = _text(result.get("server"))
            self.ensure(
                BenchmarkResult,
                [{"benchmark": benchmark, "framework": framework, "server": server}],
                lambda result=result, framework=framework, server=server: {
                    "benchmark": benchmark,
                    "framework": framework,
                    "server": server,
                    "figure": result["figure"],
                    "value": _decimal(result.get("value")),
                    "low": _decimal(result.get("low")),
                    "high": _decimal(result.get("high")),
                    "rank": result.get("rank"),
                    "approximate": bool(result.get("approximate", False)),
                    "notes": _text(result.get("notes")),
                },
                f"{where} result {result['framework']}",
            )

    def load_milestones(self, file_name: str, source: Source, raw: Any) -> None:
        for number, raw_milestone in enumerate(raw, start=1):
            where = f"{file_name} milestone {number}"
            data = _fields(raw_milestone, where, required=["framework", "year", "title"])
            framework = self.framework(data["framework"], where)
            # Framework, year and source identify it, so an editor's retitling is not undone.
            self.ensure(
                Milestone,
                [
                    {"framework": framework, "year": data["year"], "source": source},
                    {"framework": framework, "year": data["year"], "title": data["title"]},
                ],
                lambda data=data, framework=framework: {
                    "framework": framework,
                    "year": data["year"],
                    "title": _text(data["title"]),
                    "source": source,
                },
                where,
            )


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _describe(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


# --- the package registry -----------------------------------------------------------------

# The fact features a registry snapshot speaks to, and what of the snapshot each claim gives.
REGISTRY_CLAIMS = {
    "python-version": "requires_python",
    "open-source": "licence",
}
SNAPSHOT_COMPARED = (
    "latest_version", "latest_released_on", "first_released_on", "releases_last_12_months",
    "requires_python", "licence", "documentation_url", "source_url", "changelog_url",
)  # fmt: skip


def registry_changes(*, framework: Framework, facts: RegistryFacts) -> list[str]:
    """What a sync would change for this framework, one line per fact (reads only)."""
    current = framework.registry_snapshots.order_by("-taken_at").first()
    if current is None:
        return [f"first snapshot: {facts.latest_version}, {len(facts.releases)} releases"]
    changes = []
    for name in SNAPSHOT_COMPARED:
        before, after = getattr(current, name), getattr(facts, name)
        if before != after:
            changes.append(f"{name.replace('_', ' ')}: {before or '—'} → {after or '—'}")
    return changes


@history_batch("Synced from the package registry")
@transaction.atomic
def registry_snapshot_record(
    *, framework: Framework, facts: RegistryFacts, taken_at=None
) -> RegistrySnapshot:
    """Store what the registry says about the framework's package, all or nothing: a new
    dated snapshot; the framework's registry `Source` (kind package registry, read on the
    sync's day); its claims on the fact cells the registry speaks to (`REGISTRY_CLAIMS`,
    where the framework has that cell), each with its comparable value; and the
    framework's `latest_version`."""
    taken_at = taken_at or timezone.now()
    snapshot = RegistrySnapshot(framework=framework, taken_at=taken_at, **facts.as_fields())
    snapshot.full_clean()
    snapshot.save()

    index = settings.PACKAGE_INDEX_NAME
    slug = framework.registry_source_slug
    source = Source.objects.filter(slug=slug).first() or Source(slug=slug)
    source.title = f"{facts.package} on {index}"
    source.kind = Source.Kind.PACKAGE_REGISTRY
    source.publisher = index
    source.url = facts.registry_url
    source.read_on = timezone.localdate(taken_at)
    source.published_on = facts.latest_released_on
    source.date_precision = Source.DatePrecision.DAY
    source.status = Status.PUBLISHED
    source.summary = (
        f"The package's entry on {index}: every release with its upload date, and the "
        "metadata the latest release declares. Versus reads it with `manage.py "
        "sync_registry`; its claims hold as of the last sync."
    )
    source.full_clean()
    source._change_reason = "Synced from the package registry"
    source.save()
    source.frameworks.add(framework)

    cells = {
        cell.feature.slug: cell
        for cell in Support.objects.filter(
            framework=framework, feature__slug__in=REGISTRY_CLAIMS
        ).select_related("feature")
    }
    released = f", {facts.latest_released_on:%-d %b %Y}" if facts.latest_released_on else ""
    statements = {
        "requires_python": f"The latest release, {facts.latest_version}{released}, declares "
        f"that it needs Python {facts.requires_python}.",
        "licence": f"The latest release, {facts.latest_version}, declares the licence "
        f"{facts.licence}.",
    }
    for feature_slug, fact in REGISTRY_CLAIMS.items():
        value = getattr(facts, fact)
        if feature_slug not in cells or not value:
            continue
        try:
            comparable_value(cells[feature_slug].feature.value_kind, value)
        except ValueError:
            # Declared in words no comparison can read ('MIT License'): the claim says what
            # the registry declares and takes no comparable value, rather than no snapshot.
            value = ""
        claim = Claim.objects.filter(source=source, support=cells[feature_slug]).first() or Claim(
            source=source, support=cells[feature_slug], place=Claim.Place.PROSE
        )
        if (claim.value, claim.statement) == (value, statements[fact]):
            continue
        claim.value, claim.statement = value, statements[fact]
        claim.full_clean()
        claim._change_reason = "Synced from the package registry"
        claim.save()

    if framework.latest_version != facts.latest_version:
        framework.latest_version = facts.latest_version
        framework._change_reason = "Synced from the package registry"
        framework.save(update_fields=["latest_version", "updated_at"])
    return snapshot


# --- Versus's own benchmark runs --------------------------------------------------------

RUN_TESTS = {
    "plaintext": ("Plain text", "GET /plaintext answers the 13 bytes 'Hello, World!' as "
                  "text/plain: routing and the response path, no I/O."),
    "json": ("JSON serialisation", "GET /json serialises {\"message\": \"Hello, World!\"} on every "
             "request through the framework's usual JSON response."),
    "db": ("Single query", "GET /db reads one random row of a 10,000-row table by primary key "
           "from PostgreSQL and returns it as JSON."),
    "queries": ("Multiple queries (20)", "GET /queries?queries=20 reads 20 random rows, one "
                "query each, and returns them as a JSON array."),
    "fortunes": ("Fortunes (template with escaping)", "GET /fortunes reads 12 rows, adds one, "
                 "sorts them and renders an HTML table through the framework's template "
                 "engine, escaping the one that holds markup."),
    "updates": ("Updates (20)", "GET /updates?queries=20 reads 20 random rows one by one, gives "
                "each a new random number and writes them back, then returns them as JSON."),
}  # fmt: skip
NOT_MEASURED = (
    "What it does not measure: real applications (authentication, middleware stacks, larger "
    "payloads), latency under a fixed request rate, memory, start-up time, more than one core "
    "of server, or anything about how easy the code is to write and keep."
)


class BenchmarkRunError(Exception):
    """A benchmark run file that cannot be imported; the message says why."""


def _run_fields(document: Any) -> tuple[dict, list[dict], datetime.date, str]:
    if not isinstance(document, Mapping) or document.get("suite") != "versus-framework-bench":
        raise BenchmarkRunError("not a Versus framework benchmark result (suite is missing)")
    if document.get("format") != 1:
        raise BenchmarkRunError(f"unknown format {document.get('format')!r} (expected 1)")
    context, results = document.get("context"), document.get("results")
    if not isinstance(context, Mapping) or not isinstance(results, list) or not results:
        raise BenchmarkRunError("needs a 'context' mapping and a non-empty 'results' list")
    missing = [k for k in ("date", "commit", "machine", "python", "packages", "settings")
               if not context.get(k)]  # fmt: skip
    if missing:
        raise BenchmarkRunError(f"the context lacks {', '.join(missing)}")
    machine_missing = [k for k in ("cpu_model", "cpu_count", "memory_bytes", "kernel")
                       if not context["machine"].get(k)]  # fmt: skip
    if machine_missing:
        raise BenchmarkRunError(f"the machine lacks {', '.join(machine_missing)}")
    try:
        day = datetime.datetime.fromisoformat(str(context["date"])).date()
    except ValueError:
        raise BenchmarkRunError(f"the date {context['date']!r} is not ISO 8601") from None
    commit = str(context["commit"])
    if not re.fullmatch(r"[0-9a-f]{7,40}", commit):
        raise BenchmarkRunError(f"the commit {commit!r} is not a git commit id")
    for number, result in enumerate(results, start=1):
        if not isinstance(result, Mapping):
            raise BenchmarkRunError(f"result {number} is not a mapping")
        for key in ("framework", "server", "test", "median_rps", "low_rps", "high_rps"):
            if key not in result:
                raise BenchmarkRunError(f"result {number} lacks '{key}'")
        if result["test"] not in RUN_TESTS:
            raise BenchmarkRunError(f"result {number}: unknown test {result['test']!r}")
        figures = [result["low_rps"], result["median_rps"], result["high_rps"]]
        if not all(isinstance(f, int | float) and f >= 0 for f in figures) or not (
            figures[0] <= figures[1] <= figures[2]
        ):
            raise BenchmarkRunError(f"result {number}: needs 0 <= low <= median <= high")
    return context, results, day, commit


@history_batch("Imported from a benchmark run")
@transaction.atomic
def benchmark_run_import(*, document: Any) -> tuple[Source, bool]:
    """Turn one `bench/frameworks/suite.py run` result into a source of kind *benchmark
    run*, a benchmark per test (with the run's context) and a result per framework and
    server. All or nothing; a run already imported (same date and commit) is left as it is.
    Returns the source and whether it was created."""
    context, results, day, commit = _run_fields(document)
    slug = f"versus-run-{day:%Y%m%d}-{commit[:7]}"
    existing = Source.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    frameworks = {}
    for result in results:
        slug_ = result["framework"]
        if slug_ not in frameworks:
            framework = Framework.objects.filter(slug=slug_).first()
            if framework is None:
                raise BenchmarkRunError(f"no framework '{slug_}' in the knowledge base")
            frameworks[slug_] = framework
    machine, settings_ = context["machine"], context["settings"]
    memory = round(machine["memory_bytes"] / 2**30)
    hardware = (
        f"{machine['cpu_model']}, {machine['cpu_count']} cores, {memory} GB RAM, "
        f"Linux {machine['kernel']} (a virtual machine)"
    )[:200]
    method = (
        f"Each framework's server pinned to one core with {settings_.get('workers')} "
        f"worker(s), wrk on the other core with {settings_.get('connections')} connections, "
        f"{settings_.get('rounds')} rounds of {settings_.get('duration_seconds')} s per test "
        "after a warm-up, rounds interleaved across frameworks; the figure is the median "
        "round, its range in the notes."
    )
    source = Source(
        slug=slug,
        title=f"Versus framework benchmark run of {day:%-d %B %Y}",
        kind=Source.Kind.BENCHMARK_RUN,
        publisher="Versus",
        published_on=day,
        date_precision=Source.DatePrecision.DAY,
        status=Status.PUBLISHED,
        summary=(
            f"One run of Versus's own framework benchmarks (bench/frameworks/, commit "
            f"{commit[:7]}) on {hardware}, Python {context['python']}. {method}"
        ),
        conclusion="Figures from one run on one small virtual machine: compare the frameworks "
        "with each other within a test, not with other benchmarks' numbers.",
    )
    source.full_clean()
    source._change_reason = "Imported from a benchmark run"
    source.save()
    source.frameworks.set(frameworks.values())
    by_test: dict[str, list[dict]] = {}
    for result in results:
        by_test.setdefault(result["test"], []).append(result)
    for test, rows in by_test.items():
        title, workload = RUN_TESTS[test]
        benchmark = Benchmark(
            slug=f"{slug}-{test}",
            title=f"{title}: Versus run of {day:%-d %b %Y}",
            source=source,
            workload=workload,
            metric="Throughput",
            unit="requests/s",
            higher_is_better=True,
            hardware=hardware,
            measured_on=day,
            caveats=f"One run on a {machine['cpu_count']}-core virtual machine. {method} "
            f"{NOT_MEASURED}",
            task=test,
            context=dict(context),
            status=Status.PUBLISHED,
        )
        benchmark.full_clean()
        benchmark._change_reason = "Imported from a benchmark run"
        benchmark.save()
        for row in rows:
            result = BenchmarkResult(
                benchmark=benchmark,
                framework=frameworks[row["framework"]],
                server=str(row["server"])[:120],
                figure=BenchmarkResult.Figure.VALUE,
                value=Decimal(str(round(row["median_rps"]))),
                notes=f"Median of {len(row.get('rounds') or [])} rounds; range "
                f"{row['low_rps']:,.0f}–{row['high_rps']:,.0f} requests/s.",
            )
            try:
                result.full_clean()
            except ValidationError as error:
                raise BenchmarkRunError(
                    f"{test} × {row['framework']}: {_describe(error)}"
                ) from None
            result.save()
    return source, True
