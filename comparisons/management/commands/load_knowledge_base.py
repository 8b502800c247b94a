"""Load the knowledge base Versus ships with (placeholder until the content lands)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the shipped knowledge base records that are missing; never touch existing ones."

    def handle(self, *args, **options):
        self.stdout.write("Knowledge base: nothing to load yet.")
