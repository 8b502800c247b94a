"""How well the published cells are sourced: `python manage.py evidence_coverage`.

For each published framework: its cells, how many rest on at least one claim or say they
are "our own reading" in their notes, and how many have a claim from a primary source
(official documentation, release notes, the package registry, a benchmark run) with an
address a visitor can open. `--list` names the cells without one; `--min-primary 90` exits
non-zero when any framework falls below that percentage.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from comparisons.models import Framework, Support

OWN_READING = "our own reading"


def coverage():
    """Per published framework: (name, cells, sourced, primary, cells without primary)."""
    cells = Support.objects.published()
    sourced = set(
        cells.filter(Q(claims__isnull=False) | Q(notes__icontains=OWN_READING)).values_list(
            "pk", flat=True
        )
    )
    primary = set(cells.with_primary_claim().values_list("pk", flat=True))
    rows = []
    for framework in Framework.objects.published().order_by("name"):
        mine = list(
            cells.filter(framework=framework)
            .order_by("feature__category__position", "feature__position")
            .values_list("pk", "feature__slug")
        )
        rows.append(
            (
                framework.name,
                len(mine),
                sum(pk in sourced for pk, _ in mine),
                sum(pk in primary for pk, _ in mine),
                [slug for pk, slug in mine if pk not in primary],
            )
        )
    return rows


def percent(part, whole):
    return 100 * part / whole if whole else 100.0


class Command(BaseCommand):
    help = "Print how many published cells rest on a claim, and on a primary source with a URL."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Name cells without primary.")
        parser.add_argument(
            "--min-primary",
            type=float,
            default=None,
            help="Fail when a framework's share of cells with primary evidence is below this.",
        )

    def handle(self, *args, **options):
        rows = coverage()
        totals = [sum(row[i] for row in rows) for i in (1, 2, 3)]
        self.stdout.write(f"{'framework':<24} {'cells':>5} {'sourced':>9} {'primary+URL':>13}")
        for name, total, sourced, primary, missing in rows:
            self.stdout.write(
                f"{name:<24} {total:>5} {percent(sourced, total):>8.0f}% "
                f"{primary:>4} ({percent(primary, total):>3.0f}%)"
            )
            if options["list"] and missing:
                self.stdout.write(f"    without primary: {', '.join(missing)}")
        total, sourced, primary = totals
        self.stdout.write(
            f"{'all':<24} {total:>5} {percent(sourced, total):>8.0f}% "
            f"{primary:>4} ({percent(primary, total):>3.0f}%)"
        )
        floor = options["min_primary"]
        if floor is not None:
            below = [row[0] for row in rows if percent(row[3], row[1]) < floor]
            if below:
                raise CommandError(f"Below {floor:g}% primary evidence: {', '.join(below)}.")
