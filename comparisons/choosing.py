"""Choose: from what a visitor needs to a ranked, explained, dispute-aware answer.

One method, used by `/choose/` and `/api/v1/choose/` alike, and told in plain words at
`/choose/method/` (its numbers come from here):

- A **must-have** names a capability feature and the lowest level that will do (partial,
  extension or native). A framework meets it, fails it, or — when its cell has no data or
  says *unknown* — neither: it is "unconfirmed", never silently a pass or a fail.
- A **preference** names a capability (nice to have) or one end of a rating feature's own
  scale, with a weight (1–3). It earns `weight × share` points: the share is the cell's place
  on its ordered scale towards the wanted end (none 0, partial ⅓, extension ⅔, native 1 for
  capabilities; evenly spaced points for ratings). An unknown cell earns nothing and is
  counted apart (`unknown_weight`), shown as unknown, with what it could add at best.
- Frameworks that meet every must-have are ranked by points (exact fractions; ties share a
  position and are listed by name); those with an unconfirmed must-have are ranked apart;
  those that fail one are listed apart with the must-have and its evidence.
- **Disputes**: each disputed cell a requirement touches is read, one at a time, as each of
  its sources reads it; where a reading changes who ranks first, or whether a framework
  meets a must-have, a note says so.

`rank()` and `dispute_notes()` are pure (slugs and values in, results out), so the method is
tested without a database; `choose()` reads what they need in a constant number of queries.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from urllib.parse import urlencode

from django.db import models

from .choices import RequirementKind, SupportLevel
from .links import url_pattern
from .matrix import Cell, build_matrix, canonical_slug
from .models import Claim, Feature, Recommendation

# Worst to best: a capability's scale.
LEVEL_SCALE = (
    SupportLevel.NONE,
    SupportLevel.PARTIAL,
    SupportLevel.EXTENSION,
    SupportLevel.NATIVE,
)
# The lowest acceptable level of a must-have, as the form offers it.
MUST_LEVELS = {
    SupportLevel.PARTIAL: "at least partial",
    SupportLevel.EXTENSION: "native or via an extension",
    SupportLevel.NATIVE: "native only",
}
WEIGHTS = {1: "matters a little", 2: "matters", 3: "matters a lot"}
DEFAULT_WEIGHT = 2
MAX_REQUIREMENTS = 60
# The first two are a close call when their points are this share of the possible apart.
CLOSE_CALL_SHARE = Fraction(1, 10)


# The kinds of requirement; defined in `choices` so a use case's preset (a model) shares them.
Kind = RequirementKind


# --- Requirements -------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Requirement:
    """One thing a visitor needs: ordered by feature slug, the canonical order."""

    feature: str  # the feature's slug
    kind: str  # Kind
    level: str = ""  # must: the lowest acceptable level
    end: str = ""  # prefer: the slug of the scale point at the wanted end
    weight: int = 0  # nice and prefer

    @property
    def spelling(self) -> str:
        """How the requirement is written in its query parameter."""
        if self.kind == Kind.MUST:
            return f"{self.feature}:{self.level}"
        if self.kind == Kind.NICE:
            return f"{self.feature}:{self.weight}"
        return f"{self.feature}:{self.end}:{self.weight}"

    @property
    def is_preference(self) -> bool:
        return self.kind != Kind.MUST


def canonical_params(requirements, *, frameworks=None, use_case=None) -> list[tuple[str, str]]:
    """The query parameters of a choice in their one canonical order: frameworks (sorted;
    none means every published one), must, nice, prefer (each sorted by feature), use_case."""
    params = []
    if frameworks:
        params.append(("frameworks", ",".join(sorted(frameworks))))
    for kind in Kind:
        spelt = [r.spelling for r in sorted(requirements) if r.kind == kind]
        if spelt:
            params.append((kind.value, ",".join(spelt)))
    if use_case:
        params.append(("use_case", use_case))
    return params


def canonical_query(requirements, *, frameworks=None, use_case=None) -> str:
    params = canonical_params(requirements, frameworks=frameworks, use_case=use_case)
    return urlencode(params, safe=":,")


def choose_url(requirements, *, frameworks=None, use_case=None) -> str:
    query = canonical_query(requirements, frameworks=frameworks, use_case=use_case)
    url = url_pattern("comparisons:choose")
    return f"{url}?{query}" if query else url


# --- The ranking (pure) -------------------------------------------------------------------


class Outcome(models.TextChoices):
    MEETS = "meets", "Meets it"
    FAILS = "fails", "Fails it"
    UNKNOWN = "unknown", "Unknown"
    SCORED = "scored", "Scored"


class Group(models.TextChoices):
    MEETS = "meets", "Meet every must-have"
    UNCONFIRMED = "unconfirmed", "Might meet the must-haves: some evidence is missing"
    FAILS = "fails", "Fail a must-have"


@dataclass(frozen=True)
class Line:
    """One requirement, for one framework: the reading used and what it gave."""

    requirement: Requirement
    value: str | None  # a level (capabilities) or a scale point's slug (ratings); None: unknown
    outcome: str  # Outcome
    points: Fraction | None = None  # preferences: weight × share; None when unknown


@dataclass
class Standing:
    framework: str
    lines: list[Line]
    group: str = Group.MEETS
    position: int = 0  # within its group; tied frameworks share one
    tied: bool = False

    @cached_property
    def score(self) -> Fraction:
        return sum((line.points for line in self.lines if line.points is not None), Fraction(0))

    @cached_property
    def unknown_weight(self) -> int:
        """The weight of preferences whose cells are unknown: what they could add at best."""
        return sum(
            line.requirement.weight
            for line in self.lines
            if line.requirement.is_preference and line.outcome == Outcome.UNKNOWN
        )

    @property
    def failed(self) -> list[Line]:
        return [line for line in self.lines if line.outcome == Outcome.FAILS]

    @property
    def unconfirmed(self) -> list[Line]:
        return [
            line
            for line in self.lines
            if line.requirement.kind == Kind.MUST and line.outcome == Outcome.UNKNOWN
        ]


@dataclass
class Ranking:
    standings: list[Standing]  # meets (ranked), unconfirmed (ranked), fails (by name)
    possible: int  # the points a framework could earn: the preferences' weights

    def group(self, group) -> list[Standing]:
        return [standing for standing in self.standings if standing.group == group]

    @cached_property
    def first(self) -> frozenset[str]:
        """Who ranks first: the top-scored frameworks meeting every must-have (several when
        tied, none when no framework meets them all)."""
        meeting = self.group(Group.MEETS)
        if not meeting:
            return frozenset()
        top = meeting[0].score
        return frozenset(s.framework for s in meeting if s.score == top)

    @property
    def close_call(self) -> bool:
        """The first two meeting every must-have are tied, or within CLOSE_CALL_SHARE of the
        possible points of each other."""
        meeting = self.group(Group.MEETS)
        if len(meeting) < 2 or not self.possible:
            return False
        return meeting[0].score - meeting[1].score <= CLOSE_CALL_SHARE * self.possible

    def groups_by_framework(self) -> dict[str, str]:
        return {standing.framework: standing.group for standing in self.standings}


def share(requirement: Requirement, value: str | None, scale: Sequence[str]) -> Fraction | None:
    """The cell's place on its ordered scale towards the wanted end: 0 to 1, None if unknown.
    `scale` is a rating feature's point slugs in order (ignored for capabilities)."""
    if value is None:
        return None
    if requirement.kind == Kind.NICE:
        return Fraction(LEVEL_SCALE.index(value), len(LEVEL_SCALE) - 1)
    steps = len(scale) - 1
    if steps == 0:
        return Fraction(1)
    position = scale.index(value)
    return Fraction(position if requirement.end == scale[-1] else steps - position, steps)


def judge(requirement: Requirement, value: str | None, scale: Sequence[str]) -> Line:
    if requirement.kind == Kind.MUST:
        if value is None:
            return Line(requirement, value, Outcome.UNKNOWN)
        meets = LEVEL_SCALE.index(value) >= LEVEL_SCALE.index(requirement.level)
        return Line(requirement, value, Outcome.MEETS if meets else Outcome.FAILS)
    part = share(requirement, value, scale)
    if part is None:
        return Line(requirement, value, Outcome.UNKNOWN)
    return Line(requirement, value, Outcome.SCORED, requirement.weight * part)


def rank(
    frameworks: Iterable[str],
    requirements: Sequence[Requirement],
    values: Mapping[tuple[str, str], str | None],
    scales: Mapping[str, Sequence[str]],
) -> Ranking:
    """Rank `frameworks` (slugs) against `requirements`. `values[(framework, feature)]` is the
    cell's definite reading (a level, or a scale point's slug) or absent/None when unknown;
    `scales[feature]` a rating feature's point slugs, in order."""
    standings = []
    for framework in frameworks:
        lines = [
            judge(requirement, values.get((framework, requirement.feature)),
                  scales.get(requirement.feature, ()))
            for requirement in requirements
        ]  # fmt: skip
        standing = Standing(framework, lines)
        if standing.failed:
            standing.group = Group.FAILS
        elif standing.unconfirmed:
            standing.group = Group.UNCONFIRMED
        standings.append(standing)
    ordered = []
    for group in (Group.MEETS, Group.UNCONFIRMED):
        members = sorted(
            (s for s in standings if s.group == group), key=lambda s: (-s.score, s.framework)
        )
        for index, standing in enumerate(members):
            previous = members[index - 1] if index else None
            if previous is not None and previous.score == standing.score:
                standing.position = previous.position
                standing.tied = previous.tied = True
            else:
                standing.position = index + 1
        ordered.extend(members)
    ordered.extend(
        sorted((s for s in standings if s.group == Group.FAILS), key=lambda s: s.framework)
    )
    possible = sum(r.weight for r in requirements if r.is_preference)
    return Ranking(ordered, possible)


# --- Disputes (pure) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """One source's reading of a disputed cell, where it differs from the verdict."""

    framework: str
    feature: str
    value: str | None
    sources: tuple[str, ...]  # the slugs of the sources that read the cell so


@dataclass
class DisputeNote:
    reading: Reading
    kind: str  # "first": who ranks first changes; "must": who meets a must-have changes
    first: frozenset[str] = frozenset()  # who would rank first
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)  # framework: (now, then)


def dispute_notes(frameworks, requirements, values, scales, readings: Iterable[Reading]):
    """What each alternative reading would change: a note where it changes who ranks first,
    or which group (meets, unconfirmed, fails) a framework is in; none where it changes
    nothing. Each reading is tried on its own, the other cells as Versus reads them."""
    frameworks = list(frameworks)
    base = rank(frameworks, requirements, values, scales)
    groups = base.groups_by_framework()
    notes = []
    for reading in readings:
        changed_values = {**values, (reading.framework, reading.feature): reading.value}
        then = rank(frameworks, requirements, changed_values, scales)
        moved = {
            framework: (groups[framework], group)
            for framework, group in then.groups_by_framework().items()
            if groups[framework] != group
        }
        if moved:
            notes.append(DisputeNote(reading, "must", then.first, moved))
        elif then.first != base.first:
            notes.append(DisputeNote(reading, "first", then.first))
    return base, notes


# --- Reading the database -----------------------------------------------------------------


def definite_value(feature_kind, level, rating_slug) -> str | None:
    """A cell's or claim's reading as the ranking takes it; None when it commits to nothing."""
    if feature_kind == Feature.Kind.RATING:
        return rating_slug or None
    if level in LEVEL_SCALE:
        return level
    return None  # no level, or "unknown"


@dataclass
class Choice:
    """The answer to one request: what `/choose/` shows and `/api/v1/choose/` returns."""

    requirements: list[Requirement]
    frameworks: list  # the Framework records considered
    features: dict  # slug: Feature (with its scale points)
    scales: dict[str, list]  # rating feature slug: its ScalePoints, in order
    cells: dict[tuple[str, str], Cell]
    ranking: Ranking
    notes: list[DisputeNote]
    disputed_cells: list[Cell]  # the disputed cells the requirements touch
    sources: dict[str, object]  # slug: Source, of the readings in `notes`
    use_case: object = None
    recommendations: list = field(default_factory=list)

    @cached_property
    def framework_by_slug(self):
        return {framework.slug: framework for framework in self.frameworks}

    @property
    def compare_url(self) -> str:
        """The matrix of the ranked frameworks (those not failing a must-have, in rank
        order), restricted to the requirements' features; "" with fewer than two."""
        ranked = [
            self.framework_by_slug[s.framework]
            for s in self.ranking.standings
            if s.group != Group.FAILS
        ][:30]
        if len(ranked) < 2:
            return ""
        pattern = url_pattern("comparisons:compare-matrix", spec=None)
        features = ",".join(sorted({r.feature for r in self.requirements}))
        query = urlencode({"features": features}, safe=",")
        return f"{pattern.format(spec=canonical_slug(ranked))}?{query}"


def choose(requirements, frameworks, features, *, use_case=None) -> Choice:
    """Rank the `frameworks` (published Framework records) against `requirements`, whose
    features (`features`, slug: published Feature with `scale_points` prefetched) the form
    has checked. Queries: the cells (two, `build_matrix`), the claims of the disputed cells
    among them (one, when there are any), the use case's recommendations (one, if asked)."""
    scales = {
        slug: sorted(feature.scale_points.all(), key=lambda point: point.value)
        for slug, feature in features.items()
        if feature.kind == Feature.Kind.RATING
    }
    scale_slugs = {slug: [point.slug for point in points] for slug, points in scales.items()}
    matrix = build_matrix(
        frameworks, features=Feature.objects.filter(pk__in=[f.pk for f in features.values()])
    )
    cells = {(cell.framework.slug, cell.feature.slug): cell for cell in matrix.cells}
    values = {
        key: definite_value(
            cell.feature.kind, cell.level, cell.row.rating__slug if cell.exists else None
        )
        for key, cell in cells.items()
    }
    disputed = [cell for cell in cells.values() if cell.disputed]
    readings, sources = alternative_readings(disputed, values)
    slugs = [framework.slug for framework in frameworks]
    ranking, notes = dispute_notes(slugs, requirements, values, scale_slugs, readings)
    recommendations = []
    if use_case is not None:
        recommendations = list(
            Recommendation.objects.published()
            .filter(use_case=use_case)
            .select_related("framework", "source")
            .order_by("framework__name", "source__title")
        )
    return Choice(
        requirements=list(requirements),
        frameworks=list(frameworks),
        features=features,
        scales=scales,
        cells=cells,
        ranking=ranking,
        notes=notes,
        disputed_cells=disputed,
        sources=sources,
        use_case=use_case,
        recommendations=recommendations,
    )


def alternative_readings(disputed: list[Cell], values) -> tuple[list[Reading], dict]:
    """Each disputed cell's readings by its published sources that differ from the verdict,
    one per distinct reading (with every source that reads it so), in a stable order."""
    if not disputed:
        return [], {}
    by_pk = {cell.pk: cell for cell in disputed}
    grouped: dict[tuple[str, str, str | None], list[str]] = {}
    sources = {}
    for claim in Claim.objects.for_cells(list(by_pk)).order_by("source__slug"):
        cell = by_pk[claim.support_id]
        key = (cell.framework.slug, cell.feature.slug)
        value = definite_value(
            cell.feature.kind, claim.level, claim.rating.slug if claim.rating_id else None
        )
        if value is None or value == values.get(key):
            continue
        grouped.setdefault((*key, value), []).append(claim.source.slug)
        sources[claim.source.slug] = claim.source
    readings = [
        Reading(framework, feature, value, tuple(slugs))
        for (framework, feature, value), slugs in sorted(grouped.items())
    ]
    return readings, sources
