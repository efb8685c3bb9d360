from odoo import api, models

from odoo.addons.klusheeren_base.tools.settings import read as read_setting

from .klusheeren_report_attempt import address_key

# Every public or portal action that sends an e-mail or SMS or creates a ticket (besides the QR
# form, which has its own limits): at most this many per internet address and per link or login
# in each window (the settings klusheeren_portal.action_limit_*, declared in res_config_settings.py).


class KlusheerenActionLimit(models.AbstractModel):
    """The rate limit of the public and portal pages' actions (contractor page, pre-visit page,
    rating and complaint pages, the reporter's comments, the company portal's requests). Counted
    with the QR form's counter (``klusheeren.report.attempt._klusheeren_count``), so the same
    guarantees hold (one atomic upsert per key and window)."""

    _name = "klusheeren.action.limit"
    _description = "Rate limit of the public pages' actions"

    @api.model
    def _klusheeren_limit(self, key):
        return read_setting(self.env, key)

    @api.model
    def _klusheeren_allow(self, address, holder):
        """Count one action from ``address`` by ``holder`` (a string naming the link or login,
        e.g. ``work_order:7``); False when over a limit (the address is counted even then)."""
        minutes = self._klusheeren_limit("klusheeren_portal.action_limit_minutes")
        Counter = self.env["klusheeren.report.attempt"]
        if Counter._klusheeren_count(f"act:{address_key(address)}", minutes) > self._klusheeren_limit(
            "klusheeren_portal.action_limit_per_address"
        ):
            return False
        return Counter._klusheeren_count(f"act:{holder}", minutes) <= self._klusheeren_limit(
            "klusheeren_portal.action_limit_per_link"
        )
