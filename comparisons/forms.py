"""The compare request's parameters, read by one form for the compare page and the API alike.

Both take the same values and refuse the same ones with the same messages: the page shows
them on its 400 (or 404) page, the API puts them in its JSON error.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from . import choosing
from .matrix import canonical_order
from .models import Feature, FeatureCategory, Framework, UseCase

MAX_FRAMEWORKS = 30  # the benchmark measures 30 columns; beyond that a table stops being readable
# Longer than 30 of the longest slugs: not a list of names; refused before it costs anything.
MAX_PARAMETER_LENGTH = 2500
MAX_FEATURES = 300  # the benchmark's largest knowledge base: a chosen few, or all of them
# 300 of the longest slugs with their commas (a URI is cut at MAX_URI_LENGTH before that).
MAX_FEATURES_LENGTH = MAX_FEATURES * 81
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("", "0", "false", "no", "off")
# What the page shows of a framework, and the API's compare endpoint: the rest of the record
# would be conversions for nothing.
FRAMEWORK_FIELDS = ("slug", "name", "kind", "interface")


def has_odd_characters(value):
    """NUL and the replacement character (what invalid UTF-8 such as %FF decodes to)."""
    return "\x00" in value or "\ufffd" in value


class SlugListField(forms.Field):
    """Slugs from one or several values, each comma-separated: 'a,b' and a=..&a=.. alike.
    Case and blanks are forgiven; repeats are dropped; anything else no slug can be is
    refused."""

    widget = forms.MultipleHiddenInput
    pattern, longest = SLUG, 80
    noun, shape = "name", "names use only letters, digits, hyphens and underscores"

    def __init__(self, *, what, max_length=MAX_PARAMETER_LENGTH, **kwargs):
        self.what = what
        self.max_length = max_length
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        values = [value] if isinstance(value, str) else list(value or ())
        if sum(len(item) for item in values) > self.max_length:
            raise ValidationError(f"That list of {self.what} is far too long to be real.")
        if any(has_odd_characters(item) for item in values):
            raise ValidationError(f"The {self.what} contain characters no name can have.")
        slugs = []
        for item in values:
            for part in item.split(","):
                slug = part.strip().lower()
                if slug and slug not in slugs:
                    slugs.append(slug)
        malformed = [
            slug for slug in slugs if not self.pattern.match(slug) or len(slug) > self.longest
        ]
        if malformed:
            raise ValidationError(
                f"'{malformed[0][:80]}' is not a valid {self.noun}: {self.shape}."
            )
        return slugs


class SwitchField(forms.Field):
    """An on/off switch: 1, true, yes, on (or 0, false, no, off, nothing); anything else is
    refused rather than read as one or the other."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        word = (value or "").strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError("Use 'true' or 'false' (or 1 or 0).")


class UnknownFrameworks(ValidationError):
    """Some framework slugs name no published framework: a 404, which names them."""

    def __init__(self, unknown, known):
        names = ", ".join(f"'{slug}'" for slug in unknown)
        super().__init__(
            f"Unknown framework{'s' if len(unknown) > 1 else ''}: {names}.", code="unknown"
        )
        self.unknown = unknown
        self.known = known


class CompareForm(forms.Form):
    """`frameworks` (2 to 30 slugs, in any order), `category` (slugs of categories with a
    published feature), `features` (up to 300 slugs of published features; rows keep the
    matrix's order whatever theirs), `only_differences` and `transpose` (switches: the page
    draws frameworks as rows; the API's matrix has one shape). Category and features both
    restrict the rows.

    Cleaned, `frameworks` is the published Framework records asked for, in their canonical
    order (`matrix.canonical_order`: one set, one matrix; with FRAMEWORK_FIELDS only);
    `published` holds every published framework (the page offers the others). An unknown
    slug — a draft's too, which the public must not learn exists — is an `UnknownFrameworks`
    error.
    """

    slugs = ()  # the framework slugs asked for, once read (the picker shows them again)
    unknown = None  # the UnknownFrameworks error, when that is what is wrong
    categories = ()  # the categories one may filter by, when an unknown one was asked for

    frameworks = SlugListField(what="frameworks")
    category = SlugListField(what="categories")
    features = SlugListField(what="features", max_length=MAX_FEATURES_LENGTH)
    only_differences = SwitchField()
    transpose = SwitchField()

    @classmethod
    def of_query(cls, query, **frameworks):
        """The form of a request's query string (a QueryDict), repeated values included;
        `frameworks=` overrides that parameter (the page takes it from its path)."""
        data = {
            "frameworks": query.getlist("frameworks"),
            "category": query.getlist("category"),
            "features": query.getlist("features"),
            "only_differences": query.get("only_differences", ""),
            "transpose": query.get("transpose", ""),
            **frameworks,
        }
        return cls(data)

    def clean_frameworks(self):
        slugs = self.slugs = self.cleaned_data["frameworks"]
        if len(slugs) < 2:
            raise ValidationError("Pick at least two frameworks to compare.", code="too_few")
        if len(slugs) > MAX_FRAMEWORKS:
            raise ValidationError(f"Compare at most {MAX_FRAMEWORKS} frameworks at once.")
        self.published = list(Framework.objects.published().only(*FRAMEWORK_FIELDS))
        by_slug = {framework.slug: framework for framework in self.published}
        unknown = [slug for slug in slugs if slug not in by_slug]
        if unknown:
            self.unknown = UnknownFrameworks(unknown, sorted(by_slug))
            raise self.unknown
        return canonical_order([by_slug[slug] for slug in slugs])

    def clean_category(self):
        slugs = self.cleaned_data["category"]
        if slugs:
            known = set(
                FeatureCategory.objects.published()
                .filter(slug__in=slugs)
                .values_list("slug", flat=True)
            )
            unknown = [slug for slug in slugs if slug not in known]
            if unknown:
                self.categories = list(FeatureCategory.objects.published().order_by("position"))
                raise ValidationError(f"There is no feature category called '{unknown[0]}'.")
        return slugs

    def clean_features(self):
        slugs = self.cleaned_data["features"]
        if len(slugs) > MAX_FEATURES:
            raise ValidationError(f"Choose at most {MAX_FEATURES} features at once.")
        if slugs:
            # A draft's slug is refused exactly as an unknown one: the public must not learn
            # that it exists.
            known = set(self.chosen_features(slugs).values_list("slug", flat=True))
            unknown = [slug for slug in slugs if slug not in known]
            if unknown:
                raise ValidationError(f"There is no feature called '{unknown[0]}'.")
        return slugs

    def chosen_features(self, slugs=None):
        """The published features asked for, as a queryset for `build_matrix(features=…)`;
        None when the rows are not restricted to some."""
        slugs = self.cleaned_data["features"] if slugs is None else slugs
        return Feature.objects.published().filter(slug__in=slugs) if slugs else None

    def first_error(self):
        return next(message for messages in self.errors.values() for message in messages)


# --- Choose ---------------------------------------------------------------------------------

# A whole choose request: 60 requirements and 30 frameworks fit in ~2,900 characters.
MAX_CHOOSE_QUERY_LENGTH = 3500
REQUIREMENT = re.compile(r"^[a-z0-9][a-z0-9_-]*(:[a-z0-9_-]+){0,2}$")


class RequirementListField(SlugListField):
    """Requirements written `feature:level`, `feature:weight` or `feature:end:weight`, from
    one or several values, each comma-separated."""

    pattern, longest = REQUIREMENT, 200
    noun, shape = "requirement", "write each as feature:value, e.g. async-support:native"


class ChooseForm(forms.Form):
    """A choose request: `frameworks` to consider (none: every published one), `must`,
    `nice` and `prefer` requirements, and a `use_case` (whose preset is the requirements
    when none are given). The page and the API read it alike and refuse alike.

    Cleaned, `requirements` is a sorted list of `choosing.Requirement`, `features` the
    published features they name (slug: Feature, in display order, with its category and,
    for preferences, its scale points), `frameworks` the
    Framework records considered and `chosen_frameworks` the slugs asked for (or [])."""

    frameworks = SlugListField(what="frameworks")
    must = RequirementListField(what="must-haves")
    nice = RequirementListField(what="nice-to-haves")
    prefer = RequirementListField(what="preferences")
    use_case = SlugListField(what="use cases")

    def __init__(self, *args, query_length=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.query_length = query_length
        self.published = []

    @classmethod
    def of_query(cls, query, query_string=""):
        data = {
            name: query.getlist(name)
            for name in ("frameworks", "must", "nice", "prefer", "use_case")
        }
        return cls(data, query_length=len(query_string))

    def clean(self):
        if self.query_length > MAX_CHOOSE_QUERY_LENGTH:
            raise ValidationError(
                f"That request is far too long to be real ({self.query_length:,} characters; "
                f"at most {MAX_CHOOSE_QUERY_LENGTH:,})."
            )
        data = self.cleaned_data
        if self.errors:
            return data
        self.clean_frameworks_chosen(data)
        use_cases = data.get("use_case") or []
        if len(use_cases) > 1:
            self.add_error("use_case", "Start from one use case at a time.")
            return data
        data["use_case"] = None
        if use_cases:
            data["use_case"] = UseCase.objects.published().filter(slug=use_cases[0]).first()
            if data["use_case"] is None:
                self.add_error("use_case", f"There is no use case called '{use_cases[0]}'.")
                return data
        items = [(kind, item) for kind in choosing.Kind for item in data.get(kind.value, [])]
        if not items and data["use_case"] is not None:
            items = [
                (choosing.Kind(requirement.kind), requirement.spelling)
                for requirement in data["use_case"].preset()
            ]
        if len(items) > choosing.MAX_REQUIREMENTS:
            raise ValidationError(
                f"State at most {choosing.MAX_REQUIREMENTS} requirements; this request has "
                f"{len(items)}."
            )
        data["requirements"], data["features"] = self.read_requirements(items)
        return data

    def clean_frameworks_chosen(self, data):
        slugs = data.get("frameworks") or []
        self.published = list(Framework.objects.published().only(*FRAMEWORK_FIELDS))
        by_slug = {framework.slug: framework for framework in self.published}
        unknown = [slug for slug in slugs if slug not in by_slug]
        if unknown:
            names = ", ".join(f"'{slug}'" for slug in unknown)
            self.add_error(
                "frameworks", f"Unknown framework{'s' if len(unknown) > 1 else ''}: {names}."
            )
            return
        chosen = [by_slug[slug] for slug in slugs] if slugs else self.published
        if len(chosen) < 2:
            self.add_error("frameworks", "Pick at least two frameworks to choose between.")
            return
        data["frameworks"] = sorted(chosen, key=lambda framework: framework.slug)
        # Every published one is the default, spelt by leaving the parameter out.
        data["chosen_frameworks"] = [] if len(chosen) == len(self.published) else sorted(slugs)

    def read_requirements(self, items):
        slugs = {item.split(":", 1)[0] for _, item in items}
        # In display order, with their categories: the choice's matrix takes them as they are.
        features = Feature.objects.published().filter(slug__in=slugs).in_display_order()
        if any(kind == choosing.Kind.PREFER for kind, _ in items):
            features = features.prefetch_related("scale_points")  # only ratings have one
        features = {feature.slug: feature for feature in features}
        requirements, asked = [], {}
        for kind, item in items:
            slug, *values = item.split(":")
            feature = features.get(slug)
            if feature is None:
                self.add_error(kind.value, f"There is no feature called '{slug}'.")
                continue
            if slug in asked:
                self.add_error(
                    kind.value,
                    f"'{feature.name}' is asked for twice (as {asked[slug].label.lower()} and "
                    f"as {kind.label.lower()}): state each feature once.",
                )
                continue
            asked[slug] = kind
            requirement = self.read_requirement(kind, feature, values)
            if requirement is not None:
                requirements.append(requirement)
        return sorted(requirements), features

    def read_requirement(self, kind, feature, values):
        def refuse(message):
            self.add_error(kind.value, message)

        wanted = Feature.Kind.RATING if kind == choosing.Kind.PREFER else Feature.Kind.CAPABILITY
        if feature.kind != wanted:
            if wanted == Feature.Kind.CAPABILITY:
                return refuse(
                    f"'{feature.name}' is not a capability: "
                    + (
                        "prefer one end of its scale instead (prefer=feature:end:weight)."
                        if feature.kind == Feature.Kind.RATING
                        else "it holds a fact, which cannot be required or scored."
                    )
                )
            return refuse(f"'{feature.name}' has no scale to prefer an end of.")
        if kind == choosing.Kind.MUST:
            if len(values) != 1 or values[0] not in choosing.MUST_LEVELS:
                levels = ", ".join(choosing.MUST_LEVELS)
                return refuse(
                    f"A must-have on '{feature.name}' takes the lowest level that will do: "
                    f"one of {levels}."
                )
            return choosing.Requirement(feature.slug, kind.value, level=values[0])
        if kind == choosing.Kind.PREFER:
            points = sorted(feature.scale_points.all(), key=lambda point: point.value)
            ends = [points[0].slug, points[-1].slug] if points else []
            if not values or values[0] not in ends:
                named = " or ".join(dict.fromkeys(ends)) or "none (its scale is empty)"
                return refuse(f"Prefer one end of the scale of '{feature.name}': {named}.")
            end, values = values[0], values[1:]
        else:
            end = ""
        weight = self.read_weight(kind, feature, values)
        if weight is None:
            return None
        return choosing.Requirement(feature.slug, kind.value, end=end, weight=weight)

    def read_weight(self, kind, feature, values):
        if not values:
            return choosing.DEFAULT_WEIGHT
        text = values[0]
        if len(values) > 1 or not text.isdigit() or int(text) not in choosing.WEIGHTS:
            low, high = min(choosing.WEIGHTS), max(choosing.WEIGHTS)
            self.add_error(
                kind.value,
                f"The weight of '{feature.name}' must be a whole number from {low} to {high}; "
                f"'{':'.join(values)}' is not.",
            )
            return None
        return int(text)

    def canonical_query(self):
        data = self.cleaned_data
        use_case = data["use_case"].slug if data.get("use_case") else None
        return choosing.canonical_query(
            data["requirements"], frameworks=data["chosen_frameworks"], use_case=use_case
        )

    def first_error(self):
        return next(message for messages in self.errors.values() for message in messages)
