"""Check the published knowledge base: `python manage.py check_knowledge_base`.

Prints, per published framework: its published cells; how many rest on a claim from a
primary source (official documentation, release notes, the package registry, a benchmark
run) with an address a visitor can open; its claims whose source has no address; and the
sources about it without a kind. Then it fails (exit 1, naming each) when

- a published cell has no claim from a published source and does not say in its notes that
  it is "our own reading": a verdict nobody stands behind;
- a source's address is malformed (not an absolute http(s) URL): a link a visitor cannot open;
- with `--min-primary N`, a framework's share of cells with primary evidence is below N %.

`--list` names each framework's cells without primary evidence. CI runs it after loading the
shipped knowledge base (`.ci/run`); editors can run it on the live database at any time.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from comparisons.choices import SourceKind
from comparisons.models import Claim, Framework, Source, Support

is_url = URLValidator(schemes=["http", "https"])


def coverage():
    """One row per published framework, by name: a dict with its name, slug, cells, primary
    (cells with primary evidence), claims_without_url, sources_without_kind, and
    without_primary (feature slugs of its cells without primary evidence, in matrix order)."""
    cells = Support.objects.published()
    primary = set(cells.with_primary_claim().values_list("pk", flat=True))
    claims = Claim.objects.published()
    kinds = SourceKind.values
    rows = []
    for framework in Framework.objects.published():
        mine = list(
            cells.filter(framework=framework)
            .order_by("feature__category__position", "feature__position")
            .values_list("pk", "feature__slug")
        )
        about = Source.objects.filter(frameworks=framework) | Source.objects.filter(
            claims__support__framework=framework
        )
        rows.append(
            {
                "name": framework.name,
                "slug": framework.slug,
                "cells": len(mine),
                "primary": sum(pk in primary for pk, _ in mine),
                "claims_without_url": claims.filter(
                    support__framework=framework, source__url=""
                ).count(),
                "sources_without_kind": about.exclude(kind__in=kinds).distinct().count(),
                "without_primary": [slug for pk, slug in mine if pk not in primary],
            }
        )
    return rows


def unsourced_cells():
    """Published cells no source stands behind (`SupportQuerySet.unbacked`), as
    "framework/feature"."""
    bare = Support.objects.published().unbacked().order_by("framework__slug", "feature__slug")
    return [f"{framework}/{feature}" for framework, feature in
            bare.values_list("framework__slug", "feature__slug")]  # fmt: skip


def malformed_urls():
    """Sources whose address is set but is not an absolute http(s) URL, as "slug: url"."""
    bad = []
    for slug, url in Source.objects.exclude(url="").order_by("slug").values_list("slug", "url"):
        try:
            is_url(url)
        except ValidationError:
            bad.append(f"{slug}: {url!r}")
    return bad


def percent(part, whole):
    return 100 * part / whole if whole else 100.0


class Command(BaseCommand):
    help = (
        "Per published framework: cells, cells with a primary source, claims without a URL, "
        "sources without a kind; fails on an unsourced published cell or a malformed URL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="Name each framework's cells without primary."
        )
        parser.add_argument(
            "--min-primary",
            type=float,
            default=None,
            metavar="PERCENT",
            help="Also fail when a framework's share of cells with primary evidence is lower.",
        )

    def handle(self, *args, **options):
        rows = coverage()
        self.stdout.write(
            f"{'framework':<24} {'cells':>5} {'primary+URL':>13} {'claims w/o URL':>15} "
            f"{'sources w/o kind':>17}"
        )
        for row in rows:
            self.stdout.write(self.line(row["name"], row))
            if options["list"] and row["without_primary"]:
                self.stdout.write(f"    without primary: {', '.join(row['without_primary'])}")
        totals = {key: sum(row[key] for row in rows) for key in
                  ("cells", "primary", "claims_without_url", "sources_without_kind")}  # fmt: skip
        self.stdout.write(self.line("all", totals))

        problems = [f"published cell without a source: {cell}" for cell in unsourced_cells()]
        problems += [f"malformed source URL: {source}" for source in malformed_urls()]
        floor = options["min_primary"]
        if floor is not None:
            problems += [
                f"{row['name']}: {percent(row['primary'], row['cells']):.0f}% of cells with "
                f"primary evidence, below {floor:g}%"
                for row in rows
                if percent(row["primary"], row["cells"]) < floor
            ]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"The knowledge base fails {len(problems)} check(s); see above.")
        self.stdout.write(
            self.style.SUCCESS(
                "OK: every published cell rests on a source or says it is our own reading; "
                "every source URL is well-formed."
            )
        )

    @staticmethod
    def line(name, row):
        share = percent(row["primary"], row["cells"])
        return (
            f"{name:<24} {row['cells']:>5} {row['primary']:>6} ({share:>3.0f}%) "
            f"{row['claims_without_url']:>15} {row['sources_without_kind']:>17}"
        )
