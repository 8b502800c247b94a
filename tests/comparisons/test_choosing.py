"""The ranking method (`comparisons.choosing.rank` and `dispute_notes`), without a database:
order, ties, must-have exclusion, unknowns, weights, and what a disputed reading changes."""

from hypothesis import given, settings
from hypothesis import strategies as st

from comparisons.choosing import (
    Group,
    Outcome,
    Reading,
    Requirement,
    canonical_query,
    dispute_notes,
    open_to_doubt,
    rank,
)

CURVE = ["gentle", "moderate", "steep"]
SCALES = {"curve": CURVE}


def must(feature, level):
    return Requirement(feature, "must", level=level)


def nice(feature, weight):
    return Requirement(feature, "nice", weight=weight)


def prefer(feature, end, weight):
    return Requirement(feature, "prefer", end=end, weight=weight)


def order(ranking, group=Group.MEETS):
    return [standing.framework for standing in ranking.group(group)]


def test_ranks_by_points_each_line_explained():
    values = {
        ("a", "ws"): "native", ("b", "ws"): "extension", ("c", "ws"): "none",
        ("a", "curve"): "steep", ("b", "curve"): "gentle", ("c", "curve"): "moderate",
    }  # fmt: skip
    ranking = rank(["a", "b", "c"], [nice("ws", 3), prefer("curve", "gentle", 2)], values, SCALES)
    # a: 3 × 1 + 2 × 0 = 3; b: 3 × 2/3 + 2 × 1 = 4; c: 0 + 2 × 1/2 = 1
    assert order(ranking) == ["b", "a", "c"]
    assert [s.score for s in ranking.standings] == [4, 3, 1]
    assert ranking.possible == 5
    b = ranking.standings[0]
    assert [(line.value, line.points) for line in b.lines] == [
        ("extension", 2),
        ("gentle", 2),
    ]
    assert [s.position for s in ranking.standings] == [1, 2, 3]


def test_preferring_the_other_end_reverses_a_scale():
    values = {("a", "curve"): "gentle", ("b", "curve"): "steep"}
    assert order(rank(["a", "b"], [prefer("curve", "steep", 1)], values, SCALES)) == ["b", "a"]
    assert order(rank(["a", "b"], [prefer("curve", "gentle", 1)], values, SCALES)) == ["a", "b"]


def test_ties_share_a_position_and_are_listed_by_name():
    values = {("zeta", "ws"): "native", ("alpha", "ws"): "native", ("mid", "ws"): "partial"}
    ranking = rank(["zeta", "mid", "alpha"], [nice("ws", 2)], values, SCALES)
    assert order(ranking) == ["alpha", "zeta", "mid"]
    assert [(s.position, s.tied) for s in ranking.standings] == [(1, True), (1, True), (3, False)]
    assert ranking.first == {"alpha", "zeta"}
    assert ranking.close_call  # a tie is the closest call


def test_a_failed_must_have_sets_a_framework_apart_with_the_line_that_fails():
    values = {("a", "async"): "none", ("b", "async"): "native", ("a", "ws"): "native"}
    ranking = rank(["a", "b"], [must("async", "partial"), nice("ws", 3)], values, SCALES)
    assert order(ranking) == ["b"]
    failing = ranking.group(Group.FAILS)
    assert [s.framework for s in failing] == ["a"]
    assert [(line.requirement.feature, line.value) for line in failing[0].failed] == [
        ("async", "none")
    ]
    assert ranking.first == {"b"}  # a has more points but fails a must-have


def test_must_have_levels_are_a_floor():
    values = {("n", "x"): "native", ("e", "x"): "extension", ("p", "x"): "partial"}
    frameworks = ["n", "e", "p"]
    for level, meeting in [
        ("native", ["n"]),
        ("extension", ["e", "n"]),
        ("partial", ["e", "n", "p"]),
    ]:
        assert order(rank(frameworks, [must("x", level)], values, SCALES)) == meeting


def test_unknown_never_passes_or_fails_silently():
    # No cell at all for "a", "unknown" read as None for "b" (choose() does that).
    values = {("b", "async"): None, ("c", "async"): "native"}
    ranking = rank(["a", "b", "c"], [must("async", "native")], values, SCALES)
    assert order(ranking) == ["c"]
    assert order(ranking, Group.UNCONFIRMED) == ["a", "b"]
    assert not ranking.group(Group.FAILS)
    assert all(s.unconfirmed[0].outcome == Outcome.UNKNOWN for s in ranking.group("unconfirmed"))


def test_an_unknown_preference_earns_nothing_and_says_what_it_could_add():
    values = {("a", "ws"): "native", ("b", "ws"): None, ("a", "c"): "gentle", ("b", "c"): "gentle"}
    requirements = [nice("ws", 3), prefer("c", "gentle", 1)]
    ranking = rank(["a", "b"], requirements, values, {"c": CURVE})
    a, b = ranking.standings
    assert (a.framework, a.score, a.unknown_weight) == ("a", 4, 0)
    assert (b.framework, b.score, b.unknown_weight) == ("b", 1, 3)
    assert b.lines[0].outcome == Outcome.UNKNOWN and b.lines[0].points is None


def test_weights_change_the_order():
    values = {("a", "x"): "native", ("a", "y"): "none", ("b", "x"): "none", ("b", "y"): "native"}
    assert order(rank(["a", "b"], [nice("x", 3), nice("y", 1)], values, SCALES)) == ["a", "b"]
    assert order(rank(["a", "b"], [nice("x", 1), nice("y", 3)], values, SCALES)) == ["b", "a"]


def test_a_close_call_is_within_a_tenth_of_the_possible_points():
    requirements = [nice("x", 3), nice("y", 3), nice("z", 3), nice("w", 1)]  # 10 possible
    values = {("a", "x"): "native", ("a", "y"): "native", ("b", "x"): "native"}
    values[("b", "y")] = "extension"  # a: 3 + 3 = 6, b: 3 + 2 = 5: one point of ten apart
    ranking = rank(["a", "b"], requirements, values, SCALES)
    assert (ranking.standings[0].score, ranking.standings[1].score) == (6, 5)
    assert ranking.close_call
    values[("b", "y")] = "partial"  # b: 3 + 1 = 4, two points apart
    assert not rank(["a", "b"], requirements, values, SCALES).close_call


def test_canonical_query_is_one_spelling_whatever_the_order():
    requirements = [
        prefer("curve", "gentle", 3),
        nice("ws", 2),
        must("orm", "native"),
        must("a", "partial"),
    ]
    query = canonical_query(reversed(requirements), frameworks=["flask", "django"])
    assert query == (
        "frameworks=django,flask&must=a:partial,orm:native&nice=ws:2&prefer=curve:gentle:3"
    )
    assert canonical_query(requirements, frameworks=["django", "flask"]) == query


# --- Disputes ---------------------------------------------------------------------------


def test_a_reading_that_flips_first_place_gives_a_note():
    values = {("fast", "async"): "native", ("flask", "async"): "partial"}
    requirements = [nice("async", 3)]
    flip = Reading("flask", "async", "native", ("some-source",))
    base, notes = dispute_notes(["fast", "flask"], requirements, values, SCALES, [flip])
    assert base.first == {"fast"}
    assert [(n.kind, n.first) for n in notes] == [("first", {"fast", "flask"})]


def test_a_reading_that_changes_nothing_gives_no_note():
    values = {("fast", "async"): "native", ("flask", "async"): "partial"}
    quiet = Reading("flask", "async", "none", ("other-source",))  # flask drops further behind
    base, notes = dispute_notes(["fast", "flask"], [nice("async", 3)], values, SCALES, [quiet])
    assert base.first == {"fast"} and notes == []


def test_a_reading_that_changes_who_meets_a_must_have_gives_a_note():
    values = {("fast", "async"): "native", ("flask", "async"): "partial"}
    fails = Reading("flask", "async", "none", ("source",))
    _, notes = dispute_notes(["fast", "flask"], [must("async", "partial")], values, SCALES, [fails])
    assert [(n.kind, n.changed) for n in notes] == [("must", {"flask": ("meets", "fails")})]


# --- Properties ---------------------------------------------------------------------------

FRAMEWORKS = ["a", "b", "c", "d"]
FEATURES = ["f1", "f2", "f3", "f4"]
LEVELS = ["none", "partial", "extension", "native", None]

values_strategy = st.fixed_dictionaries(
    {
        (framework, feature): st.sampled_from(LEVELS)
        for framework in FRAMEWORKS
        for feature in FEATURES
    }
)
must_strategy = st.builds(
    must, st.sampled_from(FEATURES), st.sampled_from(["partial", "extension", "native"])
)
nice_strategy = st.builds(nice, st.sampled_from(FEATURES), st.integers(1, 3))


def distinct(requirements):
    """One requirement per feature, as the form insists."""
    return list({requirement.feature: requirement for requirement in requirements}.values())


@settings(max_examples=300, deadline=None)
@given(
    values_strategy, st.lists(st.one_of(must_strategy, nice_strategy), max_size=4), must_strategy
)
def test_adding_a_must_have_never_adds_a_framework_to_the_passing_set(values, requirements, extra):
    requirements = [r for r in distinct(requirements) if r.feature != extra.feature]
    before = set(order(rank(FRAMEWORKS, requirements, values, SCALES)))
    after = set(order(rank(FRAMEWORKS, [*requirements, extra], values, SCALES)))
    assert after <= before


@settings(max_examples=300, deadline=None)
@given(
    values_strategy,
    st.lists(st.one_of(must_strategy, nice_strategy), min_size=1, max_size=4),
    st.integers(2, 50),
)
def test_scaling_every_weight_never_changes_the_order(values, requirements, factor):
    requirements = distinct(requirements)
    scaled = [
        Requirement(r.feature, r.kind, level=r.level, end=r.end, weight=r.weight * factor)
        for r in requirements
    ]
    before = rank(FRAMEWORKS, requirements, values, SCALES)
    after = rank(FRAMEWORKS, scaled, values, SCALES)

    def shape(ranking):
        return [(s.framework, s.group, s.position, s.tied) for s in ranking.standings]

    assert shape(after) == shape(before)
    assert after.close_call == before.close_call


readings_strategy = st.lists(
    st.builds(
        Reading,
        st.sampled_from(FRAMEWORKS),
        st.sampled_from(FEATURES),
        st.sampled_from(LEVELS[:-1]),
        st.just(("a-source",)),
    ),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(
    values_strategy,
    st.lists(st.one_of(must_strategy, nice_strategy), min_size=1, max_size=4),
    readings_strategy,
)
def test_readings_left_unread_could_not_have_changed_the_answer(values, requirements, readings):
    """choose() reads the claims of the cells `open_to_doubt` keeps; the others' notes
    would all have been empty."""
    requirements = sorted(distinct(requirements))
    readings = [r for r in readings if r.feature in {q.feature for q in requirements}]
    base = rank(FRAMEWORKS, requirements, values, SCALES)
    kept = set(open_to_doubt(base, [(r.framework, r.feature) for r in readings]))
    _, every_note = dispute_notes(FRAMEWORKS, requirements, values, SCALES, readings)
    read = [r for r in readings if (r.framework, r.feature) in kept]
    _, notes = dispute_notes(FRAMEWORKS, requirements, values, SCALES, read)
    assert [(n.reading, n.kind, n.first) for n in notes] == [
        (n.reading, n.kind, n.first) for n in every_note
    ]
