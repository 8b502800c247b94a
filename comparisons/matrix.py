"""The comparison matrix, and how a cell is drawn — one of each, for every surface.

`build_matrix()` lays out frameworks × published features by category from two queries
(features, cells as `values()` rows), whatever the size: the compare page, the framework page
(one column), the feature page (one row), the cell page (one cell) and the API's compare
endpoint all read it. A cell is drawn by `cell_html()` alone, on every page; the compare
page writes its rows with `row_html()` in Python, since a template include per cell made a
10 × 100 page take ~600 ms (docs/performance.md).

"Disputed" and "outdated" are the cell's stored summary of its sources
(`Support.sources_disagree`, `sources_outdated`, kept by `comparisons.summaries`);
"differs" is `Row.differs`.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from html import escape
from types import SimpleNamespace

from django.db import models
from django.utils.safestring import SafeString

from .icons import icon
from .links import url_pattern
from .models import (
    Claim,
    Feature,
    Framework,
    Support,
    SupportLevel,
    Tone,
    reading_of_values,
)

SLUG_SEPARATOR = "-vs-"


def canonical_order(frameworks: Sequence[Framework]) -> list[Framework]:
    """One set of frameworks, one order: by slug. The compare page's columns, the API's and
    the address all follow it, so a set has one address and one matrix."""
    return sorted(frameworks, key=lambda framework: framework.slug)


def canonical_slug(frameworks: Sequence[Framework]) -> str:
    """'django-vs-fastapi-vs-flask': the one path segment of a set of frameworks (slugs
    sorted, whatever order they are given in)."""
    return SLUG_SEPARATOR.join(framework.slug for framework in canonical_order(frameworks))


# --- How a verdict reads ------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """How a cell or claim reads to a visitor: never colour alone, always icon and word.

    `key` is what pages put in `data-reading` and the API in `reading` (the level, the
    rating's slug, 'fact' or 'missing'); `tone` picks the colour and `icon` the glyph.
    """

    key: str
    label: str
    tone: str
    icon: str


LEVEL_ICONS = {
    SupportLevel.NATIVE: "check",
    SupportLevel.EXTENSION: "plus",
    SupportLevel.PARTIAL: "half",
    SupportLevel.NONE: "cross",
    SupportLevel.UNKNOWN: "question",
}
TONE_ICONS = {Tone.POSITIVE: "up", Tone.NEUTRAL: "dot", Tone.NEGATIVE: "down"}
MISSING = Reading("missing", "No data", "missing", "dash")


def describe_reading(record, feature: Feature) -> Reading:
    """The Reading of a cell (Support) or claim on `feature`; MISSING when there is none."""
    if record is None:
        return MISSING
    point = record.rating if record.rating_id is not None else None
    return reading_for(feature.kind, record.level, point)


def reading_for(kind, level, point=None) -> Reading:
    """The Reading of a level or a scale point (anything with slug, label and tone) on a
    feature of this kind. A claim that commits to nothing reads 'No definite reading'."""
    if kind == Feature.Kind.FACT:
        return Reading("fact", "Fact", "fact", "info")
    if point is not None:
        return Reading(point.slug, point.label, point.tone, TONE_ICONS.get(point.tone, "dot"))
    if level:
        level = SupportLevel(level)
        return Reading(level.value, level.label, level.value, LEVEL_ICONS[level])
    return Reading("", "No definite reading", "missing", "dash")


@lru_cache(maxsize=1024)
def cell_reading(kind, level, rating_slug, rating_label, rating_tone) -> Reading:
    """`reading_for()` of a cell row's values: the same few recur in every matrix."""
    point = None
    if rating_slug is not None:
        point = SimpleNamespace(slug=rating_slug, label=rating_label, tone=rating_tone)
    return reading_for(kind, level, point)


# --- The matrix ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategoryRef:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class FeatureRef:
    """A feature as the matrix shows it (read as a row: 300 model instances with their
    categories cost more than the rest of a matrix's rows)."""

    pk: int
    slug: str
    name: str
    kind: str
    description: str
    category: CategoryRef
    url: str

    def get_absolute_url(self):
        return self.url


@dataclass(frozen=True, slots=True)
class Escaped:
    """A framework's or feature's slug and name as HTML, escaped once for all its cells."""

    slug: str
    name: str

    @classmethod
    def of(cls, record):
        return cls(escape(record.slug), escape(record.name))


FEATURE_FIELDS = ("pk", "slug", "name", "kind", "description", "category__slug", "category__name")

# What a cell shows, read as a row (a named tuple, ~10× cheaper than an instance per cell).
CELL_FIELDS = (
    "pk", "framework_id", "feature_id", "level", "rating_id", "rating__slug", "rating__label",
    "rating__tone", "rating__value", "summary", "packages", "since_version", "notes",
    "value", "last_verified", "source_count", "sources_disagree", "sources_outdated",
    "evidence_on",
)  # fmt: skip


class Cell:
    """One framework × one feature: the verdict, or its absence (`exists` false). The row's
    values read as the cell's own attributes: `cell.summary`, `cell.packages`…"""

    __slots__ = ("claims", "feature", "feature_html", "framework", "framework_html", "reading",
                 "row", "url")  # fmt: skip

    def __init__(self, framework, feature, row, url, *, framework_html, feature_html):
        self.framework = framework
        self.feature = feature
        self.row = row  # a CELL_FIELDS row, or None
        self.url = url  # the cell's own page: its notes and every claim behind it
        self.framework_html = framework_html  # Escaped: shared by the column's cells
        self.feature_html = feature_html  # Escaped: shared by the row's cells
        self.claims = []  # filled by `attach_claims()` where the claims are listed
        if row is None:
            self.reading = MISSING
        else:
            self.reading = cell_reading(
                feature.kind, row.level, row.rating__slug, row.rating__label, row.rating__tone
            )

    def __getattr__(self, name):
        return getattr(MISSING_ROW if self.row is None else self.row, name)

    @property
    def exists(self):
        return self.row is not None

    @property
    def disputed(self) -> bool:
        """The cell's stored summary of its sources (`comparisons.summaries`)."""
        return self.row is not None and bool(self.row.sources_disagree)

    @property
    def outdated(self) -> bool:
        """Its sources' facts differ only with age (`comparisons.summaries`)."""
        return self.row is not None and bool(self.row.sources_outdated)

    @property
    def package_list(self):
        return [name.strip() for name in self.packages.split(",") if name.strip()]

    @property
    def comparable(self):
        """What 'only rows that differ' compares (`DIFFERS_RULE` says it in words): the
        level or rating; for a fact, its comparable value (`comparable.comparable_value`,
        stored as `Support.value`). A free-text fact has nothing to compare but its
        presence, so all such cells compare equal; a missing cell differs from any."""
        row = self.row
        if row is None:
            return None
        if self.feature.kind == Feature.Kind.FACT:
            return ("value", row.value) if row.value else FREE_TEXT
        return reading_of_values(row.level, row.rating_id) or ("level", row.level)


FREE_TEXT = ("free text",)
DIFFERS_RULE = (
    "A row differs when its cells' support levels or ratings differ, or, for facts such as "
    "the licence or the Python version, their values. Facts written as free text cannot be "
    "compared word for word: they count as differing only where a framework has no cell."
)

# A missing cell's values.
MISSING_ROW = SimpleNamespace(
    pk=None, level="", rating_id=None, value="", summary="", packages="", since_version="",
    notes="", last_verified=None, source_count=0, sources_disagree=False, sources_outdated=False,
    evidence_on=None,
)  # fmt: skip


@dataclass
class Row:
    feature: FeatureRef
    cells: list[Cell]

    @cached_property
    def differs(self) -> bool:
        """The one "differs" rule (`DIFFERS_RULE`): the cells' comparable readings
        (`Cell.comparable`) are not all equal."""
        return len({cell.comparable for cell in self.cells}) > 1

    @cached_property
    def disputed(self) -> bool:
        return any(cell.disputed for cell in self.cells)


@dataclass
class Section:
    category: CategoryRef
    rows: list[Row]


@dataclass
class Matrix:
    frameworks: list[Framework]
    sections: list[Section]
    categories: list[CategoryRef] = field(default_factory=list)  # every one, to filter
    only_differences: bool = False
    selected_categories: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [row for section in self.sections for row in section.rows]

    @property
    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells]

    @property
    def disputed_count(self) -> int:
        return sum(cell.disputed for cell in self.cells)

    @property
    def outdated_count(self) -> int:
        return sum(cell.outdated for cell in self.cells)

    @cached_property
    def as_of(self):
        """What "evidence as of" means on every page: the newest day any of its cells was
        checked, or any published source behind them was read (else published) — the cells'
        stored `evidence_on`, kept by `comparisons.summaries`. No query."""
        days = [
            day
            for cell in self.cells
            if cell.exists
            for day in (cell.last_verified, cell.evidence_on)
            if day is not None
        ]
        return max(days, default=None)

    @property
    def slug(self) -> str:
        return canonical_slug(self.frameworks)


def build_matrix(
    frameworks: Sequence[Framework],
    *,
    category_slugs: Sequence[str] = (),
    only_differences: bool = False,
    features=None,
) -> Matrix:
    """The matrix of these frameworks over every published feature (or those categories, or
    the `features` given: a queryset, or Feature records already read in display order with
    their categories), grouped by category in display order."""
    if features is None:
        features = Feature.objects.published()
    if isinstance(features, models.QuerySet):
        feature_rows = features.in_display_order().values_list(*FEATURE_FIELDS)
    else:
        feature_rows = [
            (f.pk, f.slug, f.name, f.kind, f.description, f.category.slug, f.category.name)
            for f in features
        ]
    feature_url = url_pattern("comparisons:feature-detail", slug=None)
    categories: dict[str, CategoryRef] = {}
    shown = []
    for row in feature_rows:
        pk, slug, name, kind, description, category_slug, category_name = row
        category = categories.get(category_slug)
        if category is None:
            category = categories[category_slug] = CategoryRef(category_slug, category_name)
        if not category_slugs or category_slug in category_slugs:
            url = feature_url.format(slug=slug)
            shown.append(FeatureRef(pk, slug, name, kind, description, category, url))
    rows = Support.objects.for_matrix(
        [framework.pk for framework in frameworks], [feature.pk for feature in shown]
    ).values_list(*CELL_FIELDS, named=True)
    found = {(row.framework_id, row.feature_id): row for row in rows}
    cell_url = url_pattern("comparisons:cell-detail", framework=None, feature=None)
    columns = [(framework, Escaped.of(framework)) for framework in frameworks]
    sections: dict[str, Section] = {}
    for feature in shown:
        feature_html = Escaped.of(feature)
        row = Row(
            feature,
            [
                Cell(
                    framework,
                    feature,
                    found.get((framework.pk, feature.pk)),
                    cell_url.format(framework=framework.slug, feature=feature.slug),
                    framework_html=framework_html,
                    feature_html=feature_html,
                )
                for framework, framework_html in columns
            ],
        )
        if only_differences and not row.differs:
            continue
        section = sections.setdefault(feature.category.slug, Section(feature.category, []))
        section.rows.append(row)
    return Matrix(
        frameworks=list(frameworks),
        sections=list(sections.values()),
        categories=list(categories.values()),
        only_differences=only_differences,
        selected_categories=list(category_slugs),
    )


def attach_claims(cells: list[Cell]) -> list[Cell]:
    """Give each cell its published claims, with their sources (one query), for the pages
    and the endpoint that list them beside the verdict."""
    claims: dict[int, list[Claim]] = {}
    for claim in Claim.objects.for_cells([cell.pk for cell in cells if cell.exists]):
        claims.setdefault(claim.support_id, []).append(claim)
    for cell in cells:
        cell.claims = claims.get(cell.pk, [])
    return cells


# --- How a cell is drawn ------------------------------------------------------------------


def cell_html(cell: Cell, *, tag="td", footnote=True, label="") -> SafeString:
    """A cell as every page shows it: its verdict as icon and word (a fact as its text), its
    summary, packages and version, and — as its footnote — a link to its own page, which
    versus.js opens in place. `tag` is the element ('td' in tables); the cell's own page
    draws it without the footnote. `label` (escaped) names the cell's other axis — its
    framework, or in the transposed matrix its feature — for the narrow screens' cards,
    where the table's heads are not beside it (the wide table hides it)."""
    reading, disputed = cell.reading, cell.disputed
    framework_slug, feature_slug = cell.framework_html.slug, cell.feature_html.slug
    opening = (
        f'<{tag} {reading_attributes(reading, disputed)} id="cell-{framework_slug}-{feature_slug}" '
        f'data-framework="{framework_slug}" data-feature="{feature_slug}" '
        f'data-reading="{reading_key_html(reading)}" '
        f'data-disputed="{"true" if disputed else "false"}">'
    )
    if label:
        opening += f'<span class="cell-label">{label}</span>'
    if cell.row is None:
        return SafeString(f"{opening}{badge_html(reading)}</{tag}>")
    row = cell.row
    if reading.key == "fact":
        text = f'<p class="cell-fact">{escape(row.summary)}</p>'
    else:
        summary = row.summary
        text = badge_html(reading) + (
            f'<p class="cell-summary">{escape(summary)}</p>' if summary else ""
        )
    extras = packages_html(row.packages) + since_html(row.since_version)
    notes = footnote_html(cell, disputed) if footnote else ""
    return SafeString(f"{opening}{text}{extras}{notes}</{tag}>")


def cell_reference_html(cell: Cell) -> SafeString:
    """A cell cited in one line (the choose page's breakdown): its verdict as icon and word,
    its source count and disputed mark, as a link to the cell's own page."""
    count = cell.source_count
    sources = f"{count} source{'' if count == 1 else 's'}" if count else "No source yet"
    return SafeString(
        f'<a class="cell-ref" href="{escape(cell.url)}" '
        f'data-framework="{cell.framework_html.slug}" data-feature="{cell.feature_html.slug}" '
        f'data-reading="{reading_key_html(cell.reading)}" '
        f'data-disputed="{"true" if cell.disputed else "false"}">'
        f"{badge_html(cell.reading, compact=True)}"
        f'<span class="cell-ref-sources muted">{sources}</span>'
        f"{standing_mark(cell)}</a>"
    )


def standing_mark(cell) -> str:
    """The mark of how a cell's sources stand to it: disputed, else outdated, else none."""
    if cell.disputed:
        return DISPUTED_MARK
    return OUTDATED_MARK if cell.outdated else ""


def footnote_html(cell, disputed):
    count = cell.row.source_count
    if not (count or cell.row.notes):
        return NO_SOURCE
    label = f"{count} source{'' if count == 1 else 's'}" if count else "Notes"
    return (
        f'<details class="cell-details"><summary><span class="footnote-mark">{SOURCES_ICON}'
        f"<span>{label}</span></span>{standing_mark(cell)}"
        f'<span class="visually-hidden"> for {cell.framework_html.name} &times; '
        f"{cell.feature_html.name}</span></summary>"
        f'<div class="cell-details-body"><a href="{escape(cell.url)}" data-footnote>'
        f"Read the {'sources' if count else 'notes'}</a>{checked_html(cell.row.last_verified)}"
        "</div></details>"
    )


@lru_cache(maxsize=256)
def checked_html(day) -> str:
    """When an editor last checked the cell against its sources."""
    if day is None:
        return ""
    return (
        f'<p class="cell-checked muted">Checked <time datetime="{day:%Y-%m-%d}">'
        f"{day:%-d %b %Y}</time></p>"
    )


@lru_cache(maxsize=256)
def reading_attributes(reading: Reading, disputed: bool) -> str:
    """A cell's class attribute: its tone, and whether it is disputed."""
    return f'class="cell tone-{escape(reading.tone)}{" is-disputed" if disputed else ""}"'


@lru_cache(maxsize=256)
def reading_key_html(reading: Reading) -> str:
    return escape(reading.key)


@lru_cache(maxsize=256)
def badge_html(reading: Reading, *, compact=False) -> str:
    """A verdict as icon and word, coloured by its tone (never colour alone)."""
    return (
        f'<span class="reading tone-{escape(reading.tone)}{" reading-compact" if compact else ""}">'
        f'{icon(reading.icon)}<span class="reading-label">{escape(reading.label)}</span></span>'
    )


@lru_cache(maxsize=1024)
def packages_html(packages):
    """The packages a cell takes, as <code> chips (the same few strings recur across cells)."""
    names = [name.strip() for name in packages.split(",") if name.strip()]
    if not names:
        return ""
    codes = " ".join(f"<code>{escape(name)}</code>" for name in names)
    return f'<p class="cell-packages"><span class="visually-hidden">Takes: </span>{codes}</p>'


@lru_cache(maxsize=1024)
def since_html(version):
    return f'<p class="cell-since muted">since {escape(version)}</p>' if version else ""


NO_SOURCE = '<p class="cell-unsourced muted">No source yet</p>'
SOURCES_ICON = icon("sources")
DISPUTED_MARK = (
    f'<span class="disputed-mark" title="Sources disagree">{icon("alert")}'
    "<span>Disputed</span></span>"
)
OUTDATED_MARK = (
    '<span class="outdated-mark" title="Older sources say otherwise">'
    f"{icon('clock')}<span>Outdated</span></span>"
)
DIFFERS_MARK = '<span class="differs-mark">differs</span>'


def row_html(row: Row) -> str:
    """A matrix row: the feature's head, then its cells, each labelled with its framework."""
    feature, differs = row.feature, row.differs
    shown = (("row-differs", differs), ("row-disputed", row.disputed))
    classes = " ".join(name for name, on in shown if on)
    escaped = row.cells[0].feature_html if row.cells else Escaped.of(feature)
    return (
        f'<tr class="{classes}" id="feature-{escaped.slug}"><th scope="row" '
        f'class="feature-head"><a href="{escape(feature.url)}">'
        f"{escaped.name}</a>{DIFFERS_MARK if differs else ''}</th>"
        f"{''.join([cell_html(cell, label=cell.framework_html.name) for cell in row.cells])}</tr>"
    )


def matrix_body_html(matrix: Matrix) -> SafeString:
    """Every <tbody> of the compare page's table: one per category, a heading row first."""
    span = len(matrix.frameworks) + 1
    parts = []
    for section in matrix.sections:
        slug, name = escape(section.category.slug), escape(section.category.name)
        parts.append(
            f'<tbody id="category-{slug}"><tr class="category-row"><th scope="colgroup" '
            f'colspan="{span}"><span class="category-label">{name}</span></th></tr>'
        )
        parts.extend(row_html(row) for row in section.rows)
        parts.append("</tbody>")
    return SafeString("".join(parts))


def transposed_html(matrix: Matrix) -> SafeString:
    """The same matrix turned: a row per framework, a column per feature (for wide
    line-ups). One head row, each feature head naming its category where a category
    starts; every cell is `cell_html`'s, labelled with its feature."""
    heads, columns = [], []
    for section in matrix.sections:
        category = escape(section.category.name)
        for index, row in enumerate(section.rows):
            escaped = Escaped.of(row.feature)
            starts = ' class="category-start"' if index == 0 else ""
            eyebrow = f'<span class="feature-category">{category}</span>' if index == 0 else ""
            heads.append(
                f'<th scope="col"{starts} id="feature-{escaped.slug}" data-feature-head>'
                f'{eyebrow}<a href="{escape(row.feature.url)}">{escaped.name}</a>'
                f"{DIFFERS_MARK if row.differs else ''}</th>"
            )
            columns.append(row)
    parts = ['<thead><tr><th scope="col" class="corner">Framework</th>', *heads, "</tr></thead>"]
    parts.append("<tbody>")
    for index, framework in enumerate(matrix.frameworks):
        name = escape(framework.name)
        parts.append(
            f'<tr id="framework-{escape(framework.slug)}"><th scope="row" class="framework-row">'
            f'<a href="{escape(framework.get_absolute_url())}">{name}</a>'
            f'<span class="framework-kind">{escape(framework.get_kind_display())}</span></th>'
        )
        parts.extend(
            cell_html(row.cells[index], label=row.cells[index].feature_html.name) for row in columns
        )
        parts.append("</tr>")
    parts.append("</tbody>")
    return SafeString("".join(parts))
