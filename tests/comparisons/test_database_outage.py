"""A PostgreSQL restart costs no request once the database is back (pooled connections are
checked before they are lent), and while it is away the site says so: 503 with Retry-After,
JSON in the API's error shape under /api/, the HTML error page elsewhere.

The test runs a PostgreSQL of its own (initdb in a temporary folder, a free port) and
restarts and stops it; the machine's PostgreSQL is never touched."""

import contextlib
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.comparisons.test_caching_processes import BASE_DIR, free_port, serving

PG_BIN = Path(shutil.which("pg_ctl") or "/nonexistent").resolve().parent
pytestmark = pytest.mark.skipif(
    not (PG_BIN / "initdb").exists(), reason="PostgreSQL's initdb is not installed"
)


class PostgreSQL:
    """A PostgreSQL server of the test's own. initdb refuses to run as root, so as root it
    runs as the system's `postgres` user."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="versus-pg-"))
        self.port = free_port()
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres"
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.data = self.folder / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/versus"

    def run(self, *command):
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        return subprocess.run(
            [*prefix, *command], check=True, capture_output=True, text=True, timeout=120
        )

    def pg_ctl(self, *args):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        log = str(self.folder / "postgres.log")
        return self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", log, "-o", options,
                        "-w", *args)  # fmt: skip

    def create(self):
        self.run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")
        self.pg_ctl("start")
        self.run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                 "-U", "postgres", "versus")  # fmt: skip

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres():
    server = PostgreSQL()
    server.create()
    yield server
    server.destroy()


@pytest.fixture(scope="module")
def site(postgres):
    """The site's environment on that database (migrated, with an editor), and a token."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))},
        "DATABASE_URL": postgres.url,
        "DATABASE_POOL_TIMEOUT": "2",  # a request waits this long for a connection
        "DJANGO_DEBUG": "true",
        "VERSUS_EDITOR_PASSWORD": "a-long-editor-passphrase",
        "GUNICORN_ACCESS_LOG": "",
    }
    env.pop("REDIS_URL", None)

    def manage(*args):
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    manage("migrate", "--noinput")
    manage("create_editor", "ed")
    return env, manage("drf_create_token", "ed").split()[2]


def ask(port, path, token=None):
    """(status, headers, body) of a GET that must reach the database: with the token (the
    API) or with a session cookie (pages): neither is answered from the public cache."""
    headers = {"Host": "127.0.0.1"}
    if token:
        headers["Authorization"] = f"Token {token}"
    else:
        headers["Cookie"] = "sessionid=none"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


READS = [("/api/v1/frameworks/", True), ("/frameworks/", False), ("/api/v1/sources/", True)]


def read_all(port, token, times=3):
    return [ask(port, path, token if api else None)[0] for path, api in READS * times]


def test_after_a_restart_no_request_fails_on_a_dead_pooled_connection(postgres, site):
    env, token = site
    with serving(env) as (port,):
        assert read_all(port, token) == [200] * 9  # the pool now holds idle connections
        postgres.pg_ctl("restart", "-m", "fast")
        assert read_all(port, token) == [200] * 9


def test_while_the_database_is_down_the_answer_is_503_with_retry_after(postgres, site):
    env, token = site
    with serving(env) as (port,):
        assert read_all(port, token, times=1) == [200] * 3
        postgres.pg_ctl("stop", "-m", "fast")
        try:
            code, headers, body = ask(port, "/api/v1/frameworks/", token)
            assert code == 503 and int(headers["Retry-After"]) > 0
            assert headers["Content-Type"] == "application/json"
            assert json.loads(body)["error"]["status"] == 503
            code, headers, body = ask(port, "/frameworks/")
            assert code == 503 and int(headers["Retry-After"]) > 0
            assert headers["Content-Type"].startswith("text/html") and "503" in body
            code, _, body = ask(port, "/readyz")
            assert code == 503 and json.loads(body)["database"] == "unreachable"
        finally:
            postgres.pg_ctl("start")

        # Back: the pool reconnects (psycopg's pool retries with a growing delay, ~1 s first).
        deadline = time.monotonic() + 30
        while ask(port, "/readyz")[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert read_all(port, token) == [200] * 9
