"""Links filled in from patterns reversed once are the links `reverse()` gives."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from comparisons.links import slug_url, url_pattern
from tests.factories import FeatureFactory, FrameworkFactory, SupportFactory


@pytest.fixture
def mounted_under_a_path():
    set_script_prefix("/kb/")
    yield
    clear_script_prefix()


@pytest.mark.django_db
@pytest.mark.parametrize("prefixed", [False, True])
def test_record_links_match_reverse(prefixed, request):
    if prefixed:
        request.getfixturevalue("mounted_under_a_path")
    cell = SupportFactory(
        framework=FrameworkFactory(slug="django_rest"), feature=FeatureFactory(slug="orm-2")
    )
    assert cell.framework.get_absolute_url() == reverse(
        "comparisons:framework-detail", kwargs={"slug": "django_rest"}
    )
    assert cell.feature.get_absolute_url() == reverse(
        "comparisons:feature-detail", kwargs={"slug": "orm-2"}
    )
    assert cell.get_absolute_url() == reverse(
        "comparisons:cell-detail", kwargs={"framework": "django_rest", "feature": "orm-2"}
    )
    assert cell.get_absolute_url().startswith("/kb/" if prefixed else "/frameworks/")


def test_a_swapped_urlconf_is_not_served_stale_patterns():
    assert url_pattern("comparisons:home") == "/"
    with override_settings(ROOT_URLCONF="tests.comparisons.urls_mounted"):
        assert slug_url("comparisons:framework-detail", "flask") == "/kb/frameworks/flask/"
    assert slug_url("comparisons:framework-detail", "flask") == "/frameworks/flask/"


@pytest.mark.parametrize("prefixed", [False, True])
def test_a_pattern_that_takes_only_digits_is_reversed_with_a_stand_in(prefixed, request):
    if prefixed:
        request.getfixturevalue("mounted_under_a_path")
    with pytest.raises(NoReverseMatch):  # the default stand-in is not digits
        url_pattern("api:support-detail", pk=None)
    pattern = url_pattern("api:support-detail", pk=918_273_645)
    for pk in (1, 42, 10**17):
        assert pattern.format(pk=pk) == reverse("api:support-detail", kwargs={"pk": pk})
