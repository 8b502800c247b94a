"""Degrade, don't fail: with Redis away the site is served from the database and writes
still work, and an edit made while Redis was away shows on the very first request once it
is back — whether it comes back empty or with its data, from any process, including one that
served nothing during the outage.

Each test runs a Redis of its own (redis-server on a free port, its data in a temporary
folder) and stops, stalls or restarts it; the machine's Redis is never touched."""

import json
import logging
import shutil
import signal
import subprocess
import time
import urllib.request

import pytest
import redis
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from comparisons import caching
from comparisons.editorial import editors_group_ensure
from comparisons.models import ContentChange, Support
from config.settings import redis_caches
from tests.comparisons.test_caching_processes import free_port, get, prepare_site, serving
from tests.factories import FeatureFactory, FrameworkFactory, SupportFactory, UserFactory

REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed")
COMPARE = "/compare/django-vs-flask/"
TIMEOUT = 0.25  # the settings' default REDIS_TIMEOUT


class RedisServer:
    """A redis-server of the test's own; it keeps its data on disk (append-only file, every
    write synced), so a restart brings it back as it was."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.folder.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [
                REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", str(self.folder), "--save", "", "--appendonly", "yes",
                "--appendfsync", "always", "--logfile", str(self.folder / "redis.log"),
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        """Gone at once, as in a crash (its data stays on disk)."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def forget(self):
        """Its data gone too: it will come back empty."""
        shutil.rmtree(self.folder)

    def pause(self):
        """Stalled: connections stay open, nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def on_redis(redis_server):
    """This test process's caches on the test's own Redis."""
    with override_settings(CACHES=redis_caches(redis_server.url, timeout=TIMEOUT)):
        caching.local_pages.clear()
        yield redis_server
        caching.local_pages.clear()


@pytest.fixture
def matrix(db):
    """Django and Flask, one feature; returns Django's cell."""
    django = FrameworkFactory(slug="django", name="Django")
    flask = FrameworkFactory(slug="flask", name="Flask")
    feature = FeatureFactory(name="Async support", slug="async-support")
    cell = SupportFactory(framework=django, feature=feature, level="partial", summary="Async views")
    SupportFactory(framework=flask, feature=feature, level="partial", summary="Limited")
    return cell


@pytest.fixture
def token(db):
    user = UserFactory(username="eddie", is_staff=True)
    user.groups.add(editors_group_ensure())
    return Token.objects.create(user=user).key


def test_with_redis_down_pages_api_reads_and_writes_are_served_from_the_database(
    matrix, token, on_redis, caplog, django_capture_on_commit_callbacks
):
    client = APIClient()
    assert client.get(COMPARE)["X-Cache"] == "miss"
    assert client.get(COMPARE)["X-Cache"] == "hit"
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}

    on_redis.kill()
    began = time.monotonic()
    page = client.get(COMPARE)
    assert page.status_code == 200 and page["X-Cache"] == "unavailable"
    assert "Async views" in page.content.decode()
    listed = client.get("/api/v1/supports/?framework=django")
    assert listed.status_code == 200 and listed["X-Cache"] == "unavailable"
    assert listed.json()["results"][0]["summary"] == "Async views"

    editor = APIClient()
    editor.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with django_capture_on_commit_callbacks(execute=True):
        edited = editor.patch(
            f"/api/v1/supports/{matrix.pk}/", {"summary": "Edited while Redis was away"}
        )
    assert edited.status_code == 200
    assert Support.objects.get(pk=matrix.pk).summary == "Edited while Redis was away"
    assert "Edited while Redis was away" in client.get(COMPARE).content.decode()
    # A dead Redis costs each request milliseconds (the connection is refused at once).
    assert time.monotonic() - began < 3

    # The throttles' cache calls failed open, and said so in the log.
    assert any(record.name == "django_redis.cache" for record in caplog.records)
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["cache"] == "unreachable"


def test_a_stalled_redis_costs_a_request_a_fraction_of_a_second(matrix, on_redis):
    client = APIClient()
    assert client.get(COMPARE)["X-Cache"] == "miss"
    on_redis.pause()
    try:
        began = time.monotonic()
        page = client.get(COMPARE)
        took = time.monotonic() - began
    finally:
        on_redis.resume()
    assert page.status_code == 200 and page["X-Cache"] == "unavailable"
    assert took < 4 * TIMEOUT
    # Back, and trusted again once checked against the database.
    assert client.get(COMPARE)["X-Cache"] in ("hit", "miss")
    assert client.get(COMPARE)["X-Cache"] == "hit"


def test_a_process_silent_for_a_while_checks_the_state_against_the_database(
    matrix, on_redis, django_assert_num_queries
):
    """The idle process: Redis stalled and resumed without dropping its connection, and the
    process saw no error. An edit's failed invalidation is the change numbered in the
    database that the cache's state does not reflect."""
    client = APIClient()
    client.get(COMPARE)
    with django_assert_num_queries(0):  # heard from the cache just now: trusted as it is
        assert client.get(COMPARE)["X-Cache"] == "hit"

    # An edit committed elsewhere while the cache was away: it is in the database, and
    # numbered there, but the cache was never told (tests' transactions do not commit).
    Support.objects.filter(pk=matrix.pk).update(summary="Edited while Redis stalled")
    ContentChange.objects.create()
    time.sleep(caching.stall_seconds())

    page = client.get(COMPARE)
    assert page["X-Cache"] == "miss"
    assert "Edited while Redis stalled" in page.content.decode()
    with django_assert_num_queries(0):
        assert client.get(COMPARE)["X-Cache"] == "hit"


# --- Processes ------------------------------------------------------------------------------

PROCESS_COMPARE = "/compare/django-vs-fastapi/"
EDIT = "Edited while Redis was away"


def served_from_the_cache(port):
    """Whether the page comes from the cache within a few requests. (A state created by an
    empty cache does not know the newest change's number: the first check against the
    database starts another one, once.)"""
    return any(get(port, PROCESS_COMPARE)[0]["X-Cache"] == "hit" for _ in range(5))


def patch(port, token, cell_id, summary):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/supports/{cell_id}/",
        data=json.dumps({"summary": summary}).encode(),
        headers={
            "Host": "127.0.0.1",
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
        },
        method="PATCH",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


@pytest.fixture(scope="module")
def prepared_site(tmp_path_factory):
    """A loaded site database with an editor, made once (it takes a while); each test
    copies it."""
    folder = tmp_path_factory.mktemp("site")
    return folder / "site.sqlite3", *prepare_site(folder, "redis://127.0.0.1:1/0")


@pytest.mark.parametrize("outage", ["back with its data", "back empty", "stalled"])
def test_an_edit_made_while_redis_was_away_shows_on_the_first_request_from_an_idle_process(
    tmp_path, prepared_site, outage
):
    database, env, token = prepared_site
    shutil.copy(database, tmp_path / "site.sqlite3")
    server = RedisServer(tmp_path / "redis")
    server.start()
    env = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}", "REDIS_URL": server.url}
    try:
        with serving(env, env) as (editing, idle):
            for port in (editing, idle):
                assert served_from_the_cache(port)
            _, body = get(editing, "/api/v1/supports/?framework=django&feature=async-support")
            cell_id = json.loads(body)["results"][0]["id"]

            if outage == "stalled":
                server.pause()
            else:
                server.kill()
            assert patch(editing, token, cell_id, EDIT) == 200
            headers, page = get(editing, PROCESS_COMPARE)  # meanwhile: from the database
            assert headers["X-Cache"] == "unavailable" and EDIT in page
            if outage == "stalled":
                server.resume()
            else:
                if outage == "back empty":
                    server.forget()
                server.start()

            # The idle process served nothing during the outage.
            headers, page = get(idle, PROCESS_COMPARE)
            assert EDIT in page
            assert headers["X-Cache"] == "miss"
            assert served_from_the_cache(idle)
    finally:
        server.stop()


def test_logging_names_the_unreachable_cache(matrix, on_redis, caplog):
    on_redis.kill()
    with caplog.at_level(logging.WARNING, logger="comparisons.caching"):
        assert APIClient().get(COMPARE).status_code == 200
    assert "The shared cache is unreachable" in caplog.text
