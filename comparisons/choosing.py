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
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property, lru_cache
from html import escape
from urllib.parse import urlencode

from django.db import models
from django.utils.safestring import SafeString

from .choices import RequirementKind, SupportLevel
from .links import url_pattern
from .matrix import Cell, build_matrix, canonical_slug, cell_reference_html
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
    params, requirements = [], sorted(requirements)
    if frameworks:
        params.append(("frameworks", ",".join(sorted(frameworks))))
    for kind in Kind:
        spelt = [r.spelling for r in requirements if r.kind == kind]
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


@dataclass(frozen=True)
class Standing:
    """One framework against the requirements: its lines, and where they put it."""

    framework: str
    lines: tuple[Line, ...]
    position: int = 0  # within its group, once ranked; tied frameworks share one
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

    @cached_property
    def group(self) -> str:
        if self.failed:
            return Group.FAILS
        return Group.UNCONFIRMED if self.unconfirmed else Group.MEETS


@dataclass
class Ranking:
    standings: list[Standing]  # meets (ranked), unconfirmed (ranked), fails (by name)
    possible: int  # the points a framework could earn: the preferences' weights

    def group(self, group) -> list[Standing]:
        return [standing for standing in self.standings if standing.group == group]

    @cached_property
    def first(self) -> frozenset[str]:
        return leaders(self.standings)

    @property
    def close_call(self) -> bool:
        """The first two meeting every must-have are tied, or within CLOSE_CALL_SHARE of the
        possible points of each other."""
        meeting = self.group(Group.MEETS)
        if len(meeting) < 2 or not self.possible:
            return False
        return meeting[0].score - meeting[1].score <= CLOSE_CALL_SHARE * self.possible


def leaders(standings: Iterable[Standing]) -> frozenset[str]:
    """Who ranks first: the top-scored frameworks meeting every must-have (several when tied,
    none when no framework meets them all)."""
    meeting = [standing for standing in standings if standing.group == Group.MEETS]
    if not meeting:
        return frozenset()
    top = max(standing.score for standing in meeting)
    return frozenset(standing.framework for standing in meeting if standing.score == top)


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


@lru_cache(maxsize=4096)
def judge(requirement: Requirement, value: str | None, scale: tuple[str, ...]) -> Line:
    """What a reading gives for a requirement (`scale`: a rating's point slugs, in order).
    The same few (requirement, reading) pairs recur across every framework and reading."""
    if requirement.kind == Kind.MUST:
        if value is None:
            return Line(requirement, value, Outcome.UNKNOWN)
        meets = LEVEL_SCALE.index(value) >= LEVEL_SCALE.index(requirement.level)
        return Line(requirement, value, Outcome.MEETS if meets else Outcome.FAILS)
    part = share(requirement, value, scale)
    if part is None:
        return Line(requirement, value, Outcome.UNKNOWN)
    return Line(requirement, value, Outcome.SCORED, requirement.weight * part)


def assess(framework, requirements, values, scales) -> Standing:
    """One framework's line for each requirement (see `rank()` for the arguments)."""
    return Standing(
        framework,
        tuple(
            judge(requirement, values.get((framework, requirement.feature)),
                  scales.get(requirement.feature, ()))
            for requirement in requirements
        ),
    )  # fmt: skip


def order(standings: Iterable[Standing], requirements) -> Ranking:
    """Rank assessed frameworks: those meeting every must-have by points, then those with an
    unconfirmed must-have by points (ties share a position, listed by name), then those
    failing one, by name."""
    standings = list(standings)
    ordered = []
    for group in (Group.MEETS, Group.UNCONFIRMED):
        members = sorted(
            (s for s in standings if s.group == group), key=lambda s: (-s.score, s.framework)
        )
        scores = [s.score for s in members]
        for standing in members:
            position = scores.index(standing.score) + 1  # the first with this score
            tied = scores.count(standing.score) > 1
            ordered.append(replace(standing, position=position, tied=tied))
    ordered.extend(
        sorted((s for s in standings if s.group == Group.FAILS), key=lambda s: s.framework)
    )
    possible = sum(r.weight for r in requirements if r.is_preference)
    return Ranking(ordered, possible)


def rank(
    frameworks: Iterable[str],
    requirements: Sequence[Requirement],
    values: Mapping[tuple[str, str], str | None],
    scales: Mapping[str, Sequence[str]],
) -> Ranking:
    """Rank `frameworks` (slugs) against `requirements`. `values[(framework, feature)]` is the
    cell's definite reading (a level, or a scale point's slug) or absent/None when unknown;
    `scales[feature]` a rating feature's point slugs, in order."""
    scales = {feature: tuple(points) for feature, points in scales.items()}
    return order((assess(f, requirements, values, scales) for f in frameworks), requirements)


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
    """The ranking, and what each alternative reading would change (`notes_on`)."""
    base = rank(frameworks, requirements, values, scales)
    return base, notes_on(base, requirements, scales, readings)


def notes_on(base: Ranking, requirements, scales, readings: Iterable[Reading]):
    """What each alternative reading would change: a note where it changes who ranks first,
    or which group (meets, unconfirmed, fails) its framework is in; none where it changes
    nothing. Each reading is tried on its own, the other cells as Versus reads them: only
    that cell's line is judged again."""
    features = [requirement.feature for requirement in requirements]  # one each
    scales = {feature: tuple(points) for feature, points in scales.items()}
    assessed = {standing.framework: standing for standing in base.standings}
    notes = []
    for reading in readings:
        now = assessed[reading.framework]
        at = features.index(reading.feature)
        line = judge(requirements[at], reading.value, scales.get(reading.feature, ()))
        then = replace(now, lines=(*now.lines[:at], line, *now.lines[at + 1 :]))
        first = leaders({**assessed, reading.framework: then}.values())
        if then.group != now.group:
            moved = {reading.framework: (now.group, then.group)}
            notes.append(DisputeNote(reading, "must", first, moved))
        elif first != base.first:
            notes.append(DisputeNote(reading, "first", first))
    return notes


def open_to_doubt(ranking: Ranking, cells: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (framework, feature) cells whose reading could change the answer: not those of a
    framework failing a must-have on another feature, which fails whatever the cell says
    and so can neither lead nor change group. Their claims need not be read."""
    failed_on = {
        s.framework: {line.requirement.feature for line in s.failed} for s in ranking.standings
    }
    return [(framework, feature) for framework, feature in cells
            if not failed_on[framework] - {feature}]  # fmt: skip


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
    sources: dict[str, str]  # slug: title, of the sources of the readings in `notes`
    use_case: object = None
    recommendations: list = field(default_factory=list)
    chosen_frameworks: list[str] = field(default_factory=list)  # as asked; [] for all

    @cached_property
    def words(self) -> "Wording":
        return Wording(self)

    @cached_property
    def framework_by_slug(self):
        return {framework.slug: framework for framework in self.frameworks}

    @property
    def compare_url(self) -> str:
        """The matrix of the ranked frameworks (those not failing a must-have, in rank
        order), restricted to the requirements' features; "" with fewer than two."""
        from .forms import MAX_FRAMEWORKS  # forms imports this module

        ranked = [
            self.framework_by_slug[s.framework]
            for s in self.ranking.standings
            if s.group != Group.FAILS
        ][:MAX_FRAMEWORKS]
        if len(ranked) < 2:
            return ""
        pattern = url_pattern("comparisons:compare-matrix", spec=None)
        features = ",".join(sorted({r.feature for r in self.requirements}))
        query = urlencode({"features": features}, safe=",")
        return f"{pattern.format(spec=canonical_slug(ranked))}?{query}"


def choose(requirements, frameworks, features, *, use_case=None, chosen=()) -> Choice:
    """Rank the `frameworks` (published Framework records) against `requirements`, whose
    features (`features`, slug: published Feature with `scale_points` prefetched) the form
    has checked. Queries: the cells (two, `build_matrix`), the claims of the disputed cells
    among them (one, when there are any), the use case's recommendations (one, if asked)."""
    scales = {
        slug: sorted(feature.scale_points.all(), key=lambda point: point.value)
        for slug, feature in features.items()
        if feature.kind == Feature.Kind.RATING
    }
    scale_slugs = {slug: tuple(point.slug for point in points) for slug, points in scales.items()}
    matrix = build_matrix(frameworks, features=list(features.values()))
    cells = {(cell.framework.slug, cell.feature.slug): cell for cell in matrix.cells}
    values = {
        key: definite_value(cell.feature.kind, cell.row.level, cell.row.rating__slug)
        for key, cell in cells.items()
        if cell.row is not None  # no cell: no data
    }
    disputed = [cell for cell in cells.values() if cell.disputed]
    slugs = [framework.slug for framework in frameworks]
    ranking = rank(slugs, requirements, values, scale_slugs)
    doubtful = open_to_doubt(
        ranking, [(cell.framework.slug, cell.feature.slug) for cell in disputed]
    )
    readings, sources = alternative_readings([cells[key] for key in doubtful], values)
    notes = notes_on(ranking, requirements, scale_slugs, readings)
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
        chosen_frameworks=list(chosen),
    )


def choose_for(data) -> Choice:
    """The Choice of a valid `ChooseForm`'s cleaned data: the page's and the API's."""
    return choose(
        data["requirements"],
        data["frameworks"],
        data["features"],
        use_case=data["use_case"],
        chosen=data["chosen_frameworks"],
    )


def alternative_readings(disputed: list[Cell], values) -> tuple[list[Reading], dict]:
    """Each disputed cell's readings by its published sources that differ from the verdict,
    one per distinct reading (with every source that reads it so), in a stable order."""
    if not disputed:
        return [], {}
    by_pk = {cell.pk: cell for cell in disputed}
    grouped: dict[tuple[str, str, str | None], list[str]] = {}
    sources = {}
    claims = Claim.objects.for_cells(list(by_pk)).order_by("source__slug")
    for support_id, level, rating_slug, source_slug, source_title in claims.values_list(
        "support_id", "level", "rating__slug", "source__slug", "source__title"
    ):
        cell = by_pk[support_id]
        key = (cell.framework.slug, cell.feature.slug)
        value = definite_value(cell.feature.kind, level, rating_slug)
        if value is None or value == values.get(key):
            continue
        grouped.setdefault((*key, value), []).append(source_slug)
        sources[source_slug] = source_title
    readings = [
        Reading(framework, feature, value, tuple(slugs))
        for (framework, feature, value), slugs in sorted(grouped.items())
    ]
    return readings, sources


# --- The answer in words: one wording for the page and the API ----------------------------


def points_text(points: Fraction) -> str:
    """4.67, 5, 0.5: two decimals at most."""
    return f"{float(points):.2f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=4096)
def gives_text(line: Line) -> str:
    """What a line gives, as the breakdown's last column says it: '1.33 of 2', 'Meets it'."""
    if line.points is not None:
        return f"{points_text(line.points)} of {line.requirement.weight}"
    return Outcome(line.outcome).label


def names_text(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def titles_text(titles: Sequence[str]) -> str:
    """Sources' titles in quotes (a title may hold commas): “A”, “B” and “C”."""
    return names_text([f"\u201c{title}\u201d" for title in titles])


def ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


FIT_PHRASES = {
    Recommendation.Fit.RECOMMENDED: "recommended by",
    Recommendation.Fit.SUITABLE: "called suitable by",
    Recommendation.Fit.NOT_RECOMMENDED: "advised against by",
}
GROUP_PHRASES = {
    Group.MEETS: "meet every must-have",
    Group.UNCONFIRMED: "have a must-have the evidence cannot confirm",
    Group.FAILS: "fail a must-have",
}


class Wording:
    """The sentences of a Choice. Both surfaces show these strings as they are."""

    def __init__(self, choice: "Choice"):
        self.choice = choice

    def framework(self, slug) -> str:
        return self.choice.framework_by_slug[slug].name

    def frameworks(self, slugs) -> str:
        return names_text(sorted(self.framework(slug) for slug in slugs))

    def feature(self, slug) -> str:
        return self.choice.features[slug].name

    def reading(self, feature_slug, value) -> str:
        if value is None:
            return "Unknown"
        points = self.choice.scales.get(feature_slug)
        if points is not None:
            return next(point.label for point in points if point.slug == value)
        return SupportLevel(value).label

    def requirement(self, requirement: Requirement) -> str:
        if requirement.kind == Kind.MUST:
            return f"Must have: {MUST_LEVELS[requirement.level]}"
        weight = (
            f"{WEIGHTS[requirement.weight]} (×{requirement.weight})"
            if requirement.weight in WEIGHTS
            else f"×{requirement.weight}"
        )
        if requirement.kind == Kind.NICE:
            return f"Nice to have: {weight}"
        return f"Prefer {self.reading(requirement.feature, requirement.end)}: {weight}"

    def leader(self, first, *, would=False) -> str:
        if not first:
            return f"no framework {'would meet' if would else 'meets'} every must-have"
        if len(first) == 1:
            return f"{self.frameworks(first)} {'would rank' if would else 'ranks'} first"
        return f"{self.frameworks(first)} {'would share' if would else 'share'} first place"

    def sources(self, slugs) -> str:
        return titles_text([self.choice.sources[slug] for slug in slugs])

    def note(self, note: DisputeNote) -> str:
        reading = note.reading
        # The feature's name as written ("ORM", "WebSockets"), not lower-cased.
        cell = f"{self.framework(reading.framework)}'s {self.feature(reading.feature)}"
        as_read = (
            f"as {self.sources(reading.sources)} read{'s' if len(reading.sources) == 1 else ''} "
            f"it ({self.reading(reading.feature, reading.value).lower()})"
        )
        base = self.choice.ranking.first
        if note.kind == "first":
            now = self.leader(base)
            then = self.leader(note.first, would=True)
            return f"{now[0].upper()}{now[1:]} unless {cell} is read {as_read}: then {then}."
        moves = "; ".join(
            f"{self.framework(framework)} would {GROUP_PHRASES[then]}"
            for framework, (_, then) in sorted(note.changed.items())
        )
        text = f"If {cell} is read {as_read}, {moves}"
        if note.first != base:
            text += f", and {self.leader(note.first, would=True)}"
        return f"{text}."

    def close_call(self) -> str:
        ranking = self.choice.ranking
        if not ranking.close_call:
            return ""
        first, second = ranking.group(Group.MEETS)[:2]
        if first.score == second.score:
            return (
                f"A close call: {self.frameworks(ranking.first)} have the same points "
                f"({points_text(first.score)} of {ranking.possible}); tied frameworks are "
                "listed by name."
            )
        gap = first.score - second.score
        return (
            f"A close call: {self.framework(second.framework)} is {points_text(gap)} "
            f"point{'' if gap == 1 else 's'} behind {self.framework(first.framework)}, out of "
            f"{ranking.possible} possible."
        )

    def disputes(self) -> str:
        """A calm line on the disputed cells the requirements touch."""
        count = len(self.choice.disputed_cells)
        if not count:
            return ""
        cells = f"{count} of the cells these requirements touch"
        if not self.choice.notes:
            return (
                f"The sources disagree on {cells}. No single source's reading of "
                "them would change who ranks first or who meets the must-haves."
            )
        changing = len({(n.reading.framework, n.reading.feature) for n in self.choice.notes})
        return (
            f"The sources disagree on {cells}; how {changing} of them "
            f"{'is' if changing == 1 else 'are'} read could change the answer:"
        )

    def headline(self) -> str:
        ranking = self.choice.ranking
        meeting = ranking.group(Group.MEETS)
        if not meeting:
            unconfirmed = ranking.group(Group.UNCONFIRMED)
            if unconfirmed:
                return (
                    "No framework is known to meet every must-have; "
                    f"{len(unconfirmed)} might, where the evidence is missing."
                )
            return "No framework meets every must-have."
        top = self.leader(ranking.first)
        return f"{top[0].upper()}{top[1:]}, with {self.standing(meeting[0])}."

    def standing(self, standing: Standing) -> str:
        ranking = self.choice.ranking
        text = f"{points_text(standing.score)} of {ranking.possible} points"
        if standing.unknown_weight:
            best = standing.score + standing.unknown_weight
            text += f" (up to {points_text(best)} if its unknown cells turn out well)"
        return text

    def recommendations(self) -> list[str]:
        """What the sources recommend for the use case, beside the computed ranking."""
        choice = self.choice
        if choice.use_case is None:
            return []
        by_framework: dict[str, dict[str, list]] = {}
        for recommendation in choice.recommendations:
            fits = by_framework.setdefault(recommendation.framework.slug, {})
            fits.setdefault(recommendation.fit, []).append(recommendation.source.title)
        standings = {s.framework: s for s in choice.ranking.standings}
        lines = []
        for slug, fits in sorted(by_framework.items()):
            name = self.framework(slug) if slug in choice.framework_by_slug else slug
            said = "; ".join(
                f"{FIT_PHRASES[fit]} {titles_text(titles)}" for fit, titles in fits.items()
            )
            standing = standings.get(slug)
            if standing is None:
                here = "it is not among the frameworks considered here"
            elif standing.group == Group.FAILS:
                here = "here it fails a must-have"
            elif standing.group == Group.UNCONFIRMED:
                position = ordinal(standing.position)
                here = f"here it ranks {position} of those whose must-haves are unconfirmed"
            else:
                here = f"here it ranks {ordinal(standing.position)}"
            first = standing is not None and slug in choice.ranking.first
            # The strongest fit a source gives decides what agreeing means: recommended, it
            # ranks first; suitable, it meets every must-have; advised against, it is not first.
            strongest = next(fit for fit in Recommendation.Fit if fit in fits)
            if strongest == Recommendation.Fit.RECOMMENDED:
                agree = first
            elif strongest == Recommendation.Fit.SUITABLE:
                agree = standing is not None and standing.group == Group.MEETS
            else:
                agree = not first
            verdict = "They agree" if agree else "They differ"
            lines.append(f"{name}: {said}; {here}. {verdict}.")
        return lines


# --- The answer as data: what the page draws and the API returns --------------------------


def presented(choice: Choice, *, every_line=True) -> dict:
    """The whole answer as plain data, worded: the page renders it and the API serializes
    it, so the two cannot say different things. Cells are `matrix.Cell`s (the page draws
    them with `cell_reference_html`, the API takes their reading and counts). The page,
    which shows a failing framework's failed lines only, asks for no others
    (`every_line=False`)."""
    words = choice.words
    ranking = choice.ranking
    requirements = [
        {
            "feature": r.feature,
            "feature_name": words.feature(r.feature),
            "kind": r.kind,
            "level": r.level,
            "end": r.end,
            "weight": r.weight or None,
            "text": words.requirement(r),
        }
        for r in choice.requirements
    ]
    described: dict[Line, dict] = {}  # the same few lines recur across frameworks

    def describe(line: Line) -> dict:
        found = described.get(line)
        if found is None:
            feature = line.requirement.feature
            found = described[line] = {
                "feature": feature,
                "feature_name": words.feature(feature),
                "requirement": words.requirement(line.requirement),
                "kind": line.requirement.kind,
                "outcome": line.outcome,
                "reading": words.reading(feature, line.value),
                "points": None if line.points is None else float(line.points),
                "gives": gives_text(line),
                "weight": line.requirement.weight or None,
            }
        return found

    standings = []
    for standing in ranking.standings:
        framework = choice.framework_by_slug[standing.framework]
        cells = choice.cells
        failing = standing.group == Group.FAILS
        lines = [
            {**describe(line), "cell": cells[(standing.framework, line.requirement.feature)]}
            for line in (standing.failed if failing and not every_line else standing.lines)
        ]
        standings.append(
            {
                "framework": framework,
                "group": standing.group,
                "position": standing.position if standing.group != Group.FAILS else None,
                "tied": standing.tied,
                "score": float(standing.score),
                "score_exact": str(standing.score),
                "unknown_weight": standing.unknown_weight,
                "summary": words.standing(standing),
                "failed": [line.requirement.feature for line in standing.failed],
                "unconfirmed": [line.requirement.feature for line in standing.unconfirmed],
                "lines": lines,
                # The page shows a failing framework's failed lines: the must-have and its
                # evidence; the API gives every line.
                "shown_lines": [line for line in lines if line["outcome"] == Outcome.FAILS]
                if failing
                else lines,
            }
        )
    notes = []
    for note in choice.notes:
        reading = note.reading
        notes.append(
            {
                "text": words.note(note),
                "kind": note.kind,
                "framework": reading.framework,
                "feature": reading.feature,
                "reading": words.reading(reading.feature, reading.value),
                "sources": list(reading.sources),
                "first": sorted(note.first),
                "cell": choice.cells[(reading.framework, reading.feature)],
            }
        )
    return {
        "query": canonical_query(
            choice.requirements,
            frameworks=choice.chosen_frameworks,
            use_case=choice.use_case.slug if choice.use_case else None,
        ),
        "requirements": requirements,
        "possible": ranking.possible,
        "first": sorted(ranking.first),
        "groups": {group.value: [s for s in standings if s["group"] == group] for group in Group},
        "standings": standings,
        "headline": words.headline(),
        "close_call": words.close_call(),
        "disputes": words.disputes(),
        "notes": notes,
        "use_case": choice.use_case,
        "recommendations": words.recommendations(),
        "compare_url": choice.compare_url,
    }


# --- The standings as HTML ----------------------------------------------------------------

GROUP_TITLES = {
    Group.MEETS: "Meet every must-have",
    Group.UNCONFIRMED: "Might meet the must-haves: the evidence is missing",
}
UNCONFIRMED_NOTE = (
    '<p class="muted">Their cells for a must-have have no data or say &ldquo;unknown&rdquo;: '
    "they are neither passed nor failed, and ranked here apart.</p>"
)
RANKED_HEAD = (
    '<thead><tr><th scope="col">Feature</th><th scope="col">You asked</th>'
    '<th scope="col">The cell</th><th scope="col">Gives</th></tr></thead>'
)
FAILING_HEAD = (
    '<thead><tr><th scope="col">Framework</th><th scope="col">Feature</th>'
    '<th scope="col">You asked</th><th scope="col">The cell</th></tr></thead>'
)


def standings_html(answer: dict) -> SafeString:
    """The answer's standings as the page shows them: the ranked groups, each framework with
    a line per requirement, then one table of those failing a must-have. Written here, as
    the compare page's rows are: the same HTML from `partials/_standings.html` (the plain
    path, which `tests/comparisons/test_choose.py` holds this to, byte for byte) takes
    5.5 ms of CPU for 30 frameworks on 10 requirements, this 1.1 ms: 4.8x
    (docs/performance.md)."""
    parts = []
    for group, standings in answer["groups"].items():
        if not standings or group == Group.FAILS:
            continue
        parts.append(
            f'<section class="standing-group group-{group}" aria-labelledby="group-{group}">'
            f'<h3 id="group-{group}">{GROUP_TITLES[group]} <span class="count">'
            f"{len(standings)}</span></h3>{UNCONFIRMED_NOTE if group == Group.UNCONFIRMED else ''}"
            '<ol class="standings">'
        )
        for standing in standings:
            framework, position = standing["framework"], standing["position"]
            tied = standing["tied"]
            parts.append(
                f'<li class="standing card" data-framework="{escape(framework.slug)}" '
                f'data-group="{group}" data-position="{position}"><h4 class="standing-head">'
                f'<span class="standing-position" aria-label="Position {position}'
                f'{", tied" if tied else ""}">{"=" if tied else ""}{position}</span>'
                f'<a href="{escape(framework.get_absolute_url())}">{escape(framework.name)}</a>'
                f'<span class="standing-score" data-score="{escape(standing["score_exact"])}">'
                f'{escape(standing["summary"])}</span></h4><div class="table-scroll">'
                f'<table class="breakdown">{RANKED_HEAD}<tbody>'
            )
            parts.extend(
                f'<tr data-outcome="{line["outcome"]}"><th scope="row">'
                f"{escape(line['feature_name'])}</th><td>{escape(line['requirement'])}</td>"
                f'<td>{cell_reference_html(line["cell"])}</td><td class="number">'
                f"{escape(line['gives'])}</td></tr>"
                for line in standing["shown_lines"]
            )
            parts.append("</tbody></table></div></li>")
        parts.append("</ol></section>")
    failing = answer["groups"][Group.FAILS]
    if failing:
        parts.append(
            '<section class="standing-group group-fails" aria-labelledby="group-fails">'
            f'<h3 id="group-fails">Fail a must-have <span class="count">{len(failing)}</span>'
            '</h3><p class="muted">Each with the must-have it fails and the cell that says '
            f'so.</p><div class="table-scroll"><table class="breakdown">{FAILING_HEAD}<tbody>'
        )
        for standing in failing:
            framework, lines = standing["framework"], standing["shown_lines"]
            for index, line in enumerate(lines):
                head = ""
                if index == 0:
                    head = (
                        f'<th scope="row" rowspan="{len(lines)}" '
                        f'data-framework="{escape(framework.slug)}"><a href="'
                        f'{escape(framework.get_absolute_url())}">{escape(framework.name)}</a></th>'
                    )
                parts.append(
                    f'<tr data-outcome="fails">{head}<td>{escape(line["feature_name"])}</td>'
                    f"<td>{escape(line['requirement'])}</td>"
                    f"<td>{cell_reference_html(line['cell'])}</td></tr>"
                )
        parts.append("</tbody></table></div></section>")
    return SafeString("".join(parts))
