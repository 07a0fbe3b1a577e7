"""Plan progress: results achieved beside activities completed, and the warning between them."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldkit.domain.progress import (
    ACTIVITY_STATE_LABELS,
    DIRECTION_LABELS,
    INDICATOR_TYPE_LABELS,
    WARNING_ACTIVITIES,
    WARNING_RESULTS,
    ActivityFacts,
    ActivityState,
    Direction,
    IndicatorType,
    PlanProgress,
    ResultFacts,
    activity_percent,
    combine,
    counts_for_progress,
    is_complete,
    is_overdue,
    plan_progress,
    result_achievement,
    warning_reasons,
)

INC = Direction.INCREASE
DEC = Direction.DECREASE
TODAY = dt.date(2026, 6, 15)
PAST = dt.date(2026, 6, 1)
FUTURE = dt.date(2026, 7, 1)

values = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9)
any_finite = st.floats(allow_nan=False, allow_infinity=False)
maybe_any = st.one_of(st.none(), st.floats())  # includes NaN and ±inf
directions = st.sampled_from(list(Direction))


# --------------------------------------------------------------------------- labels


def test_labels_cover_every_member_in_spanish() -> None:
    assert DIRECTION_LABELS == {INC: "Aumentar", DEC: "Disminuir"}
    assert INDICATOR_TYPE_LABELS == {
        IndicatorType.PRODUCT: "Producto",
        IndicatorType.RESULT: "Resultado",
        IndicatorType.IMPACT: "Impacto",
    }
    assert ACTIVITY_STATE_LABELS == {
        ActivityState.PENDING: "Pendiente",
        ActivityState.IN_PROGRESS: "En curso",
        ActivityState.COMPLETE: "Completa",
        ActivityState.SUSPENDED: "Suspendida",
        ActivityState.CANCELLED: "Cancelada",
    }
    assert [s.value for s in ActivityState] == [
        "pending",
        "in_progress",
        "complete",
        "suspended",
        "cancelled",
    ]


# --------------------------------------------------------------------------- result_achievement


@pytest.mark.parametrize(
    ("baseline", "target", "measured", "direction", "expected"),
    [
        # increase: (m − b) / (t − b)
        (10, 20, 15, INC, 0.5),
        (10, 20, 10, INC, 0.0),
        (10, 20, 20, INC, 1.0),
        (0, 200, 50, INC, 0.25),
        (10, 20, 35, INC, 1.0),  # beyond the target: capped at 1
        (10, 20, 5, INC, 0.0),  # worse than the baseline: capped at 0
        # decrease: (b − m) / (b − t)
        (40, 20, 30, DEC, 0.5),
        (40, 20, 35, DEC, 0.25),
        (40, 20, 20, DEC, 1.0),
        (40, 20, 10, DEC, 1.0),  # beat the target: capped at 1
        (40, 20, 50, DEC, 0.0),  # worse than the baseline: capped at 0
        (40, 20, 40, DEC, 0.0),
        # the direction may come as its stored string
        (10, 20, 15, "increase", 0.5),
        (40, 20, 30, "decrease", 0.5),
    ],
)
def test_achievement_examples(
    baseline: float, target: float, measured: float, direction: Direction | str, expected: float
) -> None:
    assert result_achievement(baseline, target, measured, direction) == pytest.approx(expected)


def test_missing_baseline_on_an_increase_with_positive_target_starts_from_zero() -> None:
    assert result_achievement(None, 80, 20, INC) == pytest.approx(0.25)
    assert result_achievement(None, 80, 100, INC) == 1.0
    assert result_achievement(None, 80, -5, INC) == 0.0


def test_missing_baseline_on_an_increase_with_target_not_positive_is_all_or_nothing() -> None:
    assert result_achievement(None, 0, 0, INC) == 1.0
    assert result_achievement(None, 0, -0.5, INC) == 0.0
    assert result_achievement(None, -10, -5, INC) == 1.0
    assert result_achievement(None, -10, -11, INC) == 0.0


def test_missing_baseline_on_a_decrease_is_all_or_nothing() -> None:
    assert result_achievement(None, 5, 5, DEC) == 1.0
    assert result_achievement(None, 5, 3, DEC) == 1.0
    assert result_achievement(None, 5, 5.01, DEC) == 0.0
    assert result_achievement(None, 5, 100, DEC) == 0.0


def test_target_equal_to_baseline_is_all_or_nothing() -> None:
    assert result_achievement(10, 10, 10, INC) == 1.0
    assert result_achievement(10, 10, 12, INC) == 1.0
    assert result_achievement(10, 10, 9, INC) == 0.0
    assert result_achievement(10, 10, 10, DEC) == 1.0
    assert result_achievement(10, 10, 8, DEC) == 1.0
    assert result_achievement(10, 10, 11, DEC) == 0.0


def test_target_on_the_wrong_side_of_the_baseline_is_all_or_nothing() -> None:
    # An "increase" whose target is below its baseline has no distance to travel.
    assert result_achievement(50, 40, 45, INC) == 1.0
    assert result_achievement(50, 40, 39, INC) == 0.0
    # Same for a "decrease" whose target is above its baseline.
    assert result_achievement(40, 50, 45, DEC) == 1.0
    assert result_achievement(40, 50, 51, DEC) == 0.0


def test_no_measurement_or_no_target_cannot_be_judged() -> None:
    assert result_achievement(10, 20, None, INC) is None
    assert result_achievement(10, None, 15, INC) is None
    assert result_achievement(None, None, None, DEC) is None


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_count_as_missing(bad: float) -> None:
    assert result_achievement(10, 20, bad, INC) is None
    assert result_achievement(10, bad, 15, INC) is None
    # a non-finite baseline is a missing baseline: increase from 0 to 20
    assert result_achievement(bad, 20, 15, INC) == pytest.approx(0.75)
    assert result_achievement(bad, 20, 15, DEC) == 1.0


def test_unknown_direction_is_rejected() -> None:
    with pytest.raises(ValueError):
        result_achievement(0, 10, 5, "sideways")


def test_huge_spans_do_not_overflow() -> None:
    big = 1.5e308
    assert result_achievement(-big, big, 0.0, INC) == pytest.approx(0.5)
    assert result_achievement(big, -big, 0.0, DEC) == pytest.approx(0.5)


@given(maybe_any, maybe_any, maybe_any, directions)
def test_achievement_is_none_or_within_zero_and_one(
    baseline: float | None, target: float | None, measured: float | None, direction: Direction
) -> None:
    got = result_achievement(baseline, target, measured, direction)
    if target is None or measured is None or not math.isfinite(target * 0 + measured * 0):
        assert got is None
    else:
        assert got is not None
        assert 0.0 <= got <= 1.0


@given(any_finite, any_finite, any_finite, directions)
def test_achievement_is_bounded_for_all_finite_floats(
    baseline: float, target: float, measured: float, direction: Direction
) -> None:
    got = result_achievement(baseline, target, measured, direction)
    assert got is not None
    assert 0.0 <= got <= 1.0


@given(st.one_of(st.none(), values), values, values, values)
def test_achievement_is_monotonic_in_measured_for_increase(
    baseline: float | None, target: float, m1: float, m2: float
) -> None:
    low, high = sorted((m1, m2))
    assert result_achievement(baseline, target, low, INC) <= result_achievement(  # type: ignore[operator]
        baseline, target, high, INC
    )


@given(st.one_of(st.none(), values), values, values, values)
def test_achievement_is_monotonic_in_measured_for_decrease(
    baseline: float | None, target: float, m1: float, m2: float
) -> None:
    low, high = sorted((m1, m2))
    assert result_achievement(baseline, target, low, DEC) >= result_achievement(  # type: ignore[operator]
        baseline, target, high, DEC
    )


@given(values, values, values)
def test_decrease_mirrors_increase(baseline: float, target: float, measured: float) -> None:
    assert result_achievement(baseline, target, measured, DEC) == result_achievement(
        -baseline, -target, -measured, INC
    )


# --------------------------------------------------------------------------- activities


def test_activity_percent() -> None:
    assert activity_percent(ActivityFacts(None, None, None)) == 0.0
    assert activity_percent(ActivityFacts(40, "in_progress", None)) == 40.0
    assert activity_percent(ActivityFacts(40, ActivityState.COMPLETE, None)) == 100.0
    assert activity_percent(ActivityFacts(None, "complete", None)) == 100.0
    assert activity_percent(ActivityFacts(150, "in_progress", None)) == 100.0
    assert activity_percent(ActivityFacts(-5, "pending", None)) == 0.0
    assert activity_percent(ActivityFacts(math.nan, "pending", None)) == 0.0


def test_is_complete() -> None:
    assert is_complete(ActivityFacts(10, "complete", None))
    assert is_complete(ActivityFacts(100, "in_progress", None))
    assert not is_complete(ActivityFacts(99.9, "in_progress", None))
    assert not is_complete(ActivityFacts(None, None, None))


def test_is_overdue() -> None:
    assert is_overdue(ActivityFacts(50, "in_progress", PAST), TODAY)
    assert is_overdue(ActivityFacts(None, None, PAST), TODAY)
    assert is_overdue(ActivityFacts(0, "suspended", PAST), TODAY)
    assert not is_overdue(ActivityFacts(50, "in_progress", TODAY), TODAY)  # due today: not late
    assert not is_overdue(ActivityFacts(50, "in_progress", FUTURE), TODAY)
    assert not is_overdue(ActivityFacts(50, "in_progress", None), TODAY)
    assert not is_overdue(ActivityFacts(100, "in_progress", PAST), TODAY)
    assert not is_overdue(ActivityFacts(20, "complete", PAST), TODAY)
    assert not is_overdue(ActivityFacts(20, "cancelled", PAST), TODAY)


def test_only_cancelled_activities_are_left_out() -> None:
    assert not counts_for_progress(ActivityFacts(50, "cancelled", None))
    for state in (None, "pending", "in_progress", "complete", "suspended"):
        assert counts_for_progress(ActivityFacts(50, state, None))


# --------------------------------------------------------------------------- plans


def test_empty_plan() -> None:
    assert plan_progress([], [], TODAY) == PlanProgress(
        activities_total=0,
        activities_complete=0,
        activities_percent=None,
        results_total=0,
        results_measured=0,
        results_percent=None,
        overdue=0,
        warning=False,
    )


def test_plan_with_results_only() -> None:
    p = plan_progress(
        [], [ResultFacts(0, 10, "increase", 5), ResultFacts(0, 10, "increase", None)], TODAY
    )
    assert p.activities_total == 0
    assert p.activities_percent is None
    assert p.results_total == 2
    assert p.results_measured == 1
    assert p.results_percent == pytest.approx(25.0)  # the unmeasured one counts 0
    assert not p.warning
    assert warning_reasons(p) is None


def test_plan_with_activities_only_warns_when_they_are_nearly_done() -> None:
    acts = [ActivityFacts(100, "complete", PAST), ActivityFacts(60, "in_progress", PAST)]
    p = plan_progress(acts, [], TODAY)
    assert p.activities_total == 2
    assert p.activities_complete == 1
    assert p.activities_percent == pytest.approx(80.0)
    assert p.results_total == 0
    assert p.results_percent is None
    assert p.overdue == 1
    assert p.warning
    msgid, params = warning_reasons(p)  # type: ignore[misc]
    assert "no tiene resultados medidos" in msgid
    assert params == {"activities": 80}
    assert msgid.format(**params).startswith("Las actividades van en 80 %")


def test_plan_with_activities_only_below_threshold_does_not_warn() -> None:
    p = plan_progress([ActivityFacts(79, "in_progress", None)], [], TODAY)
    assert p.activities_percent == pytest.approx(79.0)
    assert not p.warning


def test_plan_busy_but_without_results_is_flagged() -> None:
    acts = [ActivityFacts(None, "complete", PAST)] * 4 + [ActivityFacts(20, "in_progress", FUTURE)]
    results = [
        ResultFacts(100, 50, "decrease", 90),  # 0.2
        ResultFacts(None, 10, "increase", 3.96),  # 0.396
        ResultFacts(0, 10, "increase", None),  # unmeasured: 0
    ]
    p = plan_progress(acts, results, TODAY)
    assert p.activities_total == 5
    assert p.activities_complete == 4
    assert p.activities_percent == pytest.approx(84.0)
    assert p.results_total == 3
    assert p.results_measured == 2
    assert p.results_percent == pytest.approx(19.866666, rel=1e-6)
    assert p.overdue == 0
    assert p.warning
    msgid, params = warning_reasons(p)  # type: ignore[misc]
    assert params == {"activities": 84, "results": 19}
    assert all(isinstance(v, int) for v in params.values())
    assert msgid.format(**params) == (
        "Las actividades van en 84 % pero los resultados solo en 19 %: "
        "el plan avanza en tareas sin lograr lo que se propuso."
    )


def test_results_at_the_threshold_do_not_warn() -> None:
    p = plan_progress(
        [ActivityFacts(100, "complete", None)], [ResultFacts(0, 10, "increase", 3)], TODAY
    )
    assert p.results_percent == pytest.approx(30.0)
    assert not p.warning
    assert warning_reasons(p) is None


def test_cancelled_activities_are_not_counted() -> None:
    acts = [
        ActivityFacts(0, "cancelled", PAST),
        ActivityFacts(0, "cancelled", PAST),
        ActivityFacts(90, "in_progress", FUTURE),
    ]
    p = plan_progress(acts, [], TODAY)
    assert p.activities_total == 1
    assert p.activities_percent == pytest.approx(90.0)
    assert p.overdue == 0
    assert p.warning

    only_cancelled = plan_progress([ActivityFacts(100, "cancelled", PAST)], [], TODAY)
    assert only_cancelled.activities_total == 0
    assert only_cancelled.activities_complete == 0
    assert only_cancelled.activities_percent is None
    assert not only_cancelled.warning


def test_combine_weights_by_counts() -> None:
    a = plan_progress(
        [ActivityFacts(100, "complete", None)] * 3, [ResultFacts(0, 10, "increase", 10)], TODAY
    )
    b = plan_progress(
        [ActivityFacts(0, "pending", PAST)],
        [ResultFacts(0, 10, "increase", 0)] * 3,
        TODAY,
    )
    both = combine([a, b])
    assert both.activities_total == 4
    assert both.activities_complete == 3
    assert both.activities_percent == pytest.approx(75.0)  # (3×100 + 1×0) / 4
    assert both.results_total == 4
    assert both.results_measured == 4
    assert both.results_percent == pytest.approx(25.0)  # (1×100 + 3×0) / 4
    assert both.overdue == 1
    assert not both.warning


def test_combine_recomputes_the_warning() -> None:
    busy = plan_progress([ActivityFacts(100, "complete", None)], [], TODAY)
    fine = plan_progress([], [ResultFacts(0, 10, "increase", 10)], TODAY)
    assert busy.warning
    assert not fine.warning
    whole = combine([busy, fine])
    assert whole.activities_percent == 100.0
    assert whole.results_percent == 100.0
    assert not whole.warning


def test_combine_of_nothing_is_the_empty_plan() -> None:
    assert combine([]) == plan_progress([], [], TODAY)


# --------------------------------------------------------------------------- plan properties

states = st.one_of(st.none(), st.sampled_from([s.value for s in ActivityState]))
progresses = st.one_of(st.none(), st.floats(min_value=-50, max_value=150), st.just(math.nan))
dates = st.one_of(st.none(), st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
activity_facts = st.builds(ActivityFacts, progresses, states, dates, dates)
result_facts = st.builds(
    ResultFacts,
    st.one_of(st.none(), values),
    st.one_of(st.none(), values),
    st.sampled_from(["increase", "decrease"]),
    st.one_of(st.none(), values),
)
activity_lists = st.lists(activity_facts, max_size=12)
result_lists = st.lists(result_facts, max_size=8)
plans = st.builds(plan_progress, activity_lists, result_lists, st.just(TODAY))


def _check_invariants(p: PlanProgress) -> None:
    for percent in (p.activities_percent, p.results_percent):
        assert percent is None or 0.0 <= percent <= 100.0
    assert (p.activities_percent is None) == (p.activities_total == 0)
    assert (p.results_percent is None) == (p.results_total == 0)
    assert 0 <= p.activities_complete <= p.activities_total
    assert 0 <= p.overdue <= p.activities_total
    assert 0 <= p.results_measured <= p.results_total
    expected_warning = (
        p.activities_total > 0
        and p.activities_percent is not None
        and p.activities_percent >= WARNING_ACTIVITIES
        and (p.results_percent is None or p.results_percent < WARNING_RESULTS)
    )
    assert p.warning == expected_warning
    assert (warning_reasons(p) is not None) == p.warning


@given(activity_lists, result_lists)
def test_plan_invariants(activities: list[ActivityFacts], results: list[ResultFacts]) -> None:
    p = plan_progress(activities, results, TODAY)
    _check_invariants(p)
    counted = [a for a in activities if a.state != "cancelled"]
    assert p.activities_total == len(counted)
    assert p.results_total == len(results)
    if counted:
        assert p.activities_percent == pytest.approx(
            sum(activity_percent(a) for a in counted) / len(counted)
        )


@given(activity_lists, result_lists, st.lists(activity_facts, max_size=5))
def test_cancelled_activities_never_change_the_figures(
    activities: list[ActivityFacts], results: list[ResultFacts], extra: list[ActivityFacts]
) -> None:
    cancelled = [a._replace(state="cancelled") for a in extra]
    assert plan_progress(activities + cancelled, results, TODAY) == plan_progress(
        activities, results, TODAY
    )


@given(plans)
def test_warning_reasons_report_whole_numbers(p: PlanProgress) -> None:
    reasons = warning_reasons(p)
    if reasons is None:
        assert not p.warning
        return
    msgid, params = reasons
    assert all(isinstance(v, int) for v in params.values())
    assert params["activities"] >= WARNING_ACTIVITIES
    if p.results_percent is None:
        assert set(params) == {"activities"}
    else:
        assert params["results"] < WARNING_RESULTS
    assert msgid.format(**params)  # every placeholder is filled


@given(plans)
def test_combine_of_a_single_plan_is_the_plan(p: PlanProgress) -> None:
    assert combine([p]) == p


@given(st.lists(plans, max_size=5), st.randoms(use_true_random=False))
def test_combine_is_order_independent(group: list[PlanProgress], rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(group)
    rnd.shuffle(shuffled)
    whole = combine(group)
    assert combine(shuffled) == whole
    _check_invariants(whole)


@given(activity_lists, result_lists, activity_lists, result_lists)
def test_combine_matches_one_plan_with_everything(
    acts1: list[ActivityFacts],
    res1: list[ResultFacts],
    acts2: list[ActivityFacts],
    res2: list[ResultFacts],
) -> None:
    whole = plan_progress(acts1 + acts2, res1 + res2, TODAY)
    parts = combine([plan_progress(acts1, res1, TODAY), plan_progress(acts2, res2, TODAY)])
    assert parts._replace(activities_percent=None, results_percent=None, warning=False) == (
        whole._replace(activities_percent=None, results_percent=None, warning=False)
    )
    for got, want in (
        (parts.activities_percent, whole.activities_percent),
        (parts.results_percent, whole.results_percent),
    ):
        assert (got is None) == (want is None)
        if got is not None:
            assert got == pytest.approx(want, abs=1e-9)
