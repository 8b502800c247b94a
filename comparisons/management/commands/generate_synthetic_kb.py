"""Fill a separate database with a synthetic knowledge base, for measuring at scale.

It writes only to the database alias named by --database (default 'synthetic', configured
by SYNTHETIC_DATABASE_URL) and refuses to run against the site's own database.
"""

import random
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.test.utils import override_settings
from tqdm import tqdm

from comparisons import summaries
from comparisons.models import (
    Benchmark,
    BenchmarkResult,
    Claim,
    Feature,
    FeatureCategory,
    Framework,
    ScalePoint,
    Source,
    Status,
    Support,
)

LEVELS = ["native", "extension", "partial", "none"]


def same_database(first, second):
    """Whether two connection settings point at the same database (paths resolved)."""
    if first["ENGINE"] != second["ENGINE"]:
        return False
    if first["ENGINE"].endswith("sqlite3"):
        return Path(str(first["NAME"])).resolve() == Path(str(second["NAME"])).resolve()
    keys = ("NAME", "HOST", "PORT")
    return all(str(first.get(key) or "") == str(second.get(key) or "") for key in keys)


BATCH = 2000


class Command(BaseCommand):
    help = (
        "Generate N frameworks x M features (every cell, two claims each, some disputed) in a "
        "separate database (SYNTHETIC_DATABASE_URL), never the site's own."
    )

    def add_arguments(self, parser):
        parser.add_argument("--frameworks", type=int, default=10)
        parser.add_argument("--features", type=int, default=100)
        parser.add_argument("--sources", type=int, default=2, help="Claims per cell.")
        parser.add_argument("--database", default="synthetic")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, frameworks, features, sources, database, seed, **options):
        if frameworks < 2 or features < 1 or sources < 1:
            raise CommandError("Use at least 2 frameworks, 1 feature and 1 source.")
        if database not in settings.DATABASES:
            raise CommandError(
                f"No database '{database}': set SYNTHETIC_DATABASE_URL to a separate database "
                "(e.g. sqlite:////tmp/versus-synthetic.sqlite3)."
            )
        if database == "default" or same_database(
            settings.DATABASES[database], settings.DATABASES["default"]
        ):
            raise CommandError("Refusing to write synthetic data into the site's own database.")

        call_command("migrate", database=database, verbosity=0, interactive=False)
        randomness = random.Random(seed)
        with transaction.atomic(using=database), summaries.paused():
            self.wipe(database)
            self.fill(database, randomness, frameworks, features, sources)
            # bulk_create sends no signals: each cell's summary of its claims, once.
            summaries.refresh_cell_summaries(using=database)
        connection = connections[database]
        if connection.vendor == "postgresql":
            # Fresh bulk-loaded tables have no statistics yet: without them the planner
            # guesses one row everywhere and picks nested loops a measurement would blame on
            # the code (autovacuum would get there, but later than a benchmark starts). FULL:
            # working out the cells' summaries rewrote every cell, leaving the table at twice
            # its size (measured: the compare page ~20 % slower); a long-lived table is
            # compacted by autovacuum reusing the space, a fresh one is rewritten here.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM FULL ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic knowledge base in '{database}': {frameworks} frameworks x "
                f"{features} features, {frameworks * features} cells, "
                f"{frameworks * features * sources} claims."
            )
        )

    def wipe(self, database):
        # Throwaway rows need no history (and simple-history would write it to the site's
        # own database, not this one).
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            self.delete_all(database)

    def delete_all(self, database):
        for model in (Claim, BenchmarkResult, Benchmark, Support, ScalePoint, Feature):
            model.objects.using(database).all().delete()
        for model in (FeatureCategory, Source, Framework):
            model.objects.using(database).all().delete()

    def fill(self, database, randomness, n_frameworks, n_features, n_sources):
        db = database
        categories = FeatureCategory.objects.using(db).bulk_create(
            FeatureCategory(name=f"Category {i}", slug=f"category-{i}", position=i)
            for i in range(max(1, n_features // 10))
        )
        framework_rows = Framework.objects.using(db).bulk_create(
            Framework(
                name=f"Framework {i}",
                slug=f"fw{i}",
                tagline=f"Synthetic framework number {i}.",
                kind="micro",
                interface="wsgi",
                status=Status.PUBLISHED,
            )
            for i in range(n_frameworks)
        )
        feature_rows = Feature.objects.using(db).bulk_create(
            Feature(
                name=f"Feature {i}",
                slug=f"feature-{i}",
                category=categories[i % len(categories)],
                kind="capability",
                position=i,
                status=Status.PUBLISHED,
            )
            for i in range(n_features)
        )
        source_rows = Source.objects.using(db).bulk_create(
            Source(title=f"Source {i}", slug=f"source-{i}", status=Status.PUBLISHED)
            for i in range(n_sources)
        )
        cells = [
            Support(
                framework=framework,
                feature=feature,
                level=randomness.choice(LEVELS),
                summary=f"{framework.name} on {feature.name}.",
                packages="some-package" if randomness.random() < 0.3 else "",
            )
            for framework in framework_rows
            for feature in feature_rows
        ]
        with tqdm(total=len(cells), desc="cells", unit="cell", file=self.stderr) as progress:
            for start in range(0, len(cells), BATCH):
                Support.objects.using(db).bulk_create(cells[start : start + BATCH])
                progress.update(len(cells[start : start + BATCH]))
        cells = list(Support.objects.using(db).all())
        claims = (
            Claim(
                source=source,
                support=cell,
                # One claim in ten disagrees with the verdict, so disputes show at scale.
                level=cell.level if randomness.random() > 0.1 else randomness.choice(LEVELS),
                statement=f"{source.title} on this cell.",
            )
            for cell in cells
            for source in source_rows
        )
        total = len(cells) * len(source_rows)
        with tqdm(total=total, desc="claims", unit="claim", file=self.stderr) as progress:
            batch = []
            for claim in claims:
                batch.append(claim)
                if len(batch) == BATCH:
                    Claim.objects.using(db).bulk_create(batch)
                    progress.update(len(batch))
                    batch = []
            Claim.objects.using(db).bulk_create(batch)
            progress.update(len(batch))
