"""The compare page's matrix, fetched as tuples and written as HTML in Python.

A matrix holds up to 30 × 300 cells. Building a model instance per cell and claim, then
rendering a template include per cell, made a 10 × 100 page take ~600 ms (see
docs/performance.md). Here each cell comes from one `values_list()` row and becomes its
`<td>` through one function joining escaped strings; per-framework and per-feature pieces
(slugs, names, URLs, reading badges) are escaped once, not once per cell.

The claims themselves are not in the matrix: each cell links to its own page (the cell's
footnote, `Support.get_absolute_url()`), which versus.js shows inside the cell when opened.
The matrix needs only how many sources claim something and whether they disagree, which each
cell keeps (`source_count`, `sources_disagree`: `comparisons.summaries`).

Queries: features, cells — two, whatever the size of the matrix.
`comparisons.matrix.build_matrix` (model instances, with claims) still serves the API's
compare endpoint and the framework page; tests hold the two to the same readings.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from types import SimpleNamespace

from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.safestring import SafeString

from .links import url_pattern
from .matrix import MISSING, Reading, reading_for
from .models import Feature, Framework, Support, reading_of_values
from .templatetags.versus import icon

FACT = Feature.Kind.FACT


@dataclass(frozen=True, slots=True)
class CategoryRef:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class FeatureRef:
    pk: int
    slug: str
    name: str
    kind: str
    category: CategoryRef
    url: str

    def get_absolute_url(self):
        return self.url


@dataclass(slots=True)
class PageRow:
    feature: FeatureRef
    differs: bool
    disputed: bool
    html: SafeString  # the whole <tr>


@dataclass(slots=True)
class PageSection:
    category: CategoryRef
    rows: list[PageRow]


@dataclass
class PageMatrix:
    frameworks: list[Framework]
    sections: list[PageSection]
    categories: list[CategoryRef] = field(default_factory=list)
    only_differences: bool = False
    selected_categories: list[str] = field(default_factory=list)
    disputed_count: int = 0

    @property
    def rows(self) -> list[PageRow]:
        return [row for section in self.sections for row in section.rows]

    def body_parts(self) -> list[str]:
        """Every <tbody>, in pieces: the page joins them into itself once (`splice_body`)."""
        span = len(self.frameworks) + 1
        parts = []
        for section in self.sections:
            slug, name = escape(section.category.slug), escape(section.category.name)
            parts.append(
                f'<tbody id="category-{slug}"><tr class="category-row"><th scope="colgroup" '
                f'colspan="{span}"><span class="category-label">{name}</span></th></tr>'
            )
            parts.extend(row.html for row in section.rows)
            parts.append("</tbody>")
        return parts


def splice_body(page: bytes, matrix: PageMatrix) -> bytes:
    """The rendered page with the matrix body in place of `BODY_MARKER`. Going through the
    template's levels would copy the megabyte of cells again at each one; here the page around
    it and the cells are joined and encoded once."""
    if not matrix.sections:
        return page  # nothing to show: the template says so instead of drawing a table
    head, found, tail = page.partition(BODY_MARKER_BYTES)
    if not found:
        raise ValueError("the compare template has no place for the matrix body")
    # The cells joined on their own: while they are all ASCII (as is usual) the join and the
    # encoding are plain copies, which they are not once joined with the page's own "×" or "—".
    return b"".join([head, "".join(matrix.body_parts()).encode(), tail])


# Where the compare template leaves the matrix body; a comment no escaped text can contain.
BODY_MARKER = SafeString("<!--versus:matrix-body-->")
BODY_MARKER_BYTES = BODY_MARKER.encode()


def published_features():
    """(pk, slug, name, kind, category slug, category name) in display order."""
    return (
        Feature.objects.published()
        .in_display_order()
        .values_list("pk", "slug", "name", "kind", "category__slug", "category__name")
    )


CELL_FIELDS = (
    "pk", "framework_id", "feature_id", "level", "rating_id", "rating__slug", "rating__label",
    "rating__tone", "summary", "packages", "since_version", "has_notes", "source_count",
    "sources_disagree",
)  # fmt: skip


def reading_badge(reading: Reading) -> str:
    return (
        f'<span class="reading tone-{reading.tone}">{icon(reading.icon)}'
        f'<span class="reading-label">{escape(reading.label)}</span></span>'
    )


class CellWriter:
    """Writes one column's cells. Everything the cells of a column share is built once: the
    pieces of a `<td>` for each reading and dispute state, of a footnote for each count, so a
    cell is one f-string of ready pieces and its own escaped summary."""

    def __init__(self, framework, cell_url):
        self.slug = slug = escape(framework.slug)
        self.name = escape(framework.name)
        url_start, url_end = cell_url.format(framework=slug, feature="\0").split("\0")
        self.attributes = f'" data-framework="{slug}" data-feature="'
        self.footnote_link = f'</span></summary><div class="cell-details-body"><a href="{url_start}'
        self.url_end = url_end
        self.looks: dict[tuple, tuple[str, str, bool]] = {}
        self.footnotes: dict[tuple, str] = {}

    def look(self, kind, level, rating_slug, rating_label, rating_tone, disputed):
        """(start of the <td>, end of its opening tag with the badge, is a fact) — worked out
        once per kind of reading and dispute state in the column."""
        opening, end, is_fact = cell_look(kind, level, rating_slug, rating_label, rating_tone,
                                          disputed)  # fmt: skip
        found = self.looks[kind, level, rating_slug, disputed] = (
            f'{opening}id="cell-{self.slug}-',
            end,
            is_fact,
        )
        return found

    def footnote(self, count, disputed):
        """The footnote's opening, up to the feature's name, for a count of sources (0: notes
        only) — once per count in the column."""
        label = f"{count} source{'' if count == 1 else 's'}" if count else "Notes"
        found = self.footnotes[count, disputed] = (
            f'<details class="cell-details"><summary><span class="footnote-mark">{SOURCES_ICON}'
            f"<span>{label}</span></span>{DISPUTED_MARK if disputed else ''}"
            f'<span class="visually-hidden"> for {self.name} &times; '
        )
        return found

    def missing(self, feature, feature_slug):
        return (
            f'<td class="cell tone-missing" id="cell-{self.slug}-{feature_slug}'
            f'{self.attributes}{feature_slug}" data-reading="missing" '
            f'data-disputed="false">{MISSING_BADGE}</td>'
        )

    def cell(self, feature, feature_slug, feature_name, row):
        (_, _, _, level, _, rating_slug, rating_label, rating_tone, summary, packages, since,
         has_notes, count, disputed) = row  # fmt: skip
        disputed = bool(disputed)  # SQLite gives 0 or 1
        look = self.looks.get((feature.kind, level, rating_slug, disputed))
        if look is None:
            look = self.look(feature.kind, level, rating_slug, rating_label, rating_tone, disputed)
        start, end, is_fact = look
        if is_fact:
            text = f'<p class="cell-fact">{escape(summary)}</p>'
        elif summary:
            text = f'<p class="cell-summary">{escape(summary)}</p>'
        else:
            text = ""
        if count or has_notes:
            opening = self.footnotes.get((count, disputed)) or self.footnote(count, disputed)
            footnote = (
                f"{opening}{feature_name}{self.footnote_link}{feature_slug}{self.url_end}"
                f"{READ_SOURCES if count else READ_NOTES}"
            )
        else:
            footnote = NO_SOURCE
        return (
            f"{start}{feature_slug}{self.attributes}{feature_slug}{end}{text}"
            f"{packages_html(packages) if packages else ''}"
            f"{since_html(since) if since else ''}{footnote}</td>"
        )


@lru_cache(maxsize=1024)
def cell_look(kind, level, rating_slug, rating_label, rating_tone, disputed):
    """The parts of a cell's `<td>` that follow from its reading and dispute state alone
    (the same in every column and on every page, so kept across requests: everything they
    depend on is in the key): its opening up to the id, the end of its opening tag with the
    badge, and whether it is a fact."""
    point = None
    if rating_slug is not None:
        # Escaped here, once: the key and tone go into attributes as they are.
        point = SimpleNamespace(
            slug=escape(rating_slug), label=rating_label, tone=escape(rating_tone)
        )
    reading = reading_for(kind, level, point)
    opening = f'<td class="cell tone-{reading.tone}{" is-disputed" if disputed else ""}" '
    end = f'" data-reading="{reading.key}" data-disputed="{"true" if disputed else "false"}">'
    is_fact = reading.key == "fact"
    return opening, end if is_fact else end + reading_badge(reading), is_fact


READ_SOURCES = '" data-footnote>Read the sources</a></div></details>'
READ_NOTES = '" data-footnote>Read the notes</a></div></details>'


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
    return f'<p class="cell-since muted">since {escape(version)}</p>'


NO_SOURCE = '<p class="cell-unsourced muted">No source yet</p>'
MISSING_BADGE = reading_badge(MISSING)
SOURCES_ICON = icon("sources")
DISPUTED_MARK = (
    f'<span class="disputed-mark" title="Sources disagree">{icon("alert")}'
    "<span>Disputed</span></span>"
)


def build_page_matrix(
    frameworks: Sequence[Framework],
    *,
    category_slugs: Sequence[str] = (),
    only_differences: bool = False,
) -> PageMatrix:
    """The compare page's matrix of these frameworks over every published feature (or those
    categories), each row's cells already written as HTML."""
    feature_url = url_pattern("comparisons:feature-detail", slug=None)
    cell_url = url_pattern("comparisons:cell-detail", framework=None, feature=None)
    categories: dict[str, CategoryRef] = {}
    features = []
    for pk, slug, name, kind, category_slug, category_name in run(
        compiled(DEFAULT_DB_ALIAS, published_features)
    ):
        category = categories.get(category_slug)
        if category is None:
            category = categories[category_slug] = CategoryRef(category_slug, category_name)
        if category_slugs and category_slug not in category_slugs:
            continue
        features.append(FeatureRef(pk, slug, name, kind, category, feature_url.format(slug=slug)))

    # The frameworks were resolved as published and `features` are the published ones in
    # view, so the cells are filtered by their ids, with no join back to check
    # statuses, and no ORDER BY: rows are looked up, not listed.
    framework_ids = [framework.pk for framework in frameworks]
    feature_ids = [feature.pk for feature in features]
    cells = {(row[1], row[2]): row for row in cell_rows(framework_ids, feature_ids)}

    writers = [(framework.pk, CellWriter(framework, cell_url)) for framework in frameworks]
    sections: dict[str, PageSection] = {}
    disputed_count = 0
    for feature in features:
        feature_slug, feature_name = escape(feature.slug), escape(feature.name)
        html, comparables, disputes = [], set(), 0
        for framework_pk, writer in writers:
            row = cells.get((framework_pk, feature.pk))
            if row is None:
                html.append(writer.missing(feature, feature_slug))
                comparables.add(None)
                continue
            level, rating_id = row[3], row[4]
            disputes += bool(row[13])  # SQLite gives 0 or 1
            html.append(writer.cell(feature, feature_slug, feature_name, row))
            if feature.kind == FACT:
                comparables.add(row[8].strip().lower())
            else:
                comparables.add(reading_of_values(level, rating_id) or ("level", level))
        differs = len(comparables) > 1
        if only_differences and not differs:
            continue
        disputed_count += disputes
        section = sections.get(feature.category.slug)
        if section is None:
            section = sections[feature.category.slug] = PageSection(feature.category, [])
        section.rows.append(
            PageRow(feature, differs, bool(disputes), row_html(feature, differs, disputes, html))
        )
    return PageMatrix(
        frameworks=list(frameworks),
        sections=list(sections.values()),
        categories=list(categories.values()),
        only_differences=only_differences,
        selected_categories=list(category_slugs),
        disputed_count=disputed_count,
    )


def row_html(feature, differs, disputed, cells):
    classes = " ".join(
        name for name, shown in (("row-differs", differs), ("row-disputed", disputed)) if shown
    )
    return SafeString(
        f'<tr class="{classes}" id="feature-{escape(feature.slug)}"><th scope="row" '
        f'class="feature-head"><a href="{escape(feature.url)}">{escape(feature.name)}</a>'
        f"{DIFFERS_MARK if differs else ''}</th>{''.join(cells)}</tr>"
    )


DIFFERS_MARK = '<span class="differs-mark">differs</span>'


def cells_query(framework_ids, feature_ids):
    return (
        Support.objects.filter(framework_id__in=framework_ids, feature_id__in=feature_ids)
        .annotate(has_notes=ExpressionWrapper(~Q(notes=""), output_field=BooleanField()))
        .order_by()
        .values_list(*CELL_FIELDS)
    )


def cell_rows(framework_ids, feature_ids, *, using=DEFAULT_DB_ALIAS):
    """The CELL_FIELDS rows of these frameworks × features.

    The ORM writes the SQL once per database and count of ids (building it took ~1 ms, a
    lookup for every id): compiled with stand-in ids, whose places in the parameters are
    then filled with the real ones."""
    if not framework_ids or not feature_ids:
        return []
    return run(cell_statement(framework_ids, feature_ids, using=using), using=using)


def cell_statement(framework_ids, feature_ids, *, using=DEFAULT_DB_ALIAS):
    """(SQL, params) of `cells_query()` for these ids, as the ORM would compile them."""
    sql, layout = cells_statement(using, len(framework_ids), len(feature_ids))
    ids = {FRAMEWORK_SLOT: framework_ids, FEATURE_SLOT: feature_ids}
    return sql, [ids[slot][index] if slot else value for slot, index, value in layout]


FRAMEWORK_SLOT, FEATURE_SLOT = "framework", "feature"
# Stand-in ids no row has (ids count up from 1), far enough apart never to meet.
FRAMEWORK_MARK, FEATURE_MARK = -(10**12), -(2 * 10**12)


@lru_cache(maxsize=128)
def cells_statement(using, framework_count, feature_count):
    """(SQL, layout): each parameter as (slot, index, None) for an id, (None, None, value)
    for a constant of the query."""
    queryset = cells_query(
        [FRAMEWORK_MARK - index for index in range(framework_count)],
        [FEATURE_MARK - index for index in range(feature_count)],
    )
    sql, params = queryset.query.get_compiler(using).as_sql()
    layout = []
    for value in params:
        if isinstance(value, int) and FRAMEWORK_MARK - framework_count < value <= FRAMEWORK_MARK:
            layout.append((FRAMEWORK_SLOT, FRAMEWORK_MARK - value, None))
        elif isinstance(value, int) and FEATURE_MARK - feature_count < value <= FEATURE_MARK:
            layout.append((FEATURE_SLOT, FEATURE_MARK - value, None))
        else:
            layout.append((None, None, value))
    return sql, tuple(layout)


@lru_cache(maxsize=16)
def compiled(using, build):
    """(SQL, params) of the values_list() query `build()` returns, which never changes."""
    queryset = build()
    return queryset.query.get_compiler(using).as_sql()


def run(statement, *, using=DEFAULT_DB_ALIAS):
    """A statement's rows as the database driver returns them: the SQL is the ORM's, but a
    thousand rows skip its per-row machinery (a third of the query's time). Only for columns
    that need no conversion from the driver's types (ids, text, and a boolean, which SQLite
    gives as 0 or 1)."""
    sql, params = statement
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def forget_statements(*, setting, **kwargs):
    if setting == "DATABASES":
        cells_statement.cache_clear()
        compiled.cache_clear()


setting_changed.connect(forget_statements, dispatch_uid="versus-forget-matrix-statements")
