"""Demo action plans: every planned assistance has a realistic plan, the tour finds each kind of
plan (healthy, overdue, «activities done, results not achieved», returned, second version), the
same seed writes the same plans, and `demo --edits` follows plans up through the services."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from fieldkit.domain.plans import PlanState
from fieldkit.domain.progress import warning_reasons
from fieldkit.services import assistances, demo, demo_plans, forms, persons, plans
from fieldkit.services.profile import Profile, dump, status

TODAY = dt.date(2026, 8, 15)  # as tests/test_demo.py: dates do not depend on the test day
WITH_PLAN = {"diagnosed", "planned", "in_execution", "delivered", "closed"}
OFFICIAL = re.compile(r"^\w+( \w+)+ \w+, [\w ]+$")  # «Nombre Apellido Apellido, Cargo»


class Demo(NamedTuple):
    profile: Profile
    rows: list[assistances.AssistanceRow]
    views: dict[str, plans.PlanView]  # by assistance code


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    profile = Profile(tmp_path_factory.mktemp("demo") / "p", device_name="Demo")
    try:
        demo.generate(profile, scale="small", seed=1, today=TODAY)
        rows = assistances.list_assistances(profile)
        views = {}
        for r in rows:
            view = plans.get_plan(profile, r.code, TODAY)
            if view is not None:
                views[r.code] = view
        yield Demo(profile, rows, views)
    finally:
        profile.close()


def test_the_assistances_that_reached_the_diagnosis_have_a_plan(small: Demo) -> None:
    states = Counter(r.state for r in small.rows)
    assert states["planned"] and states["in_execution"]
    for r in small.rows:
        assert (r.code in small.views) == (r.state in WITH_PLAN), (r.code, r.state)
    by_state = Counter(
        (r.state, small.views[r.code].state) for r in small.rows if r.code in small.views
    )
    # Executing and delivered work runs on an approved plan; plans still being written or
    # reviewed belong to assistances that are not executing yet.
    for (state, plan_state), _n in by_state.items():
        if state in ("in_execution", "delivered", "closed"):
            assert plan_state is PlanState.APPROVED, (state, plan_state)
    assert {PlanState.DRAFT, PlanState.SUBMITTED} & {
        p for (s, p) in by_state if s in ("diagnosed", "planned")
    }


def test_plans_read_like_a_municipal_action_plan(small: Demo) -> None:
    people = {p.name: p for p in persons.list_persons(small.profile)}
    for code, view in small.views.items():
        assert view.problem and view.objective and view.alternative, code
        assert 2 <= len(view.results) <= 4, code
        assert len(view.findings) >= len(view.results), code
        for result in view.results:
            assert result.indicator_name and result.unit and result.target is not None, code
            assert result.baseline is not None and result.verification, code
            if result.direction == "increase":
                assert result.target >= result.baseline
            else:
                assert result.target <= result.baseline
            assert result.findings, f"{code}: every result addresses a finding"
            # 2–4 per result as planned; a return or a second version may add one each.
            if view.state is not PlanState.DRAFT:
                assert 2 <= len(result.activities) <= 6, code
            for activity in result.activities:
                assert activity.start_on and activity.end_on
                assert activity.start_on <= activity.end_on
                if activity.responsible == "municipality":
                    assert OFFICIAL.match(activity.responsible_name), activity.responsible_name
                else:
                    assert activity.responsible_name in people, activity.responsible_name
                for f in activity.follow_ups:
                    assert f.recorded_on and f.recorded_on <= TODAY
                    assert f.recorded_by in people  # a person of the team recorded it
        # The decision carries the name of a reviewer of the demo.
        for version in view.versions:
            if version.decision:
                assert people[version.decided_by].role in ("reviewer", "coordinator")
                assert people[version.submitted_by].role in ("field_professional", "student")


def test_a_tour_finds_plans_whose_activities_run_ahead_of_their_results(small: Demo) -> None:
    flagged = [v for v in small.views.values() if v.progress.warning]
    assert len(flagged) >= 3  # several, so the warning is easy to find
    for view in flagged:
        p = view.progress
        assert p.activities_percent is not None and p.activities_percent >= 80
        assert p.results_percent is not None and p.results_percent < 30
        msgid, values = warning_reasons(p)  # type: ignore[misc]
        assert "resultados" in msgid and values["results"] < 30
    # The same figures everywhere: the list of every plan agrees with each plan's own view.
    by_assistance = plans.progress_by_assistance(small.profile, TODAY)
    for view in small.views.values():
        assert by_assistance[view.assistance_id].progress == view.progress


def test_healthy_plans_and_plans_with_overdue_activities(small: Demo) -> None:
    approved = [v for v in small.views.values() if v.state is PlanState.APPROVED]
    healthy = [
        v
        for v in approved
        if not v.progress.warning and not v.progress.overdue and v.progress.results_measured
    ]
    assert len(healthy) >= len(approved) // 3
    late = [v for v in small.views.values() if v.progress.overdue]
    assert late
    overdue = plans.overdue(small.profile, TODAY)
    assert {row.activity_id for row in overdue} == {
        a.id for v in late for a in v.activities if a.overdue
    }
    for v in late:
        for a in v.activities:
            if a.overdue:
                assert a.end_on < TODAY and not a.complete  # type: ignore[operator]


def test_reviews_returned_approved_after_a_return_and_a_second_version(small: Demo) -> None:
    views = list(small.views.values())
    returned = [v for v in views if v.state is PlanState.RETURNED]
    assert returned
    for v in returned:
        assert v.editable and v.last_version is not None
        assert v.last_version.decision == "returned" and v.last_version.comments
    fixed = [
        v
        for v in views
        if v.state is PlanState.APPROVED
        and [x.decision for x in v.versions][:2] == ["returned", "approved"]
    ]
    assert fixed
    second = [v for v in views if v.version == 2]
    assert second
    for v in second:
        assert [x.version for x in v.versions][-2:] == [1, 2]
        assert v.versions[-1].decision == "approved" and v.versions[-1].comments
        before = plans.version_snapshot(small.profile, v.versions[-2].id)
        after = plans.version_snapshot(small.profile, v.versions[-1].id)
        assert before["results"] != after["results"]  # the target and a new activity


def test_visits_are_linked_to_the_activities_they_advanced(small: Demo) -> None:
    linked = [(code, a) for code, v in small.views.items() for a in v.activities if a.visits]
    assert linked
    for code, activity in linked:
        visits = {v.submission_id: v for v in forms.visits(small.profile, code)}
        for visit_id in activity.visits:
            assert visits[visit_id].status == "complete"
            assert visits[visit_id].attendance.total > 0


def plan_dump(profile: Profile) -> dict[str, list[dict[str, Any]]]:
    """The plan entities of `fieldkit dump`, without what the seed does not decide (record ids,
    clocks, the device tag in codes): ids become the business keys of what they point to."""
    data = json.loads(dump(profile))
    keys: dict[str, str] = {}
    for m in data["municipality"]:
        keys[m["id"]] = m["code"]
    for line in data["thematic_line"]:
        keys[line["id"]] = line["code"]
    for a in data["assistance"]:
        keys[a["id"]] = f"{keys[a['municipality_id']]}/{keys[a['thematic_line_id']]}"
    for s in data["submission"]:
        keys[s["id"]] = f"{keys[s['assistance_id']]}/{s['form_id']}"
    for f in data["finding"]:
        keys[f["id"]] = f"{keys[f['assistance_id']]}/{f['statement']}"
    for p in data["plan"]:
        keys[p["id"]] = keys[p["assistance_id"]]
    for r in data["result"]:
        keys[r["id"]] = f"{keys[r['plan_id']]}/r{r['sort_order']}"
    for a in data["activity"]:
        keys[a["id"]] = f"{keys[a['result_id']]}/a{a['sort_order']}"
    for d in data["deliverable"]:  # plan links of kind deliverable_result point at them
        keys[d["id"]] = f"{keys[d['assistance_id']]}/{d['title']}"
    clocks = {"id", "created_at", "updated_at", "submitted_at", "decided_at"}

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            return keys.get(value, value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k != "id"}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    out = {}
    for entity in plans.PLAN_ENTITIES:
        records = []
        for record in data[entity]:
            projected = {k: plain(v) for k, v in record.items() if k not in clocks}
            if projected.get("snapshot"):
                projected["snapshot"] = plain(json.loads(projected["snapshot"]))
            records.append(projected)
        out[entity] = sorted(records, key=lambda r: json.dumps(r, sort_keys=True))
    return out


def test_the_same_seed_writes_the_same_plans(small: Demo, tmp_path: Path) -> None:
    with Profile(tmp_path / "again", device_name="Otra") as again:
        demo.generate(again, scale="small", seed=1, today=TODAY)
        ours, theirs = plan_dump(small.profile), plan_dump(again)
    assert ours == theirs
    assert len(ours["plan"]) == len(small.views) and ours["follow_up"] and ours["plan_link"]


def test_planning_is_pure_capped_and_each_plan_tells_its_story(small: Demo) -> None:
    """plan_all alone on a national year: deterministic, a sample of MAX_PLANS plans, and each
    plan's figures are what its story says (the warning where activities run ahead, overdue
    activities where they are late, neither in healthy plans)."""
    import random

    from fieldkit.services import catalog

    p = small.profile
    year = demo._plan(
        random.Random(7),
        demo.SCALES["national"],
        catalog.list_municipalities(p),
        [d.code for d in catalog.directorates(p)],
        [o.code for o in catalog.thematic_lines(p)],
        TODAY,
    )
    first = demo_plans.plan_all(year.assistances, year.persons, seed=7, today=TODAY)
    assert first == demo_plans.plan_all(year.assistances, year.persons, seed=7, today=TODAY)
    assert first != demo_plans.plan_all(year.assistances, year.persons, seed=8, today=TODAY)
    written = [x for x in first if x is not None]
    assert len(written) == demo_plans.MAX_PLANS
    assert 0 < sum(x.visit is not None for x in written) <= demo_plans.MAX_VISITS
    Pattern = demo_plans.Pattern
    for x in written:
        progress = x.progress(TODAY)
        assert progress.warning == (x.pattern is Pattern.WARNING), x.code_hint
        if x.pattern is Pattern.OVERDUE:
            assert progress.overdue > 0, x.code_hint
        elif x.pattern is not Pattern.WARNING:
            assert progress.overdue == 0, x.code_hint
        if x.pattern is Pattern.NONE:
            assert not any(a.follow_ups for r in x.results for a in r.activities)
            assert x.state is not PlanState.APPROVED
        for r in x.results:
            assert all(day <= TODAY for day, _value, _note in r.measurements)
    patterns = Counter(x.pattern for x in written)
    assert patterns[Pattern.WARNING] >= 3 and patterns[Pattern.OVERDUE] >= 1


@pytest.fixture
def edited(tmp_path: Path) -> Iterator[Profile]:
    scale = demo.Scale(municipalities=8, assistances=20, field_professionals=4, students=1,
                       coordinators=1, reviewers=1)  # fmt: skip
    profile = Profile(tmp_path / "p", device_name="Edición")
    try:
        demo.generate(profile, scale=scale, seed=2, today=TODAY)
        yield profile
    finally:
        profile.close()


def test_simulated_edits_follow_the_plans_up(edited: Profile) -> None:
    before = status(edited).records
    links_before = sum(len(a.visits) for v in all_views(edited) for a in v.activities)
    summary = demo.simulate_edits(edited, 60, seed=5, today=TODAY)
    after = status(edited).records
    kinds = summary.by_kind
    progress, measure = demo_plans.PROGRESS_EDIT, demo_plans.MEASURE_EDIT
    assert kinds.get(progress, 0) > 0
    assert after["follow_up"] - before["follow_up"] == kinds.get(progress, 0) + kinds.get(
        measure, 0
    )
    assert after["activity"] - before["activity"] == kinds.get(demo_plans.ACTIVITY_EDIT, 0)
    assert after["plan_version"] - before["plan_version"] == kinds.get(demo_plans.SUBMIT_EDIT, 0)
    links_after = sum(len(a.visits) for v in all_views(edited) for a in v.activities)
    assert links_after - links_before == kinds.get(demo_plans.VISIT_LINK_EDIT, 0)
    # Today's follow-ups are there, recorded through the service by this profile's user.
    recorded = [
        f
        for v in all_views(edited)
        for a in v.activities
        for f in a.follow_ups
        if f.recorded_on == TODAY and f.recorded_by == edited.author
    ]
    assert len(recorded) == kinds.get(progress, 0)


def all_views(profile: Profile) -> list[plans.PlanView]:
    out = []
    for r in assistances.list_assistances(profile):
        view = plans.get_plan(profile, r.code, TODAY)
        if view is not None:
            out.append(view)
    return out
