import contextlib
import os
import tempfile

from odoo import models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _file_write(self, bin_value, checksum):
        """Odoo's own ``_file_write``, but the file is written whole beside its place and then moved
        there. Core writes it in place, so a second request storing the same bytes at that moment
        (two reporters' identical photos, a double tap) reads a half-written file in ``_get_path`` and
        fails with "The attachment collides with an existing file"; a rename is atomic."""
        fname, full_path = self._get_path(bin_value, checksum)
        if not os.path.exists(full_path):
            # add fname to checklist, in case the transaction aborts (as core does)
            self._mark_for_gc(fname)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(full_path), prefix=".klusheeren-")
            try:
                with os.fdopen(fd, "wb") as fp:
                    fp.write(bin_value)
                os.replace(tmp, full_path)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        return fname
