import re
import threading
from contextlib import contextmanager
from unittest.mock import patch

from lxml import html as lxml_html

from odoo import SUPERUSER_ID, api
from odoo.tests import HttpCase, new_test_user

from odoo.addons.base.models.ir_actions_report import IrActionsReport
from odoo.addons.klusheeren_equipment.tests.common import PhoneBrowserMixin
from odoo.addons.klusheeren_helpdesk.tests.common import PNG, KlusheerenHelpdeskCase

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
KEY_RE = re.compile(r'name="idempotency_key" value="([^"]+)"')
# script payloads that must stay inert wherever they are shown
XSS = '<script>alert("kh-xss")</script><img src=x onerror=alert("kh-img")>'
XSS_MARKERS = ('<script>alert("kh-xss")', "<img src=x onerror")  # only ever present unescaped
JPEG_HEADER = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


@contextmanager
def force_pdf_rendering():
    """Odoo answers HTML instead of PDF in test mode; render real PDFs (wkhtmltopdf) inside."""
    original = IrActionsReport._render_qweb_pdf

    def render(self, report_ref, res_ids=None, data=None):
        return original(self.with_context(force_report_rendering=True), report_ref, res_ids, data)

    with patch.object(IrActionsReport, "_render_qweb_pdf", render):
        yield


class KlusheerenPortalCase(PhoneBrowserMixin, HttpCase, KlusheerenHelpdeskCase):
    """The helpdesk fixtures plus a customer company with portal users and a contractor login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Klant Eén B.V.", "is_company": True})
        cls.site.parent_id = cls.customer
        cls.other_customer = Partner.create({"name": "Klant Twee B.V.", "is_company": True})
        cls.other_site = Partner.create(
            {"name": "Locatie Utrecht", "is_company": True, "parent_id": cls.other_customer.id}
        )
        cls.other_equipment = cls.env["maintenance.equipment"].create(
            {"name": "Vaatwasser", "site_id": cls.other_site.id, "contractor_id": cls.contractor_en.id}
        )
        cls.customer_user = new_test_user(
            cls.env, login="kh_klant", password="kh_klant_pw1", groups="base.group_portal"
        )
        cls.customer_user.partner_id.parent_id = cls.customer
        cls.colleague = new_test_user(
            cls.env, login="kh_collega", password="kh_collega_pw1", groups="base.group_portal"
        )
        cls.colleague.partner_id.parent_id = cls.customer
        cls.contractor_user = new_test_user(
            cls.env, login="kh_jansen", password="kh_jansen_pw1", groups="base.group_portal"
        )
        cls.contractor_user.partner_id.parent_id = cls.contractor
        # generous limits; the rate-limit test lowers them
        ICP = cls.env["ir.config_parameter"].sudo()
        ICP.set_param("klusheeren_portal.rate_limit_per_address", 1000)
        ICP.set_param("klusheeren_portal.rate_limit_per_sticker", 1000)
        ICP.set_param("klusheeren_portal.action_limit_per_address", 1000)
        ICP.set_param("klusheeren_portal.action_limit_per_link", 1000)

    @classmethod
    def new_report(cls, equipment=None, **kw):
        """A fault report made in setUpClass (the helpdesk fixtures' ``report`` needs an instance)."""
        return KlusheerenHelpdeskCase.report(cls, equipment, **kw)

    def qr_url(self, equipment=None):
        return f"/qr/{(equipment or self.equipment).sticker_id.token}"

    def csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return CSRF_RE.search(response.text).group(1)

    def form_tokens(self, url):
        """``(csrf_token, idempotency_key)`` of the form at ``url``, as a browser gets them."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return CSRF_RE.search(response.text).group(1), KEY_RE.search(response.text).group(1)

    def make_tickets(self):
        """The intake job, as the cron worker runs it right after an accepted report's commit:
        the tickets of the reports waiting for it."""
        return self.env["klusheeren.report.submission"]._cron_make_tickets()

    @contextmanager
    def intake_running(self, every=0.25, start=None):
        """The intake job's cron worker beside a browser tour: it makes the tickets of the
        reports the tour sends, a moment after each (the thanks page then shows the link);
        ``start``: an event it waits for first."""
        stop = threading.Event()

        def work():
            if start is not None:
                start.wait(60)
            while not stop.wait(every):
                with self.registry.cursor() as cr:
                    api.Environment(cr, SUPERUSER_ID, {})["klusheeren.report.submission"]._cron_make_tickets()

        worker = threading.Thread(target=work, name="kh-intake", daemon=True)
        worker.start()
        try:
            yield
        finally:
            stop.set()
            worker.join(60)

    def post_report(self, equipment=None, files=None, csrf=True, intake=True, **fields):
        """A report as the form sends it: its CSRF token and the idempotency key of a freshly
        loaded form, unless given in ``fields``; then (``intake``) the intake job makes its
        ticket, as the cron worker does a moment after the answer."""
        url = self.qr_url(equipment)
        data = {
            "description": "De koffiemachine lekt water.",
            "name": "Douwe Demo",
            "email": "douwe@example.com",
            "phone": "06-12345678",
        }
        csrf_token, key = self.form_tokens(url)
        data["idempotency_key"] = key
        data.update(fields)
        if csrf:
            data["csrf_token"] = csrf_token
        response = self.url_open(url, data=data, files=files or {})
        if intake:
            self.make_tickets()
        return response

    def work_order_url(self, order, token=None, suffix=""):
        token = order.access_token if token is None else token
        query = f"?access_token={token}" if token else ""
        return f"/my/work-orders/{order.id}{suffix}{query}"

    def post_work_order(self, order, action, token=None, csrf=True, files=None, **fields):
        data = {"action": action, "access_token": order.access_token if token is None else token}
        if csrf:
            # the session's token, from a page that always has a form (a withdrawn order has none)
            data["csrf_token"] = self.csrf("/web/login")
        data.update(fields)
        return self.url_open(f"/my/work-orders/{order.id}/update", data=data, files=files or {})

    def hot_query_count(self, url):
        """SQL queries of one GET of ``url`` once caches are warm (as website's performance tests)."""
        for _i in range(2):
            self.assertEqual(self.url_open(url).status_code, 200, url)
        before = self.cr.sql_log_count
        self.assertEqual(self.url_open(url).status_code, 200, url)
        return self.cr.sql_log_count - before

    def add_tickets(self, count):
        """``count`` more tickets with sent work orders, photos and messages elsewhere in the database."""
        tickets = self.env["helpdesk.ticket"]
        for i in range(count):
            ticket = self.report(self.other_equipment, email=f"reporter{i}@example.com")
            ticket.message_post(body="Nog een bericht", message_type="comment")
            ticket.work_order_ids.message_post(body="Bericht aan de contractpartner", message_type="comment")
            tickets |= ticket
        return tickets

    def assertInert(self, text, where):
        for marker in XSS_MARKERS:
            self.assertNotIn(marker, text, f"script payload active in {where}")


__all__ = ["PNG", "JPEG_HEADER", "XSS", "KlusheerenPortalCase", "force_pdf_rendering"]


# Pages in one language: labels and placeholders that once showed through on the Dutch pages
# (helpdesk_mgmt's and Odoo's untranslated terms, the website's placeholders).
ENGLISH_ON_DUTCH_PAGES = (
    "Create Date",
    "Stage:",
    "Last Stage Update",
    "Closed Date",
    "Close Date",
    "Communication history",
    "Description",
    "Messages",
    "Attachments",
    "Photos or PDF",
    "MB each",
    "files, images or PDF",
    "Follow and comment",
    "New request",
    "Ticket Portal Template",
    "My Tickets",
    "Create Ticket",
    "My Portal",
    "My work orders",
    "Sort By",
    "Search in",
)
PLACEHOLDERS = (
    "Your Logo",
    "YourCompany",
    "yourcompany",
    "bedrijf.voorbeeld",
    "555-555-5556",
    "Company name",
    "Bedrijfsnaam",
    "Useful Links",
    "Handige links",
)


def visible_text(html):
    """The text a visitor reads: the page without scripts, styles and templates, its title included."""
    document = lxml_html.fromstring(html)
    for node in document.xpath("//script|//style|//template|//noscript"):
        node.drop_tree()
    texts = [document.text_content()]
    texts += document.xpath("//@placeholder|//@title|//@aria-label|//img/@alt")
    return " ".join(" ".join(texts).split())


class DutchPagesMixin:
    """Fetches pages as a Dutch visitor (the demo's reporters and contractors speak Dutch)."""

    def dutch(self):
        self.opener.cookies.set("frontend_lang", "nl_NL")

    def assertDutchPage(self, url, dutch=(), status=200, response=None):
        response = response or self.url_open(url)
        self.assertEqual(response.status_code, status, url)
        text = visible_text(response.text)
        english = [label for label in ENGLISH_ON_DUTCH_PAGES + PLACEHOLDERS if label in text]
        self.assertFalse(english, f"{url}: English or placeholder text on the Dutch page")
        missing = [label for label in dutch if label not in text]
        self.assertFalse(missing, f"{url}: Dutch labels missing")
        return text
