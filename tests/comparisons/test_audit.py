"""What a line-by-line audit of the knowledge base against the seed articles found, held in
place: each test fails if its fix is undone."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from comparisons.models import Benchmark, Claim, Feature, Support
from comparisons.services import KNOWLEDGE_BASE_DIR, read_knowledge_base
from tests.comparisons.test_knowledge_base import data_texts

# As in test_knowledge_base.py: CI clones the repo with shared/ beside it.
SEEDS_DIR = Path(settings.BASE_DIR).parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(
    not SEEDS_DIR.is_dir(), reason=f"the seed articles are not at {SEEDS_DIR}"
)


def claim(source_slug, framework_slug, feature_slug):
    return Claim.objects.get(
        source__slug=source_slug,
        support__framework__slug=framework_slug,
        support__feature__slug=feature_slug,
    )


def cell(framework_slug, feature_slug):
    return Support.objects.get(framework__slug=framework_slug, feature__slug=feature_slug)


# --- readings as the sources give them; the verdict says where it disagrees -------------------


@pytest.mark.django_db
def test_django_websockets_is_read_as_source_000_gives_it_and_the_verdict_disagrees(loaded):
    reading = claim("llm-api-framework-choice", "django", "websockets")
    # The chart says "Build-in support via Django Channels": a built-in reading, kept as such.
    assert (reading.source_label, reading.level) == ("Web Sockets", "native")
    assert "Channels" in reading.statement
    assert "extension" not in reading.statement.lower()
    verdict = cell("django", "websockets")
    assert verdict.level == "extension"
    assert verdict.is_disputed is True
    assert "Channels" in verdict.notes and "separate project" in verdict.notes


@pytest.mark.django_db
def test_django_async_in_source_003_is_read_as_partial(loaded):
    reading = claim("ai-study-room-flask-django-fastapi", "django", "async-support")
    assert (reading.source_label, reading.level) == ("Async support", "partial")
    readings = dict(
        cell("django", "async-support")
        .claims.filter(source__kind="article")
        .values_list("source__slug", "level")
    )
    assert readings == {
        "llm-api-framework-choice": "none",
        "fastapi-django-or-flask": "partial",
        "ai-study-room-flask-django-fastapi": "partial",
    }


@pytest.mark.django_db
def test_every_disputed_cell_says_why_its_verdict_took_its_side(loaded):
    disputed = list(Support.objects.disputed().select_related("framework", "feature"))
    assert len(disputed) >= 10
    # The two the audit found contradicting their only source without a word.
    named = {(c.framework.slug, c.feature.slug) for c in disputed}
    assert {("fastapi", "flexibility"), ("django-rest-framework", "async-support")} <= named
    silent = [str(c) for c in disputed if not c.notes.strip()]
    assert not silent, f"disputed cells without a note: {silent}"


# --- benchmarks: what the source says, and what is ours ---------------------------------------


@pytest.mark.django_db
def test_throughput_caveat_says_which_frameworks_shared_a_server(loaded):
    benchmark = Benchmark.objects.get(slug="ai-study-room-io-bound-throughput")
    servers = dict(benchmark.results.values_list("framework__slug", "server"))
    assert servers == {"fastapi": "Uvicorn", "django": "Gunicorn", "flask": "Gunicorn"}
    caveats = benchmark.caveats
    # Two of the three shared Gunicorn: the caveat may not claim a server each.
    assert "each framework ran under a different server" not in caveats.lower()
    assert "Django and Flask both ran under Gunicorn" in caveats
    assert "Uvicorn" in caveats


@pytest.mark.django_db
def test_techempower_workloads_are_marked_as_our_own_description(loaded):
    techempower = Benchmark.objects.filter(source__slug="clickit-fastapi-vs-flask")
    assert techempower.count() == 3
    for benchmark in techempower:
        assert benchmark.workload.startswith(
            "Our own description of the TechEmpower test, not the article's: "
        ), benchmark.slug


# --- the performance scale: how "good" is read --------------------------------------------------


def seed_table_cells(seed, label, columns):
    """The cells of the pipe-table row headed `label` in a seed article, by framework slug."""
    for line in (SEEDS_DIR / seed).read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if "|" in line and cells[0] == label and len(cells) == len(columns) + 1:
            return dict(zip(columns, cells[1:], strict=True))
    raise AssertionError(f"{seed}: no table row {label!r}")


@needs_seeds
@pytest.mark.django_db
def test_performance_called_good_is_read_as_moderate_and_the_feature_says_so(loaded):
    description = Feature.objects.get(slug="performance").description
    assert '"good"' in description and "Moderate" in description
    assert "good" not in set(
        Feature.objects.get(slug="performance").scale_points.values_list("slug", flat=True)
    )
    called_good = []
    for _, document in read_knowledge_base()["sources"]:
        table = document.get("table")
        for row in (table or {}).get("rows", []):
            if row["feature"] != "performance":
                continue
            cells = seed_table_cells(document["seed"], row["label"], table["columns"])
            for framework, text in cells.items():
                if text.lower().startswith("good"):
                    called_good.append((document["source"]["slug"], framework))
    assert len(called_good) >= 4
    for source_slug, framework_slug in called_good:
        reading = claim(source_slug, framework_slug, "performance")
        assert reading.rating.slug == "moderate", (source_slug, framework_slug)


# --- our own words: no copied runs, no copied list items ---------------------------------------

# A run this long shared with an article is a copied clause; one word shorter than the 12 of
# test_knowledge_base.py, which let two 11-word near-copies through.
SHARED_RUN = 11
# The helper rules allow no run of 8 words; the files written from the seed articles hold to it.
RULES_RUN = 8
ORIGINAL_FOUR = ("django", "django-rest-framework", "fastapi", "flask")
SEED_WRITTEN = (
    *(f"sources/00{n}-" for n in range(5)),
    *(f"frameworks/{slug}.yaml" for slug in ORIGINAL_FOUR),
    "features.yaml",
)


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def runs(word_list, length):
    return {tuple(word_list[i : i + length]) for i in range(len(word_list) - length + 1)}


def texts(files):
    """(where, text) for every string value in the given YAML files."""
    return data_texts(files)


def seed_words():
    return [words(seed.read_text(encoding="utf-8")) for seed in sorted(SEEDS_DIR.glob("*.txt"))]


def copied_runs(files, length):
    shared = set().union(*(runs(article, length) for article in seed_words()))
    return [
        f"{where}: {' '.join(run)}"
        for where, text in texts(files)
        for run in sorted(runs(words(text), length) & shared)
    ]


@needs_seeds
def test_no_run_of_eleven_words_is_shared_with_a_seed_article():
    copied = copied_runs(sorted(KNOWLEDGE_BASE_DIR.rglob("*.yaml")), SHARED_RUN)
    assert not copied, "text copied from the articles:\n" + "\n".join(copied)


@needs_seeds
def test_the_files_written_from_the_seeds_share_no_run_of_eight_words():
    files = [
        file
        for file in sorted(KNOWLEDGE_BASE_DIR.rglob("*.yaml"))
        if file.relative_to(KNOWLEDGE_BASE_DIR).as_posix().startswith(SEED_WRITTEN)
    ]
    assert len(files) == 10
    copied = copied_runs(files, RULES_RUN)
    assert not copied, "text copied from the articles:\n" + "\n".join(copied)


def without_article(word_list):
    return tuple(word_list[1:] if word_list[:1] in (["a"], ["an"], ["the"]) else word_list)


@needs_seeds
def test_no_point_repeats_a_line_of_a_seed_article():
    """A strength or weakness may be short, but not an article's own list item word for word."""
    seed_lines = {
        without_article(words(line))
        for seed in SEEDS_DIR.glob("*.txt")
        for line in seed.read_text(encoding="utf-8").splitlines()
        if len(words(line)) >= 3
    }
    repeated = []
    for file_name, document in read_knowledge_base()["sources"]:
        for framework, lists in (document.get("points") or {}).items():
            for kind, points in lists.items():
                repeated += [
                    f"{file_name} {framework} {kind}: {point}"
                    for point in points
                    if without_article(words(point)) in seed_lines
                ]
    assert not repeated, "points copied from the articles:\n" + "\n".join(repeated)


# --- the articles' published addresses ----------------------------------------------------------


def test_each_seed_source_says_how_its_address_was_found_or_that_it_was_not():
    documents = [document for _, document in read_knowledge_base()["sources"] if "seed" in document]
    assert len(documents) == 5
    for document in documents:
        url, found = document["source"]["url"], document.get("found", "")
        assert found.strip(), f"{document['seed']}: no `found`"
        if url:
            assert url.startswith("https://") and not found.startswith("not found"), url
            assert "query" in found and "corpus" in found
        else:
            assert found.startswith("not found: "), document["seed"]
    urls = {document["seed"][:3]: document["source"]["url"] for document in documents}
    assert urls == {
        "000": "https://bitflection.com/post/"
        "fastapi-flask-and-django-python-rest-api-options-for-llm-integrations",
        "001": "",
        "002": "https://clickittech.com/developer/fastapi-vs-flask/amp",
        "003": "",
        "004": "",
    }
