"""Read each framework's package from the package registry and store a dated snapshot:
`python manage.py sync_registry [framework-slug ...] [--dry-run]`.

Each framework is read and stored on its own: one that fails (network, time-out, unknown
package, malformed answer) gets one line saying why and is left as it was; the others are
still updated; the command then exits non-zero. docs/deploy.md shows it on a schedule.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from comparisons import registry
from comparisons.models import Framework
from comparisons.services import registry_changes, registry_snapshot_record


class Command(BaseCommand):
    help = (
        "Read every framework's package (or those named) from the package registry and store "
        "a dated snapshot: latest version and date, first release, releases in 12 months, "
        "Requires-Python, licence, project links, and the registry's claims on the fact cells."
    )

    def add_arguments(self, parser):
        parser.add_argument("frameworks", nargs="*", metavar="framework", help="Framework slugs.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would change; store nothing."
        )

    def handle(self, *args, frameworks, dry_run, **options):
        chosen = Framework.objects.exclude(registry_package="")
        if frameworks:
            chosen = chosen.filter(slug__in=frameworks)
            unknown = set(frameworks) - set(chosen.values_list("slug", flat=True))
            if unknown:
                raise CommandError(
                    f"No framework with a registry package for: {', '.join(sorted(unknown))}."
                )
        chosen = list(chosen)
        if not chosen:
            raise CommandError(
                "No framework names a registry package (Framework.registry_package)."
            )
        failed = []
        with registry.client() as client:
            for framework in tqdm(chosen, desc="Registry", unit="framework", disable=None):
                try:
                    facts = registry.read_package(framework.registry_package, registry=client)
                    changes = registry_changes(framework=framework, facts=facts)
                    if not dry_run:
                        registry_snapshot_record(framework=framework, facts=facts)
                except registry.RegistryError as error:
                    failed.append(framework)
                    self.stderr.write(f"{framework.slug}: failed, {error}; left as it was.")
                    continue
                except (DatabaseError, ValidationError) as error:
                    failed.append(framework)
                    problem = "; ".join(getattr(error, "messages", None) or [str(error)])
                    self.stderr.write(
                        f"{framework.slug}: failed, the snapshot could not be stored "
                        f"({problem.splitlines()[0][:200]}); left as it was."
                    )
                    continue
                self.stdout.write(self.described(framework, facts, changes, dry_run))
        stored = len(chosen) - len(failed)
        verb = "would be updated" if dry_run else "updated"
        summary = f"{stored} of {len(chosen)} framework{'s' * (len(chosen) != 1)} {verb}"
        if failed:
            raise CommandError(f"{summary}; failed: {', '.join(f.slug for f in failed)}.")
        self.stdout.write(self.style.SUCCESS(f"{summary}."))

    def described(self, framework, facts, changes, dry_run):
        released = f", {facts.latest_released_on:%-d %b %Y}" if facts.latest_released_on else ""
        count = facts.releases_last_12_months
        line = (
            f"{framework.slug}: {facts.package} {facts.latest_version}{released} · Python "
            f"{facts.requires_python or '?'} · {count} release{'s' * (count != 1)} in 12 "
            f"months · {facts.licence or 'no licence declared'}"
        )
        if not changes:
            return f"{line} — unchanged"
        prefix = "would change" if dry_run else "changed"
        return f"{line} — {prefix}: " + "; ".join(changes)
