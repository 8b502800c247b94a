"""config/gunicorn.py: the production server's settings and hooks."""

import gc
import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "config" / "gunicorn.py"


def test_workers_are_threaded_and_forked_from_a_frozen_heap(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKER_CLASS", raising=False)
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    config = runpy.run_path(str(CONFIG))
    assert (config["worker_class"], config["threads"]) == ("gthread", 2)
    assert config["preload_app"] is True
    gc.unfreeze()
    try:
        config["pre_fork"](server=None, worker=None)
        # What was loaded before the fork is out of the collector's reach (and stays shared).
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
