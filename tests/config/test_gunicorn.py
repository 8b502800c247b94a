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
