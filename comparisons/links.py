"""URLs reversed once per pattern, not once per link.

A compare page links each of its 1,000 cells and every framework and feature it names;
`reverse()` costs ~40 µs a call, more than writing a whole cell. A pattern is reversed once
with `{placeholder}` holes (per script prefix, so a site mounted under a path still works) and
filled with `str.format`. Slugs are safe in a path as they are (letters, digits, - and _), so
filling in gives what `reverse()` would.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse


def url_pattern(name, **placeholders):
    """The URL named `name` with a `{key}` hole for each placeholder."""
    return url_pattern_for(get_script_prefix(), name, tuple(placeholders))


@lru_cache(maxsize=64)
def url_pattern_for(script_prefix, name, placeholders):
    url = reverse(name, kwargs={key: f"zz{key}zz" for key in placeholders})
    for key in placeholders:
        url = url.replace(f"zz{key}zz", "{" + key + "}")
    return url


def slug_url(name, slug):
    """`reverse(name, kwargs={"slug": slug})`, from the pattern."""
    return url_pattern(name, slug=None).format(slug=slug)


def forget_patterns(*, setting, **kwargs):
    # As Django's own URL caches: a test that swaps the URLconf gets fresh patterns.
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        url_pattern_for.cache_clear()


setting_changed.connect(forget_patterns, dispatch_uid="versus-forget-url-patterns")
