"""Load the knowledge base Versus ships with: `python manage.py load_knowledge_base`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comparisons.services import KnowledgeBaseError, knowledge_base_load


class Command(BaseCommand):
    help = (
        "Create the shipped knowledge base records (comparisons/knowledge_base/*.yaml) that are "
        "missing. Existing records are never changed, so editors' edits survive a re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=None,
            help="Knowledge base folder to load instead of the shipped one.",
        )

    def handle(self, *args, **options):
        try:
            report = knowledge_base_load(path=options["path"])
        except KnowledgeBaseError as error:
            raise CommandError(f"Knowledge base not loaded: {error}") from error
        if options["verbosity"] >= 2:
            for line in report.lines():
                self.stdout.write(f"  {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Knowledge base: {report.total_created} records created, "
                f"{report.total_existing} already there and left as they were."
            )
        )
