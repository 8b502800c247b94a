"""Versus's own benchmark runs in the knowledge base (`import_benchmark_run`), and the task
pages that show the code they ran (`comparisons.tasks`)."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from comparisons import tasks
from comparisons.models import Benchmark, BenchmarkResult, Source
from tests.factories import FrameworkFactory

pytestmark = pytest.mark.django_db


def run_document(**changes):
    document = {
        "suite": "versus-framework-bench",
        "format": 1,
        "context": {
            "date": "2026-12-02T08:00:00+00:00",
            "commit": "4516f0a1234567890abcdef1234567890abcdef0",
            "machine": {
                "cpu_model": "Test CPU",
                "cpu_count": 2,
                "memory_bytes": 24 * 2**30,
                "kernel": "6.1.0",
                "os": "Linux",
            },
            "python": "3.11.7",
            "postgresql": "psql (PostgreSQL) 15.19",
            "wrk": ["wrk 4.1.0"],
            "packages": {"alpha": {"alpha": "1.0"}, "beta": {"beta": "2.0"}},
            "settings": {
                "workers": 2,
                "server_core": 0,
                "load_core": 1,
                "connections": 32,
                "duration_seconds": 8,
                "rounds": 3,
                "warmup_seconds": 2,
                "servers": {"alpha (gunicorn)": ["gunicorn", "app:app"]},
            },
        },
        "results": [
            {
                "framework": "alpha",
                "server": "gunicorn",
                "test": "json",
                "median_rps": 9000.4,
                "low_rps": 8800,
                "high_rps": 9100,
                "rounds": [8800, 9000.4, 9100],
            },
            {
                "framework": "beta",
                "server": "uvicorn",
                "test": "json",
                "median_rps": 3000,
                "low_rps": 2900,
                "high_rps": 3100,
                "rounds": [2900, 3000, 3100],
            },
            {
                "framework": "alpha",
                "server": "gunicorn",
                "test": "db",
                "median_rps": 1500,
                "low_rps": 1400,
                "high_rps": 1600,
                "rounds": [1400, 1500, 1600],
            },
        ],
        "wall_seconds": 600,
    }
    document.update(changes)
    return document


@pytest.fixture
def frameworks():
    return [
        FrameworkFactory(slug="alpha", name="Alpha"),
        FrameworkFactory(slug="beta", name="Beta"),
    ]


def import_file(tmp_path, document):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(document))
    out = StringIO()
    call_command("import_benchmark_run", str(path), stdout=out)
    return out.getvalue()


def test_a_run_becomes_a_benchmark_run_source_with_a_benchmark_per_test(tmp_path, frameworks):
    out = import_file(tmp_path, run_document())
    assert "Imported 'Versus framework benchmark run of 2 December 2026': 2 benchmarks" in out
    source = Source.objects.get(kind="benchmark-run")
    assert source.is_primary and source.publisher == "Versus"
    json_benchmark = Benchmark.objects.get(task="json")
    assert json_benchmark.context["commit"].startswith("4516f0a")
    assert "Test CPU, 2 cores, 24 GB RAM" in json_benchmark.hardware
    assert "One run on a 2-core virtual machine" in json_benchmark.caveats
    assert "does not measure" in json_benchmark.caveats
    result = BenchmarkResult.objects.get(benchmark=json_benchmark, framework__slug="alpha")
    assert (result.figure, result.value, result.server) == ("value", 9000, "gunicorn")
    assert "range 8,800–9,100" in result.notes


def test_importing_the_same_run_twice_changes_nothing(tmp_path, frameworks):
    import_file(tmp_path, run_document())
    counts = (Source.objects.count(), Benchmark.objects.count(), BenchmarkResult.objects.count())
    out = import_file(tmp_path, run_document())
    assert "Already imported" in out and "unchanged" in out
    assert counts == (
        Source.objects.count(), Benchmark.objects.count(), BenchmarkResult.objects.count()
    )  # fmt: skip


BAD = [
    ({"suite": "other"}, "not a Versus framework benchmark result"),
    ({"format": 2}, "unknown format 2"),
    ({"results": []}, "non-empty 'results'"),
]


@pytest.mark.parametrize(("change", "reason"), BAD)
def test_a_bad_file_is_refused_whole_with_its_reason(tmp_path, frameworks, change, reason):
    with pytest.raises(CommandError, match=reason):
        import_file(tmp_path, run_document(**change))
    assert not Source.objects.filter(kind="benchmark-run").exists()


def test_a_bad_result_late_in_the_file_stores_nothing(tmp_path, frameworks):
    document = run_document()
    document["results"].append(copy.deepcopy(document["results"][0]) | {"framework": "nope"})
    with pytest.raises(CommandError, match="no framework 'nope'"):
        import_file(tmp_path, document)
    document = run_document()
    document["results"][-1]["low_rps"] = 99_999
    with pytest.raises(CommandError, match="low <= median <= high"):
        import_file(tmp_path, document)
    document = run_document()
    del document["context"]["machine"]["cpu_model"]
    with pytest.raises(CommandError, match="the machine lacks cpu_model"):
        import_file(tmp_path, document)
    assert not Benchmark.objects.exists() and not Source.objects.exists()


def test_not_json_is_refused(tmp_path):
    path = tmp_path / "run.json"
    path.write_text("{nope")
    with pytest.raises(CommandError, match="is not JSON"):
        call_command("import_benchmark_run", str(path))


def test_the_benchmark_page_shows_the_run_its_ratios_and_how_to_reproduce_it(
    tmp_path, frameworks, client
):
    import_file(tmp_path, run_document())
    benchmark = Benchmark.objects.get(task="json")
    page = client.get(benchmark.get_absolute_url()).content.decode()
    assert "Measured by Versus: one run on a 2-core virtual machine" in page
    assert "make framework-bench" in page and "git checkout 4516f0a1234567890" in page
    assert "1.00×" in page and "0.33×" in page  # beside 9,000 and 3,000 requests/s
    assert "Test CPU, 2 cores" in page and "<code>alpha==1.0</code>" in page
    assert "/tasks/json/" in page


# --- the task pages -------------------------------------------------------------------------


@pytest.fixture
def apps_dir(tmp_path):
    for slug, body in [
        ("alpha", 'import json\n\n# [task:json]\n@app.get("/json")\ndef hello():\n'
                  '    return {"message": "<b>Hello</b>"}\n# [/task:json]\n'),
        ("beta", "def app():\n    # [task:json]\n    return JsonResponse({'message': 1})\n"
                 "    # [/task:json]\n    # [task:setup]\n    x = 1\n    # [/task:setup]\n"),
    ]:  # fmt: skip
        folder = tmp_path / slug
        folder.mkdir()
        (folder / "servers.json").write_text('{"servers": []}')
        (folder / "app.py").write_text(body)
        (folder / ".venv").mkdir()
        (folder / ".venv" / "ignored.py").write_text("# [task:json]\nsecret\n# [/task:json]\n")
    tasks.task_code.cache_clear()
    yield tmp_path
    tasks.task_code.cache_clear()


def test_regions_are_read_between_their_markers(apps_dir):
    code = tasks.task_code(apps_dir)
    alpha, beta = code["json"]
    assert (alpha.framework, beta.framework) == ("alpha", "beta")
    assert alpha.excerpts[0].code.splitlines()[0] == '@app.get("/json")'
    assert alpha.line_count == 3
    assert beta.excerpts[0].code == "return JsonResponse({'message': 1})"  # dedented
    assert "secret" not in str(code)
    assert '<div class="code">' in alpha.excerpts[0].html
    assert "&lt;b&gt;Hello&lt;/b&gt;" in alpha.excerpts[0].html  # escaped by Pygments


def test_the_task_pages_show_each_framework_side_by_side(apps_dir, frameworks, client, settings,
                                                         monkeypatch):  # fmt: skip
    monkeypatch.setattr(tasks, "APPS_DIR", apps_dir)
    listing = client.get("/tasks/").content.decode()
    assert "JSON serialisation" in listing and "3 lines" in listing
    page = client.get("/tasks/json/").content.decode()
    assert page.index("Alpha") < page.index("Beta")
    assert "bench/frameworks/alpha/app.py" in page
    assert client.get("/tasks/nope/").status_code == 404


# --- the shipped run ----------------------------------------------------------------------


def test_the_shipped_run_is_loaded_with_the_knowledge_base(client):
    from comparisons.services import KNOWLEDGE_BASE_DIR, knowledge_base_load

    (shipped,) = sorted((KNOWLEDGE_BASE_DIR / "benchmark_runs").glob("*.json"))
    document = json.loads(shipped.read_text())
    knowledge_base_load()
    source = Source.objects.get(kind="benchmark-run")
    assert source.slug.endswith(document["context"]["commit"][:7])
    benchmarks = Benchmark.objects.filter(source=source)
    assert sorted(benchmarks.values_list("task", flat=True)) == sorted(
        {result["test"] for result in document["results"]}
    )
    assert set(
        BenchmarkResult.objects.filter(benchmark__source=source).values_list(
            "framework__slug", flat=True
        )
    ) == {"django", "django-rest-framework", "fastapi", "flask"}
    # The shipped run's context holds every field the issue lists.
    context = document["context"]
    for key in ("cpu_model", "cpu_count", "memory_bytes", "kernel"):
        assert context["machine"][key]
    for key in ("workers", "connections", "duration_seconds", "rounds", "servers"):
        assert context["settings"][key]
    assert context["python"] and context["date"] and context["commit"] and context["packages"]
    page = client.get(benchmarks.get(task="fortunes").get_absolute_url()).content.decode()
    assert "one run on a 2-core virtual machine" in page
    before = (Source.objects.count(), BenchmarkResult.objects.count())
    knowledge_base_load()
    assert (Source.objects.count(), BenchmarkResult.objects.count()) == before


def test_a_cell_page_links_to_the_task_its_code_illustrates(client):
    from tests.factories import FeatureFactory, SupportFactory

    cell = SupportFactory(feature=FeatureFactory(slug="html-templates"))
    page = client.get(cell.get_absolute_url()).content.decode()
    assert 'href="/tasks/fortunes/#code-' in page
