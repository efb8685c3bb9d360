# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mail in on KlusHeeren records (issue 25), on top of Odoo's mail gateway.

Models that set ``_klusheeren_mail_guarded = True`` (tickets, work orders) get:

- no post and no notification for machines' mail: auto-replies (``Auto-Submitted`` other than
  ``no``, ``X-Autoreply``, ``X-Autorespond``) and ``Precedence: bulk/junk/list``. Core already
  routes bounces nowhere (``message_route``: ``is_bounce``, ``_routing_handle_bounce``) and
  stops mail loops by counting (``_detect_loop_sender``); an out-of-office reply to a work order
  e-mail was posted and notified, a mail loop waiting to happen;
- the upload policy on the files of every incoming e-mail (``klusheeren_base.tools.upload``):
  a forbidden or oversized file is left out, with a note in the message saying so;
- a model's own say where a reply belongs (``_klusheeren_reply_ticket``): the reporter's reply
  to an e-mail sent from a work order lands on the ticket.
"""

import logging

from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.klusheeren_base.tools.upload import MAX_FILES, check_file, max_file_bytes

_logger = logging.getLogger(__name__)

AUTOMATIC_PRECEDENCE = ("bulk", "junk", "list", "auto_reply")
AUTOREPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponse")
NOT_AUTOMATIC = ("", "no", "false", "0")


def _header(message, name):
    """A header's first value, lower case and trimmed ('' when absent or unreadable)."""
    try:
        value = message.get(name)
    except Exception:  # a header the parser cannot read: not a machine's mark we rely on
        return ""
    return str(value or "").split(";")[0].strip().lower()


def automatic_reason(message):
    """Why ``message`` (an ``email.message.EmailMessage``) was sent by a machine, else None."""
    auto_submitted = _header(message, "Auto-Submitted")
    if auto_submitted not in NOT_AUTOMATIC:
        return f"Auto-Submitted: {auto_submitted}"
    for name in AUTOREPLY_HEADERS:
        if name in message and _header(message, name) not in ("no", "false", "0"):
            return f"{name} header"
    precedence = _header(message, "Precedence")
    if precedence in AUTOMATIC_PRECEDENCE:
        return f"Precedence: {precedence}"
    return None


def apply_upload_policy(env, message_dict):
    """Keep the files of an incoming e-mail that pass the upload policy (with safe names); the
    others are left out and the message says which and why."""
    attachments = message_dict.get("attachments") or []
    if not attachments:
        return
    limit = max_file_bytes(env)
    kept, refused = [], []
    for attachment in attachments:
        content = attachment.content
        data = content.encode() if isinstance(content, str) else bytes(content or b"")
        if len(kept) >= MAX_FILES:
            refused.append(env._("%(name)s: at most %(n)s files are kept.", name=attachment.fname, n=MAX_FILES))
            continue
        try:
            name, _mimetype = check_file(env, attachment.fname, data, limit)
        except UserError as error:
            refused.append(error.args[0])
            continue
        kept.append(attachment._replace(fname=name))
    message_dict["attachments"] = kept
    if refused:
        note = env._("Files left out (only photos and PDFs are kept):")
        items = Markup("").join(Markup("<li>%s</li>") % reason for reason in refused)
        # the body is the gateway's parsed HTML, sanitized again when the message is stored
        message_dict["body"] = Markup(message_dict.get("body") or "") + Markup(
            '<div class="o_klusheeren_files_left_out"><p>%s</p><ul>%s</ul></div>'
        ) % (note, items)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _klusheeren_is_guarded(self, model):
        return bool(model in self.env and getattr(self.env[model], "_klusheeren_mail_guarded", False))

    @api.model
    def message_route(self, message, message_dict, model=None, thread_id=None, custom_values=None):
        routes = super().message_route(
            message, message_dict, model=model, thread_id=thread_id, custom_values=custom_values
        )
        guarded = [route for route in routes if self._klusheeren_is_guarded(route[0])]
        if not guarded:
            return routes
        reason = automatic_reason(message)
        if reason:
            _logger.info(
                "Ignored mail from %s to %s with Message-Id %s: sent by a machine (%s), not posted on %s",
                message_dict.get("email_from"),
                message_dict.get("to"),
                message_dict.get("message_id"),
                reason,
                ", ".join(f"{route[0]}({route[1] or 'new'})" for route in guarded),
            )
            return [route for route in routes if route not in guarded]
        apply_upload_policy(self.env, message_dict)
        return [self._klusheeren_reroute(route, message_dict) for route in routes]

    @api.model
    def _klusheeren_reroute(self, route, message_dict):
        """A reply to a record that says it belongs on a ticket (``_klusheeren_reply_ticket``)
        goes to that ticket."""
        model, thread_id = route[0], route[1]
        if not thread_id or not self._klusheeren_is_guarded(model):
            return route
        record = self.env[model].browse(thread_id)
        if not hasattr(record, "_klusheeren_reply_ticket"):
            return route
        ticket = record._klusheeren_reply_ticket(message_dict)
        if not ticket:
            return route
        _logger.info(
            "Routing mail from %s with Message-Id %s: reply to %s(%s) goes to its ticket %s",
            message_dict.get("email_from"),
            message_dict.get("message_id"),
            model,
            thread_id,
            ticket.id,
        )
        message_dict.pop("parent_id", None)  # the parent is a message of the other record
        message_dict["is_internal"] = False
        return (ticket._name, ticket.id, route[2], route[3], self.env["mail.alias"])
