"""Demo deliverables: after `fieldkit demo` a tour finds products in every state of the review,
delivered ones with their act's data, the scanned signed act and a completed survey, deliveries
on time and late, real files (PDFs, workbooks, photos) in the attachment store; the same seed
writes the same deliverables, and `demo --edits` moves them on through the services."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from fieldkit.domain.deliverables import KINDS, DeliverableState
from fieldkit.services import (
    assistances,
    catalog,
    deliverables,
    demo,
    demo_deliverables,
    demo_plans,
    forms,
    persons,
    plans,
)
from fieldkit.services.deliverables import PHOTO, PRODUCT, SIGNED_ACT
from fieldkit.services.profile import Profile, dump, status

TODAY = dt.date(2026, 8, 15)  # as tests/test_demo.py: dates do not depend on the test day
WITH_DELIVERABLES = {"in_execution", "delivered", "closed"}
SCALE = demo.Scale(municipalities=8, assistances=20, field_professionals=4, students=1,
                   coordinators=1, reviewers=1)  # fmt: skip
TITLES = {p.title: line for line, products in demo_deliverables.PRODUCTS.items() for p in products}


class Demo(NamedTuple):
    profile: Profile
    rows: dict[str, assistances.AssistanceRow]  # by id
    items: list[deliverables.DeliverableRow]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    profile = Profile(tmp_path_factory.mktemp("demo") / "p", device_name="Demo")
    try:
        demo.generate(profile, scale="small", seed=1, today=TODAY)
        rows = {r.id: r for r in assistances.list_assistances(profile)}
        yield Demo(profile, rows, deliverables.list_all(profile))
    finally:
        profile.close()


def test_executed_assistances_have_products_of_their_line_serving_their_plan(small: Demo) -> None:
    assert small.items
    per_assistance = Counter(d.assistance_id for d in small.items)
    assert set(per_assistance.values()) <= {1, 2, 3}
    assert len(per_assistance) == demo_deliverables.MAX_ASSISTANCES  # a sample of the 33
    for d in small.items:
        row = small.rows[d.assistance_id]
        assert row.state in WITH_DELIVERABLES, (row.code, row.state)
        assert d.kind in KINDS and d.title and d.description and d.due_on is not None
        assert TITLES[d.title] == row.thematic_line_code  # a product of the assistance's line
        assert row.start_on is not None and d.due_on >= row.start_on
        # Every assistance here has an approved plan: the product serves 1–2 of its results.
        view = plans.get_plan(small.profile, row.code, TODAY)
        assert view is not None
        assert 1 <= len(d.result_ids) <= 2
        assert set(d.result_ids) <= {r.id for r in view.results}
        photos = [f for f in d.files if f.purpose == PHOTO]
        assert 1 <= len(photos) <= 3
        assert all(f.caption and f.file_name.startswith("IMG_") for f in photos)
        if d.state is not DeliverableState.DRAFT:
            assert any(f.purpose == PRODUCT for f in d.files)
    titles = Counter((d.assistance_id, d.title) for d in small.items)
    assert max(titles.values()) == 1  # never the same product twice in an assistance


def test_every_state_of_the_review_is_there(small: Demo) -> None:
    states = Counter(d.state for d in small.items)
    assert set(states) == set(DeliverableState), states
    # Closed assistances delivered their products; drafts and reviews belong to executing ones.
    for d in small.items:
        state = small.rows[d.assistance_id].state
        if state == "closed":
            assert d.state is DeliverableState.DELIVERED
        if d.state in (DeliverableState.DRAFT, DeliverableState.RETURNED):
            assert state == "in_execution"


def test_reviews_first_time_after_a_return_and_still_open(small: Demo) -> None:
    people = {p.name: p.role for p in persons.list_persons(small.profile)}
    first_time = after_return = in_review = 0
    for d in small.items:
        for review in d.reviews:
            assert people[review.submitted_by] in ("field_professional", "student")
            if review.decision:
                assert people[review.decided_by] in ("reviewer", "coordinator")
            if review.decision == "returned":
                assert review.items, "a return has comments per item"
                # A file of the product (the first version, replaced since) or a part of it.
                names = {f.file_name.replace("-v2.pdf", ".pdf") for f in d.files} | {"general"}
                for item in review.items:
                    assert item.comment
                    assert item.item in names or not item.item.endswith((".pdf", ".xlsx"))
        decisions = [r.decision for r in d.reviews]
        if d.state is DeliverableState.DRAFT:
            assert decisions == []
        elif d.state is DeliverableState.SUBMITTED:
            assert decisions[-1] is None
            in_review += 1
        elif d.state is DeliverableState.RETURNED:
            assert decisions == ["returned"]
        else:  # approved or delivered
            assert decisions[-1] == "approved"
            if decisions == ["approved"]:
                first_time += 1
            else:
                assert decisions == ["returned", "approved"]
                after_return += 1
                returned = d.reviews[0]
                # The team answered every comment and submitted a corrected version.
                assert all(c.addressed and c.response for c in returned.items)
                assert d.reviews[1].note
                assert any(f.file_name.endswith("-v2.pdf") for f in d.files)
    assert first_time and after_return and in_review


def test_delivered_ones_have_the_act_the_signed_scan_and_a_completed_survey(small: Demo) -> None:
    delivered = [d for d in small.items if d.state is DeliverableState.DELIVERED]
    assert len(delivered) >= 5
    averages: list[float] = []
    for d in delivered:
        detail = assistances.get_assistance(small.profile, d.assistance_id)
        assert d.delivered_on is not None and d.delivered_on <= TODAY
        assert d.delivery_place and detail.row.municipality in d.delivery_place
        counterparts = {(c.name, c.position) for c in detail.counterparts}
        assert (d.received_by, d.received_position) in counterparts
        assert d.received_entity == f"Alcaldía municipal de {detail.row.municipality}"
        assert 1 <= len(d.team_present) <= 3
        assert set(d.team_present) <= {m.name for m in detail.team}
        assert d.delivered_by == d.team_present[0]
        assert d.signed_act is not None and d.signed_act.file_name.endswith(".pdf")
        assert d.survey_id is not None
        survey = forms.get_submission(small.profile, d.survey_id)
        assert survey.status == forms.COMPLETE and survey.subject_id == d.id
        answers = forms.stored_answers(small.profile, d.survey_id)
        scores = [int(str(answers[k])) for k in ("pertinencia", "calidad", "oportunidad", "trato", "utilidad")]  # fmt: skip
        assert all(1 <= s <= 5 for s in scores)
        state = forms.open_state(small.profile, d.survey_id)  # the form computes the average
        average = float(str(state.value("promedio")))
        assert average == pytest.approx(round(sum(scores) / 5, 2))
        averages.append(average)
        assert dt.date.fromisoformat(str(answers["fecha"])) >= d.delivered_on
        assert ("mejoras" in answers) == (average < 4)
        assert answers["rol"] in ("alcalde", "secretario", "profesional")
        assert state.validate() == []
    on_time = Counter(d.on_time for d in delivered)
    assert on_time[True] and on_time[False]  # the «a tiempo» figures have both kinds
    # Most officials are satisfied; a late product is not rated best on timeliness.
    assert sum(a >= 4 for a in averages) > len(averages) / 2
    for d in delivered:
        if d.on_time is False:
            answers = forms.stored_answers(small.profile, d.survey_id)  # type: ignore[arg-type]
            assert int(str(answers["oportunidad"])) <= 4


def test_the_files_are_real_and_in_the_attachment_store(small: Demo) -> None:
    from openpyxl import load_workbook
    from PIL import Image
    from pypdf import PdfReader

    seen = Counter()
    for d in small.items:
        for f in d.files:
            path = forms.attachment_path(small.profile, f.id)  # checked against its hash
            data = path.read_bytes()
            assert len(data) == f.size > 0
            if f.purpose == PHOTO:
                image = Image.open(io.BytesIO(data))
                assert image.format == "JPEG" and image.size == (480, 320)
                assert f.media_type == "image/jpeg"
            elif f.file_name.endswith(".pdf"):
                reader = PdfReader(io.BytesIO(data))
                text = " ".join(page.extract_text() for page in reader.pages)
                words = " ".join(text.split())
                if f.purpose == SIGNED_ACT:
                    assert len(reader.pages) == 1
                    assert "ACTA DE ENTREGA" in words and d.received_by in words
                else:
                    assert 1 <= len(reader.pages) <= 2
                    assert " ".join(d.title.split()[:4]) in words
                    assert reader.metadata is not None and reader.metadata.title == d.title
            else:
                assert f.file_name.endswith(".xlsx")
                book = load_workbook(io.BytesIO(data), read_only=True)
                first = next(book.worksheets[0].iter_rows(values_only=True))
                assert first[0] in ("Actividad", "Aspecto evaluado")
                rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
                assert len(rows) >= 2 and all(r[0] for r in rows)
                book.close()
            seen[f.purpose if f.purpose != PRODUCT else f.file_name.rsplit(".", 1)[1]] += 1
    assert seen[PHOTO] and seen[SIGNED_ACT] and seen["pdf"] and seen["xlsx"]


def test_cancelling_at_the_deliverables_keeps_what_was_written(tmp_path: Path) -> None:
    texts: list[str] = []

    def progress(done: int, total: int, text: str) -> bool:
        texts.append(text)
        return text == "Registrando los entregables…"

    with Profile(tmp_path / "p") as profile:
        summary = demo.generate(profile, scale=SCALE, seed=2, today=TODAY, progress=progress)
        assert summary.cancelled
        assert "Registrando los entregables…" in texts
        assert deliverables.list_all(profile) == []  # asked before the first one
        assert plans.progress_by_assistance(profile, TODAY)  # the plans before it stayed


# Determinism ----------------------------------------------------------------------------------


def deliverable_dump(profile: Profile) -> dict[str, list[dict[str, Any]]]:
    """The deliverable entities of `fieldkit dump` (with their files, result links, surveys and
    answers), without what the seed does not decide: record ids become business keys."""
    data = json.loads(dump(profile))
    keys: dict[str, str] = {}
    for m in data["municipality"]:
        keys[m["id"]] = m["code"]
    for line in data["thematic_line"]:
        keys[line["id"]] = line["code"]
    for a in data["assistance"]:
        keys[a["id"]] = f"{keys[a['municipality_id']]}/{keys[a['thematic_line_id']]}"
    for p in data["plan"]:
        keys[p["id"]] = keys[p["assistance_id"]]
    for r in data["result"]:
        keys[r["id"]] = f"{keys[r['plan_id']]}/r{r['sort_order']}"
    for d in data["deliverable"]:
        keys[d["id"]] = f"{keys[d['assistance_id']]}/{d['title']}"
    for r in data["deliverable_review"]:
        keys[r["id"]] = f"{keys[r['deliverable_id']]}/{r['number']}"
    surveys = [s for s in data["submission"] if s["kind"] == "survey"]
    for s in surveys:
        keys[s["id"]] = f"{keys[s['subject_id']]}/encuesta"
    clocks = {"id", "created_at", "updated_at", "submitted_at", "decided_at", "started_at",
              "completed_at"}  # fmt: skip

    def plain(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = [
            {
                k: keys.get(v, v) if isinstance(v, str) else v
                for k, v in r.items()
                if k not in clocks
            }
            for r in records
        ]
        return sorted(out, key=lambda r: json.dumps(r, sort_keys=True))

    return {
        "deliverable": plain(data["deliverable"]),
        "deliverable_review": plain(data["deliverable_review"]),
        "review_comment": plain(data["review_comment"]),
        "attachment": plain([a for a in data["attachment"] if a["owner_entity"] == "deliverable"]),
        "plan_link": plain([x for x in data["plan_link"] if x["kind"] == "deliverable_result"]),
        "submission": plain(surveys),
        "answer": plain([a for a in data["answer"] if a["submission_id"] in {s["id"] for s in surveys}]),
    }  # fmt: skip


def test_the_same_seed_writes_the_same_deliverables_and_files(tmp_path: Path) -> None:
    dumps = []
    for name in ("uno", "otro"):
        with Profile(tmp_path / name, device_name=name.capitalize()) as profile:
            demo.generate(profile, scale=SCALE, seed=2, today=TODAY)
            dumps.append(deliverable_dump(profile))
    ours, theirs = dumps
    assert ours == theirs
    assert ours["deliverable"] and ours["plan_link"] and ours["submission"]
    # Every file, photo and act has the same bytes: the same hash in both.
    assert len({a["sha256"] for a in ours["attachment"]}) == len(ours["attachment"])


def test_planning_is_pure_capped_and_covers_every_story(small: Demo) -> None:
    """plan_all alone on a national year: deterministic, a sample of MAX_ASSISTANCES, every
    state, deliveries on time and late, and each delivered one with its act and survey."""
    p = small.profile
    year = demo._plan(
        random.Random(7),
        demo.SCALES["national"],
        catalog.list_municipalities(p),
        [d.code for d in catalog.directorates(p)],
        [o.code for o in catalog.thematic_lines(p)],
        TODAY,
    )
    action_plans = demo_plans.plan_all(year.assistances, year.persons, seed=7, today=TODAY)

    def planned(seed: int) -> list[list[demo_deliverables.DemoDeliverable]]:
        return demo_deliverables.plan_all(
            year.assistances, year.persons, action_plans, seed=seed, today=TODAY
        )

    first = planned(7)
    assert first == planned(7) and first != planned(8)
    assert sum(bool(x) for x in first) == demo_deliverables.MAX_ASSISTANCES
    # The sample prefers assistances with a plan, whose results the products serve.
    for a, plan, items in zip(year.assistances, action_plans, first, strict=True):
        for d in items:
            assert a.state.value in WITH_DELIVERABLES
            assert plan is not None
            assert set(d.data.result_ids) <= {r.data.statement for r in plan.results}
    items = [d for x in first for d in x]
    assert set(demo_deliverables.counts(first)) == set(DeliverableState)
    late = Counter(d.late for d in items if d.state is DeliverableState.DELIVERED)
    assert late[True] and late[False]
    for d in items:
        delivered = d.state is DeliverableState.DELIVERED
        assert (d.delivery is not None) == delivered == (d.act is not None)
        assert (d.survey is not None) == delivered
        if d.delivery is not None:
            assert d.delivery.delivered_on <= TODAY
            assert d.delivery.received_by and d.delivery.team_present
    # The files follow from the plan: made twice, the same bytes.
    d = next(d for d in items if d.act is not None and len(d.files) > 1)
    for f in [*d.files, d.act]:
        assert f is not None
        assert demo_deliverables.MAKERS[f.kind](d, f) == demo_deliverables.MAKERS[f.kind](d, f)


# Simulated edits ------------------------------------------------------------------------------


@pytest.fixture
def edited(tmp_path: Path) -> Iterator[Profile]:
    profile = Profile(tmp_path / "p", device_name="Edición")
    try:
        demo.generate(profile, scale=SCALE, seed=2, today=TODAY)
        yield profile
    finally:
        profile.close()


def test_simulated_edits_move_deliverables_on(edited: Profile) -> None:
    def snapshot() -> dict[str, Any]:
        items = deliverables.list_all(edited)
        return {
            "records": status(edited).records,
            "delivered": sum(d.state is DeliverableState.DELIVERED for d in items),
            "addressed": sum(c.addressed for d in items for r in d.reviews for c in r.items),
            "photos": sum(f.purpose == PHOTO for d in items for f in d.files),
        }

    before = snapshot()
    summary = demo.simulate_edits(edited, 120, seed=5, today=TODAY)
    after = snapshot()
    kinds = {k: summary.by_kind.get(k, 0) for k in demo_deliverables.EDIT_KINDS}
    assert sum(kinds.values()) > 0 and sum(n > 0 for n in kinds.values()) >= 3, kinds
    records = {k: after["records"][k] - before["records"][k] for k in after["records"]}
    assert records["deliverable_review"] == kinds[demo_deliverables.SUBMIT_EDIT]
    assert records["review_comment"] == kinds[demo_deliverables.RETURN_EDIT]
    assert records["attachment"] == kinds[demo_deliverables.PHOTO_EDIT]
    assert after["photos"] - before["photos"] == kinds[demo_deliverables.PHOTO_EDIT]
    assert after["delivered"] - before["delivered"] == kinds[demo_deliverables.DELIVER_EDIT]
    assert after["addressed"] - before["addressed"] == kinds[demo_deliverables.ANSWER_EDIT]
    # Deliveries of the day, recorded by this profile's user; returns signed by a reviewer.
    people = {p.name: p.role for p in persons.list_persons(edited)}
    items = deliverables.list_all(edited)
    todays = [d for d in items if d.delivered_by == edited.author]
    assert len(todays) == kinds[demo_deliverables.DELIVER_EDIT]
    assert all(d.delivered_on == TODAY for d in todays)
    for d in items:
        for review in d.reviews:
            if review.decision:
                assert people[review.decided_by] in ("reviewer", "coordinator")
