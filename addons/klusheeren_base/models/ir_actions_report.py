# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

# the addons whose reports this applies to: ours (``report_name`` is "module.template")
OWN_REPORT_PREFIX = "klusheeren_"


class IrActionsReport(models.Model):
    """KlusHeeren's PDFs without wkhtmltopdf's wait for JavaScript.

    Core passes ``--javascript-delay`` (the system parameter ``report.print_delay``, 1000 ms by
    default) to every wkhtmltopdf run: time for reports that JavaScript draws after the page
    loaded (charts, spreadsheets). KlusHeeren's reports (the work order, the sticker sheets) are
    static HTML, and their header and footer fill in their page numbers on load (core's
    ``subst()``, before the delay starts): the delay is a whole second of waiting per PDF, 90 % of
    a work order's rendering (1.12 s with it, 0.12 s without, the same text and pixels). The
    parameter stays in force for every other report."""

    _inherit = "ir.actions.report"

    @api.model
    def _run_wkhtmltopdf(self, bodies, report_ref=False, **kwargs):
        report = self._get_report(report_ref) if report_ref else self.browse()
        if report and (report.report_name or "").startswith(OWN_REPORT_PREFIX):
            self = self.with_context(klusheeren_no_print_delay=True)
        return super()._run_wkhtmltopdf(bodies, report_ref=report_ref, **kwargs)

    @api.model
    def _build_wkhtmltopdf_args(
        self, paperformat_id, landscape, specific_paperformat_args=None, set_viewport_size=False
    ):
        args = super()._build_wkhtmltopdf_args(
            paperformat_id,
            landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if self.env.context.get("klusheeren_no_print_delay") and "--javascript-delay" in args:
            args[args.index("--javascript-delay") + 1] = "0"
        return args
