"""The database refuses what the domain forbids, and each cell's stored "disputed" follows
the rule after every kind of write."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from comparisons import matrix
from comparisons.matrix import attach_claims
from comparisons.models import (
    BenchmarkResult,
    Claim,
    Feature,
    Framework,
    Source,
    Status,
    Support,
    readings_disagree,
)
from tests.factories import (
    BenchmarkFactory,
    BenchmarkResultFactory,
    ClaimFactory,
    FeatureFactory,
    FrameworkFactory,
    ScalePointFactory,
    SourceFactory,
    SupportFactory,
    build_matrix,
)

pytestmark = pytest.mark.django_db


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


class TestDatabaseConstraints:
    def test_a_second_cell_for_the_same_framework_and_feature_is_refused(self):
        cell = SupportFactory()
        refused(lambda: Support.objects.create(framework=cell.framework, feature=cell.feature))
        assert Support.objects.count() == 1

    def test_a_second_claim_by_one_source_about_one_cell_is_refused(self):
        claim = ClaimFactory()
        refused(
            lambda: Claim.objects.create(
                source=claim.source, support=claim.support, level="none", statement="No."
            )
        )
        assert Claim.objects.get().level == "native"

    def test_a_range_whose_low_end_is_above_its_high_end_is_refused(self):
        benchmark = BenchmarkFactory()
        framework = FrameworkFactory()
        refused(
            lambda: BenchmarkResult.objects.create(
                benchmark=benchmark, framework=framework, figure="range", low=5000, high=3000
            )
        )
        result = BenchmarkResult.objects.create(
            benchmark=benchmark, framework=framework, figure="range", low=3000, high=5000
        )
        assert result.display == "3,000–5,000"

    def test_a_figure_must_fill_exactly_its_own_fields(self):
        benchmark = BenchmarkFactory()
        framework = FrameworkFactory()
        refused(
            lambda: BenchmarkResult.objects.create(
                benchmark=benchmark, framework=framework, figure="range", value=10
            )
        )
        refused(
            lambda: BenchmarkResult.objects.create(
                benchmark=benchmark, framework=framework, figure="rank"
            )
        )

    def test_a_lower_bound_displays_as_open_ended(self):
        result = BenchmarkResultFactory(
            figure="lower-bound", value=Decimal("10000"), approximate=True
        )
        assert result.display == "~10,000+"

    def test_a_cell_cannot_hold_both_a_level_and_a_rating(self):
        point = ScalePointFactory()
        framework = FrameworkFactory()
        refused(
            lambda: Support.objects.create(
                framework=framework, feature=point.feature, level="native", rating=point
            )
        )

    def test_an_unknown_level_is_refused(self):
        refused(lambda: SupportFactory(level="sometimes"))


class TestReadingFitsTheFeature:
    def test_a_rating_from_another_features_scale_is_refused(self):
        learning_curve = ScalePointFactory(label="Gentle")
        other_point = ScalePointFactory()
        cell = Support(
            framework=FrameworkFactory(), feature=learning_curve.feature, rating=other_point
        )
        with pytest.raises(ValidationError) as error:
            cell.full_clean()
        assert "rating" in error.value.message_dict

    def test_a_capability_cell_needs_a_level(self):
        cell = Support(framework=FrameworkFactory(), feature=FeatureFactory(), summary="x")
        with pytest.raises(ValidationError) as error:
            cell.full_clean()
        assert "level" in error.value.message_dict

    def test_a_fact_cell_takes_text_only(self):
        fact = FeatureFactory(kind=Feature.Kind.FACT)
        cell = Support(framework=FrameworkFactory(), feature=fact, level="native")
        with pytest.raises(ValidationError) as error:
            cell.full_clean()
        assert set(error.value.message_dict) == {"level", "summary"}


def disputed_of(cell):
    """The cell's "disputed" as every surface reads it (the stored summary), held to the rule
    worked out afresh from its published sources' claims."""
    stored = Support.objects.get(pk=cell.pk)
    claims = stored.claims.filter(source__status=Status.PUBLISHED).values_list("level", "rating")
    assert stored.is_disputed == readings_disagree(stored.level, stored.rating_id, list(claims))
    return stored.is_disputed


class TestDisputed:
    def test_a_cell_without_claims_is_not_disputed(self):
        assert disputed_of(SupportFactory()) is False

    def test_claims_that_agree_with_each_other_and_the_verdict(self):
        cell = SupportFactory(level="native")
        ClaimFactory.create_batch(3, support=cell, level="native")
        assert disputed_of(cell) is False

    def test_claims_that_disagree_with_each_other(self):
        cell = SupportFactory(level="unknown")
        ClaimFactory(support=cell, level="none")
        ClaimFactory(support=cell, level="native")
        assert disputed_of(cell) is True

    def test_claims_that_agree_with_each_other_but_contradict_the_verdict(self):
        cell = SupportFactory(level="partial")
        ClaimFactory.create_batch(2, support=cell, level="native")
        assert disputed_of(cell) is True

    def test_a_claim_that_commits_to_nothing_never_disputes(self):
        cell = SupportFactory(level="native")
        ClaimFactory(support=cell, level="")
        ClaimFactory(support=cell, level="unknown")
        assert disputed_of(cell) is False

    def test_an_unknown_verdict_with_agreeing_claims_is_not_disputed(self):
        cell = SupportFactory(level="unknown")
        ClaimFactory.create_batch(2, support=cell, level="extension")
        assert disputed_of(cell) is False

    def test_ratings_that_disagree(self):
        gentle = ScalePointFactory(value=1, slug="gentle", label="Gentle")
        steep = ScalePointFactory(feature=gentle.feature, value=3, slug="steep", label="Steep")
        cell = SupportFactory(feature=gentle.feature, level="", rating=gentle)
        ClaimFactory(support=cell, level="", rating=gentle)
        assert disputed_of(cell) is False
        ClaimFactory(support=cell, level="", rating=steep)
        assert disputed_of(cell) is True


class TestDisputedAfterEachKindOfWrite:
    """One agreeing claim, then a write that disputes the cell, then one that settles it."""

    @pytest.fixture
    def cell(self):
        cell = SupportFactory(level="native")
        ClaimFactory(support=cell, level="native")
        assert disputed_of(cell) is False
        return cell

    def test_a_claim_changed_then_deleted(self, cell):
        doubter = ClaimFactory(support=cell, level="native")
        doubter.level = "none"
        doubter.save()
        assert disputed_of(cell) is True
        doubter.delete()
        assert disputed_of(cell) is False

    def test_the_verdict_changed_and_changed_back(self, cell):
        cell.level = "partial"
        cell.save()
        assert disputed_of(cell) is True
        cell.level = "native"
        cell.save()
        assert disputed_of(cell) is False

    def test_a_claim_moved_to_the_cell_and_away_again(self, cell):
        doubter = ClaimFactory(support=SupportFactory(level="native"), level="none")
        first_cell = doubter.support
        assert disputed_of(first_cell) is True
        doubter.support = cell
        doubter.save()
        assert disputed_of(cell) is True
        assert disputed_of(first_cell) is False
        doubter.support = SupportFactory(level="none")
        doubter.save()
        assert disputed_of(cell) is False
        assert disputed_of(doubter.support) is False

    def test_a_source_returned_to_draft_published_again_and_deleted(self, cell):
        doubter = ClaimFactory(support=cell, level="none").source
        assert disputed_of(cell) is True
        doubter.status = Status.DRAFT
        doubter.save()
        assert disputed_of(cell) is False
        doubter.status = Status.PUBLISHED
        doubter.save()
        assert disputed_of(cell) is True
        doubter.delete()
        assert disputed_of(cell) is False

    def test_a_saved_cell_shows_its_new_summary_without_a_reload(self, cell):
        cell.level = "none"
        cell.save()
        assert (cell.source_count, cell.is_disputed) == (1, True)


def test_claims_against_the_verdict_are_marked():
    cell = SupportFactory(level="native")
    agreeing = ClaimFactory(support=cell, level="native")
    contradicting = ClaimFactory(support=cell, level="none")
    assert agreeing.agrees_with_verdict is True
    assert contradicting.agrees_with_verdict is False


@pytest.mark.parametrize(("frameworks", "features"), [(2, 3), (10, 40)])
def test_the_matrix_learns_every_dispute_in_a_constant_number_of_queries(
    frameworks, features, django_assert_num_queries
):
    framework_rows, _ = build_matrix(frameworks=frameworks, features=features)
    # One cell per matrix gets a contradicting claim, so there is something to find.
    contested = Support.objects.filter(framework=framework_rows[0]).first()
    ClaimFactory(support=contested, level="none")
    # Features, the cells with their stored dispute flags, and all their claims.
    with django_assert_num_queries(3):
        cells = attach_claims(matrix.build_matrix(framework_rows).cells)
        claims = [claim.source.title for cell in cells for claim in cell.claims]
        flags = {cell.pk: cell.disputed for cell in cells}
    assert len(cells) == frameworks * features
    assert len(claims) == frameworks * features + 1
    assert [pk for pk, disputed in flags.items() if disputed] == [contested.pk]


def test_published_hides_drafts_and_everything_hanging_off_them():
    draft = FrameworkFactory(status="draft")
    live = FrameworkFactory()
    draft_source = SourceFactory(status="draft")
    SupportFactory(framework=draft)
    ClaimFactory(source=draft_source, support=SupportFactory(framework=live))
    assert list(Framework.objects.published()) == [live]
    assert not Support.objects.published().filter(framework=draft).exists()
    assert not Source.objects.published().filter(pk=draft_source.pk).exists()
    assert not Claim.objects.published().exists()


def test_a_draft_sources_claim_disputes_nothing_until_the_source_is_published():
    cell = SupportFactory(level="native")
    ClaimFactory(support=cell, level="native")
    draft = SourceFactory(status=Status.DRAFT)
    ClaimFactory(support=cell, level="none", source=draft)
    assert disputed_of(cell) is False
    assert not Support.objects.disputed().exists()
    draft.status = Status.PUBLISHED
    draft.save()
    assert disputed_of(cell) is True
    assert list(Support.objects.disputed()) == [cell]
