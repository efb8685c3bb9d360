import re

from odoo.tests import tagged

from .common import CSRF_RE, KlusheerenPortalCase
from .light import LightPagesMixin
from .test_light_pages import FITS_JS, LIGHT_ONLY

METOO_KEY_RE = re.compile(r'name="metoo_key" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestMeToo(LightPagesMixin, KlusheerenPortalCase):
    """Issue 24: "me too" at the sticker, the subscriber's own link, the contractor's history."""

    def setUp(self):
        super().setUp()
        self.open_ticket = self.report(description="De koelkast lekt water.\nBel Douwe op 06-99999999.")
        self.Subscriber = self.env["klusheeren.ticket.subscriber"].with_context(active_test=False)

    def metoo(self, ticket=None, equipment=None, key=None, **fields):
        url = self.qr_url(equipment)
        page = self.url_open(url).text
        data = {
            "csrf_token": CSRF_RE.search(page).group(1),
            "metoo_key": key or METOO_KEY_RE.search(page).group(1),
            "ticket_id": (ticket or self.open_ticket).id,
        }
        data.update(fields)
        return self.url_open(f"{url}/metoo", data=data)

    def status(self, page, state):
        """The status text of ``state`` in the page's language."""
        lang = re.search(r'<html[^>]* lang="([a-z]{2})-([A-Z]{2})"', page)
        code = f"{lang.group(1)}_{lang.group(2)}" if lang else "en_US"
        return self.Ticket.with_context(lang=code)._klusheeren_status_text(state)

    def fingerprint(self):
        self.env.invalidate_all()
        return (
            self.Ticket.search_count([]),
            self.WorkOrder.search_count([]),
            self.Subscriber.search_read([], ["ticket_id", "email", "phone", "active"], order="id"),
            self.Mail.search_count([]),
        )

    def test_form_lists_open_reports_without_personal_data(self):
        other = self.report(description="Het lampje knippert.", email="tweede@example.com")
        self.Subscriber._klusheeren_subscribe(self.equipment, other.id, "volger@example.com")
        elsewhere = self.report(self.other_equipment, description="Vaatwasser lekt.")
        page = self.url_open(self.qr_url()).text
        self.assertEqual(page.count('o_klusheeren_open_report"'), 2, "both open reports, not the other machine's")
        self.assertIn("De koelkast lekt water.", page)
        self.assertIn("Het lampje knippert.", page)
        self.assertIn("+1", page)
        self.assertIn(self.status(page, "sent"), page)
        for private in (
            "douwe@example.com",
            "Douwe Demo",
            "tweede@example.com",
            "volger@example.com",
            self.open_ticket.number,
            self.open_ticket.access_token,
            "088-5550555",
        ):
            self.assertNotIn(private, page)
        self.assertNotIn("Vaatwasser lekt", page)
        # the status in the reporter's words
        order = self.open_ticket.work_order_ids
        order.action_accept()
        page = self.url_open(self.qr_url()).text
        self.assertIn(self.status(page, "accepted").split("—")[0].strip(), page)
        # resolved reports are not listed
        self.open_ticket._klusheeren_set_stage("resolved")
        other._klusheeren_set_stage("closed")
        self.assertNotIn('o_klusheeren_open_report"', self.url_open(self.qr_url()).text)
        self.assertTrue(elsewhere)

    def test_me_too_subscribes_once_and_sends_nothing(self):
        before = self.fingerprint()
        page = self.url_open(self.qr_url()).text
        key = METOO_KEY_RE.search(page).group(1)
        response = self.metoo(key=key, email="collega@example.com")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith(f"{self.qr_url()}/metoo/thanks"), response.url)
        self.assertIn("o_klusheeren_metoo_thanks", response.text)
        after = self.fingerprint()
        self.assertEqual(after[:2], before[:2], "no ticket, no work order")
        self.assertEqual(after[3], before[3], "no e-mail in the request")
        subscriber = self.open_ticket.klusheeren_subscriber_ids
        self.assertEqual(subscriber.email, "collega@example.com")
        self.assertEqual(self.open_ticket.klusheeren_subscriber_count, 1)
        # the same submission again (a double tap, a retry): the same answer, nothing added
        state = self.fingerprint()
        response = self.metoo(key=key, email="collega@example.com")
        self.assertTrue(response.url.endswith("/metoo/thanks"), response.url)
        self.assertEqual(self.fingerprint(), state)
        # the same address with a new form: not added twice
        self.metoo(email="Collega@example.com")
        self.assertEqual(self.fingerprint(), state)
        # a phone number for SMS
        self.metoo(phone="+31 6 12345678")
        self.assertEqual(self.open_ticket.klusheeren_subscriber_ids.mapped("phone"), [False, "+31612345678"])
        self.assertIn("+2", self.url_open(self.qr_url()).text)

    def test_refusals_change_nothing(self):
        foreign = self.report(self.other_equipment, description="Vaatwasser lekt.")
        before = self.fingerprint()
        # a ticket of another machine, a made-up id, junk
        for ticket_id in (foreign.id, 999999, "1 OR 1=1"):
            response = self.url_open(
                f"{self.qr_url()}/metoo",
                data={
                    "csrf_token": self.csrf(self.qr_url()),
                    "metoo_key": METOO_KEY_RE.search(self.url_open(self.qr_url()).text).group(1),
                    "ticket_id": ticket_id,
                    "email": "indringer@example.com",
                },
            )
            self.assertEqual(response.status_code, 400, ticket_id)
            self.assertIn("o_klusheeren_metoo_error", response.text)
        # no address, a wrong address, a missing key
        self.assertEqual(self.metoo(email="").status_code, 400)
        self.assertEqual(self.metoo(email="geen-adres").status_code, 400)
        self.assertEqual(self.metoo(key="kort", email="a@example.com").status_code, 400)
        self.assertEqual(self.fingerprint(), before)
        # a key used on one sticker, replayed on another: nothing done there
        page = self.url_open(self.qr_url()).text
        key = METOO_KEY_RE.search(page).group(1)
        self.metoo(key=key, email="eerste@example.com")
        state = self.fingerprint()
        other_open = self.report(self.other_equipment, description="Lekt.", email="x@example.com")
        state = self.fingerprint()
        response = self.metoo(ticket=other_open, equipment=self.other_equipment, key=key, email="tweede@example.com")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(self.fingerprint(), state)
        # an unknown sticker
        self.assertEqual(
            self.url_open(f"/qr/{'x' * 32}/metoo", data={"csrf_token": self.csrf(self.qr_url())}).status_code, 404
        )

    def test_rate_limited_like_a_report(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("klusheeren_portal.action_limit_per_link", 1)
        self.assertEqual(self.metoo(email="een@example.com").status_code, 200)
        before = self.fingerprint()
        response = self.metoo(email="twee@example.com")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(self.fingerprint(), before)

    def test_own_link_follows_and_stops(self):
        self.metoo(email="collega@example.com")
        self.metoo(email="andere@example.com")
        mine, theirs = self.open_ticket.klusheeren_subscriber_ids
        page = self.url_open(f"/klusheeren/follow/{mine.id}?token={mine.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.status(page.text, "sent"), page.text)
        for private in (
            "douwe@example.com",
            "Douwe Demo",
            "andere@example.com",
            "collega@example.com",
            self.open_ticket.access_token,
            theirs.access_token,
        ):
            self.assertNotIn(private, page.text)
        self.assertLightPage(f"/klusheeren/follow/{mine.id}?token={mine.access_token}")
        # someone else's link, or none, for my subscription: nothing changes
        before = self.fingerprint()
        csrf = CSRF_RE.search(page.text).group(1)
        for token in (theirs.access_token, "", "x" * 43):
            response = self.url_open(f"/klusheeren/follow/{mine.id}/stop", data={"csrf_token": csrf, "token": token})
            self.assertEqual(response.status_code, 404)
            self.assertEqual(self.url_open(f"/klusheeren/follow/{mine.id}?token={token}").status_code, 404)
        self.assertEqual(self.fingerprint(), before)
        response = self.url_open(
            f"/klusheeren/follow/{mine.id}/stop", data={"csrf_token": csrf, "token": mine.access_token}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_klusheeren_follow_stopped", response.text)
        self.assertFalse(mine.active)
        self.assertTrue(theirs.active)
        # the updates go to those still following only
        sent = self.Mail.search([]).ids
        self.open_ticket.work_order_ids.action_accept()
        mails = self.Mail.search(
            [("id", "not in", sent), ("email_to", "in", ["collega@example.com", "andere@example.com"])]
        )
        self.assertEqual(mails.mapped("email_to"), ["andere@example.com"])

    def test_query_count_flat_with_open_reports(self):
        equipment = self.env["maintenance.equipment"].create(
            {"name": "Koffiemachine", "site_id": self.site.id, "contractor_id": self.contractor.id}
        )
        self.assertTrue(equipment.sticker_id, "equipment gets a sticker")
        url = self.qr_url(equipment)
        counts = [self.hot_query_count(url)]
        self.report(equipment)
        counts.append(self.hot_query_count(url))
        for i in range(49):
            self.report(equipment, email=f"melder{i}@example.com")
        counts.append(self.hot_query_count(url))
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(counts[1], counts[2])
        self.assertEqual(self.url_open(url).text.count('o_klusheeren_open_report"'), 20, "the newest 20")
        self.assertLightPage(url)

    def test_light_pages_and_phone_width(self):
        self.metoo(email="collega@example.com")
        subscriber = self.open_ticket.klusheeren_subscriber_ids
        self.assertLightPage(self.qr_url())
        response = self.metoo(email="")
        self.assertLightPage(self.qr_url(), status=400, response=response)
        response = self.metoo(email="nog@example.com")
        self.assertLightPage(response.url, response=response)
        self.browser_js(self.qr_url(), FITS_JS, timeout=60, cookies=LIGHT_ONLY)
        self.browser_js(
            f"/klusheeren/follow/{subscriber.id}?token={subscriber.access_token}",
            FITS_JS,
            timeout=60,
            cookies=LIGHT_ONLY,
        )

    def test_contractor_page_shows_the_earlier_order_and_history(self):
        earlier = self.open_ticket.work_order_ids
        earlier.action_accept()
        earlier.sudo().contractor_save({"contractor_remarks": "Pakking vervangen", "amount_total": 95.0})
        earlier.sudo().action_done()
        again = self.report(description="Lekt weer.")
        order = again.work_order_ids
        self.assertEqual(order.klusheeren_recall_of_id, earlier)
        order._portal_ensure_token()
        page = self.url_open(self.work_order_url(order)).text
        self.assertIn("o_klusheeren_recall", page)
        self.assertIn(earlier.name, page)
        self.assertIn("Pakking vervangen", page)
        self.assertIn("95", page)
        # another contractor's page: date and description of the earlier order, no price, no name
        order.action_cancel()
        new = order.with_user(self.backoffice).action_klusheeren_reassign(self.contractor_en)
        other = self.WorkOrder.browse(new["res_id"])
        other._portal_ensure_token()
        page = self.url_open(self.work_order_url(other)).text
        self.assertIn("o_klusheeren_history_row", page)
        self.assertIn(earlier.title, page)
        self.assertNotIn("o_klusheeren_recall", page)
        self.assertNotIn(earlier.name, page)
        self.assertNotIn("Pakking vervangen", page)
        self.assertNotIn(self.contractor.name, page)
        self.assertLightPage(self.work_order_url(other))
