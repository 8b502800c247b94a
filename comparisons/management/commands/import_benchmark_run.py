"""Import one result of Versus's framework benchmarks: `manage.py import_benchmark_run FILE`.

The file is what `make framework-bench` writes (bench/results/frameworks.json). It becomes a
source of kind *benchmark run* with a benchmark per test and a result per framework and
server, each carrying the run's context. A file already imported changes nothing; a bad file
is refused whole, with the reason.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comparisons.services import BenchmarkRunError, benchmark_run_import


class Command(BaseCommand):
    help = "Import a framework benchmark result (JSON) as a benchmark-run source."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file} is not JSON: {error}.") from error
        try:
            source, created = benchmark_run_import(document=document)
        except BenchmarkRunError as error:
            raise CommandError(f"{file} not imported, nothing was stored: {error}.") from error
        if created:
            count = source.benchmarks.count()
            self.stdout.write(self.style.SUCCESS(
                f"Imported '{source.title}': {count} benchmarks ({source.slug})."
            ))  # fmt: skip
        else:
            self.stdout.write(f"Already imported as '{source.title}' ({source.slug}); unchanged.")
