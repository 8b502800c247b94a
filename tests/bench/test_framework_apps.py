"""The framework benchmark apps answer every test by the rules (bench/frameworks/suite.py's
smoke mode): content type, Server and Date headers, the body, and for the database tests
the number of queries each request makes, counted by PostgreSQL itself.

Each app runs in its own virtualenv from its own pinned requirements, as in `make
framework-bench`. The apps need PostgreSQL: BENCH_DATABASE_URL, else the local server's
`versus_fwbench_test` database. Without a reachable PostgreSQL the tests are skipped, unless
VERSUS_REQUIRE_BENCH is set (CI sets it).
"""

import importlib.util
import os
import sys
import urllib.parse
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parents[2] / "bench" / "frameworks" / "suite.py"
spec = importlib.util.spec_from_file_location("framework_suite", SUITE)
suite = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = suite  # dataclasses look their module up there
spec.loader.exec_module(suite)

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/versus_fwbench_test"
)
SERVERS = [server for folder in suite.apps() for server in suite.servers(folder)]


def postgres_reachable():
    import psycopg

    parts = urllib.parse.urlsplit(DATABASE_URL)
    try:
        psycopg.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")),
                        connect_timeout=3).close()  # fmt: skip
    except psycopg.OperationalError:
        return False
    return True


@pytest.fixture(scope="module")
def database():
    if not postgres_reachable():
        if os.environ.get("VERSUS_REQUIRE_BENCH"):
            pytest.fail(f"PostgreSQL is not reachable at {DATABASE_URL}")
        pytest.skip(f"PostgreSQL is not reachable at {DATABASE_URL}")
    suite.prepare_database(DATABASE_URL)
    return DATABASE_URL


def test_every_framework_versus_compares_has_an_app():
    """One app per framework of the shipped knowledge base (its frameworks/<slug>.yaml)."""
    shipped = SUITE.parents[2] / "comparisons" / "knowledge_base" / "frameworks"
    compared = {path.stem for path in shipped.glob("*.yaml")}
    assert len(compared) >= 14
    assert {server.framework for server in SERVERS} >= compared


@pytest.mark.parametrize("server", SERVERS, ids=lambda server: server.label)
def test_the_app_answers_every_test_by_the_rules(database, server):
    counter = suite.QueryCounter(database)
    try:
        with suite.serving(server, database_url=counter.url) as base:
            suite.smoke(base, database, counter)
    finally:
        counter.close()


def test_the_rules_catch_a_broken_answer(database):
    """The checker itself: fortunes are expected escaped; a wrong content type or row
    shape is refused."""
    rows = suite.expected_fortunes_html()
    script = '<script>alert("This should not be displayed in a browser alert box.");</script>'
    assert ("3", script.replace("<", "&lt;").replace(">", "&gt;")) in rows
    with pytest.raises(suite.RuleBroken, match="Content-Type"):
        suite.check_headers("json", {"Server": "x", "Date": "y", "Content-Type": "text/html"},
                            "application/json")  # fmt: skip
    with pytest.raises(suite.RuleBroken, match="randomNumber"):
        suite.world_row("db", {"id": 1, "randomnumber": 2})
