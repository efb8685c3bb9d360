from odoo import models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _klusheeren_pinned(self):
        """The files of ``self`` that the back office pinned to the equipment: the same content
        is attached to a piece of equipment (as a file, or as its photo). They outlive the
        reporter's erasure; the others go."""
        if not self:
            return self
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT DISTINCT a.id
              FROM ir_attachment a
              JOIN ir_attachment e ON e.checksum = a.checksum AND e.res_model = 'maintenance.equipment'
             WHERE a.id IN %s AND a.checksum IS NOT NULL
            """,
            [tuple(self.ids)],
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())
