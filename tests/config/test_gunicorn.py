"""config/gunicorn.py: production's server settings, and the environment overriding them."""

import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "config" / "gunicorn.py"


def test_workers_are_threaded_and_preloaded_by_default(monkeypatch):
    for name in ("GUNICORN_WORKER_CLASS", "GUNICORN_THREADS", "GUNICORN_PRELOAD"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(CONFIG))
    assert (config["worker_class"], config["threads"]) == ("gthread", 2)
    assert config["preload_app"] is True


def test_the_environment_overrides_the_defaults(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKER_CLASS", "sync")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", "")
    config = runpy.run_path(str(CONFIG))
    assert (config["worker_class"], config["workers"]) == ("sync", 3)
    assert config["bind"] == "0.0.0.0:9000"
    assert config["accesslog"] is None


def test_an_over_long_uri_reaches_django_and_is_answered_in_json_under_the_api(tmp_path):
    """gunicorn's own limit on the request line (4,094 bytes by default, answered in HTML) is
    raised above Django's MAX_URI_LENGTH, so Django answers: JSON under /api/."""
    import http.client
    import json
    import os
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",  # never opened here
        "DJANGO_DEBUG": "true",
        "GUNICORN_ACCESS_LOG": "",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", str(CONFIG), "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "config.wsgi"],
        cwd=CONFIG.parents[1], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def get(path):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        answer = response.status, response.getheader("Content-Type"), response.read()
        connection.close()
        return answer

    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        for length in (5_000, 8_000):  # both over gunicorn's default limit
            status, content_type, body = get("/api/v1/frameworks/?search=" + "x" * length)
            assert (status, content_type) == (414, "application/json"), body[:200]
            assert json.loads(body)["error"]["code"] == "uri_too_long"
        status, content_type, _ = get("/frameworks/?search=" + "x" * 5_000)
        assert status == 414 and content_type.startswith("text/html")
    finally:
        server.terminate()
        server.wait(timeout=20)
