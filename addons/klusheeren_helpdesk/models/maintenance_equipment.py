from odoo import api, fields, models
from odoo.tools import SQL


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    ticket_ids = fields.One2many("helpdesk.ticket", "equipment_id")
    ticket_count = fields.Integer(compute="_compute_klusheeren_counts")
    work_order_count = fields.Integer(compute="_compute_klusheeren_counts")

    # Reliability, from the tickets (stored: they group and sort; refreshed with the statistics)
    klusheeren_failure_count = fields.Integer(string="Faults reported", readonly=True, copy=False)
    klusheeren_mtbf_hours = fields.Float(
        string="Mean time between failures (h)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        aggregator="avg",
        help="Mean hours between two faults reported on this equipment (at least two faults).",
    )
    klusheeren_mttr_hours = fields.Float(
        string="Mean time to repair (h)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        aggregator="avg",
        help="Mean hours from a fault report to the completion of its work order.",
    )

    @api.model
    def _klusheeren_update_reliability(self):
        """One statement for all equipment: faults, MTBF and MTTR from tickets and work orders."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH faults AS (
                    SELECT t.equipment_id,
                           COUNT(*) AS n,
                           EXTRACT(EPOCH FROM MAX(t.create_date) - MIN(t.create_date)) / 3600.0
                               / NULLIF(COUNT(*) - 1, 0) AS mtbf
                      FROM helpdesk_ticket t
                     WHERE t.equipment_id IS NOT NULL
                  GROUP BY t.equipment_id
                ), repairs AS (
                    SELECT r.equipment_id, AVG(r.hours) AS mttr
                      FROM (SELECT t.equipment_id,
                                   EXTRACT(EPOCH FROM MIN(w.date_done) - t.create_date) / 3600.0
                                       AS hours
                              FROM helpdesk_ticket t
                              JOIN klusheeren_work_order w
                                ON w.ticket_id = t.id AND w.state = 'done'
                             WHERE t.equipment_id IS NOT NULL
                          GROUP BY t.id) r
                  GROUP BY r.equipment_id
                ), figures AS (
                    SELECT e.id, COALESCE(f.n, 0) AS n, f.mtbf, r.mttr
                      FROM maintenance_equipment e
                 LEFT JOIN faults f ON f.equipment_id = e.id
                 LEFT JOIN repairs r ON r.equipment_id = e.id
                )
                UPDATE maintenance_equipment e
                   SET klusheeren_failure_count = x.n,
                       klusheeren_mtbf_hours = x.mtbf,
                       klusheeren_mttr_hours = x.mttr
                  FROM figures x
                 WHERE x.id = e.id
                   AND (e.klusheeren_failure_count IS DISTINCT FROM x.n
                        OR e.klusheeren_mtbf_hours IS DISTINCT FROM x.mtbf
                        OR e.klusheeren_mttr_hours IS DISTINCT FROM x.mttr)
                """
            )
        )
        self.invalidate_model(["klusheeren_failure_count", "klusheeren_mtbf_hours", "klusheeren_mttr_hours"])

    def _compute_klusheeren_counts(self):
        tickets = dict(
            self.env["helpdesk.ticket"]._read_group([("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"])
        )
        orders = dict(
            self.env["klusheeren.work.order"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for equipment in self:
            equipment.ticket_count = tickets.get(equipment, 0)
            equipment.work_order_count = orders.get(equipment, 0)

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_mgmt.helpdesk_ticket_action")
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {"default_equipment_id": self.id}
        return action

    def action_view_work_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("klusheeren_helpdesk.action_work_order")
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {"default_equipment_id": self.id}
        return action
