"""Odoo's chatter upload for the KlusHeeren records."""

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.klusheeren_base.tools.upload import check_file, max_file_bytes
from odoo.addons.mail.controllers.attachment import AttachmentController

# records whose chatter a visitor reaches with a token: the upload policy applies there too
GUARDED_THREADS = ("helpdesk.ticket", "klusheeren.work.order", "klusheeren.complaint")


class KlusheerenAttachmentController(AttachmentController):
    """Odoo's generic upload of the chatter, for the KlusHeeren records: a visitor or portal
    user gets the project's upload policy (docs/SECURITY.md); internal users keep Odoo's."""

    @http.route()
    def mail_attachment_upload(self, ufile, thread_id, thread_model, is_pending=False, **kwargs):
        if thread_model in GUARDED_THREADS and not request.env.user._is_internal():
            limit = max_file_bytes(request.env)
            data = ufile.read(limit + 1)
            try:
                check_file(request.env, ufile.filename, data, limit)
            except UserError as e:
                return request.make_json_response({"error": e.args[0]})
            ufile.stream.seek(0)
        return super().mail_attachment_upload(ufile, thread_id, thread_model, is_pending, **kwargs)
