"""The set-based steps of the SLA job, in SQL: which clocks tickets and work orders need, which
target applies, when a clock stops or is cancelled, whether it is paused now, and the summary
(nearest deadline and status) stored on tickets and work orders for their lists.

Every statement takes the same parameters: ``now`` (the job's time, never PostgreSQL's: tests
freeze it), ``ids`` (tickets) or ``all`` (every open ticket and work order), ``backfill`` (also
closed ones, at installation), ``resolved`` and ``waiting`` (stage ids)."""

from odoo.tools import SQL

STAGE_RESOLVED = "klusheeren_helpdesk.stage_resolved"
STAGE_WAITING = "klusheeren_helpdesk.stage_waiting_customer"

# the moment a clock starts, per step, for a work order
WO_START = "CASE k.kind WHEN 'contact' THEN wo.date_accepted ELSE wo.date_sent END"

# the most specific active target of a step for a ticket (category, then priority, then sequence)
POLICY = """
    SELECT p.id, p.calendar_id, p.hours, p.warning_percent
      FROM klusheeren_sla_policy p
     WHERE p.active AND p.kind = {kind}
       AND (p.priority IS NULL OR p.priority = {ticket}.priority)
       AND (p.category_id IS NULL OR p.category_id = {ticket}.category_id)
       AND (p.company_id IS NULL OR p.company_id = {ticket}.company_id)
  ORDER BY p.category_id IS NULL, p.priority IS NULL, p.company_id IS NULL, p.sequence, p.id
     LIMIT 1
"""


def _scope(params, alias):
    """The tickets of this run: the given ones, else every one (open ones unless backfill)."""
    return SQL(f"(%(all)s OR {alias}.id = ANY(%(ids)s))", all=params["all"], ids=params["ids"] or [])


def insert_query(params):
    """Clocks for every step that has started and has none yet."""
    open_wo = SQL("(%s OR wo.state IN ('sent', 'accepted', 'on_hold'))", params["backfill"] or not params["all"])
    open_ticket = SQL(
        """(%s OR NOT EXISTS (SELECT 1 FROM helpdesk_ticket_stage s
                               WHERE s.id = t.stage_id AND (s.closed OR s.id = %s)))""",
        params["backfill"] or not params["all"],
        params["resolved"],
    )
    return SQL(
        """
        WITH wanted AS (
            SELECT wo.ticket_id, wo.id AS work_order_id, k.kind, %(wo_start)s AS date_start, t.priority,
                   t.category_id, t.company_id
              FROM klusheeren_work_order wo
              JOIN helpdesk_ticket t ON t.id = wo.ticket_id
             CROSS JOIN (VALUES ('accept'), ('contact'), ('done')) k(kind)
             WHERE %(scope)s AND %(open_wo)s AND %(wo_start)s IS NOT NULL
            UNION ALL
            SELECT t.id, NULL, 'done', t.create_date, t.priority, t.category_id, t.company_id
              FROM helpdesk_ticket t
             WHERE %(scope)s AND t.active AND %(open_ticket)s
        )
        INSERT INTO klusheeren_sla_clock (ticket_id, work_order_id, kind, date_start, policy_id, calendar_id,
               target_hours, warning_percent, company_id, state, paused_hours, warned, escalated,
               klusheeren_job_failures, klusheeren_job_failed, create_uid, create_date, write_uid, write_date)
        SELECT w.ticket_id, w.work_order_id, w.kind, w.date_start, p.id, p.calendar_id, p.hours,
               p.warning_percent, w.company_id, 'running', 0, FALSE, FALSE, 0, FALSE,
               %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM wanted w
         CROSS JOIN LATERAL (%(policy)s) p
         WHERE NOT EXISTS (SELECT 1 FROM klusheeren_sla_clock c
                            WHERE c.ticket_id = w.ticket_id AND c.kind = w.kind
                              AND COALESCE(c.work_order_id, 0) = COALESCE(w.work_order_id, 0))
        ON CONFLICT DO NOTHING
        """,
        wo_start=SQL(WO_START),
        scope=_scope(params, "t"),
        open_wo=open_wo,
        open_ticket=open_ticket,
        uid=params["uid"],
        now=params["now"],
        policy=SQL(POLICY.format(kind="w.kind", ticket="w")),
    )


def rematch_query(params):
    """An open clock follows its ticket's priority and category, and its target's changes: a
    new target is a new deadline (warned and escalated again); a step no target covers any
    more is cancelled."""
    return SQL(
        """
        UPDATE klusheeren_sla_clock c
           SET policy_id = m.pid, calendar_id = COALESCE(m.calendar_id, c.calendar_id),
               target_hours = COALESCE(m.hours, c.target_hours),
               warning_percent = COALESCE(m.warning_percent, c.warning_percent),
               state = CASE WHEN m.pid IS NULL THEN 'cancelled' ELSE c.state END,
               warned = CASE WHEN m.hours IS DISTINCT FROM c.target_hours
                              OR m.calendar_id IS DISTINCT FROM c.calendar_id THEN FALSE ELSE c.warned END,
               escalated = CASE WHEN m.hours IS DISTINCT FROM c.target_hours
                                 OR m.calendar_id IS DISTINCT FROM c.calendar_id THEN FALSE ELSE c.escalated END,
               write_date = %(now)s
          FROM (
            SELECT o.id, p.id AS pid, p.calendar_id, p.hours, p.warning_percent
              FROM klusheeren_sla_clock o
              JOIN helpdesk_ticket t ON t.id = o.ticket_id
              LEFT JOIN LATERAL (%(policy)s) p ON TRUE
             WHERE o.state IN ('running', 'paused', 'late') AND %(scope)s
          ) m
         WHERE m.id = c.id
           AND (m.pid IS DISTINCT FROM c.policy_id OR m.hours IS DISTINCT FROM c.target_hours
                OR m.calendar_id IS DISTINCT FROM c.calendar_id
                OR m.warning_percent IS DISTINCT FROM c.warning_percent)
        """,
        now=params["now"],
        policy=SQL(POLICY.format(kind="o.kind", ticket="t")),
        scope=_scope(params, "t"),
    )


def stop_query(params):
    """An open clock stops when its step is reached: accepted (or refused: an answer), the
    appointment planned (or the job done), the work order done, the ticket resolved or closed."""
    return SQL(
        """
        UPDATE klusheeren_sla_clock c
           SET date_reached = GREATEST(r.reached, c.date_start), write_date = %(now)s
          FROM (
            SELECT c.id,
                   CASE
                     WHEN c.work_order_id IS NULL THEN
                       CASE WHEN s.closed OR s.id = %(resolved)s THEN COALESCE(t.last_stage_update, %(now)s) END
                     WHEN c.kind = 'accept' THEN COALESCE(wo.date_accepted, wo.date_refused)
                     WHEN c.kind = 'contact' THEN COALESCE(
                       wo.klusheeren_date_planned,
                       CASE WHEN wo.appointment_date IS NOT NULL THEN wo.write_date END,
                       wo.date_done)
                     ELSE wo.date_done
                   END AS reached
              FROM klusheeren_sla_clock c
              JOIN helpdesk_ticket t ON t.id = c.ticket_id
              LEFT JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
              LEFT JOIN klusheeren_work_order wo ON wo.id = c.work_order_id
             WHERE c.state IN ('running', 'paused', 'late') AND c.date_reached IS NULL AND %(scope)s
          ) r
         WHERE r.id = c.id AND r.reached IS NOT NULL
        """,
        now=params["now"],
        resolved=params["resolved"],
        scope=_scope(params, "t"),
    )


def cancel_query(params):
    """The clocks of a cancelled work order, the steps after a refusal, and the clocks of an
    archived ticket count for nothing."""
    return SQL(
        """
        UPDATE klusheeren_sla_clock c
           SET state = 'cancelled', write_date = %(now)s
          FROM helpdesk_ticket t
         WHERE t.id = c.ticket_id AND c.state IN ('running', 'paused', 'late') AND c.date_reached IS NULL
           AND %(scope)s
           AND (NOT t.active OR EXISTS (
                SELECT 1 FROM klusheeren_work_order wo
                 WHERE wo.id = c.work_order_id
                   AND (wo.state = 'cancelled' OR (wo.state = 'refused' AND c.kind != 'accept'))))
        """,
        now=params["now"],
        scope=_scope(params, "t"),
    )


# the open clocks of a batch with what their computation needs, and whether they pause now:
# a ticket waiting on the customer or with a work order on hold, a work order on hold (its
# acceptance never pauses). Columns: id, ticket, calendar, start, target, warning %, reached,
# pause, then the stored deadline, warning, paused hours, paused since and state.
PAUSE_SQL = """
    SELECT c.id, c.ticket_id, c.calendar_id, c.date_start, c.target_hours, c.warning_percent, c.date_reached,
           CASE
             WHEN c.work_order_id IS NULL THEN t.stage_id = %(waiting)s OR EXISTS (
                  SELECT 1 FROM klusheeren_work_order o WHERE o.ticket_id = t.id AND o.state = 'on_hold')
             WHEN c.kind = 'accept' THEN FALSE
             ELSE wo.state = 'on_hold'
           END AS pause,
           c.date_deadline, c.date_warning, c.paused_hours, c.paused_since, c.state
      FROM klusheeren_sla_clock c
      JOIN helpdesk_ticket t ON t.id = c.ticket_id
      LEFT JOIN klusheeren_work_order wo ON wo.id = c.work_order_id
     WHERE c.id = ANY(%(ids)s)
"""

SUMMARY = """
    WITH s AS (
        SELECT c.{key} AS rid,
               CASE WHEN bool_or(c.state = 'late') THEN 'late'
                    WHEN bool_or(c.state = 'running' AND c.date_warning <= %(now)s) THEN 'warning'
                    WHEN bool_or(c.state = 'running') THEN 'on_track'
                    WHEN bool_or(c.state = 'paused') THEN 'paused'
                    WHEN bool_or(c.state = 'missed') THEN 'missed'
                    WHEN bool_or(c.state = 'met') THEN 'met'
               END AS status,
               COALESCE(MIN(c.date_deadline) FILTER (WHERE c.state IN ('running', 'late')),
                        MIN(c.date_deadline) FILTER (WHERE c.state = 'paused')) AS deadline
          FROM klusheeren_sla_clock c
         WHERE c.{key} IS NOT NULL AND %(scope)s
      GROUP BY c.{key}
    )
    UPDATE {table} r
       SET klusheeren_sla_status = s.status, klusheeren_sla_deadline = s.deadline
      FROM s
     WHERE r.id = s.rid
       AND (r.klusheeren_sla_status IS DISTINCT FROM s.status OR r.klusheeren_sla_deadline IS DISTINCT FROM s.deadline)
"""


def summary_queries(params, ticket_ids):
    """The nearest deadline and the status of tickets (over their own clock and their work orders')
    and of their work orders: the given tickets, or (every open one) the tickets that have an open
    clock or one this run changed. Only rows whose summary changes are written."""
    if params["all"]:
        scope = SQL(
            """c.ticket_id IN (SELECT o.ticket_id FROM klusheeren_sla_clock o
                                WHERE o.state IN ('running', 'paused', 'late') OR o.write_date >= %s)""",
            params["now"],
        )
    else:
        scope = SQL("c.ticket_id = ANY(%s)", list(ticket_ids))
    return [
        SQL(SUMMARY.format(key="work_order_id", table="klusheeren_work_order"), now=params["now"], scope=scope),
        SQL(SUMMARY.format(key="ticket_id", table="helpdesk_ticket"), now=params["now"], scope=scope),
    ]
