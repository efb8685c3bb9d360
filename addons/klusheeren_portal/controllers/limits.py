"""The rate limit of every public or portal action that sends an e-mail or SMS or creates a
ticket (the QR form has its own): called by each such route after its token or login check,
before the action (``klusheeren.action.limit``; docs/SECURITY.md, "Rate limits")."""

from werkzeug.exceptions import TooManyRequests

from odoo import http
from odoo.http import request

from odoo.addons.mail.controllers.thread import ThreadController

# threads whose chatter a reporter reaches with a token (the reporter's page)
LIMITED_THREADS = ("helpdesk.ticket",)


def counted_once(key, count):
    """``count()``, once per HTTP request and ``key``: the counters commit in a transaction of their
    own, and Odoo replays a request after a concurrency failure (a row lock refused, a unique key
    taken) with the same WSGI environ, where the first answer is kept."""
    memo = request.httprequest.environ.setdefault("klusheeren.counted", {})
    if key not in memo:
        memo[key] = count()
    return memo[key]


def request_address():
    """The caller's address: behind a proxy, X-Forwarded-For as the proxy overwrote it (proxy_mode)."""
    return request.httprequest.remote_addr or "unknown"


def action_allowed(holder):
    """Count one action of ``holder`` (``"work_order:7"``, ``"user:12"``…) from this request's
    address, once per request (``counted_once``); False when a limit is reached."""
    return counted_once(
        f"action:{holder}",
        lambda: request.env["klusheeren.action.limit"]._klusheeren_allow(request_address(), holder),
    )


def too_many():
    return request.render("klusheeren_portal.too_many_actions", {}, status=429)


class LimitedThreadController(ThreadController):
    """A reporter's or a portal user's comment on a ticket e-mails its followers: limited too."""

    @http.route()
    def mail_message_post(self, thread_model, thread_id, post_data, context=None, **kwargs):
        if thread_model in LIMITED_THREADS and request.env.user.share:
            holder = f"{thread_model}:{thread_id}" if request.env.user._is_public() else f"user:{request.env.uid}"
            if not action_allowed(holder):
                raise TooManyRequests(
                    request.env._("Many messages have been sent from here in a short time. Please try again later.")
                )
        return super().mail_message_post(thread_model, thread_id, post_data, context=context, **kwargs)
