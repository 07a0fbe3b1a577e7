"""Demo data: a realistic year of technical assistance, written only through the public services."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import NamedTuple, TypeVar

from fieldkit.domain.errors import FieldkitError, ValidationError
from fieldkit.domain.states import FORWARD, AssistanceState
from fieldkit.domain.text import fold
from fieldkit.i18n import N_, _, format_number
from fieldkit.services import assistances, catalog, demo_deliverables, demo_plans, persons
from fieldkit.services.assistances import AssistanceInput, CounterpartInput
from fieldkit.services.catalog import MunicipalityRow
from fieldkit.services.profile import Profile

Progress = Callable[[int, int, str], bool | None]
T = TypeVar("T")

# Staff addresses use a reserved domain (RFC 2606): the people are invented, and a mail client
# opened from a demo tour must not reach a real institution's inbox.
STAFF_DOMAIN = "demo.fieldkit.example"
# Colombian mobile prefixes in use (Claro, Movistar, Tigo, WOM, Avantel…).
MOBILE_PREFIXES = (
    "300", "301", "302", "304", "305", "310", "311", "312", "313", "314", "315", "316", "317",
    "318", "319", "320", "321", "322", "323", "324", "350", "351",
)  # fmt: skip
PDET_WEIGHT = 5.0  # the strategy mostly serves PDET municipalities: make them 5× likelier

# How a year's assistances are spread over the workflow: most are being executed or already
# closed; every state keeps at least one so each screen and report has something to show.
STATE_WEIGHTS: dict[AssistanceState, float] = {
    AssistanceState.REQUESTED: 6,
    AssistanceState.CONCERTED: 8,
    AssistanceState.DIAGNOSED: 10,
    AssistanceState.PLANNED: 12,
    AssistanceState.IN_EXECUTION: 28,
    AssistanceState.DELIVERED: 10,
    AssistanceState.CLOSED: 18,
    AssistanceState.CANCELLED: 8,
}
# The state an assistance had reached when it was cancelled: mostly early, seldom mid-execution.
CANCEL_STAGE_WEIGHTS: dict[AssistanceState, float] = {
    AssistanceState.REQUESTED: 3,
    AssistanceState.CONCERTED: 3,
    AssistanceState.DIAGNOSED: 2,
    AssistanceState.PLANNED: 2,
    AssistanceState.IN_EXECUTION: 1,
}
TEAM_SIZES = ((1, 3), (2, 5), (3, 2))  # (size, weight)
COUNTERPART_COUNTS = ((1, 4), (2, 4), (3, 2))
# States in which the team has already started working, so the start date is not in the future.
STARTED = frozenset(FORWARD[FORWARD.index(AssistanceState.DIAGNOSED) :])
FINISHED = frozenset({AssistanceState.DELIVERED, AssistanceState.CLOSED})


@dataclass(frozen=True)
class Scale:
    municipalities: int
    assistances: int
    field_professionals: int
    students: int
    coordinators: int
    reviewers: int  # central experts: no directorate

    def __post_init__(self) -> None:
        # Without a field professional no assistance can have a team, so none could be concerted.
        if self.field_professionals < 1 or min(self.__dict__.values()) < 0:
            raise ValueError(f"a demo scale needs a field professional and no negatives: {self}")

    @property
    def persons(self) -> int:
        return self.field_professionals + self.students + self.coordinators + self.reviewers


SCALES: dict[str, Scale] = {
    # A guided tour: one professional per directorate, a few students, reviewers and coordinators.
    "small": Scale(25, 60, 16, 5, 2, 2),
    # A national year, for benchmarks: ~350 people, one coordinator per directorate.
    "national": Scale(400, 1500, 200, 100, 16, 34),
}


@dataclass(frozen=True)
class DemoSummary:
    scale: str
    seed: int
    directorates_loaded: bool  # the EXAMPLE grouping was imported because none existed
    municipalities: int
    persons: int
    assistances: int
    by_state: dict[str, int]  # every state, in workflow order, zeros included
    persons_by_role: dict[str, int]
    elapsed: float  # seconds
    cancelled: bool = False
    codes: tuple[str, ...] = field(default=(), repr=False)  # created, in creation order

    def __str__(self) -> str:
        text = _(
            "{assistances} asistencias técnicas en {municipalities} municipios y {persons} "
            "personas en {seconds} s",
            assistances=format_number(self.assistances),
            municipalities=format_number(self.municipalities),
            persons=format_number(self.persons),
            seconds=format_number(self.elapsed, 1),
        )
        return _("{summary} (cancelado)", summary=text) if self.cancelled else text


# Reference lists ----------------------------------------------------------------------------


@functools.cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    text = resources.files("fieldkit").joinpath("resources", "demo", name).read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple(csv.DictReader(io.StringIO("\n".join(lines))))


def _first_names(sex: str) -> list[str]:
    return [r["nombre"] for r in _rows("nombres.csv") if r["sexo"] == sex]


def _surnames() -> list[str]:
    return [r["apellido"] for r in _rows("apellidos.csv")]


def slug(text: str) -> str:
    """Letters and digits only, no accents: "San Andrés de Tumaco" -> "sanandresdetumaco"."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def municipal_domain(row: MunicipalityRow) -> str:
    """Colombian mayors' offices use <municipio>-<departamento>.gov.co."""
    return f"{slug(row.name)}-{slug(row.department)}.gov.co"


# Planning (pure: only the random generator decides) ---------------------------------------


@dataclass
class _People:
    """Invents people with unique full names and e-mail addresses (also against the profile)."""

    rng: random.Random
    taken_names: set[str]
    taken_emails: set[str]

    def new(self, domain: str) -> tuple[str, str, str]:
        """A new (full name, sex F/M, e-mail as nombre.apellido@domain)."""
        sex = self.rng.choice(("F", "M"))
        firsts, surnames = _first_names(sex), _surnames()
        for _attempt in range(100):
            first = self.rng.choice(firsts)
            first_surname, second_surname = self.rng.sample(surnames, 2)
            name = f"{first} {first_surname} {second_surname}"
            if name not in self.taken_names:
                break
        self.taken_names.add(name)
        user = f"{slug(first.split()[0])}.{slug(first_surname)}"
        email, n = f"{user}@{domain}", 1
        while email in self.taken_emails:
            n += 1
            email = f"{user}{n}@{domain}"
        self.taken_emails.add(email)
        return name, sex, email

    def phone(self) -> str:
        return (
            f"{self.rng.choice(MOBILE_PREFIXES)} {self.rng.randint(200, 999)} "
            f"{self.rng.randint(0, 9999):04d}"
        )


@dataclass(frozen=True)
class _PlannedPerson:
    name: str
    role: str
    directorate_code: str
    email: str
    phone: str


@dataclass
class _PlannedAssistance:
    municipality: MunicipalityRow
    line: str
    state: AssistanceState
    reached: AssistanceState  # the last state of the arc it went through (before any cancel)
    requested_on: dt.date
    start_on: dt.date
    end_on: dt.date
    team: list[int] = field(default_factory=list)  # indices into the planned persons
    counterparts: list[CounterpartInput] = field(default_factory=list)
    cancel_reason: str = ""
    notes: str = ""


def allocate(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), `minimum` each when it fits.

    Ties go to the earlier index, so the split is deterministic.
    """
    n = len(weights)
    if n == 0:
        return []
    if total < minimum * n:
        minimum = 0
    counts = [minimum] * n
    rest = total - minimum * n
    weight_sum = sum(weights)
    shares = [rest * w / weight_sum for w in weights] if weight_sum > 0 else [rest / n] * n
    for i, share in enumerate(shares):
        counts[i] += int(share)
    left = total - sum(counts)
    by_remainder = sorted(range(n), key=lambda i: (-(shares[i] - int(shares[i])), i))
    for i in by_remainder[:left]:
        counts[i] += 1
    return counts


def _weighted_sample(
    rng: random.Random, items: Sequence[MunicipalityRow], k: int
) -> list[MunicipalityRow]:
    """k items without replacement, PDET ones likelier (Efraimidis–Spirakis keys)."""
    keyed = [(rng.random() ** (1.0 / _weight(m)), i) for i, m in enumerate(items)]
    keyed.sort(reverse=True)
    return [items[i] for _key, i in keyed[:k]]


def _weight(row: MunicipalityRow) -> float:
    return PDET_WEIGHT if row.pdet_subregion else 1.0


def eligible_municipalities(rows: Sequence[MunicipalityRow]) -> list[MunicipalityRow]:
    """Municipalities with a mayor's office, departmental capitals left out.

    Categories are usually unknown here, so "small" is approximated by "not a capital": every
    departmental capital (and Bogotá) has a DIVIPOLA code ending in 001.
    """
    return sorted(
        (r for r in rows if r.kind in ("MUNICIPIO", "ISLA") and not r.code.endswith("001")),
        key=lambda r: r.code,
    )


def choose_municipalities(
    rng: random.Random, rows: Sequence[MunicipalityRow], directorate_codes: Sequence[str], n: int
) -> list[MunicipalityRow]:
    """One municipality per directorate first (so all appear), then the rest PDET-weighted."""
    pool = eligible_municipalities(rows)
    chosen: list[MunicipalityRow] = []
    for code in directorate_codes:
        if len(chosen) >= n:
            break
        chosen += _weighted_sample(rng, [r for r in pool if r.directorate_code == code], 1)
    taken = {r.code for r in chosen}
    rest = [r for r in pool if r.code not in taken]
    chosen += _weighted_sample(rng, rest, max(0, n - len(chosen)))
    return sorted(chosen, key=lambda r: r.code)


def _deck(rng: random.Random, counts: dict[T, int], total: int) -> list[T]:
    deck = [key for key, count in counts.items() for _i in range(count)][:total]
    rng.shuffle(deck)
    return deck


def _plan_dates(
    rng: random.Random, state: AssistanceState, reached: AssistanceState, today: dt.date
) -> tuple[dt.date, dt.date, dt.date]:
    """Dates of the current year consistent with how far the assistance got by `today`."""
    year_start, year_end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    elapsed = (today - year_start).days
    stage = FORWARD.index(reached)
    if stage == 0:
        age = rng.randint(0, min(elapsed, 40))  # a pending request is recent
    else:
        # Each step of the arc takes weeks: older requests are the ones that got further.
        age = rng.randint(min(elapsed, 20 * stage), elapsed)
    requested = today - dt.timedelta(days=age)
    start = requested + dt.timedelta(days=rng.randint(7, 30))
    if reached in STARTED:
        start = max(requested, min(start, today))
    start = min(start, year_end)
    end = start + dt.timedelta(days=rng.randint(75, 200))
    if state in FINISHED and end > today:
        end = max(start, today - dt.timedelta(days=rng.randint(0, 15)))
    elif state is AssistanceState.IN_EXECUTION and rng.random() < 0.3:
        end = max(start, today - dt.timedelta(days=rng.randint(1, 30)))  # overdue
    elif state not in FINISHED and state is not AssistanceState.CANCELLED and end < today:
        # Open work is mostly on schedule; the overdue ones above are the exception to show.
        end = today + dt.timedelta(days=rng.randint(10, 90))
    end = max(start, min(end, year_end))
    return requested, start, end


def _plan_counterparts(
    rng: random.Random, people: _People, row: MunicipalityRow, line: str
) -> list[CounterpartInput]:
    positions = list(_rows("cargos.csv"))
    main = [p for p in positions if not p["lineas"] or line in p["lineas"].split(";")]
    count = rng.choices(*zip(*COUNTERPART_COUNTS, strict=True))[0]
    picked = [rng.choice(main)]
    others = [p for p in positions if p is not picked[0]]
    picked += rng.sample(others, count - 1)
    out = []
    for position in picked:
        name, sex, email = people.new(municipal_domain(row))
        title = position["femenino"] if sex == "F" else position["masculino"]
        out.append(CounterpartInput(name, title, email, people.phone()))
    return out


@dataclass
class _Plan:
    municipalities: list[MunicipalityRow]
    persons: list[_PlannedPerson]
    assistances: list[_PlannedAssistance]


def _plan(
    rng: random.Random,
    spec: Scale,
    rows: Sequence[MunicipalityRow],
    directorate_codes: Sequence[str],
    line_codes: Sequence[str],
    today: dt.date,
    *,
    taken_names: set[str] | None = None,
    taken_emails: set[str] | None = None,
) -> _Plan:
    """Everything `generate` will write, decided up front so the writes are a plain replay."""
    people = _People(rng, set(taken_names or ()), set(taken_emails or ()))
    munis = choose_municipalities(rng, rows, directorate_codes, spec.municipalities)
    if not munis or not line_codes:
        return _Plan([], [], [])

    # Every chosen municipality gets one assistance; the rest go PDET-weighted, at most one per
    # thematic line and municipality (a mayor's office asks for each kind of help once a year).
    first = munis if spec.assistances >= len(munis) else rng.sample(munis, spec.assistances)
    per_muni = Counter({m.code: 1 for m in first})
    cap = len(line_codes)
    weights = [_weight(m) for m in munis]
    while sum(per_muni.values()) < spec.assistances:
        m = rng.choices(munis, weights)[0]
        if per_muni[m.code] < cap:
            per_muni[m.code] += 1
        elif all(per_muni[x.code] >= cap for x in munis):
            break
    slots = [m for m in munis for _i in range(per_muni[m.code])]
    total = len(slots)
    rng.shuffle(slots)

    states = list(STATE_WEIGHTS)
    state_deck = _deck(
        rng, dict(zip(states, allocate(total, list(STATE_WEIGHTS.values()), 1), strict=True)), total
    )
    line_deck = _deck(rng, dict(zip(line_codes, allocate(total, [1] * cap, 1), strict=True)), total)
    reasons = [r["motivo"] for r in _rows("motivos_cancelacion.csv")]
    notes = list(_rows("notas_solicitud.csv"))
    cancel_stages, cancel_weights = zip(*CANCEL_STAGE_WEIGHTS.items(), strict=True)

    lines = _assign_lines(rng, slots, line_deck, line_codes)
    planned: list[_PlannedAssistance] = []
    for m, state, line in zip(slots, state_deck, lines, strict=True):
        if state is AssistanceState.CANCELLED:
            reached = rng.choices(cancel_stages, cancel_weights)[0]
        else:
            reached = state
        requested, start, end = _plan_dates(rng, state, reached, today)
        note_choices = [n["nota"] for n in notes if m.pdet_subregion or not n["solo_pdet"]]
        planned.append(
            _PlannedAssistance(
                municipality=m,
                line=line,
                state=state,
                reached=reached,
                requested_on=requested,
                start_on=start,
                end_on=end,
                counterparts=_plan_counterparts(rng, people, m, line),
                cancel_reason=rng.choice(reasons) if state is AssistanceState.CANCELLED else "",
                notes=rng.choice(note_choices) if rng.random() < 0.7 else "",
            )
        )
    _ensure_overdue(planned, today)

    # People: each directorate staffed in proportion to its workload.
    load = Counter(a.municipality.directorate_code for a in planned)
    dir_weights = [load[c] for c in directorate_codes]
    planned_persons: list[_PlannedPerson] = []
    for role, count, minimum in (
        ("coordinator", spec.coordinators, 1),
        ("field_professional", spec.field_professionals, 1),
        ("student", spec.students, 0),
    ):
        for code, n in zip(directorate_codes, allocate(count, dir_weights, minimum), strict=True):
            for _i in range(n):
                name, _sex, email = people.new(STAFF_DOMAIN)
                planned_persons.append(_PlannedPerson(name, role, code, email, people.phone()))
    for _i in range(spec.reviewers):
        name, _sex, email = people.new(STAFF_DOMAIN)
        planned_persons.append(_PlannedPerson(name, "reviewer", "", email, people.phone()))

    for a in planned:
        a.team = _plan_team(rng, planned_persons, a.municipality.directorate_code)

    # Codes are numbered in creation order: create in order of request, as the office would.
    planned.sort(key=lambda a: (a.requested_on, a.municipality.code, a.line))
    return _Plan(munis, planned_persons, planned)


def _assign_lines(
    rng: random.Random,
    slots: Sequence[MunicipalityRow],
    deck: list[str],
    line_codes: Sequence[str],
) -> list[str]:
    """A line from the shuffled deck for each slot, never the same line twice in a municipality.

    Municipalities with the most assistances choose first: they are the ones that could find
    only lines they already have left in the deck.
    """
    per_muni = Counter(m.code for m in slots)
    order = sorted(range(len(slots)), key=lambda i: (-per_muni[slots[i].code], i))
    used: dict[str, set[str]] = {}
    out = [""] * len(slots)
    for i in order:
        taken = used.setdefault(slots[i].code, set())
        index = next((j for j, c in enumerate(deck) if c not in taken), None)
        if index is not None:
            line = deck.pop(index)
        else:  # the deck holds only lines this municipality has: any other line will do
            line = rng.choice([c for c in line_codes if c not in taken] or list(line_codes))
        taken.add(line)
        out[i] = line
    return out


def _ensure_overdue(planned: Sequence[_PlannedAssistance], today: dt.date) -> None:
    """Make sure the overdue list is never empty when the calendar allows one."""
    open_states = {AssistanceState.PLANNED, AssistanceState.IN_EXECUTION}
    if any(a.state in open_states and a.end_on < today for a in planned):
        return
    for a in planned:
        if a.state is AssistanceState.IN_EXECUTION and a.start_on < today - dt.timedelta(days=1):
            a.end_on = today - dt.timedelta(days=1)
            return


def _plan_team(rng: random.Random, people: Sequence[_PlannedPerson], directorate: str) -> list[int]:
    """A field professional of the municipality's directorate leads; colleagues or students join."""
    pros = [i for i, p in enumerate(people) if p.role == "field_professional"]
    local_pros = [i for i in pros if people[i].directorate_code == directorate] or pros
    if not local_pros:
        return []
    lead = rng.choice(local_pros)
    helpers = [
        i
        for i, p in enumerate(people)
        if p.role in ("field_professional", "student")
        and p.directorate_code == people[lead].directorate_code
        and i != lead
    ]
    size = rng.choices(*zip(*TEAM_SIZES, strict=True))[0]
    return [lead, *rng.sample(helpers, min(size - 1, len(helpers)))]


# Writing ------------------------------------------------------------------------------------


BATCH = 50


def generate(
    profile: Profile,
    *,
    scale: str | Scale = "small",
    seed: int = 1,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> DemoSummary:
    """Fill `profile` with demo data through the services, so the change log is a user's.

    The same seed and `today` give the same codes, names, places, states and dates (record ids and
    timestamps stay random/clock-based). `progress(done, total, text)` returning True cancels
    between records; what was written stays. Running it again adds more data. `scale` is a
    name from SCALES or, for tests and benchmarks, a Scale of one's own.
    """
    if isinstance(scale, Scale):
        spec, scale = scale, "custom"
    elif scale in SCALES:
        spec = SCALES[scale]
    else:
        raise ValidationError(
            N_("Escala de demostración desconocida «{scale}». Use: {scales}."),
            scale=scale,
            scales=", ".join(SCALES),
        )
    started = time.perf_counter()
    today = today or dt.date.today()
    rng = random.Random(seed)

    loaded = False
    if not catalog.directorates(profile):
        catalog.import_directorates(profile)
        loaded = True
    existing = persons.list_persons(profile)
    # Planning is quick and pure; the writes below only replay it.
    the_plan = _plan(
        rng,
        spec,
        catalog.list_municipalities(profile),
        [d.code for d in catalog.directorates(profile)],
        [o.code for o in catalog.thematic_lines(profile)],
        today,
        taken_names={p.name for p in existing},
        taken_emails={p.email for p in existing if p.email},
    )
    action_plans = demo_plans.plan_all(
        the_plan.assistances, the_plan.persons, seed=seed, today=today
    )
    products = demo_deliverables.plan_all(
        the_plan.assistances, the_plan.persons, action_plans, seed=seed, today=today
    )
    total = len(the_plan.persons) + len(the_plan.assistances)
    done = 0

    def cancel_requested(text: str) -> bool:
        return bool(progress is not None and progress(done, total, text) is True)

    cancelled = False
    person_ids: list[str] = []
    # Batches: one commit per BATCH records instead of one per service call (a synchronous=FULL
    # commit each); a cancelled run keeps the batches already written.
    for start in range(0, len(the_plan.persons), BATCH):
        with profile.batch():
            for p in the_plan.persons[start : start + BATCH]:
                if cancel_requested(_("Registrando las personas de los equipos…")):
                    cancelled = True
                    break
                pid, _changes = persons.save_person(
                    profile,
                    name=p.name,
                    role=p.role,
                    directorate_code=p.directorate_code,
                    email=p.email,
                    phone=p.phone,
                )
                person_ids.append(pid)
                done += 1
        if cancelled:
            break

    codes: list[str] = []
    states: Counter[str] = Counter()
    planned = [] if cancelled else the_plan.assistances
    for start in range(0, len(planned), BATCH):
        with profile.batch():
            for a in planned[start : start + BATCH]:
                if cancel_requested(_("Registrando las asistencias técnicas…")):
                    cancelled = True
                    break
                codes.append(_write_assistance(profile, a, person_ids))
                states[a.state.value] += 1
                done += 1
        # Their plans, once the assistances are committed (the services read them back).
        cancelled = cancelled or demo_plans.write(
            profile,
            codes[start:],
            action_plans[start : len(codes)],
            lambda: cancel_requested(_("Registrando los planes de acción…")),
        )
        # Their deliverables, reviews and deliveries, once the plans are there to link them.
        cancelled = cancelled or demo_deliverables.write(
            profile,
            codes[start:],
            products[start : len(codes)],
            lambda: cancel_requested(_("Registrando los entregables…")),
        )
        if cancelled:
            break
    if not cancelled:
        cancel_requested(_("Datos de demostración listos."))

    created_roles = Counter(p.role for p in the_plan.persons[: len(person_ids)])
    return DemoSummary(
        scale=scale,
        seed=seed,
        directorates_loaded=loaded,
        municipalities=len({a.municipality.code for a in the_plan.assistances[: len(codes)]}),
        persons=len(person_ids),
        assistances=len(codes),
        by_state={s.value: states[s.value] for s in AssistanceState},
        persons_by_role={r: created_roles[r] for r in persons.PERSON_ROLES},
        elapsed=time.perf_counter() - started,
        cancelled=cancelled,
        codes=tuple(codes),
    )


def _write_assistance(profile: Profile, a: _PlannedAssistance, person_ids: Sequence[str]) -> str:
    """Register the request, then walk it through the workflow as the team would."""
    code, _changes = assistances.create_assistance(
        profile,
        AssistanceInput(
            municipality_code=a.municipality.code,
            thematic_line_code=a.line,
            team=[person_ids[i] for i in a.team],
            counterparts=a.counterparts,
            requested_on=a.requested_on,
            start_on=a.start_on,
            end_on=a.end_on,
            notes=a.notes,
        ),
    )
    for state in FORWARD[1 : FORWARD.index(a.reached) + 1]:
        assistances.transition(profile, code, state.value)
    if a.state is AssistanceState.CANCELLED:
        assistances.transition(profile, code, AssistanceState.CANCELLED.value, a.cancel_reason)
    return code


# Simulated field work ------------------------------------------------------------------------

FOLLOW_UPS = (
    N_("Mesa de trabajo con la Secretaría de Planeación: se revisó el avance."),
    N_("Visita de seguimiento: la alcaldía entregó la información solicitada."),
    N_("Llamada con la contraparte: se reprogramó la sesión por lluvias."),
    N_("Se socializó el avance con el concejo municipal."),
    N_("La contraparte cambió de cargo; se acordó un nuevo enlace."),
)


class EditsSummary(NamedTuple):
    requested: int
    applied: int
    by_kind: dict[str, int]
    cancelled: bool

    def __str__(self) -> str:
        kinds = ", ".join(f"{_(k)}: {format_number(n)}" for k, n in sorted(self.by_kind.items()))
        return _(
            "{n} cambios simulados ({kinds})", n=format_number(self.applied), kinds=kinds or "—"
        )


EDIT_KINDS = (
    N_("seguimiento"),
    N_("cambio de estado"),
    N_("contraparte"),
    N_("corrección de contacto"),
    N_("visita con asistencia"),
    N_("respuestas del diagnóstico"),
    *demo_plans.EDIT_KINDS,
    *demo_deliverables.EDIT_KINDS,
)
PERSON_EDIT = EDIT_KINDS[3]
VISIT_EDIT, DIAGNOSTIC_EDIT = EDIT_KINDS[4], EDIT_KINDS[5]


def simulate_edits(
    profile: Profile,
    n: int,
    *,
    seed: int = 1,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> EditsSummary:
    """Apply `n` realistic field edits to existing records, through the same services a team
    uses: follow-up notes, moves to the next state, counterpart changes, contact corrections.
    The same seed on the same data gives the same edits."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    rows = sorted(assistances.list_assistances(profile), key=lambda r: r.code)
    open_rows = [r for r in rows if r.state not in ("closed", "cancelled")]
    people = sorted(persons.list_persons(profile), key=lambda p: (p.name, p.id))
    if not open_rows and not people:
        raise ValidationError(
            "No hay registros que editar: cargue primero datos con «fieldkit demo»."
        )
    done: Counter[str] = Counter()
    cancelled = False
    plan_editor = demo_plans.Editor(profile, today)
    deliverable_editor = demo_deliverables.Editor(profile, today)
    for i in range(n):
        if progress is not None and progress(i, n, _("Simulando el trabajo de campo…")) is True:
            cancelled = True
            break
        kind = rng.choice(EDIT_KINDS if open_rows else (PERSON_EDIT,))
        if kind in demo_plans.EDIT_KINDS:
            if plan_editor.apply(rng, kind):
                done[kind] += 1
            continue
        if kind in demo_deliverables.EDIT_KINDS:
            if deliverable_editor.apply(rng, kind):
                done[kind] += 1
            continue
        if kind in (VISIT_EDIT, DIAGNOSTIC_EDIT):
            from fieldkit.services import demo_forms

            row = rng.choice(open_rows)
            if kind == VISIT_EDIT:
                day = today - dt.timedelta(days=rng.randint(0, 30))
                demo_forms.add_visit(profile, rng, row.id, day, complete=rng.random() < 0.7)
            else:
                demo_forms.answer_diagnostic(profile, rng, row.id, rng.randint(3, 12))
            done[kind] += 1
            continue
        if kind == PERSON_EDIT or not open_rows:
            person = rng.choice(people)
            phone = f"3{rng.randint(0, 2)}{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
            persons.save_person(
                profile, person_id=person.id, name=person.name, role=person.role,
                directorate_code=person.directorate_code, email=person.email, phone=phone, active=person.active,
            )  # fmt: skip
            done[PERSON_EDIT] += 1
            continue
        row = rng.choice(open_rows)
        detail = assistances.get_assistance(profile, row.id)
        data = AssistanceInput(
            municipality_code=row.municipality_code,
            thematic_line_code=row.thematic_line_code,
            team=[m.person_id for m in detail.team],
            counterparts=[
                CounterpartInput(c.name, c.position, c.email, c.phone, c.id)
                for c in detail.counterparts
            ],
            requested_on=row.requested_on,
            start_on=row.start_on,
            end_on=row.end_on,
            notes=detail.notes,
        )
        if kind == EDIT_KINDS[0]:
            note = f"{today.strftime('%d/%m/%Y')}: {_(rng.choice(FOLLOW_UPS))}"
            assistances.update_assistance(
                profile, row.id, data._replace(notes=(detail.notes + "\n" + note).strip())
            )
        elif kind == EDIT_KINDS[1] and detail.next_states and detail.next_states[0] != "cancelled":
            try:
                assistances.transition(profile, row.id, detail.next_states[0])
            except FieldkitError:
                continue  # the guard refused (e.g. no counterpart yet): the team fixes that first
            if detail.next_states[0] == "closed":
                open_rows.remove(row)
        elif kind == EDIT_KINDS[2] and detail.counterparts:
            first = detail.counterparts[0]
            changed = CounterpartInput(
                first.name,
                first.position,
                first.email,
                "3" + str(rng.randint(100000000, 999999999)),
                first.id,
            )
            assistances.update_assistance(
                profile, row.id, data._replace(counterparts=[changed, *data.counterparts[1:]])
            )
        else:
            continue
        done[kind] += 1
    return EditsSummary(n, sum(done.values()), dict(done), cancelled)
