"""The comparison matrix, computed once in Python for the compare page and the API alike.

`resolve_frameworks()` turns the slugs a visitor asked for into published frameworks (or
says which slugs are unknown); `build_matrix()` lays out features by category, one column per
framework, with each cell's verdict, claims and dispute flag. Its query count is fixed:
features, cells (with disputes), claims — whatever the size of the matrix.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .models import Feature, FeatureCategory, Framework, Support, SupportLevel, Tone

MAX_FRAMEWORKS = 30  # the benchmark measures 30 columns; beyond that a table stops being readable
SLUG_SEPARATOR = "-vs-"


class MatrixRequestError(ValueError):
    """The frameworks asked for cannot make a matrix; `message` says why, for a 4xx."""

    def __init__(self, message, *, unknown=(), known=()):
        super().__init__(message)
        self.message = message
        self.unknown = list(unknown)
        self.known = list(known)


def parse_slugs(raw: str | Iterable[str]) -> list[str]:
    """Split 'a,b,c' (or already-split values) into slugs, dropping blanks and repeats."""
    parts = raw.split(",") if isinstance(raw, str) else [p for item in raw for p in item.split(",")]
    slugs = []
    for part in parts:
        slug = part.strip().lower()
        if slug and slug not in slugs:
            slugs.append(slug)
    return slugs


def resolve_frameworks(slugs: Sequence[str], *, published=None) -> list[Framework]:
    """Published frameworks for these slugs, in the order asked.

    Raises MatrixRequestError when fewer than two are asked for, too many, or any is unknown
    (including drafts, which the public must not learn exist). `published`, if given, is the
    list of every published framework, already fetched (the compare page offers the others).
    """
    if len(slugs) < 2:
        raise MatrixRequestError("Pick at least two frameworks to compare.")
    if len(slugs) > MAX_FRAMEWORKS:
        raise MatrixRequestError(f"Compare at most {MAX_FRAMEWORKS} frameworks at once.")
    if any(len(slug) > 80 for slug in slugs):
        raise MatrixRequestError("That framework name is too long to be one we know.")
    if published is None:
        published = Framework.objects.published()
    published = {framework.slug: framework for framework in published}
    unknown = [slug for slug in slugs if slug not in published]
    if unknown:
        names = ", ".join(f"'{slug}'" for slug in unknown)
        raise MatrixRequestError(
            f"Unknown framework{'s' if len(unknown) > 1 else ''}: {names}.",
            unknown=unknown,
            known=sorted(published),
        )
    return [published[slug] for slug in slugs]


def canonical_slug(frameworks: Sequence[Framework]) -> str:
    """'django-vs-fastapi-vs-flask': the canonical path segment, in the order given."""
    return SLUG_SEPARATOR.join(framework.slug for framework in frameworks)


@dataclass(frozen=True)
class Reading:
    """How a cell or claim reads to a visitor: never colour alone, always icon and word.

    `key` is what the page puts in `data-reading` (the level, the rating's slug, 'fact' or
    'missing'); `tone` picks the colour and `icon` the glyph.
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
    """The Reading of a cell (Support) or claim on `feature`; MISSING when there is none.

    A claim that commits to nothing reads as 'no definite reading' rather than as missing.
    """
    if record is None:
        return MISSING
    point = record.rating if record.rating_id is not None else None
    return reading_for(feature.kind, record.level, point)


def reading_for(kind, level, point=None) -> Reading:
    """The Reading of a level or a scale point (anything with slug, label and tone) on a
    feature of this kind; `describe_reading` for values rather than records."""
    if kind == Feature.Kind.FACT:
        return Reading("fact", "Fact", "fact", "info")
    if point is not None:
        return Reading(point.slug, point.label, point.tone, TONE_ICONS.get(point.tone, "dot"))
    if level:
        level = SupportLevel(level)
        return Reading(level.value, level.label, level.value, LEVEL_ICONS[level])
    return Reading("", "No definite reading", "missing", "dash")


@dataclass
class MatrixCell:
    framework: Framework
    feature: Feature
    support: Support | None

    @property
    def disputed(self) -> bool:
        return bool(self.support and self.support.is_disputed)

    @property
    def claims(self):
        return list(self.support.claims.all()) if self.support else []

    @property
    def reading(self) -> Reading:
        return describe_reading(self.support, self.feature)

    @property
    def comparable(self):
        """What 'only rows that differ' compares: the reading, or the text of a fact."""
        if self.support is None:
            return None
        if self.feature.kind == Feature.Kind.FACT:
            return self.support.summary.strip().lower()
        return self.support.reading or ("level", self.support.level)


@dataclass
class MatrixRow:
    feature: Feature
    cells: list[MatrixCell]

    @property
    def differs(self) -> bool:
        return len({cell.comparable for cell in self.cells}) > 1

    @property
    def disputed(self) -> bool:
        return any(cell.disputed for cell in self.cells)


@dataclass
class MatrixSection:
    category: FeatureCategory
    rows: list[MatrixRow]


@dataclass
class Matrix:
    frameworks: list[Framework]
    sections: list[MatrixSection]
    categories: list[FeatureCategory] = field(default_factory=list)
    only_differences: bool = False
    selected_categories: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[MatrixRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def slug(self) -> str:
        return canonical_slug(self.frameworks)


def build_matrix(
    frameworks: Sequence[Framework],
    *,
    category_slugs: Sequence[str] = (),
    only_differences: bool = False,
) -> Matrix:
    """The matrix of these frameworks over every published feature (or those categories)."""
    features = list(Feature.objects.published().in_display_order())
    categories = list({feature.category_id: feature.category for feature in features}.values())
    if category_slugs:
        features = [feature for feature in features if feature.category.slug in category_slugs]
    cells = {
        (cell.framework_id, cell.feature_id): cell
        for cell in Support.objects.for_matrix(frameworks, features)
    }
    sections: dict[int, MatrixSection] = {}
    for feature in features:
        row = MatrixRow(
            feature=feature,
            cells=[
                MatrixCell(framework, feature, cells.get((framework.pk, feature.pk)))
                for framework in frameworks
            ],
        )
        if only_differences and not row.differs:
            continue
        section = sections.setdefault(
            feature.category_id, MatrixSection(category=feature.category, rows=[])
        )
        section.rows.append(row)
    return Matrix(
        frameworks=list(frameworks),
        sections=list(sections.values()),
        categories=categories,
        only_differences=only_differences,
        selected_categories=list(category_slugs),
    )
