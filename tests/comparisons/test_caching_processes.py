"""Two app processes sharing one Redis cache: an edit made through one shows on the other's
very next request (the generation lives in Redis, not in a process), and the API's rate
limits count requests to both."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/7"
COMPARE = "/compare/django-vs-fastapi/"


def redis_reachable():
    host, port = REDIS_URL.split("//")[1].split("/")[0].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not redis_reachable(), reason=f"no Redis at {REDIS_URL}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Every process is asked under one host name, as behind a load balancer (the cache keeps
# one copy per host: pages and API reads hold absolute URLs).
SITE = {"Host": "127.0.0.1"}


def get(port, path, headers=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={**SITE, **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers, response.read().decode()


def status(port, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=SITE)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.fixture
def prepared(tmp_path):
    return prepare_site(tmp_path, REDIS_URL)


def prepare_site(tmp_path, redis_url):
    """A site's environment (its own SQLite database, loaded, with an editor) and the
    editor's API token."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"two-processes-{uuid.uuid4().hex[:8]}",
        "DJANGO_DEBUG": "true",  # development's settings (no HTTPS redirect), as before
        "VERSUS_EDITOR_PASSWORD": "a-long-editor-passphrase",
        "GUNICORN_ACCESS_LOG": "",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True,
            capture_output=True, text=True, timeout=300,
        ).stdout  # fmt: skip

    manage("migrate", "--noinput")
    manage("load_knowledge_base")
    manage("create_editor", "ed")
    return env, manage("drf_create_token", "ed").split()[2]


@contextmanager
def serving(*envs):
    """One gunicorn process per environment, each with one worker as production configures
    it (config/gunicorn.py: threads), on a port of its own; yields the ports."""
    ports = [free_port() for _ in envs]
    servers = [
        subprocess.Popen(
            [
                str(GUNICORN),
                "-c",
                "config/gunicorn.py",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "config.wsgi",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for env, port in zip(envs, ports, strict=True)
    ]
    try:
        for port in ports:
            for _ in range(150):
                try:
                    get(port, "/readyz")  # (ready without the cache too)
                    break
                except OSError:
                    time.sleep(0.2)
        yield ports
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


@pytest.fixture
def site(prepared):
    env, token = prepared
    with serving(env, env) as ports:
        yield ports, token


def test_an_edit_through_one_process_shows_on_the_other(site):
    (first, second), token = site
    for port in (first, second):
        get(port, COMPARE)
        headers, _ = get(port, COMPARE)
        assert headers["X-Cache"] == "hit"  # both processes now hold the page in the cache

    _, body = get(first, "/api/v1/supports/?framework=django&feature=async-support")
    cell = json.loads(body)["results"][0]
    request = urllib.request.Request(
        f"http://127.0.0.1:{first}/api/v1/supports/{cell['id']}/",
        data=json.dumps({"summary": "Edited on the first process"}).encode(),
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "If-Match": str(cell["version"]),
        },
        method="PATCH",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200

    headers, page = get(second, COMPARE)
    assert headers["X-Cache"] == "miss"
    assert "Edited on the first process" in page


def test_one_process_renders_requests_side_by_side(prepared):
    """Production's worker runs two requests at once (gthread): pages and API reads rendered
    concurrently come out exactly as rendered one at a time."""
    env, _ = prepared
    # The reference renders on a process with a cache of its own, so none of the concurrent
    # requests below can be answered from what it stored.
    alone = {**env, "CACHE_KEY_PREFIX": env["CACHE_KEY_PREFIX"] + "-alone"}
    frameworks = ["django", "fastapi", "flask", "django-rest-framework"]
    paths = [f"/compare/{a}-vs-{b}/" for a in frameworks for b in frameworks if a < b]
    paths += [f"/compare/{a}-vs-{b}/?only_differences=1" for a in frameworks for b in frameworks
              if a < b]  # fmt: skip
    paths += [f"/api/v1/supports/?page_size={size}" for size in range(1, 13)]
    paths += [f"/frameworks/{name}/" for name in frameworks]
    with serving(env, alone) as (busy, reference_port):
        reference = {
            path: get(reference_port, path)[1].replace(str(reference_port), "PORT")
            for path in paths
        }
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda path: (path, get(busy, path)), paths * 2))
    for path, (_, body) in answers:  # (absolute links name the port)
        assert body.replace(str(busy), "PORT") == reference[path], path
    # Every path's first request on the busy process was rendered there, not fetched.
    assert {path for path, (headers, _) in answers if headers["X-Cache"] == "miss"} == set(paths)


def test_the_rate_limit_counts_requests_to_every_process(prepared):
    """Three reads a minute, whichever process answers them, cached or not."""
    env, _ = prepared
    limited = {**env, "API_THROTTLE_ANON": "3/minute"}
    with serving(limited, limited) as (first, second):
        answers = [status(port, "/api/v1/frameworks/") for port in (first, second, first)]
        assert [code for code, _ in answers] == [200, 200, 200]
        assert [headers["X-Cache"] for _, headers in answers] == ["miss", "hit", "hit"]
        for port in (second, first):
            code, headers = status(port, "/api/v1/frameworks/")
            assert code == 429 and 0 < int(headers["Retry-After"]) <= 60
