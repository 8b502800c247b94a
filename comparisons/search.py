"""The search page: every kind of published record, each found by its QuerySet's one
`search()` (the API's `?search=` uses the same), grouped by kind, best match first, each
with a snippet that marks the words found.

One query per kind, and one for the frameworks a query names ("flask vs fastapi" offers
that comparison), whatever the size of the knowledge base.
"""

import re
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString

from .models import Claim, Feature, Framework, Point, Recommendation, Source, Support, UseCase

RESULTS_PER_KIND = 10
SNIPPET_CONTEXT = 90  # characters each side of the first word found


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    snippet: SafeString
    note: str = ""  # e.g. the category of a feature, the kind of a source


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    results: list[Result]
    more: bool  # more matched than are shown


# (key, label, the published records of the kind, how one reads as a result).
KINDS = [
    (
        "frameworks",
        "Frameworks",
        lambda: Framework.objects.published(),
        lambda f, words: Result(
            f.name, f.get_absolute_url(), snippet(words, f.tagline, f.summary), f.get_kind_display()
        ),
    ),
    (
        "features",
        "Features",
        lambda: Feature.objects.published().select_related("category"),
        lambda f, words: Result(
            f.name, f.get_absolute_url(), snippet(words, f.description), f"in {f.category.name}"
        ),
    ),
    (
        "cells",
        "Cells",
        lambda: Support.objects.published().select_related("framework", "feature"),
        lambda c, words: Result(
            f"{c.framework.name} × {c.feature.name}",
            c.get_absolute_url(),
            snippet(words, c.summary, c.packages, c.notes),
        ),
    ),
    (
        "claims",
        "What sources say",
        lambda: Claim.objects.published().select_related(
            "source", "support__framework", "support__feature"
        ),
        lambda c, words: Result(
            f"{c.support.framework.name} × {c.support.feature.name}",
            c.support.get_absolute_url(),
            snippet(words, c.statement),
            f"from {c.source.title}",
        ),
    ),
    (
        "sources",
        "Sources",
        lambda: Source.objects.published(),
        lambda s, words: Result(
            s.title,
            s.get_absolute_url(),
            snippet(words, s.summary, s.conclusion),
            s.get_kind_display(),
        ),
    ),
    (
        "points",
        "Strengths and weaknesses",
        lambda: Point.objects.published().select_related("framework"),
        lambda p, words: Result(
            f"{p.framework.name}: {p.get_kind_display().lower()}",
            p.framework.get_absolute_url(),
            snippet(words, p.text),
        ),
    ),
    (
        "use_cases",
        "Use cases",
        lambda: UseCase.objects.published(),
        lambda u, words: Result(u.name, u.get_absolute_url(), snippet(words, u.description)),
    ),
    (
        "recommendations",
        "Recommendations",
        lambda: Recommendation.objects.published().select_related("use_case", "framework"),
        lambda r, words: Result(
            f"{r.framework.name} for {r.use_case.name}",
            r.use_case.get_absolute_url(),
            snippet(words, r.rationale),
        ),
    ),
]


def search_everything(query: str) -> list[Group]:
    """The groups that found something: first those whose best result is named by the query
    (its title holds a word of it: 'admin' puts the Admin interface feature first), then
    the rest, each in KINDS' order. Ranks of different kinds are not comparable; a name is."""
    words = query.split()
    groups = []
    for key, label, published, result in KINDS:
        found = list(published().search(query)[: RESULTS_PER_KIND + 1])
        if found:
            shown = found[:RESULTS_PER_KIND]
            groups.append(Group(key, label, [result(record, words) for record in shown],
                                more=len(found) > RESULTS_PER_KIND))  # fmt: skip
    named = word_pattern(words)
    return sorted(groups, key=lambda group: named.search(group.results[0].title) is None)


def word_pattern(words):
    """A word of the query, or one that starts like it (PostgreSQL's stemming finds
    'microservice' for 'microservices')."""
    stems = [re.escape(word[: max(4, len(word) - 2)]) for word in words if word.strip()]
    return re.compile(r"\b(?:" + "|".join(stems) + r")\w*", re.IGNORECASE)


def named_frameworks(query: str) -> list[Framework]:
    """The published frameworks a query names by name or slug ("flask vs fastapi"), in
    canonical order; a longer name wins over a shorter one inside it (Django REST Framework
    over Django)."""
    text = " " + re.sub(r"[^a-z0-9]+", " ", query.lower()) + " "
    named = []
    frameworks = Framework.objects.published().only("slug", "name", "kind", "interface")
    spellings = sorted(
        ((spelling, framework) for framework in frameworks
         for spelling in {framework.name.lower(), framework.slug.replace("-", " ")}),
        key=lambda pair: -len(pair[0]),
    )  # fmt: skip
    for spelling, framework in spellings:
        spelled = " " + re.sub(r"[^a-z0-9]+", " ", spelling).strip() + " "
        if spelled in text:
            text = text.replace(spelled, " ")
            if framework not in named:
                named.append(framework)
    return named


def snippet(words, *texts) -> SafeString:
    """The text around the first word found, escaped, each found word (or a word that
    starts like it: PostgreSQL finds 'microservice' for 'microservices') in <mark>."""
    text = " · ".join(" ".join(t.split()) for t in texts if t and t.strip())
    if not text:
        return SafeString("")
    pattern = word_pattern(words) if any(word.strip() for word in words) else None
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - SNIPPET_CONTEXT) if first else 0
    end = min(len(text), (first.end() if first else 0) + SNIPPET_CONTEXT * 2)
    window = text[start:end]
    parts, last = [], 0
    for match in pattern.finditer(window) if pattern else ():
        parts.append(escape(window[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(window[last:]))
    return SafeString(("… " if start else "") + "".join(parts) + (" …" if end < len(text) else ""))
