"""Work out every cell's summary of its sources again (`comparisons.summaries`): report the
cells whose stored summary drifted from their claims, and repair them unless `--check`."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from comparisons import caching
from comparisons.models import Support
from comparisons.summaries import BATCH, recount, summary_drift


def summaries(count):
    return f"{count} cell summar{'y' if count == 1 else 'ies'}"


def described(count, disagree, outdated=False, evidence_on=None):
    standing = "disputed" if disagree else "outdated" if outdated else "not disputed"
    dated = f", evidence of {evidence_on:%Y-%m-%d}" if evidence_on else ""
    return f"{count} source{'' if count == 1 else 's'}, {standing}{dated}"


class Command(BaseCommand):
    help = (
        "Recount each cell's published claims and whether they disagree, and list every cell "
        "whose stored summary drifted. The site keeps these up to date itself; run this after "
        "changing the database by hand (raw SQL, a queryset update(), a restore). With "
        "--check nothing is written, and the command fails if any cell drifted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report the drifted cells (exit status 1 if any); write nothing.",
        )

    def handle(self, *args, database, check, **options):
        if check:
            drifted = summary_drift(using=database)
            self.report(drifted, database)
            if drifted:
                raise CommandError(
                    f"{summaries(len(drifted))} drifted from their claims: "
                    "run refresh_cell_summaries to repair."
                )
            self.stdout.write("Every cell summary matches its claims.")
            return
        with transaction.atomic(using=database):
            # Locked like any other recount, so a claim saved meanwhile is not overwritten.
            drifted = recount(using=database)
            self.report(drifted, database)
            if drifted:
                # bulk_update sends no signals: tell the public cache, as they would have.
                transaction.on_commit(caching.content_changed, using=database, robust=True)
        self.stdout.write(f"{summaries(len(drifted))} corrected.")

    def report(self, drifted, database):
        """One line per drifted cell: framework × feature, stored vs recounted."""
        for start in range(0, len(drifted), BATCH):
            batch = drifted[start : start + BATCH]
            rows = (
                Support.objects.using(database)
                .filter(pk__in=[drift.support_id for drift in batch])
                .values_list("pk", "framework__slug", "feature__slug")
            )
            names = {pk: f"{framework} × {feature}" for pk, framework, feature in rows}
            for support_id, stored, recounted in batch:
                self.stdout.write(
                    f"{names[support_id]}: stored {described(*stored)}; "
                    f"recounted {described(*recounted)}"
                )
