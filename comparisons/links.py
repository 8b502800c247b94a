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
    """The URL named `name` with a `{key}` hole for each placeholder. A placeholder's value,
    when not None, is what to reverse with in its place (for a pattern that takes only
    digits, say): a value no real argument would share with the rest of the URL."""
    return url_pattern_for(get_script_prefix(), name, tuple(placeholders.items()))


@lru_cache(maxsize=64)
def url_pattern_for(script_prefix, name, placeholders):
    stand_ins = {key: f"zz{key}zz" if value is None else str(value) for key, value in placeholders}
    url = reverse(name, kwargs=stand_ins)
    for key, stand_in in stand_ins.items():
        url = url.replace(stand_in, "{" + key + "}")
    return url


def slug_url(name, slug):
    """`reverse(name, kwargs={"slug": slug})`, from the pattern."""
    return url_pattern(name, slug=None).format(slug=slug)


def forget_patterns(*, setting, **kwargs):
    # As Django's own URL caches: a test that swaps the URLconf gets fresh patterns.
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        url_pattern_for.cache_clear()


setting_changed.connect(forget_patterns, dispatch_uid="versus-forget-url-patterns")
