"""The shipped knowledge base: every table of the seed articles is in it, attributed, and
written in our own words; loading it twice, or after editors' edits, changes nothing."""

import re
import shutil
from collections import defaultdict
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count, Prefetch, Q
from django.http import QueryDict

from comparisons.forms import ChooseForm
from comparisons.models import (
    Benchmark,
    BenchmarkResult,
    Claim,
    Feature,
    FeatureCategory,
    Framework,
    Milestone,
    Point,
    Recommendation,
    ScalePoint,
    Source,
    Status,
    Support,
    UseCase,
    UseCaseRequirement,
    claims_agreement,
)
from comparisons.services import (
    KNOWLEDGE_BASE_DIR,
    KnowledgeBaseError,
    knowledge_base_load,
    read_knowledge_base,
)

# CI clones the repo with shared/ beside it, so the articles sit at ../shared/seeds.
SEEDS_DIR = Path(settings.BASE_DIR).parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(
    not SEEDS_DIR.is_dir(),
    reason=f"the seed articles are not at {SEEDS_DIR} (shared/ is not beside this checkout)",
)

# How the articles head their framework columns.
COLUMN_HEADINGS = {
    "FastAPI": "fastapi",
    "Flask": "flask",
    "Django": "django",
    "Django REST Framework (DRF)": "django-rest-framework",
}
# A run this long shared with an article means a copied sentence, not a shared fact or label.
COPY_RUN = 12

ALL_MODELS = [
    FeatureCategory,
    Feature,
    ScalePoint,
    Framework,
    UseCase,
    Source,
    Support,
    Claim,
    Point,
    Recommendation,
    Benchmark,
    BenchmarkResult,
    Milestone,
    UseCaseRequirement,
]


def row_counts():
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def source_documents():
    """(source slug, seed file name, whether it has a table) for every seed article's file
    (the primary sources' bundles have no seed: they were read at their addresses)."""
    return [
        (document["source"]["slug"], document["seed"], bool(document.get("table")))
        for _, document in read_knowledge_base()["sources"]
        if "seed" in document
    ]


def tabled_sources():
    return [(slug, seed) for slug, seed, has_table in source_documents() if has_table]


# The frameworks Versus started with: the seed articles compare them, so each has a full record.
ORIGINAL_FOUR = ("django", "django-rest-framework", "fastapi", "flask")


# --- rebuilding each article's table from the database --------------------------------------


def split_cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def header_columns(line):
    """The framework columns if `line` is a table header, else None."""
    cells = split_cells(line) if "|" in line else line.split()
    columns = [COLUMN_HEADINGS[cell] for cell in cells if cell in COLUMN_HEADINGS]
    if len(columns) >= 2 and len(columns) >= len(cells) - 1:
        return columns
    return None


def parse_article_table(text):
    """The first comparison table of an article: its framework columns and its row lines.

    Tables come as pipe rows (000, 003, 004) or as plain space-separated lines (001); a pipe
    table ends at the first line without a pipe, a plain one at the first blank line.
    Returns (columns, rows) where each row is the heading cell for pipe tables and the whole
    line for plain ones (whose heading cannot be told from its cells by splitting).
    """
    lines = text.splitlines()
    headers = [(number, header_columns(line)) for number, line in enumerate(lines)]
    index, columns = next(((n, cols) for n, cols in headers if cols), (None, None))
    assert columns, "no comparison table header found"
    piped = "|" in lines[index]
    rows = []
    for line in lines[index + 1 :]:
        if piped:
            if "|" not in line:
                break
            cells = split_cells(line)
            if all(set(cell) <= set("-: ") for cell in cells):
                continue  # the |---|---| separator
            assert len(cells) == len(columns) + 1, f"row with unexpected cells: {line!r}"
            rows.append((cells[0], True))
        else:
            if not line.strip():
                break
            rows.append((line.strip(), False))
    assert rows, "the table has no rows"
    return columns, rows


@needs_seeds
@pytest.mark.parametrize(("source_slug", "seed"), tabled_sources())
def test_each_article_table_is_rebuilt_from_its_claims(loaded, source_slug, seed):
    columns, rows = parse_article_table((SEEDS_DIR / seed).read_text(encoding="utf-8"))
    table_claims = Claim.objects.filter(source__slug=source_slug, place=Claim.Place.TABLE)
    cells = set(table_claims.values_list("source_label", "support__framework__slug"))
    labels = {label for label, _ in cells}

    rebuilt_rows = []
    for row, exact in rows:
        if exact:
            label = row
        else:
            # A plain row starts with its heading followed by the cells.
            candidates = [label for label in labels if row.startswith(f"{label} ")]
            assert candidates, f"no claims carry the heading of the row {row!r}"
            label = max(candidates, key=len)
        rebuilt_rows.append(label)
        for framework_slug in columns:
            assert (label, framework_slug) in cells, (
                f"{seed}: row {label!r}, column {framework_slug}: no claim"
            )
    # Nothing else claims to come from the table: the database holds exactly its rows.
    assert sorted(rebuilt_rows) == sorted(labels)
    assert len(cells) == len(rows) * len(columns)
    assert set(table_claims.values_list("support__framework__slug", flat=True)) == set(columns)


def test_table_parser_reads_pipe_and_plain_tables():
    piped = "intro\n| Aspect | Flask | Django |\n|---|---|---|\n| Type | Micro | Full |\nafter"
    plain = "Feature Flask FastAPI Django\nAsync support No Yes Partial\n\nProse"
    assert parse_article_table(piped) == (["flask", "django"], [("Type", True)])
    assert parse_article_table(plain) == (
        ["flask", "fastapi", "django"],
        [("Async support No Yes Partial", False)],
    )


# --- what a visitor will see ------------------------------------------------------------------


@pytest.mark.django_db
def test_shipped_counts(loaded):
    assert Source.objects.published().filter(kind=Source.Kind.ARTICLE).count() == 5
    assert Source.objects.published().primary().count() >= 40
    assert set(Framework.objects.published().values_list("slug", flat=True)) == {
        *ORIGINAL_FOUR, "aiohttp", "bottle", "django-ninja", "falcon", "litestar", "pyramid",
        "quart", "sanic", "starlette", "tornado",
    }  # fmt: skip
    assert Feature.objects.published().count() == Feature.objects.count() >= 20
    assert loaded.total_existing == 0
    assert Claim.objects.count() > 150
    assert Point.objects.count() > 100


@pytest.mark.django_db
def test_every_compared_framework_has_a_full_record(loaded):
    for framework in Framework.objects.published():
        for field in (
            "tagline",
            "summary",
            "kind",
            "interface",
            "license",
            "homepage_url",
            "repository_url",
            "docs_url",
        ):
            assert getattr(framework, field), f"{framework}: {field} is empty"
        assert framework.sources.exists(), f"{framework}: no source covers it"
    # Creators and the first release only where a source says them: the first four's do.
    for framework in Framework.objects.filter(slug__in=ORIGINAL_FOUR):
        assert framework.creators and framework.first_release_year, framework
    drf = Framework.objects.get(slug="django-rest-framework")
    assert list(drf.builds_on.values_list("slug", flat=True)) == ["django"]
    fastapi = Framework.objects.get(slug="fastapi")
    assert "Starlette" in fastapi.foundations and "Pydantic" in fastapi.foundations
    facts = {
        framework.slug: (framework.first_release_year, framework.license, framework.interface)
        for framework in Framework.objects.filter(slug__in=ORIGINAL_FOUR)
    }
    assert facts == {
        "django": (2005, "BSD-3-Clause", "both"),
        "flask": (2010, "BSD-3-Clause", "wsgi"),
        "fastapi": (2018, "MIT", "asgi"),
        "django-rest-framework": (2011, "BSD-3-Clause", "both"),
    }


@pytest.mark.django_db
def test_every_capability_cell_of_the_first_four_frameworks_has_a_verdict(loaded):
    """The first four frameworks are whole; the later ones have cells where their documentation
    speaks (no cell is a guess), each with its reading and summary."""
    frameworks = list(Framework.objects.filter(slug__in=ORIGINAL_FOUR))
    assert len(frameworks) == 4
    for cell in Support.objects.filter(feature__kind=Feature.Kind.CAPABILITY):
        assert cell.level, f"{cell}: no level"
        assert cell.summary.strip(), f"{cell}: no summary"
    capabilities = list(Feature.objects.published().filter(kind=Feature.Kind.CAPABILITY))
    cells = {
        (cell.framework_id, cell.feature_id): cell
        for cell in Support.objects.filter(feature__in=capabilities)
    }
    assert len(capabilities) >= 10
    for framework in frameworks:
        for feature in capabilities:
            cell = cells.get((framework.pk, feature.pk))
            assert cell is not None, f"no cell for {framework} × {feature}"
            assert cell.level, f"{cell}: no level"
            assert cell.summary.strip(), f"{cell}: no summary"
    # Rating and fact cells exist wherever a source speaks, and carry their reading.
    for cell in Support.objects.exclude(feature__kind=Feature.Kind.CAPABILITY):
        assert cell.summary.strip(), f"{cell}: no summary"
        if cell.feature.kind == Feature.Kind.RATING:
            assert cell.rating is not None and cell.rating.feature_id == cell.feature_id


@pytest.mark.django_db
def test_every_record_is_published_and_checked_by_the_model_rules(loaded):
    for model in (Framework, Feature, Source, Benchmark, UseCase):
        assert not model.objects.drafts().exists(), f"{model.__name__} drafts shipped"
    for cell in Support.objects.select_related("feature", "rating"):
        cell.full_clean()
    for claim in Claim.objects.select_related("support__feature", "rating"):
        claim.full_clean()
        assert claim.statement.strip()
        if claim.place == Claim.Place.TABLE:
            assert claim.source_label, f"{claim}: a table claim needs its row heading"


@pytest.mark.django_db
def test_django_async_is_disputed_with_each_sources_reading(loaded):
    cell = Support.objects.get(framework__slug="django", feature__slug="async-support")
    assert cell.is_disputed is True
    assert list(Support.objects.disputed().filter(pk=cell.pk)) == [cell]
    readings = dict(cell.claims.values_list("source__slug", "level"))
    assert readings == {
        "llm-api-framework-choice": "none",
        "fastapi-django-or-flask": "partial",
        "ai-study-room-flask-django-fastapi": "partial",
        "django-docs-async": "partial",
        "django-release-3-1": "partial",
    }
    assert cell.level == "partial"


@pytest.mark.django_db
def test_cells_the_sources_agree_on_are_not_disputed(loaded):
    calm = Support.objects.get(framework__slug="django", feature__slug="orm")
    assert calm.claims.count() >= 3
    assert calm.is_disputed is False


@pytest.mark.django_db
def test_every_loaded_cell_keeps_its_sources_count_and_dispute_as_its_claims_give_them(loaded):
    """The summaries every surface reads agree, cell by cell, with the claims themselves."""
    published = Claim.objects.filter(source__status=Status.PUBLISHED).select_related("source")
    rows = Support.objects.annotate(
        published_claims=Count("claims", filter=Q(claims__source__status=Status.PUBLISHED))
    ).prefetch_related(Prefetch("claims", queryset=published, to_attr="published"))
    rows = rows.select_related("feature")
    kept = {row.pk: (row.source_count, row.is_disputed, row.is_outdated) for row in rows}
    worked_out = {
        row.pk: (
            row.published_claims,
            *claims_agreement(
                (row.level, row.rating_id, row.value),
                [
                    (claim.level, claim.rating_id, claim.value, claim.source.as_of)
                    for claim in row.published
                ],
                row.feature.value_kind,
            ),
        )
        for row in rows
    }
    assert kept == worked_out
    assert sum(disputed for _, disputed, _ in kept.values()) >= 5
    assert kept[Support.objects.get(framework__slug="django", feature__slug="orm").pk][0] >= 3


@pytest.mark.django_db
def test_packages_name_what_a_cell_takes(loaded):
    packages = {
        (cell.framework.slug, cell.feature.slug): cell.package_list
        for cell in Support.objects.select_related("framework", "feature")
    }
    assert packages[("flask", "cors")] == ["Flask-CORS"]
    assert packages[("flask", "orm")] == ["Flask-SQLAlchemy"]
    assert packages[("django", "websockets")] == ["Django Channels"]


@pytest.mark.django_db
def test_sources_carry_only_what_the_texts_tell(loaded):
    sources = {source.slug: source for source in Source.objects.filter(kind="article")}
    nguyen = sources["fastapi-django-or-flask"]
    assert (nguyen.author, nguyen.published_display) == ("Alissa Nguyen", "28 April 2024")
    clickit = sources["clickit-fastapi-vs-flask"]
    assert (clickit.publisher, clickit.date_precision) == ("ClickIT", "year")
    assert clickit.published_display == "2024"
    for source in sources.values():
        assert source.summary and source.conclusion
        assert source.frameworks.exists()


@pytest.mark.django_db
def test_benchmarks_keep_ranges_bounds_and_orderings(loaded):
    results = {
        result.framework.slug: result
        for result in BenchmarkResult.objects.filter(
            benchmark__slug="ai-study-room-io-bound-throughput"
        ).select_related("framework")
    }
    assert {slug: result.display for slug, result in results.items()} == {
        "fastapi": "~10,000+",
        "django": "~3,000–5,000",
        "flask": "~2,000–4,000",
    }
    assert {slug: result.server for slug, result in results.items()} == {
        "fastapi": "Uvicorn",
        "django": "Gunicorn",
        "flask": "Gunicorn",
    }
    assert results["fastapi"].figure == BenchmarkResult.Figure.LOWER_BOUND
    assert all(result.approximate for result in results.values())

    techempower = Benchmark.objects.filter(source__slug="clickit-fastapi-vs-flask")
    assert techempower.count() == 3
    for benchmark in techempower:
        ranks = dict(benchmark.results.values_list("framework__slug", "rank"))
        assert ranks == {"fastapi": 1, "flask": 2}
        assert not benchmark.results.exclude(figure=BenchmarkResult.Figure.RANK).exists()
        assert not benchmark.results.filter(
            Q(value__isnull=False) | Q(low__isnull=False) | Q(high__isnull=False)
        ).exists()


@pytest.mark.django_db
def test_points_recommendations_and_history_are_attributed(loaded):
    by_source = Source.objects.filter(kind=Source.Kind.ARTICLE).annotate(
        points_made=Count("points", distinct=True),
        recommendations_made=Count("recommendations", distinct=True),
    )
    for source in by_source:
        assert source.points_made > 0, f"{source} has no strengths or weaknesses"
        assert source.recommendations_made > 0, f"{source} recommends nothing"
    for framework in Framework.objects.all():
        kinds = set(framework.points.values_list("kind", flat=True))
        assert kinds == {Point.Kind.STRENGTH, Point.Kind.WEAKNESS}, framework
        assert framework.recommendations.exists()
    assert UseCase.objects.annotate(n=Count("recommendations")).filter(n=0).count() == 0
    history = set(Milestone.objects.values_list("framework__slug", "year"))
    assert {("django", 2003), ("django", 2005), ("flask", 2010), ("fastapi", 2018)} <= history
    assert not Milestone.objects.filter(source__isnull=True).exists()
    assert Recommendation.objects.filter(fit=Recommendation.Fit.NOT_RECOMMENDED).exists()


@pytest.mark.django_db
def test_every_use_case_has_a_small_preset_with_a_note(loaded):
    use_cases = list(UseCase.objects.published().with_preset())
    assert len(use_cases) == 19
    for use_case in use_cases:
        preset = use_case.preset()
        assert 1 <= len(preset) <= 6, use_case
        assert use_case.preset_note.startswith("Our own reading"), use_case
    high_performance = UseCase.objects.get(slug="high-performance-api").preset()
    assert [(r.kind, r.feature, r.level, r.end, r.weight) for r in high_performance] == [
        ("nice", "api-documentation", "", "", 1),
        ("must", "async-support", "partial", "", 0),
        ("prefer", "performance", "", "very-high", 3),
    ]


@pytest.mark.django_db
def test_a_preset_names_only_requirements_the_choose_form_accepts(loaded):
    for use_case in UseCase.objects.published():
        form = ChooseForm.of_query(QueryDict(f"use_case={use_case.slug}"))
        assert form.is_valid(), (use_case.slug, form.errors)
        assert form.cleaned_data["requirements"] == use_case.preset()


# --- loading is safe to repeat ------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_twice_changes_nothing(loaded):
    before = row_counts()
    second = knowledge_base_load()
    assert second.total_created == 0
    assert second.total_existing == loaded.total_created
    assert row_counts() == before


@pytest.mark.django_db
def test_editors_edits_survive_a_reload(loaded):
    before = row_counts()
    Framework.objects.filter(slug="flask").update(tagline="Edited by an editor")
    Support.objects.filter(framework__slug="fastapi", feature__slug="cors").update(
        summary="Edited cell summary", level="partial"
    )
    point = Point.objects.filter(source__slug="fastapi-django-or-flask").first()
    point.text = "An editor reworded this point."
    point.save()
    milestone = Milestone.objects.get(framework__slug="django", year=2005)
    milestone.title = "An editor retitled this milestone"
    milestone.save()
    Feature.objects.filter(slug="orm").update(slug="database-orm")

    report = knowledge_base_load()

    assert report.total_created == 0
    assert row_counts() == before
    assert Framework.objects.get(slug="flask").tagline == "Edited by an editor"
    cell = Support.objects.get(framework__slug="fastapi", feature__slug="cors")
    assert (cell.summary, cell.level) == ("Edited cell summary", "partial")
    point.refresh_from_db()
    assert point.text == "An editor reworded this point."
    milestone.refresh_from_db()
    assert milestone.title == "An editor retitled this milestone"
    assert not Feature.objects.filter(slug="orm").exists()


@pytest.mark.django_db
def test_an_editors_preset_survives_a_reload(loaded):
    use_case = UseCase.objects.get(slug="prototype-mvp")
    use_case.requirements.filter(feature__slug="development-speed").update(weight=1)
    UseCase.objects.filter(pk=use_case.pk).update(preset_note="An editor's note.")

    report = knowledge_base_load()

    assert report.total_created == 0
    use_case.refresh_from_db()
    assert use_case.preset_note == "An editor's note."
    assert {(r.feature, r.weight) for r in use_case.preset()} == {
        ("development-speed", 1),
        ("flexibility", 2),
    }


@pytest.mark.django_db
def test_a_deleted_record_is_restored_and_nothing_else_moves(loaded):
    before = row_counts()
    Claim.objects.filter(source__slug="clickit-fastapi-vs-flask").first().delete()
    report = knowledge_base_load()
    assert report.total_created == 1
    assert row_counts() == before


@pytest.mark.django_db
def test_bad_data_is_refused_and_nothing_is_written(tmp_path):
    folder = tmp_path / "knowledge_base"
    shutil.copytree(KNOWLEDGE_BASE_DIR, folder)
    # A record the load creates before it meets the bad claim further on.
    use_cases = yaml.safe_load((folder / "use_cases.yaml").read_text(encoding="utf-8"))
    use_cases["use_cases"].append({"slug": "never-stored", "name": "Never stored"})
    (folder / "use_cases.yaml").write_text(yaml.safe_dump(use_cases), encoding="utf-8")
    source_file = sorted((folder / "sources").glob("0*.yaml"))[-1]  # a seed article's file
    document = yaml.safe_load(source_file.read_text(encoding="utf-8"))
    document["prose"].append(
        {
            "feature": "complexity",
            "claims": {"flask": {"rating": "not-on-any-scale", "statement": "A bad reading."}},
        }
    )
    source_file.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    before = row_counts()

    with pytest.raises(KnowledgeBaseError, match="not-on-any-scale"):
        knowledge_base_load(path=folder)
    assert row_counts() == before
    assert not UseCase.objects.filter(slug="never-stored").exists()


def add_use_case(folder, **entry):
    use_cases = yaml.safe_load((folder / "use_cases.yaml").read_text(encoding="utf-8"))
    use_cases["use_cases"].append(entry)
    (folder / "use_cases.yaml").write_text(yaml.safe_dump(use_cases), encoding="utf-8")


@pytest.mark.parametrize(
    ("preset", "message"),
    [
        ({"must": ["no-such-feature:native"]}, "unknown feature 'no-such-feature'"),
        ({"should": ["orm:2"]}, "unknown key"),
        ({"prefer": ["performance:high:2"]}, "end: Prefer an end of the scale of 'Performance'"),
        ({"must": ["performance:native"]}, "'Performance' is a rating feature"),
        ({"nice": ["orm:5"]}, "weight"),
        ({"must": ["orm"]}, "write a must requirement as feature:level"),
    ],
)
@pytest.mark.django_db
def test_a_bad_preset_is_refused_and_nothing_is_written(tmp_path, preset, message):
    folder = tmp_path / "knowledge_base"
    shutil.copytree(KNOWLEDGE_BASE_DIR, folder)
    add_use_case(folder, slug="never-stored", name="Never stored", preset=preset)
    before = row_counts()

    with pytest.raises(KnowledgeBaseError, match=re.escape(message)):
        knowledge_base_load(path=folder)
    assert row_counts() == before


@pytest.mark.django_db
def test_a_claim_about_a_cell_without_a_verdict_is_refused(tmp_path):
    folder = tmp_path / "knowledge_base"
    shutil.copytree(KNOWLEDGE_BASE_DIR, folder)
    file = folder / "frameworks" / "flask.yaml"
    document = yaml.safe_load(file.read_text(encoding="utf-8"))
    del document["cells"]["orm"]  # the Flask docs and four articles speak to it
    file.write_text(yaml.safe_dump(document), encoding="utf-8")
    before = row_counts()

    with pytest.raises(KnowledgeBaseError, match=re.escape("frameworks/flask.yaml has no verdict")):
        knowledge_base_load(path=folder)
    assert row_counts() == before


@pytest.mark.django_db
def test_a_framework_file_must_be_named_after_its_slug(tmp_path):
    folder = tmp_path / "knowledge_base"
    shutil.copytree(KNOWLEDGE_BASE_DIR, folder)
    (folder / "frameworks" / "flask.yaml").rename(folder / "frameworks" / "flusk.yaml")

    with pytest.raises(KnowledgeBaseError, match=re.escape("must be named flask.yaml")):
        knowledge_base_load(path=folder)


@pytest.mark.django_db
def test_management_command_reports_what_it_did():
    out = StringIO()
    call_command("load_knowledge_base", stdout=out)
    assert "records created" in out.getvalue()
    shipped = len(list((KNOWLEDGE_BASE_DIR / "frameworks").glob("*.yaml")))
    assert Framework.objects.count() == shipped
    out = StringIO()
    call_command("load_knowledge_base", "--verbosity=2", stdout=out)
    assert f"frameworks: 0 created, {shipped} already there" in out.getvalue()
    assert "Knowledge base: 0 records created" in out.getvalue()


@pytest.mark.django_db
def test_management_command_explains_bad_data(tmp_path):
    with pytest.raises(CommandError, match="No knowledge base folder"):
        call_command("load_knowledge_base", "--path", str(tmp_path / "missing"))


# --- written in our own words ----------------------------------------------------------------


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def runs(word_list, length=COPY_RUN):
    return {tuple(word_list[i : i + length]) for i in range(len(word_list) - length + 1)}


def data_texts(files=None):
    """Every text value in these YAML files (default: every knowledge base file), with
    where it is."""
    found = []

    def walk(value, where):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for number, item in enumerate(value):
                walk(item, f"{where}[{number}]")
        elif isinstance(value, str):
            found.append((where, value))

    for file in sorted(KNOWLEDGE_BASE_DIR.rglob("*.yaml")) if files is None else files:
        walk(yaml.safe_load(file.read_text(encoding="utf-8")), file.name)
    return found


@needs_seeds
def test_no_sentence_is_copied_from_the_articles():
    article_runs = set()
    for article in sorted(SEEDS_DIR.glob("*.txt")):
        article_runs |= runs(words(article.read_text(encoding="utf-8")))
    assert article_runs
    copied = [
        f"{where}: {' '.join(run)}"
        for where, text in data_texts()
        for run in runs(words(text)) & article_runs
    ]
    assert not copied, "text copied from the articles:\n" + "\n".join(copied)


def test_every_seed_article_with_a_table_has_a_source_file():
    documents = source_documents()
    assert len(documents) == 5
    assert len({seed for _, seed, _ in documents}) == 5
    if SEEDS_DIR.is_dir():
        assert {seed for _, seed, _ in documents} == {p.name for p in SEEDS_DIR.glob("*.txt")}
    assert {seed[:3] for _, seed in tabled_sources()} == {
        "000",
        "001",
        "003",
        "004",
    }


def test_claims_group_by_source_label_into_rows():
    """The data itself keeps one heading per table row and one claim per column."""
    for _, document in read_knowledge_base()["sources"]:
        table = document.get("table")
        if not table:
            continue
        per_label = defaultdict(set)
        for row in table["rows"]:
            per_label[row["label"]] |= set(row["claims"])
        assert all(columns == set(table["columns"]) for columns in per_label.values())
