"""What each screen loads, in one background call per screen; Qt-free so startup can preload it.

Only the catalog service is imported up front: the first screen needs nothing else, and the
other services load with the screens that use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from fieldkit.domain.text import fold
from fieldkit.services import catalog
from fieldkit.services.catalog import DirectorateRow, LatestIndicator, MunicipalityRow, Option

if TYPE_CHECKING:
    from fieldkit.services.assistances import AssistanceDetail, AssistanceRow
    from fieldkit.services.persons import PersonRow
    from fieldkit.services.plans import AssistanceProgress
    from fieldkit.services.profile import Profile


class MunicipalitiesData(NamedTuple):
    rows: list[MunicipalityRow]
    departments: list[Option]
    subregions: list[str]
    categories: list[Option]
    directorates: list[DirectorateRow]
    indicator_names: list[str] = []  # noqa: RUF012 (a NamedTuple default, never mutated)
    indicators: dict[str, dict[str, LatestIndicator]] = {}  # noqa: RUF012


def load_municipalities(profile: Profile) -> MunicipalitiesData:
    rows = catalog.list_municipalities(profile)
    names, latest = catalog.latest_indicators(profile)
    return MunicipalitiesData(
        rows=rows,
        # Derived from the rows just read: departments() and pdet_subregions() would read all
        # 1,121 municipalities again each.
        departments=departments_of(rows),
        subregions=sorted({r.pdet_subregion for r in rows if r.pdet_subregion}, key=fold),
        categories=catalog.categories(profile),
        directorates=catalog.directorates(profile),
        indicator_names=names,
        indicators=latest,
    )


def departments_of(rows: list[MunicipalityRow]) -> list[Option]:
    seen: dict[str, str] = {}
    for r in rows:
        seen.setdefault(r.department_code, r.department)
    return sorted((Option(c, n) for c, n in seen.items()), key=lambda o: fold(o.name))


class AssistancesData(NamedTuple):
    rows: list[AssistanceRow]
    lines: list[Option]
    directorates: list[DirectorateRow]
    # assistance id -> its plan's figures, for every assistance with a plan (one read for all)
    progress: dict[str, AssistanceProgress]


def load_assistances(profile: Profile) -> AssistancesData:
    from fieldkit.services import assistances, plans

    return AssistancesData(
        rows=assistances.list_assistances(profile),
        lines=catalog.thematic_lines(profile, active_only=False),
        directorates=catalog.directorates(profile),
        progress=plans.progress_by_assistance(profile),
    )


class AssistanceFormData(NamedTuple):
    """Everything the create/edit dialog offers: places, lines, people, and the record edited."""

    municipalities: list[MunicipalityRow]
    lines: list[Option]
    persons: list[PersonRow]
    detail: AssistanceDetail | None


def load_assistance_form(profile: Profile, key: str | None = None) -> AssistanceFormData:
    from fieldkit.services import assistances, persons

    detail = assistances.get_assistance(profile, key) if key else None
    return AssistanceFormData(
        municipalities=catalog.list_municipalities(profile),
        lines=catalog.thematic_lines(profile, active_only=detail is None),
        persons=persons.list_persons(profile),
        detail=detail,
    )


class PersonsData(NamedTuple):
    rows: list[PersonRow]
    directorates: list[DirectorateRow]


def load_persons(profile: Profile) -> PersonsData:
    from fieldkit.services import persons

    return PersonsData(persons.list_persons(profile), catalog.directorates(profile))


class DirectoratesData(NamedTuple):
    rows: list[DirectorateRow]
    departments: list[Option]


def load_directorates(profile: Profile) -> DirectoratesData:
    return DirectoratesData(catalog.directorates(profile), catalog.departments(profile))
