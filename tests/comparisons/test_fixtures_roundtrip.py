"""dumpdata with natural keys → flush → loaddata restores every row, field for field."""

import json

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone

from comparisons.models import RegistrySnapshot
from tests.factories import (
    BenchmarkResultFactory,
    ClaimFactory,
    MilestoneFactory,
    PointFactory,
    RecommendationFactory,
    ScalePointFactory,
    SupportFactory,
    UseCaseRequirementFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot():
    """Every row of the knowledge base, keyed by natural key, ids left out."""
    rows = {}
    for model in apps.get_app_config("comparisons").get_models():
        if model.__name__.startswith("Historical"):
            continue  # history rows have their own test; here, the knowledge base itself
        if model.__name__ == "ContentChange":
            continue  # the cache's bookkeeping (numbers of changes), not content
        data = serializers.serialize(
            "python",
            model.objects.all(),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        for row in data:
            row["fields"].pop("created_at", None)
            row["fields"].pop("updated_at", None)
        rows[model._meta.label] = sorted(
            json.dumps(row, sort_keys=True, default=str) for row in data
        )
    return rows


def test_dumpdata_flush_loaddata_restores_every_row(tmp_path):
    point = ScalePointFactory(label="Steep")
    rated = SupportFactory(feature=point.feature, level="", rating=point)
    ClaimFactory(support=rated, level="", rating=point, source_label="Learning curve")
    ClaimFactory(support=SupportFactory(level="partial"), level="none")
    BenchmarkResultFactory(figure="range", value=None, low=2000, high=4000, approximate=True)
    BenchmarkResultFactory(figure="lower-bound", value=10000, server="Uvicorn")
    PointFactory(kind="weakness")
    RecommendationFactory()
    UseCaseRequirementFactory(feature=point.feature, kind="prefer", end=point, weight=3)
    milestone = MilestoneFactory()
    RegistrySnapshot.objects.create(
        framework=milestone.framework,
        package="demo",
        taken_at=timezone.now().replace(microsecond=0),  # fixtures keep milliseconds
        latest_version="1.0",
        releases=[["1.0", "2026-01-02"]],
    )
    milestone.framework.builds_on.add(rated.framework)
    milestone.framework.sources.add(rated.claims.get().source)

    before = snapshot()
    assert all(before.values()), "every model should hold at least one row"

    dump = tmp_path / "kb.json"
    call_command(
        "dumpdata", "comparisons", natural_foreign=True, natural_primary=True, output=str(dump)
    )
    call_command("flush", interactive=False)
    assert not any(snapshot().values())

    call_command("loaddata", str(dump))
    assert snapshot() == before
