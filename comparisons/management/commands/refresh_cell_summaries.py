"""Work out every cell's summary of its sources again (`comparisons.summaries`)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from comparisons.summaries import refresh_cell_summaries


class Command(BaseCommand):
    help = (
        "Recount each cell's published claims and whether they disagree. The site keeps these "
        "up to date itself; run this after changing the database by hand (raw SQL, a restore)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        with transaction.atomic(using=database):
            changed = refresh_cell_summaries(using=database)
        self.stdout.write(f"{changed} cell summar{'y' if changed == 1 else 'ies'} corrected.")
