"""Progress of a Municipal Action Plan: results achieved beside activities completed.

A plan is judged on two figures that are always shown together: how far its activities have
advanced (the tasks) and how far its expected results have been achieved (what the plan set
out to change). A plan whose activities are almost done while its results barely moved gets a
warning. Everything here is arithmetic on facts the services read from the store.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple


def N_(msgid: str) -> str:
    """Mark a Spanish string for translation where it is shown (the domain cannot translate)."""
    return msgid


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class IndicatorType(StrEnum):
    PRODUCT = "product"
    RESULT = "result"
    IMPACT = "impact"


class ActivityState(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


DIRECTION_LABELS: dict[Direction, str] = {
    Direction.INCREASE: N_("Aumentar"),
    Direction.DECREASE: N_("Disminuir"),
}

INDICATOR_TYPE_LABELS: dict[IndicatorType, str] = {
    IndicatorType.PRODUCT: N_("Producto"),
    IndicatorType.RESULT: N_("Resultado"),
    IndicatorType.IMPACT: N_("Impacto"),
}

ACTIVITY_STATE_LABELS: dict[ActivityState, str] = {
    ActivityState.PENDING: N_("Pendiente"),
    ActivityState.IN_PROGRESS: N_("En curso"),
    ActivityState.COMPLETE: N_("Completa"),
    ActivityState.SUSPENDED: N_("Suspendida"),
    ActivityState.CANCELLED: N_("Cancelada"),
}

WARNING_ACTIVITIES = 80.0  # percent of activities done at or above which results are checked
WARNING_RESULTS = 30.0  # percent of results achieved below which the plan is flagged


# --------------------------------------------------------------------------- results


def _finite(value: float | None) -> float | None:
    """The value as a float, or None when missing, NaN or infinite."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _clamp(value: float, low: float, high: float) -> float:
    if math.isnan(value):
        return low
    return min(high, max(low, value))


def _meets(measured: float, target: float, direction: Direction) -> float:
    """All or nothing, for an indicator with no distance to travel."""
    reached = measured >= target if direction is Direction.INCREASE else measured <= target
    return 1.0 if reached else 0.0


def _share(start: float, end: float, value: float) -> float:
    """(value − start) / (end − start), for end > start, capped to [0, 1].

    When the span overflows (both ends near the float limits) every term is halved first, which
    is exact, so the share stays monotonic in `value` for a given indicator.
    """
    span = end - start
    if math.isinf(span):
        start, end, value = start / 2, end / 2, value / 2
        span = end - start
    return _clamp((value - start) / span, 0.0, 1.0)


def result_achievement(
    baseline: float | None,
    target: float | None,
    measured: float | None,
    direction: Direction | str,
) -> float | None:
    """Fraction 0.0–1.0 of the way from baseline to target reached by the measured value,
    direction-aware, capped to [0, 1]. None when there is no measurement or no target (cannot
    be judged).

    Without a baseline, an increasing indicator with a positive target starts from 0; any other
    indicator without a baseline, or one whose target does not lie beyond its baseline in its
    direction, is all or nothing: 1.0 when the measured value meets or beats the target.
    NaN and infinite numbers count as missing.
    """
    direction = Direction(direction)
    base, goal, value = _finite(baseline), _finite(target), _finite(measured)
    if goal is None or value is None:
        return None
    if base is None:
        if direction is Direction.INCREASE and goal > 0:
            base = 0.0
        else:
            return _meets(value, goal, direction)
    if direction is Direction.INCREASE:
        if goal <= base:
            return _meets(value, goal, direction)
        return _share(base, goal, value)
    if goal >= base:
        return _meets(value, goal, direction)
    # Mirror of the increasing case: b − m over b − t equals (−m) − (−b) over (−t) − (−b).
    return _share(-base, -goal, -value)


# --------------------------------------------------------------------------- activities


class ActivityFacts(NamedTuple):
    """An activity as its last follow-up left it; services fill it from the store."""

    progress: float | None  # last recorded percent, None if never followed up
    state: str | None  # last recorded ActivityState value, None if never followed up
    end_on: dt.date | None
    start_on: dt.date | None = None


class ResultFacts(NamedTuple):
    """An expected result with its indicator and its latest measured value."""

    baseline: float | None
    target: float | None
    direction: str
    measured: float | None  # latest measured value, None if none


def activity_percent(facts: ActivityFacts) -> float:
    """Percent 0–100 done: 100 when complete, 0 when never followed up, else the recorded one."""
    if facts.state == ActivityState.COMPLETE:
        return 100.0
    progress = _finite(facts.progress)
    if progress is None:
        return 0.0
    return _clamp(progress, 0.0, 100.0)


def is_complete(facts: ActivityFacts) -> bool:
    return facts.state == ActivityState.COMPLETE or activity_percent(facts) >= 100.0


def is_overdue(facts: ActivityFacts, today: dt.date) -> bool:
    """Past its end date and still not complete (a cancelled activity is never overdue)."""
    if facts.end_on is None or facts.state == ActivityState.CANCELLED:
        return False
    return facts.end_on < today and not is_complete(facts)


def counts_for_progress(facts: ActivityFacts) -> bool:
    """Cancelled activities are left out of every average."""
    return facts.state != ActivityState.CANCELLED


# --------------------------------------------------------------------------- plans


class PlanProgress(NamedTuple):
    activities_total: int  # activities that count (not cancelled)
    activities_complete: int
    activities_percent: float | None  # mean percent of counted activities, None when none
    results_total: int
    results_measured: int  # results whose achievement could be judged
    results_percent: float | None  # mean achievement ×100, unmeasured counting 0; None if none
    overdue: int
    warning: bool  # activities far ahead of results


def _warning(
    activities_total: int, activities_percent: float | None, results_percent: float | None
) -> bool:
    if activities_total <= 0 or activities_percent is None:
        return False
    if activities_percent < WARNING_ACTIVITIES:
        return False
    return results_percent is None or results_percent < WARNING_RESULTS


def _percent(total: Fraction, count: int) -> float | None:
    """An exact mean rounded once, so it stays in [0, 100] and does not depend on order."""
    if count <= 0:
        return None
    return _clamp(float(total / count), 0.0, 100.0)


def plan_progress(
    activities: Iterable[ActivityFacts],
    results: Iterable[ResultFacts],
    today: dt.date,
) -> PlanProgress:
    counted = [a for a in activities if counts_for_progress(a)]
    activities_percent = _percent(
        sum((Fraction(activity_percent(a)) for a in counted), Fraction(0)), len(counted)
    )

    achievements = [
        result_achievement(r.baseline, r.target, r.measured, r.direction) for r in results
    ]
    measured = [a for a in achievements if a is not None]
    results_percent = _percent(
        sum((Fraction(a) * 100 for a in measured), Fraction(0)), len(achievements)
    )
    return PlanProgress(
        activities_total=len(counted),
        activities_complete=sum(1 for a in counted if is_complete(a)),
        activities_percent=activities_percent,
        results_total=len(achievements),
        results_measured=len(measured),
        results_percent=results_percent,
        overdue=sum(1 for a in counted if is_overdue(a, today)),
        warning=_warning(len(counted), activities_percent, results_percent),
    )


def combine(plans: Iterable[PlanProgress]) -> PlanProgress:
    """Several plans as one (a directorate, a municipality): counts add up, percents are means
    weighted by the counts they were taken over, and the warning is judged on the whole."""
    plans = list(plans)
    activities_total = sum(p.activities_total for p in plans)
    results_total = sum(p.results_total for p in plans)
    activities_sum = sum(
        (
            Fraction(p.activities_percent) * p.activities_total
            for p in plans
            if p.activities_percent is not None and p.activities_total > 0
        ),
        Fraction(0),
    )
    results_sum = sum(
        (
            Fraction(p.results_percent) * p.results_total
            for p in plans
            if p.results_percent is not None and p.results_total > 0
        ),
        Fraction(0),
    )
    activities_percent = _percent(activities_sum, activities_total)
    results_percent = _percent(results_sum, results_total)
    return PlanProgress(
        activities_total=activities_total,
        activities_complete=sum(p.activities_complete for p in plans),
        activities_percent=activities_percent,
        results_total=results_total,
        results_measured=sum(p.results_measured for p in plans),
        results_percent=results_percent,
        overdue=sum(p.overdue for p in plans),
        warning=_warning(activities_total, activities_percent, results_percent),
    )


def warning_reasons(p: PlanProgress) -> tuple[str, dict[str, object]] | None:
    """Why the plan is flagged, as a msgid and its values; None when it is not.

    Percents are rounded down, so a 29.6 % of results never reads as the 30 % threshold.
    """
    if not p.warning:
        return None
    activities = math.floor(p.activities_percent or 0.0)
    if p.results_percent is None:
        return (
            N_(
                "Las actividades van en {activities} % pero el plan no tiene resultados "
                "medidos: no se puede saber si logra lo que se propuso."
            ),
            {"activities": activities},
        )
    return (
        N_(
            "Las actividades van en {activities} % pero los resultados solo en {results} %: "
            "el plan avanza en tareas sin lograr lo que se propuso."
        ),
        {"activities": activities, "results": math.floor(p.results_percent)},
    )
