"""The read queries of lists and screens, on the fast sqlite3 reader (see reader.py).

Each returns sqlite3.Row objects; services turn them into their read models. Keeping the SQL
here keeps DESIGN §3's rule: only fieldkit.store speaks SQL.
"""

from __future__ import annotations

import sqlite3

from fieldkit.store.reader import Reader

Rows = list[sqlite3.Row]

_MUNICIPALITIES = (
    "SELECT code, name, official_name, department_code, department, kind, latitude, longitude,"
    " pdet_subregion, category FROM municipalities WHERE deleted = 0 {where} ORDER BY code"
)


def municipalities(reader: Reader, code: str | None = None) -> Rows:
    if code is None:
        return reader.rows(_MUNICIPALITIES.format(where=""))
    return reader.rows(_MUNICIPALITIES.format(where="AND code = ?"), (code,))


def thematic_lines(reader: Reader) -> Rows:
    return reader.rows(
        "SELECT code, name, active FROM thematic_lines WHERE deleted = 0 ORDER BY sort_order, name"
    )


def categories(reader: Reader) -> Rows:
    return reader.rows(
        "SELECT code, name FROM municipal_categories WHERE deleted = 0 ORDER BY sort_order"
    )


def directorates(reader: Reader) -> Rows:
    return reader.rows(
        "SELECT code, name, departments, is_example FROM directorates"
        " WHERE deleted = 0 ORDER BY code"
    )


def indicator_values(reader: Reader, municipality_id: str) -> Rows:
    return reader.rows(
        "SELECT indicator, year, value, source FROM indicator_values"
        " WHERE municipality_id = ? AND deleted = 0 ORDER BY indicator, year",
        (municipality_id,),
    )


def latest_indicators(reader: Reader) -> Rows:
    """Each municipality's newest value of each indicator (the latest year it has)."""
    return reader.rows(
        "SELECT m.code, v.indicator, v.year, v.value, v.source FROM indicator_values v"
        " JOIN municipalities m ON m.id = v.municipality_id"
        " JOIN (SELECT municipality_id, indicator, max(year) AS year FROM indicator_values"
        "  WHERE deleted = 0 GROUP BY municipality_id, indicator) newest"
        " ON newest.municipality_id = v.municipality_id AND newest.indicator = v.indicator"
        " AND newest.year = v.year"
        " WHERE v.deleted = 0 ORDER BY m.code, v.indicator"
    )


def persons(reader: Reader) -> Rows:
    return reader.rows(
        "SELECT id, name, role, directorate_code, email, phone, active FROM persons"
        " WHERE deleted = 0 ORDER BY name, id"
    )


_ASSISTANCES = """
SELECT a.id, a.code, a.state, a.requested_on, a.start_on, a.end_on,
       m.code AS m_code, m.name AS m_name, m.department AS m_dept, m.department_code AS m_dept_code,
       m.pdet_subregion AS m_pdet, t.code AS t_code, t.name AS t_name
FROM assistances a
LEFT JOIN municipalities m ON m.id = a.municipality_id
LEFT JOIN thematic_lines t ON t.id = a.thematic_line_id
WHERE a.deleted = 0 {where}
ORDER BY a.code, a.id
"""

_TEAMS = """
SELECT am.assistance_id, am.team_role, p.name
FROM assistance_members am JOIN persons p ON p.id = am.person_id
WHERE am.deleted = 0 {where}
"""


def assistances(
    reader: Reader, *, municipality_id: str | None = None, assistance_id: str | None = None
) -> tuple[Rows, Rows]:
    """(assistance rows with their municipality and line, team rows), optionally narrowed."""
    where, team_where, params = "", "", ()
    if municipality_id:
        where = "AND a.municipality_id = ?"
        team_where = (
            "AND am.assistance_id IN (SELECT id FROM assistances WHERE municipality_id = ?)"
        )
        params = (municipality_id,)
    elif assistance_id:
        where, team_where, params = "AND a.id = ?", "AND am.assistance_id = ?", (assistance_id,)
    teams = reader.rows(_TEAMS.format(where=team_where), params)
    return reader.rows(_ASSISTANCES.format(where=where), params), teams


def assistance(reader: Reader, key: str) -> sqlite3.Row | None:
    """One assistance by id or human code."""
    found = reader.rows(
        "SELECT id, notes, cancel_reason, created_at, updated_at, state FROM assistances"
        " WHERE deleted = 0 AND (id = ? OR code = ?)",
        (key, key.strip().upper()),
    )
    return found[0] if found else None


def team(reader: Reader, assistance_id: str) -> Rows:
    return reader.rows(
        "SELECT am.person_id, am.team_role, p.name, p.role FROM assistance_members am"
        " LEFT JOIN persons p ON p.id = am.person_id WHERE am.deleted = 0 AND am.assistance_id = ?",
        (assistance_id,),
    )


def counterparts(reader: Reader, assistance_id: str) -> Rows:
    return reader.rows(
        "SELECT id, name, position, email, phone FROM counterparts"
        " WHERE deleted = 0 AND assistance_id = ? ORDER BY sort_order, created_at, id",
        (assistance_id,),
    )


def state_changes(reader: Reader, assistance_id: str) -> Rows:
    # Ordered by the clock of each change's creation: unlike wall times it never ties and it
    # respects causality across devices (a move made after seeing another sorts after it).
    return reader.rows(
        "SELECT s.from_state, s.to_state, s.reason, s.changed_at, s.changed_by,"
        " (SELECT MIN(o.hlc) FROM operations o WHERE o.entity = 'state_change'"
        "  AND o.record_id = s.id AND o.field = 'created_at') AS version"
        " FROM state_changes s WHERE s.deleted = 0 AND s.assistance_id = ?"
        " ORDER BY version, s.id",
        (assistance_id,),
    )


def record_history(reader: Reader, record_id: str) -> Rows:
    """Every operation on one record, oldest first (the change log is the history)."""
    return reader.rows(
        "SELECT op_id, origin, seq, hlc, entity, field, value, base_hlc, author FROM operations"
        " WHERE record_id = ? ORDER BY hlc, op_id",
        (record_id,),
    )


def conflicts(reader: Reader) -> Rows:
    """Conflicts with both operations and the current winning version of the field they decide
    (for an edit of a deleted record, the `deleted` field)."""
    return reader.rows(
        "SELECT c.id, c.kind, c.entity, c.record_id, c.field, c.detected_at,"
        " a.op_id AS a_id, a.origin AS a_origin, a.hlc AS a_hlc, a.value AS a_value,"
        " a.author AS a_author, a.field AS a_field, b.op_id AS b_id, b.origin AS b_origin,"
        " b.hlc AS b_hlc, b.value AS b_value, b.author AS b_author, b.field AS b_field,"
        " (SELECT max(w.hlc) FROM operations w WHERE w.entity = c.entity"
        "  AND w.record_id = c.record_id"
        "  AND w.field = CASE c.kind WHEN 'deleted' THEN 'deleted' ELSE c.field END) AS winner_hlc"
        " FROM conflicts c JOIN operations a ON a.op_id = c.op_a JOIN operations b ON b.op_id = c.op_b"
        " ORDER BY c.detected_at, c.id"
    )
