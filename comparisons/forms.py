"""The compare request's parameters, read by one form for the compare page and the API alike.

Both take the same values and refuse the same ones with the same messages: the page shows
them on its 400 (or 404) page, the API puts them in its JSON error.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from .models import Feature, FeatureCategory, Framework

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
        malformed = [slug for slug in slugs if not SLUG.match(slug) or len(slug) > 80]
        if malformed:
            raise ValidationError(
                f"'{malformed[0][:80]}' is not a valid name: names use only letters, digits, "
                "hyphens and underscores."
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
    """`frameworks` (2 to 30 slugs, in column order), `category` (slugs of categories with a
    published feature), `features` (up to 300 slugs of published features; rows keep the
    matrix's order whatever theirs) and `only_differences` (a switch). Category and features
    both restrict the rows.

    Cleaned, `frameworks` is the published Framework records asked for, in order (with
    FRAMEWORK_FIELDS only); `published` holds every published framework (the page offers
    the others). An unknown slug — a draft's too, which the public must not learn exists —
    is an `UnknownFrameworks` error.
    """

    slugs = ()  # the framework slugs asked for, once read (the picker shows them again)
    unknown = None  # the UnknownFrameworks error, when that is what is wrong
    categories = ()  # the categories one may filter by, when an unknown one was asked for

    frameworks = SlugListField(what="frameworks")
    category = SlugListField(what="categories")
    features = SlugListField(what="features", max_length=MAX_FEATURES_LENGTH)
    only_differences = SwitchField()

    @classmethod
    def of_query(cls, query, **frameworks):
        """The form of a request's query string (a QueryDict), repeated values included;
        `frameworks=` overrides that parameter (the page takes it from its path)."""
        data = {
            "frameworks": query.getlist("frameworks"),
            "category": query.getlist("category"),
            "features": query.getlist("features"),
            "only_differences": query.get("only_differences", ""),
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
        return [by_slug[slug] for slug in slugs]

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
