# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The HTTP SMS gateway: one ``SmsApiBase`` of Odoo's ``sms`` module, so that every SMS Odoo
sends (``sms.sms.send()``, the queue job, the SMS composer, marketing tests) leaves through it.

Odoo 19.0 ships ``sms_twilio``, but its URL is fixed to api.twilio.com (no local or test
gateway, no other provider) and it needs Twilio's status callbacks reaching the server; this
gateway takes its URL and key from the settings. The first adapter speaks MessageBird's REST
format (``POST /messages`` with ``Authorization: AccessKey <key>``, JSON ``originator``,
``recipients``, ``body``, ``reference``; answer 201 with the message id).
"""

import logging

import requests

from odoo.addons.klusheeren_base.tools.settings import read as read_setting
from odoo.addons.sms.tools.sms_api import SmsApiBase

_logger = logging.getLogger(__name__)

DEFAULT_URL = "https://rest.messagebird.com/messages"
TIMEOUT = 10
# MessageBird error codes (https://developers.messagebird.com/api/#errors)
MB_AUTH_CODES = {2}  # request not allowed (incorrect access key)
MB_RECIPIENT_CODES = {9, 10}  # missing or invalid parameters (recipients)
MB_BALANCE_CODES = {25}  # not enough balance


class KlusheerenSmsGateway(SmsApiBase):
    """Odoo's SMS API over the configured gateway. Results use the states of the IAP API,
    so that ``sms.sms._send_with_api`` handles them as usual: ``success``, ``server_error``
    (retried: network, time-out, 429, 5xx), ``unregistered`` (wrong key), ``insufficient_credit``,
    ``wrong_number_format``, ``sms_number_missing``."""

    PROVIDER_TO_SMS_FAILURE_TYPE = {
        "server_error": "sms_server",
        "sms_number_missing": "sms_number_missing",
        "wrong_number_format": "sms_number_format",
        "unregistered": "sms_acc",
        "insufficient_credit": "sms_credit",
    }

    def _settings(self):
        return {
            "url": read_setting(self.env, "klusheeren_sms.gateway_url"),
            "key": read_setting(self.env, "klusheeren_sms.gateway_key"),
            "originator": read_setting(self.env, "klusheeren_sms.originator")[:11],
        }

    def _get_sms_api_error_messages(self):
        return {
            "server_error": self.env._("The SMS gateway could not be reached or failed; it is retried."),
            "unregistered": self.env._("The SMS gateway refused the access key (Settings > SMS gateway)."),
            "insufficient_credit": self.env._("The SMS gateway account has no balance left."),
            "wrong_number_format": self.env._("The gateway refused the phone number."),
            "sms_number_missing": self.env._("There is no phone number."),
        }

    @staticmethod
    def _payload(settings, number, body, reference):
        """MessageBird's message resource: recipients are MSISDNs, digits only."""
        return {
            "originator": settings["originator"],
            "recipients": ["".join(ch for ch in number if ch.isdigit())],
            "body": body,
            "reference": reference,
        }

    def _send_one(self, session, settings, number, body, reference):
        if not number or not any(ch.isdigit() for ch in number):
            return "sms_number_missing", self.env._("There is no phone number.")
        if not settings["key"] or not settings["url"]:
            return "unregistered", self.env._("No SMS gateway is configured (Settings > SMS gateway).")
        try:
            response = session.post(
                settings["url"],
                json=self._payload(settings, number, body, reference),
                headers={"Authorization": f"AccessKey {settings['key']}", "Accept": "application/json"},
                timeout=TIMEOUT,
            )
        except requests.exceptions.RequestException as e:
            _logger.warning("SMS gateway %s unreachable: %s", settings["url"], e)
            return "server_error", str(e)[:200]
        if response.status_code in (200, 201, 202):
            return "success", False
        try:
            errors = response.json().get("errors") or []
        except ValueError:
            errors = []
        codes = {e.get("code") for e in errors if isinstance(e, dict)}
        reason = "; ".join(str(e.get("description")) for e in errors if isinstance(e, dict))[:200]
        reason = reason or f"HTTP {response.status_code}"
        _logger.info("SMS gateway answered %s: %s", response.status_code, reason)
        if response.status_code in (401, 403) or codes & MB_AUTH_CODES:
            return "unregistered", reason
        if response.status_code == 402 or codes & MB_BALANCE_CODES:
            return "insufficient_credit", reason
        if response.status_code == 429 or response.status_code >= 500:
            return "server_error", reason
        if codes & MB_RECIPIENT_CODES or response.status_code in (400, 422):
            return "wrong_number_format", reason
        return "server_error", reason

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        """See ``SmsApi._send_sms_batch``: one POST per number (MessageBird answers one status
        per message), one result per SMS uuid."""
        settings = self._settings()
        results = []
        with requests.Session() as session:
            for message in messages:
                body = message.get("content") or ""
                for number_info in message.get("numbers") or []:
                    state, reason = self._send_one(
                        session, settings, number_info.get("number") or "", body, number_info["uuid"]
                    )
                    results.append({"uuid": number_info["uuid"], "state": state, "failure_reason": reason})
        return results
