"""Demo data: counts, workflow histories, realism rules and determinism, on real SQLite profiles."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldkit.domain.codes import parse_code
from fieldkit.domain.errors import ValidationError
from fieldkit.domain.states import FORWARD, AssistanceState
from fieldkit.services import assistances, catalog, demo, persons
from fieldkit.services.assistances import AssistanceDetail
from fieldkit.services.profile import Profile

TODAY = dt.date(2026, 8, 15)  # fixed, so dates and overdue work do not depend on the test day
SMALL = demo.SCALES["small"]
TINY = demo.Scale(municipalities=4, assistances=10, field_professionals=3, students=1,
                  coordinators=1, reviewers=1)  # fmt: skip
EMAIL = re.compile(r"^[a-z]+\.[a-z]+\d*@[a-z0-9]+-[a-z0-9]+\.gov\.co$")
MOBILE = re.compile(r"^3\d{2} \d{3} \d{4}$")


@dataclass(frozen=True)
class Demo:
    profile: Profile
    summary: demo.DemoSummary
    details: list[AssistanceDetail]
    people: list[persons.PersonRow]


def _run(path: Path, seed: int) -> tuple[Profile, demo.DemoSummary]:
    profile = Profile(path)
    try:
        return profile, demo.generate(profile, scale="small", seed=seed, today=TODAY)
    except BaseException:
        profile.close()
        raise


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    profile, summary = _run(tmp_path_factory.mktemp("demo") / "p", seed=1)
    try:
        details = [
            assistances.get_assistance(profile, r.code)
            for r in assistances.list_assistances(profile)
        ]
        yield Demo(profile, summary, details, persons.list_persons(profile))
    finally:
        profile.close()


def projection(
    profile: Profile, details: list[AssistanceDetail] | None = None
) -> tuple[list[tuple], list[tuple]]:
    """What the seed decides: everything but record ids, clocks and the device tag in codes."""
    if details is None:
        details = [
            assistances.get_assistance(profile, r.code)
            for r in assistances.list_assistances(profile)
        ]
    rows = []
    for d in details:
        r = d.row
        parts = parse_code(r.code)
        assert parts is not None
        rows.append(
            (
                parts["year"], parts["n"], r.municipality_code, r.thematic_line_code, r.state,
                r.requested_on, r.start_on, r.end_on, r.team, d.notes, d.cancel_reason,
                tuple((c.name, c.position, c.email, c.phone) for c in d.counterparts),
                tuple((h.from_state, h.to_state, h.reason) for h in d.history),
            )
        )  # fmt: skip
    people = [
        (p.name, p.role, p.directorate_code, p.email, p.phone)
        for p in persons.list_persons(profile)
    ]
    return rows, people


def summary_projection(profile: Profile) -> list[tuple]:
    """The list screen's columns, without ids and device tags: cheap, for telling seeds apart."""
    return [
        (r.code[-3:], r.municipality_code, r.thematic_line_code, r.state, r.requested_on, r.team)
        for r in assistances.list_assistances(profile)
    ]


def test_small_scale_counts(small: Demo) -> None:
    s = small.summary
    assert (s.assistances, s.persons, s.municipalities) == (60, 25, 25)
    assert len(small.details) == 60 and len(small.people) == 25
    assert s.persons_by_role == {
        "field_professional": SMALL.field_professionals,
        "student": SMALL.students,
        "reviewer": SMALL.reviewers,
        "coordinator": SMALL.coordinators,
    }
    assert s.directorates_loaded and len(catalog.directorates(small.profile)) == 16
    assert not s.cancelled and s.elapsed > 0
    assert len(s.codes) == 60 and set(s.codes) == {d.row.code for d in small.details}
    assert "60" in str(s) and "25" in str(s)  # the one-line summary the CLI prints


def test_every_state_is_represented(small: Demo) -> None:
    states = [d.row.state for d in small.details]
    assert set(states) == {s.value for s in AssistanceState}
    assert small.summary.by_state == {s.value: states.count(s.value) for s in AssistanceState}


def test_codes_are_unique(small: Demo) -> None:
    codes = [d.row.code for d in small.details]
    assert len(set(codes)) == len(codes)
    assert all(parse_code(c) for c in codes)


def test_history_walks_the_workflow_to_the_current_state(small: Demo) -> None:
    for d in small.details:
        steps = [(h.from_state, h.to_state) for h in d.history]
        assert steps[0] == (None, AssistanceState.REQUESTED.value), d.row.code
        assert steps[-1][1] == d.row.state, d.row.code
        for (_from, previous), (origin, _to) in itertools.pairwise(steps):
            assert origin == previous, d.row.code
        forward = [to for _, to in steps if to != AssistanceState.CANCELLED.value]
        assert forward == [s.value for s in FORWARD[: len(forward)]], d.row.code
        if d.row.state != AssistanceState.REQUESTED.value:
            assert len(d.history) >= 2, d.row.code


def test_cancelled_ones_carry_a_reason(small: Demo) -> None:
    cancelled = [d for d in small.details if d.row.state == AssistanceState.CANCELLED.value]
    assert cancelled
    for d in cancelled:
        assert d.cancel_reason.strip()
        assert d.history[-1].reason == d.cancel_reason
    assert all(not d.cancel_reason for d in small.details if d not in cancelled)


def test_dates_are_ordered_and_in_this_year(small: Demo) -> None:
    for d in small.details:
        r = d.row
        assert r.requested_on and r.start_on and r.end_on, r.code
        assert r.requested_on <= r.start_on <= r.end_on, r.code
        assert r.requested_on <= TODAY and r.requested_on.year == r.end_on.year == TODAY.year
        if r.state in (AssistanceState.DELIVERED.value, AssistanceState.CLOSED.value):
            assert r.end_on <= TODAY, r.code
    overdue = [
        d
        for d in small.details
        if d.row.state in (AssistanceState.PLANNED.value, AssistanceState.IN_EXECUTION.value)
        and d.row.end_on
        and d.row.end_on < TODAY
    ]
    assert overdue


def test_spread_over_lines_directorates_and_pdet(small: Demo) -> None:
    rows = [d.row for d in small.details]
    assert {r.thematic_line_code for r in rows} == {
        o.code for o in catalog.thematic_lines(small.profile)
    }
    assert {r.directorate_code for r in rows} == {
        d.code for d in catalog.directorates(small.profile)
    }
    municipalities = {r.municipality_code: r.pdet_subregion for r in rows}
    assert not [c for c in municipalities if c.endswith("001")]  # no departmental capitals
    # 170 of ~1,100 municipalities are PDET (15 %); the demo favours them on purpose.
    assert sum(1 for s in municipalities.values() if s) >= len(municipalities) * 0.3
    # A municipality asks for each thematic line at most once.
    pairs = [(r.municipality_code, r.thematic_line_code) for r in rows]
    assert len(set(pairs)) == len(pairs)


def test_teams_and_counterparts_look_real(small: Demo) -> None:
    people = {p.id: p for p in small.people}
    fitting: dict[str, set[str]] = {}
    for line in catalog.thematic_lines(small.profile):
        for row in demo._rows("cargos.csv"):
            if not row["lineas"] or line.code in row["lineas"].split(";"):
                fitting.setdefault(line.code, set()).update((row["masculino"], row["femenino"]))
    for d in small.details:
        assert 1 <= len(d.team) <= 3, d.row.code
        lead = [m for m in d.team if m.team_role == "lead"]
        assert len(lead) == 1 and lead[0].role == "field_professional"
        # Every directorate has a professional at small scale, so teams are local.
        assert {people[m.person_id].directorate_code for m in d.team} == {d.row.directorate_code}
        assert {m.role for m in d.team} <= {"field_professional", "student"}
        assert 1 <= len(d.counterparts) <= 3, d.row.code
        assert len({c.position for c in d.counterparts}) == len(d.counterparts)
        # The first counterpart is the one whose office deals with the thematic line.
        assert d.counterparts[0].position in fitting[d.row.thematic_line_code], d.row.code
        for c in d.counterparts:
            assert len(c.name.split()) >= 3 and c.position
            assert EMAIL.match(c.email), c.email
            assert MOBILE.match(c.phone), c.phone
    for p in small.people:
        assert len(p.name.split()) >= 3 and MOBILE.match(p.phone) and "@" in p.email
        assert bool(p.directorate_code) == (p.role != "reviewer")
    assert len({p.name for p in small.people}) == len(small.people)


def test_writes_went_through_the_change_log(small: Demo) -> None:
    from fieldkit.services.profile import status

    records = status(small.profile).records
    assert records["assistance"] == 60
    assert records["state_change"] == sum(len(d.history) for d in small.details)
    assert records["counterpart"] == sum(len(d.counterparts) for d in small.details)
    assert status(small.profile).operations > 60 * 10


def test_same_seed_gives_the_same_data(small: Demo, tmp_path: Path) -> None:
    profile, summary = _run(tmp_path / "again", seed=1)
    try:
        assert projection(profile) == projection(small.profile, small.details)
        assert summary.by_state == small.summary.by_state
        # Ids are random by design: the same data, new records.
        assert {d.row.id for d in small.details}.isdisjoint(
            r.id for r in assistances.list_assistances(profile)
        )
    finally:
        profile.close()


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    runs = []
    for seed in (1, 2):
        with Profile(tmp_path / f"seed{seed}") as profile:
            summary = demo.generate(profile, scale=TINY, seed=seed, today=TODAY)
            names = {p.name for p in persons.list_persons(profile)}
            runs.append((summary, summary_projection(profile), names))
    (first, ours, our_names), (second, theirs, their_names) = runs
    assert first.assistances == second.assistances == TINY.assistances  # same scale, …
    assert ours != theirs and our_names != their_names  # … other records
    assert {r[1] for r in ours} != {r[1] for r in theirs}  # other municipalities


def test_running_twice_adds_more_data(tmp_path: Path) -> None:
    with Profile(tmp_path / "p") as profile:
        first = demo.generate(profile, scale=TINY, seed=7, today=TODAY)
        second = demo.generate(profile, scale=TINY, seed=7, today=TODAY)
        assert first.directorates_loaded and not second.directorates_loaded
        assert first.scale == second.scale == "custom"
        rows = assistances.list_assistances(profile)
        people = persons.list_persons(profile)
        assert len(rows) == first.assistances + second.assistances == 2 * TINY.assistances
        assert len({r.code for r in rows}) == len(rows)
        assert len(people) == 2 * TINY.persons
        assert len({p.name for p in people}) == len(people)  # new people, not namesakes
        assert len({p.email for p in people}) == len(people)
        assert len(catalog.directorates(profile)) == 16


def test_progress_reports_and_can_cancel(tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, text: str) -> bool:
        calls.append((done, total, text))
        return done >= TINY.persons + 3  # cancel after three assistances

    with Profile(tmp_path / "p") as profile:
        summary = demo.generate(profile, scale=TINY, seed=3, today=TODAY, progress=progress)
        assert summary.cancelled
        assert (summary.persons, summary.assistances) == (TINY.persons, 3)
        assert len(assistances.list_assistances(profile)) == 3
        assert sum(summary.by_state.values()) == 3
    dones = [c[0] for c in calls]
    assert dones == sorted(dones) and dones[0] == 0
    assert {c[1] for c in calls} == {TINY.persons + TINY.assistances}
    assert all(c[2] for c in calls)


def test_progress_returning_none_runs_to_the_end(tmp_path: Path) -> None:
    seen: list[int] = []
    with Profile(tmp_path / "p") as profile:
        summary = demo.generate(
            profile, scale=TINY, seed=3, today=TODAY, progress=lambda d, t, s: seen.append(d)
        )
    assert not summary.cancelled and summary.assistances == TINY.assistances
    assert seen[-1] == TINY.persons + TINY.assistances


def test_unknown_scale_is_refused(tmp_path: Path) -> None:
    with Profile(tmp_path / "p") as profile, pytest.raises(ValidationError, match="huge"):
        demo.generate(profile, scale="huge")


def test_allocate_is_proportional_with_a_minimum() -> None:
    assert demo.allocate(10, [1, 1, 2]) == [3, 2, 5]  # the tie for the last one goes first
    assert demo.allocate(16, [0, 5, 100], minimum=1) == [1, 2, 13]
    assert demo.allocate(2, [3, 1, 5], minimum=1) == [1, 0, 1]  # too few for the minimum
    assert demo.allocate(7, [0, 0]) == [4, 3]
    assert demo.allocate(5, []) == []


def test_slugs_and_municipal_domains() -> None:
    assert demo.slug("San Andrés de Tumaco") == "sanandresdetumaco"
    row = catalog.MunicipalityRow(
        "13244", "El Carmen de Bolívar", "13", "Bolívar", "MUNICIPIO", "Montes de María", "",
        "BOL", "", None, None,
    )  # fmt: skip
    assert demo.municipal_domain(row) == "elcarmendebolivar-bolivar.gov.co"


def test_simulated_field_edits_go_through_the_services_and_repeat_by_seed(tmp_path: Path) -> None:
    from fieldkit.services.profile import dump, status

    summaries = []
    for run in ("a", "b"):
        p = Profile(tmp_path / run)
        try:
            demo.generate(p, scale=TINY, seed=4, today=dt.date(2026, 6, 1))
            before = status(p).operations
            summary = demo.simulate_edits(p, 30, seed=9, today=dt.date(2026, 6, 2))
            assert summary.applied > 0 and status(p).operations > before  # real operations
            assert set(summary.by_kind) <= set(demo.EDIT_KINDS)
            summaries.append(summary)
            assert "cambios simulados" in str(summary)
            dump(p)
        finally:
            p.close()
    assert summaries[0] == summaries[1]  # same seed, same data: the same edits


def test_simulated_edits_can_be_cancelled(tmp_path: Path) -> None:
    p = Profile(tmp_path / "p")
    try:
        demo.generate(p, scale=TINY, seed=4, today=dt.date(2026, 6, 1))
        summary = demo.simulate_edits(p, 50, seed=1, progress=lambda done, total, text: done >= 5)
        assert summary.cancelled and summary.applied <= 5
    finally:
        p.close()
