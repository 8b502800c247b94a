"""A use case's preset: the requirements "Start from this" starts the choose page with, kept
by editors in the use case's admin page, checked as the choose form checks a request."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import (
    FeatureFactory,
    ScalePointFactory,
    UseCaseFactory,
    UseCaseRequirementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scale():
    """Learning curve: gentle → moderate → steep."""
    feature = FeatureFactory(name="Learning curve", slug="learning-curve", kind="rating")
    return [
        ScalePointFactory(feature=feature, value=value, slug=slug, label=slug.title())
        for value, slug in enumerate(["gentle", "moderate", "steep"])
    ]


def use_case_form(use_case, *rows):
    """The use case's admin change form, with `rows` as new preset requirements."""
    data = {
        "name": use_case.name, "slug": use_case.slug, "description": "", "position": 0,
        "status": use_case.status, "preset_note": "Our own reading.", "version": use_case.version,
        "recommendations-TOTAL_FORMS": 0, "recommendations-INITIAL_FORMS": 0,
        "requirements-TOTAL_FORMS": len(rows), "requirements-INITIAL_FORMS": 0,
    }  # fmt: skip
    for number, row in enumerate(rows):
        for name, value in row.items():
            data[f"requirements-{number}-{name}"] = "" if value is None else value
    return data


def post(admin_client, use_case, *rows):
    url = reverse("admin:comparisons_usecase_change", args=[use_case.pk])
    return admin_client.post(url, use_case_form(use_case, *rows))


def errors_of(response):
    formset = next(
        wrapper.formset
        for wrapper in response.context["inline_admin_formsets"]
        if wrapper.formset.prefix == "requirements"
    )
    return [form.errors for form in formset.forms]


def test_an_editor_sets_a_preset_in_the_use_case_admin(admin_client, scale):
    use_case = UseCaseFactory()
    async_support = FeatureFactory(slug="async-support")

    response = post(
        admin_client,
        use_case,
        {"kind": "must", "feature": async_support.pk, "level": "partial"},
        {"kind": "prefer", "feature": scale[0].feature_id, "end": scale[0].pk, "weight": 3},
    )

    assert response.status_code == 302, errors_of(response)
    assert [(r.kind, r.feature, r.level, r.end, r.weight) for r in use_case.preset()] == [
        ("must", "async-support", "partial", "", 0),
        ("prefer", "learning-curve", "", "gentle", 3),
    ]


def test_the_admin_refuses_a_requirement_that_does_not_fit_its_feature(admin_client, scale):
    use_case = UseCaseFactory()
    orm = FeatureFactory(name="Database ORM")
    fact = FeatureFactory(name="Python version", kind="fact")
    learning_curve = scale[0].feature_id

    response = post(
        admin_client,
        use_case,
        {"kind": "must", "feature": learning_curve, "level": "native"},
        {"kind": "prefer", "feature": learning_curve, "end": scale[1].pk, "weight": 2},
        {"kind": "nice", "feature": orm.pk, "weight": 2, "level": "native"},
        {"kind": "must", "feature": orm.pk},
        {"kind": "nice", "feature": fact.pk, "weight": 2},
    )

    assert response.status_code == 200
    must_on_rating, middle_end, nice_with_level, must_without_level, on_fact = errors_of(response)
    assert must_on_rating["feature"] == [
        "'Learning curve' is a rating feature; a must have needs a capability feature."
    ]
    assert middle_end["end"] == ["Prefer an end of the scale of 'Learning curve': Gentle or Steep."]
    assert nice_with_level["level"] == ["Only a must have takes a level; leave it empty."]
    assert must_without_level["level"] == ["A must have needs the lowest level that will do."]
    assert "Select a valid choice" in on_fact["feature"][0]  # a fact is not even offered
    assert not use_case.requirements.exists()


def test_the_admin_refuses_a_weight_out_of_range_and_a_feature_asked_twice(admin_client):
    use_case = UseCaseFactory()
    orm = FeatureFactory(name="Database ORM")

    response = post(
        admin_client,
        use_case,
        {"kind": "nice", "feature": orm.pk, "weight": 4},
        {"kind": "nice", "feature": orm.pk, "weight": 2},
        {"kind": "nice", "feature": orm.pk, "weight": 1},
    )

    assert response.status_code == 200
    too_heavy, *_ = errors_of(response)
    assert "weight" in too_heavy
    assert "Please correct the duplicate data for feature" in response.content.decode()
    assert not use_case.requirements.exists()


def test_full_clean_names_what_to_correct(scale):
    with pytest.raises(ValidationError) as refused:
        UseCaseRequirementFactory.build(
            use_case=UseCaseFactory(), feature=scale[0].feature, kind="prefer", weight=9
        ).full_clean()
    assert refused.value.message_dict["end"] == [
        "Choose the end of the scale of 'Learning curve' to prefer: Gentle or Steep."
    ]
    assert "weight" in refused.value.message_dict
    must = UseCaseRequirementFactory.build(
        use_case=UseCaseFactory(), kind="must", level="extension", weight=2
    )
    with pytest.raises(ValidationError, match="A must have rules frameworks out"):
        must.full_clean()


def test_the_database_refuses_what_full_clean_would():
    with transaction.atomic(), pytest.raises(IntegrityError):
        UseCaseRequirementFactory(weight=7)
    with transaction.atomic(), pytest.raises(IntegrityError):
        UseCaseRequirementFactory(kind="must", level="none", weight=None)


def test_an_inline_edit_is_in_the_requirements_history(admin_client):
    requirement = UseCaseRequirementFactory(weight=1)
    use_case = requirement.use_case
    data = use_case_form(use_case)
    data.update({
        "requirements-TOTAL_FORMS": 1, "requirements-INITIAL_FORMS": 1,
        "requirements-0-id": requirement.pk, "requirements-0-use_case": use_case.pk,
        "requirements-0-kind": "nice", "requirements-0-feature": requirement.feature_id,
        "requirements-0-level": "", "requirements-0-end": "", "requirements-0-weight": 3,
        "requirements-0-version": requirement.version,
    })  # fmt: skip

    response = admin_client.post(
        reverse("admin:comparisons_usecase_change", args=[use_case.pk]), data
    )

    assert response.status_code == 302, errors_of(response)
    history = list(requirement.history.order_by("history_date"))
    assert [entry.weight for entry in history] == [1, 3]
    assert history[-1].history_user.username == "admin"
    page = admin_client.get(
        reverse("admin:comparisons_usecaserequirement_history", args=[requirement.pk])
    )
    assert page.status_code == 200
    assert "admin" in page.content.decode()


def test_a_draft_feature_is_left_out_of_the_preset():
    requirement = UseCaseRequirementFactory(feature=FeatureFactory(status="draft"))
    UseCaseRequirementFactory(use_case=requirement.use_case, feature=FeatureFactory(slug="orm"))
    assert [r.feature for r in requirement.use_case.preset()] == ["orm"]
