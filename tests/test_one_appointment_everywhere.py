"""End to end: one appointment, read by everyone, at the same Amsterdam time and in euros.

The contractor plans the job at 14:30 Dutch time (13:30 UTC in winter, as stored). The contractor's
page, the reporter's page, the work order PDF (its text layer, read with pdftotext), the e-mails to
the reporter and to the contact at the location, the SMS and the finance export must all say 14:30,
never the stored 13:30; amounts are in the company's currency, written the Dutch way for a Dutch
reader; the export's completion date is the Dutch date of a job completed half an hour after
midnight (still the day before in UTC).
"""

import shutil
import subprocess
import tempfile
from datetime import date, datetime, timedelta

import pytz

from odoo.tests import tagged
from odoo.tools.misc import formatLang

from odoo.addons.klusheeren_portal.tests.common import DutchPagesMixin, KlusheerenPortalCase
from odoo.addons.klusheeren_visit.tests.common import VisitCaseMixin

AMS = pytz.timezone("Europe/Amsterdam")


def pdf_text(pdf):
    """The PDF's text layer, as a screen reader or a search finds it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", f.name, "-"], check=True, capture_output=True, text=True).stdout


@tagged("post_install", "-at_install")
class TestOneAppointmentEverywhere(DutchPagesMixin, VisitCaseMixin, KlusheerenPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpVisit()
        # a winter day ten days ahead: Amsterdam is UTC+1, so 14:30 there is 13:30 stored
        day = date.today() + timedelta(days=10)
        while AMS.localize(datetime(day.year, day.month, day.day, 12)).utcoffset() != timedelta(hours=1):
            day += timedelta(days=30)  # (a summer date: move on to winter)
        cls.day = day
        local = AMS.localize(datetime(day.year, day.month, day.day, 14, 30))
        cls.when = local.astimezone(pytz.utc).replace(tzinfo=None)

    def assert_local_time(self, text, where):
        self.assertIn("14:30", text, f"{where}: the appointment in Amsterdam time")
        self.assertNotIn("13:30", text, f"{where}: never the stored UTC time")

    def test_same_time_and_money_on_every_output(self):
        self.assertTrue(shutil.which("pdftotext"), "poppler-utils' pdftotext reads the PDF's text layer")
        Mail = self.env["mail.mail"]
        before = Mail.search([], order="id desc", limit=1).id or 0
        order = self.new_order(channel="both")
        visit = self.plan(order, self.when)
        self.assertEqual(order.appointment_date, self.when)
        company = order.company_id
        dutch_amount = formatLang(self.env(context={"lang": "nl_NL"}), 125.0, currency_obj=company.currency_id)
        if company.currency_id.name == "EUR":  # a Dutch operator's database
            self.assertEqual(dutch_amount.replace("\xa0", " "), "€ 125,00")

        # the contractor's page (anonymous, through the e-mail's link), as the Dutch reader sees it
        self.dutch()
        page = self.url_open(self.work_order_url(order))
        self.assertEqual(page.status_code, 200)
        self.assert_local_time(page.text, "contractor's page")
        if company.currency_id.name == "EUR":
            self.assertNotIn("USD", page.text)

        # the reporter's page (anonymous, through the tracking link)
        ticket = order.ticket_id
        ticket._portal_ensure_token()
        page = self.url_open(f"/my/ticket/{ticket.id}?access_token={ticket.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assert_local_time(page.text, "reporter's page")

        # the work order PDF, as the contractor receives it: its text layer
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("klusheeren_helpdesk.action_report_work_order", order.ids)
        )
        text = pdf_text(pdf)
        self.assertIn(order.name, text, "the order number is in the PDF's text layer")
        self.assertIn(company.name, text, "the letterhead names the company")
        self.assert_local_time(text, "work order PDF")
        self.assertIn(dutch_amount.replace("\xa0", " "), text.replace("\xa0", " "), "the amount, Dutch style")

        # the e-mails: to the reporter (helpdesk) and to the contact at the location (visit)
        mails = Mail.search([("id", ">", before), ("body_html", "ilike", "14:30")])
        reporter_mails = mails.filtered(lambda m: ticket.partner_id in m.recipient_ids)
        self.assertTrue(reporter_mails, "an e-mail announces the appointment at 14:30")
        for mail in Mail.search([("id", ">", before)]):
            self.assertNotIn("13:30", mail.body_html or "", f"e-mail {mail.subject!r}")
            self.assertNotIn("13:30", mail.subject or "", f"e-mail {mail.subject!r}")

        # the SMS to the contact
        sms = self.visit_sms(visit)
        self.assertTrue(sms, "the contact asked for SMS too")
        for message in sms:
            self.assert_local_time(message.body, "SMS")

        # finance: completed half an hour after midnight, Dutch time (the day before in UTC)
        order.sudo().contractor_save({"appointment_date": self.when})
        order.sudo().action_done()
        done_local = AMS.localize(datetime(self.day.year, self.day.month, self.day.day, 0, 30))
        order.sudo().date_done = done_local.astimezone(pytz.utc).replace(tzinfo=None)
        Export = self.env["klusheeren.finance.export"]
        Export.search([("state", "!=", "exported")]).unlink()
        batch = Export.with_context(lang="nl_NL").create(
            {"date_from": self.day - timedelta(days=2), "date_to": self.day + timedelta(days=2)}
        )
        batch.with_context(lang="nl_NL").action_export()
        self.assertIn(order, batch.work_order_ids)
        csv_text = batch.csv_attachment_id.raw.decode("utf-8-sig")
        row = next(line for line in csv_text.splitlines() if line.startswith(order.name))
        self.assertIn(self.day.strftime("%d-%m-%Y"), row, "completed on the Dutch date")
        self.assertIn("125,00", row, "the amount with a decimal comma")
        self.assertIn(company.currency_id.name, row)
        self.assertTrue(csv_text.startswith("Opdracht;"), "the columns in the finance user's language")
