"""The reads of the monitoring workbook: every record of each sheet in one query, on the fast
sqlite3 reader (see reader.py). Services turn the rows into the workbook's cells."""

from __future__ import annotations

import sqlite3

from fieldkit.store.reader import Reader

Rows = list[sqlite3.Row]


def assistances(reader: Reader) -> Rows:
    """Every assistance with its municipality, thematic line and number of counterparts."""
    return reader.rows(
        "SELECT a.id, a.code, a.state, a.requested_on, a.start_on, a.end_on,"
        " m.code AS m_code, m.name AS m_name, m.department AS m_dept,"
        " m.department_code AS m_dept_code, t.name AS t_name,"
        " (SELECT count(*) FROM counterparts c WHERE c.assistance_id = a.id AND c.deleted = 0)"
        "  AS counterparts"
        " FROM assistances a"
        " LEFT JOIN municipalities m ON m.id = a.municipality_id"
        " LEFT JOIN thematic_lines t ON t.id = a.thematic_line_id"
        " WHERE a.deleted = 0 ORDER BY a.code, a.id"
    )


def teams(reader: Reader) -> Rows:
    return reader.rows(
        "SELECT am.assistance_id, am.team_role, p.name FROM assistance_members am"
        " JOIN persons p ON p.id = am.person_id WHERE am.deleted = 0"
    )


def plans(reader: Reader) -> Rows:
    """Oldest first: the first plan of an assistance is the one the services show."""
    return reader.rows(
        "SELECT id, assistance_id, version, state, problem, objective, alternative"
        " FROM action_plans WHERE deleted = 0 ORDER BY created_at, id"
    )


def plan_versions(reader: Reader) -> Rows:
    """Oldest submission first."""
    return reader.rows(
        "SELECT plan_id, version, number, submitted_at, submitted_by, decision, decided_at,"
        " decided_by FROM plan_versions WHERE deleted = 0 ORDER BY number, submitted_at, id"
    )


def results(reader: Reader) -> Rows:
    return reader.rows(
        "SELECT id, plan_id, statement, indicator_name, indicator_type, unit, baseline, target,"
        " direction, due_on FROM plan_results WHERE deleted = 0"
        " ORDER BY sort_order, created_at, id"
    )


def activities(reader: Reader) -> Rows:
    return reader.rows(
        "SELECT id, plan_id, result_id, description, responsible, responsible_name, start_on,"
        " end_on FROM activities WHERE deleted = 0 ORDER BY sort_order, created_at, id"
    )


def follow_ups(reader: Reader) -> Rows:
    """Oldest first, so the last one seen of an activity or result is its current figure."""
    return reader.rows(
        "SELECT id, activity_id, result_id, recorded_on, progress, state, value, verification,"
        " note, recorded_by FROM follow_ups WHERE deleted = 0"
        " ORDER BY recorded_on, created_at, id"
    )


def evidence(reader: Reader) -> Rows:
    """The files attached to follow-ups."""
    return reader.rows(
        "SELECT owner_id, file_name FROM attachments"
        " WHERE owner_entity = 'follow_up' AND deleted = 0 ORDER BY created_at, id"
    )


def submissions(reader: Reader, kind: str) -> Rows:
    """The fillings of one kind (visit, survey), oldest first."""
    return reader.rows(
        "SELECT id, assistance_id, subject_id, form_id, form_version, status FROM submissions"
        " WHERE kind = ? AND deleted = 0 ORDER BY started_at, id",
        (kind,),
    )


def answers(reader: Reader, kind: str) -> Rows:
    """Every stored answer (JSON text) of every filling of one kind, in one query."""
    return reader.rows(
        "SELECT a.submission_id, a.key, a.value FROM answers a"
        " JOIN submissions s ON s.id = a.submission_id"
        " WHERE s.kind = ? AND s.deleted = 0 AND a.deleted = 0 AND a.value IS NOT NULL",
        (kind,),
    )


def deliverables(reader: Reader) -> Rows:
    """Every deliverable with its number of reviews and the decision on the last one."""
    return reader.rows(
        "SELECT d.id, d.assistance_id, d.kind, d.title, d.state, d.due_on, d.delivered_on,"
        " d.received_by, d.received_position,"
        " (SELECT count(*) FROM deliverable_reviews r"
        "  WHERE r.deliverable_id = d.id AND r.deleted = 0) AS reviews,"
        " (SELECT r.decision FROM deliverable_reviews r"
        "  WHERE r.deliverable_id = d.id AND r.deleted = 0"
        "  ORDER BY r.number DESC, r.submitted_at DESC, r.id DESC LIMIT 1) AS last_decision"
        " FROM deliverables d WHERE d.deleted = 0 ORDER BY d.sort_order, d.created_at, d.id"
    )
