from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

# What a rule may ask of a ticket, with the weight each criterion adds to its specificity.
# A site is more specific than an area; otherwise more criteria beat fewer. The sequence
# (then the id) decides between rules of the same specificity.
CRITERIA_WEIGHTS = {
    "partner_id": 2,
    "area_id": 2,
    "site_id": 3,
    "equipment_category_id": 2,
    "channel_id": 2,
    "ticket_category_id": 2,
}
ORDER = "specificity desc, sequence, id"


class KlusheerenResponsibility(models.Model):
    """A responsibility rule: who handles the tickets that meet its criteria.

    Every criterion is optional; an empty one matches any ticket. Of the rules that match a
    new ticket the most specific one routes it (``responsibility_id``: more criteria beat fewer,
    a site beats an area, a smaller area beats the one it lies in), then the order: it
    gives the team and the responsible, and the contractor of the work orders (a result a
    rule leaves empty comes from the next matching rule that has it). Back office only."""

    _name = "klusheeren.responsibility"
    _description = "Responsibility Rule"
    _order = ORDER

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10, help="Between rules that are as specific, the lower one wins.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: the rule applies in every company.")
    # criteria
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer company",
        domain=[("is_company", "=", True)],
        help="Tickets of this customer company: its sites, or reported by its people.",
    )
    area_id = fields.Many2one("klusheeren.area", help="Sites in this area or below it.")
    site_id = fields.Many2one("res.partner")
    equipment_category_id = fields.Many2one("maintenance.equipment.category", string="Equipment category")
    channel_id = fields.Many2one("helpdesk.ticket.channel")
    ticket_category_id = fields.Many2one("helpdesk.ticket.category", string="Ticket category")
    # result
    team_id = fields.Many2one("helpdesk.ticket.team", string="Helpdesk team")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        domain=[("share", "=", False)],
        help="Told of every new ticket and of every message of the reporter.",
    )
    contractor_id = fields.Many2one("res.partner", domain=[("klusheeren_is_contractor", "=", True)])
    specificity = fields.Integer(
        compute="_compute_specificity",
        store=True,
        index=True,
        help="How specific the rule is: the most specific matching rule wins.",
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count", string="Tickets")

    @api.depends(*CRITERIA_WEIGHTS)
    def _compute_specificity(self):
        for rule in self:
            rule.specificity = sum(weight for name, weight in CRITERIA_WEIGHTS.items() if rule[name])

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("responsibility_id", "in", self.ids)], ["responsibility_id"], ["__count"]
            )
        )
        for rule in self:
            rule.ticket_count = counts.get(rule, 0)

    @api.constrains("area_id", "site_id", "team_id", "user_id", "contractor_id")
    def _check_rule(self):
        for rule in self:
            if rule.area_id and rule.site_id:
                raise ValidationError(self.env._("Rule %(name)s: name an area or a site, not both.", name=rule.name))
            if not (rule.team_id or rule.user_id or rule.contractor_id):
                raise ValidationError(
                    self.env._("Rule %(name)s: give a team, a responsible or a contractor.", name=rule.name)
                )
            if rule.team_id and rule.user_id and rule.user_id not in rule.team_id.user_ids:
                raise ValidationError(
                    self.env._(
                        "Rule %(name)s: %(user)s is not a member of team %(team)s.",
                        name=rule.name,
                        user=rule.user_id.name,
                        team=rule.team_id.name,
                    )
                )

    @api.model
    def _klusheeren_match(self, key, extra=None):
        """The rules that match a ticket, best first, in two SQL queries whatever their number.

        :param dict key: ``company``, ``partner`` (the customer companies), ``site``,
            ``equipment_category``, ``channel``, ``ticket_category``: records, possibly empty
        :param extra: more conditions on the rules (e.g. a contractor outside a list)
        """
        # sudo: routing runs for reporters and portal users, who may not read the rules
        Rule = self.sudo().with_context(active_test=True)
        site = key["site"]
        depth = {}  # the areas the site lies in, with how deep each lies
        if site:
            areas = (
                self.env["klusheeren.area"]
                .sudo()  # sudo: as the rules (see above)
                .search_fetch(self.env["klusheeren.area"]._klusheeren_domain_of_site(site), ["parent_path"])
            )
            # an area's parent_path lists every area above it, then itself
            for path in areas.mapped("parent_path"):
                for level, part in enumerate(filter(None, path.split("/")), start=1):
                    depth[int(part)] = level
        area_ids = set(depth)

        def criterion(field, records):
            if not records:
                return Domain(field, "=", False)
            return Domain(field, "=", False) | Domain(field, "in", records.ids)

        domain = Domain.AND(
            [
                criterion("company_id", key["company"]),
                criterion("partner_id", key["partner"]),
                criterion("site_id", site),
                criterion("equipment_category_id", key["equipment_category"]),
                criterion("channel_id", key["channel"]),
                criterion("ticket_category_id", key["ticket_category"]),
                Domain("area_id", "=", False)
                | (Domain("area_id", "in", list(area_ids)) & Domain("area_id.active", "=", True))
                if area_ids
                else Domain("area_id", "=", False),
                Domain(extra or []),
            ]
        )
        rules = Rule.search_fetch(
            domain, ["team_id", "user_id", "contractor_id", "area_id", "specificity", "sequence"], order=ORDER
        )
        # of two rules on areas, the one on the smaller area (deeper down) is more specific
        return rules.sorted(lambda r: (-r.specificity, -depth.get(r.area_id.id, 0), r.sequence, r.id))

    def _klusheeren_result(self):
        """What matched rules (best first, from ``_klusheeren_match``) write on a ticket: the
        best rule, and the team and responsible of the first rules that give one."""
        values = {"responsibility_id": self[:1].id}
        team = next((rule.team_id for rule in self if rule.team_id), None)
        if team:
            values["team_id"] = team.id
        responsible = next((rule.user_id for rule in self if rule.user_id), None)
        if responsible:
            values["user_id"] = responsible.id
        return values
