"""Two app processes sharing one Redis cache: an edit made through one shows on the other's
very next request (the generation lives in Redis, not in a process)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
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


def get(port, path, headers=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers, response.read().decode()


@pytest.fixture
def site(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"two-processes-{uuid.uuid4().hex[:8]}",
        "VERSUS_EDITOR_PASSWORD": "a-long-editor-passphrase",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True,
            capture_output=True, text=True, timeout=300,
        ).stdout  # fmt: skip

    manage("migrate", "--noinput")
    manage("load_knowledge_base")
    manage("create_editor", "ed")
    token = manage("drf_create_token", "ed").split()[2]
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [str(GUNICORN), "--workers", "1", "--bind", f"127.0.0.1:{port}", "config.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            for _ in range(150):
                try:
                    get(port, "/healthz")
                    break
                except OSError:
                    time.sleep(0.2)
        yield ports, token
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


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
