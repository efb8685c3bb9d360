from odoo import models

# cursor cache of PDFs rendered ahead by the sending job: {(report id, record id, lang): bytes}
PDF_CACHE = "klusheeren.prerendered_pdfs"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """A PDF the sending job rendered ahead, with others in one wkhtmltopdf run
        (``klusheeren.work.order._klusheeren_prerender_pdfs``), is used once instead of being
        rendered again; any other rendering is core's."""
        cache = self.env.cr.cache.get(PDF_CACHE)
        if cache and not data and res_ids and len(res_ids) == 1:
            report = self._get_report(report_ref)
            content = cache.pop((report.id, res_ids[0], self.env.lang), None)
            if content is not None:
                return content, "pdf"
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
