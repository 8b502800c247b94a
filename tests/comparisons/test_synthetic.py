"""The synthetic generator fills its own database and never the site's."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from comparisons.models import Framework
from tests.factories import FrameworkFactory

BASE_DIR = Path(__file__).resolve().parents[2]


def test_it_fills_a_separate_database_with_every_cell(tmp_path):
    target = tmp_path / "synthetic.sqlite3"
    site = tmp_path / "site.sqlite3"  # the site's own database, never migrated here
    env = {
        "SYNTHETIC_DATABASE_URL": f"sqlite:///{target}",
        "DATABASE_URL": f"sqlite:///{site}",
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "true",  # a development run: no production secret key needed
    }
    # Twice: a second run replaces the first one's rows (without writing anything, not even
    # history, into the site's database).
    for frameworks, features in ((3, 12), (2, 5)):
        result = subprocess.run(
            [sys.executable, "manage.py", "generate_synthetic_kb", "--frameworks",
             str(frameworks), "--features", str(features)],
            cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "100%" in result.stderr  # the progress bar ran to the end
        with sqlite3.connect(target) as db:
            cells = db.execute("select count(*) from comparisons_support").fetchone()[0]
            claims = db.execute("select count(*) from comparisons_claim").fetchone()[0]
            # Bulk-created, yet each cell knows its two sources (comparisons.summaries).
            counted = db.execute(
                "select count(*) from comparisons_support where source_count = 2"
            ).fetchone()[0]
        assert (cells, claims) == (frameworks * features, frameworks * features * 2)
        assert counted == cells
    assert not site.exists() or site.stat().st_size == 0


@pytest.mark.django_db
def test_it_refuses_the_sites_own_database(settings):
    FrameworkFactory(name="Flask")
    settings.DATABASES["synthetic"] = dict(settings.DATABASES["default"])
    with pytest.raises(CommandError, match="site's own database"):
        call_command("generate_synthetic_kb", "--frameworks", "2", "--features", "2")
    with pytest.raises(CommandError, match="site's own database"):
        call_command("generate_synthetic_kb", "--database", "default")
    assert list(Framework.objects.values_list("name", flat=True)) == ["Flask"]
    del settings.DATABASES["synthetic"]
