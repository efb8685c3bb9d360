import re
import threading
import uuid
from datetime import timedelta
from unittest.mock import patch

import requests

from odoo import SUPERUSER_ID, api, fields
from odoo.orm.registry import DummyRLock, Registry
from odoo.tests import HttpCase, tagged

from .common import CSRF_RE, KEY_RE, PNG, KlusheerenPortalCase

KEPT_RE = re.compile(r'name="kept_remove" value="(\d+)"')


@tagged("post_install", "-at_install")
class TestOneReportOneTicket(KlusheerenPortalCase):
    """Issue 21, point 5: every submission carries an idempotency key; however often it
    arrives, one ticket. Issue 20: the photos of a refused no-JS submission are kept."""

    def tickets(self, equipment=None):
        return self.env["helpdesk.ticket"].search([("equipment_id", "=", (equipment or self.equipment).id)])

    def submissions(self, key):
        return self.env["klusheeren.report.submission"].search([("key", "=", key)])

    def test_the_no_js_form_carries_a_fresh_key(self):
        keys = {self.form_tokens(self.qr_url())[1] for _i in range(2)}
        self.assertEqual(len(keys), 2, "every form its own key")
        for key in keys:
            self.assertRegex(key, r"^[A-Za-z0-9_-]{16,64}$")

    def test_a_repeat_answers_with_the_same_ticket(self):
        csrf, key = self.form_tokens(self.qr_url())
        data = {"csrf_token": csrf, "idempotency_key": key, "description": "Lekt", "email": "douwe@example.com"}
        first = self.url_open(self.qr_url(), data=data, allow_redirects=False)
        self.assertEqual(first.status_code, 303)
        number = self.submissions(key).number
        # a repeat before the intake job ran: the same number, nothing more
        repeat = self.url_open(self.qr_url(), data=data, allow_redirects=False)
        self.assertEqual(repeat.headers["Location"], first.headers["Location"])
        self.assertIn(number, self.url_open(repeat.headers["Location"]).text)
        self.assertEqual(len(self.submissions(key)), 1)
        self.make_tickets()
        ticket = self.tickets()
        self.assertEqual(len(ticket), 1)
        thanks = self.url_open(first.headers["Location"])
        self.assertIn(ticket.number, thanks.text)
        # back and resubmit, a retry, another tab: same key, the same answer
        self.opener.cookies.clear()  # even from a browser that lost its session (the offline queue)
        csrf = self.form_tokens(self.qr_url())[0]
        again = self.url_open(
            self.qr_url(),
            data={**data, "csrf_token": csrf, "description": "Lekt nog steeds"},
            files=[("attachments", ("lek.png", PNG, "image/png"))],
            allow_redirects=False,
        )
        self.assertEqual(again.status_code, 303)
        self.assertEqual(again.headers["Location"], first.headers["Location"])
        self.assertIn(ticket.number, self.url_open(again.headers["Location"]).text)
        self.assertEqual(self.tickets(), ticket, "no second ticket")
        self.assertFalse(ticket.attachment_ids, "nothing of the repeat is added")
        self.assertEqual(self.submissions(key).ticket_id, ticket)

    def test_a_key_used_on_another_sticker_creates_nothing(self):
        csrf, key = self.form_tokens(self.qr_url())
        self.assertEqual(self.post_report(idempotency_key=key).status_code, 200)
        before = self.env["helpdesk.ticket"].search_count([])
        attachments = self.env["ir.attachment"].search_count([])
        response = self.url_open(
            self.qr_url(self.equipment_en),
            data={"csrf_token": csrf, "idempotency_key": key, "description": "Andere", "email": "a@example.com"},
            files=[("attachments", ("lek.png", PNG, "image/png"))],
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), before)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)
        self.assertFalse(self.tickets(self.equipment_en))
        self.assertEqual(len(self.submissions(key)), 1)
        new_key = KEY_RE.search(response.text).group(1)
        self.assertNotEqual(new_key, key, "the form comes back with a new key")
        self.assertIn("Andere", response.text, "and what was typed")

    def test_malformed_keys_are_refused(self):
        before = self.env["helpdesk.ticket"].search_count([])
        for key in ("", "short", "x" * 65, "abc def ghi jkl mno", "<script>alert(1)</script>", "é" * 20):
            with self.subTest(key=key):
                response = self.post_report(idempotency_key=key, description="Kapotte lamp")
                self.assertEqual(response.status_code, 400)
                self.assertIn("Kapotte lamp", response.text)
                self.assertRegex(KEY_RE.search(response.text).group(1), r"^[0-9a-f]{32}$")
        csrf = self.form_tokens(self.qr_url())[0]
        data = {"csrf_token": csrf, "description": "Geen sleutel", "email": "a@example.com"}
        self.assertEqual(self.url_open(self.qr_url(), data=data).status_code, 400)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), before)
        self.assertFalse(self.env["klusheeren.report.submission"].search([]))

    def test_photos_of_a_refused_submission_are_kept(self):
        csrf, key = self.form_tokens(self.qr_url())
        data = {"csrf_token": csrf, "idempotency_key": key, "description": "", "email": "douwe@example.com"}
        refused = self.url_open(
            self.qr_url(),
            data=data,
            files=[("attachments", ("lek.png", PNG, "image/png")), ("attachments", ("plas.png", PNG, "image/png"))],
        )
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(KEY_RE.search(refused.text).group(1), key, "the same submission")
        kept = self.submissions(key)._klusheeren_kept()
        self.assertEqual(sorted(kept.mapped("name")), ["lek.png", "plas.png"])
        self.assertEqual(sorted(int(i) for i in KEPT_RE.findall(refused.text)), sorted(kept.ids))
        self.assertIn("lek.png", refused.text)
        # nobody else reaches them: not the public, not with the ids
        for attachment in kept:
            self.assertIn(self.url_open(f"/web/content/{attachment.id}").status_code, (403, 404))
            self.assertNotEqual(self.url_open(f"/web/image/{attachment.id}").content, PNG, "a placeholder at most")
        self.assertFalse(self.submissions(key).ticket_id)
        # corrected, the reporter removes one photo and adds no new one
        plas = kept.filtered(lambda a: a.name == "plas.png")
        sent = self.url_open(
            self.qr_url(), data={**data, "description": "Lekt water", "kept": "1", "kept_remove": str(plas.id)}
        )
        self.assertEqual(sent.status_code, 200)
        self.make_tickets()
        ticket = self.tickets()
        self.assertEqual(len(ticket), 1)
        photos = self.env["ir.attachment"].search([("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)])
        self.assertEqual(photos, kept - plas, "the kept photo itself is the ticket's")
        self.assertFalse(plas.exists(), "the removed one is gone")
        self.assertEqual(self.submissions(key).ticket_id, ticket)

    def test_kept_photos_of_another_sticker_are_not_shown_nor_used(self):
        csrf, key = self.form_tokens(self.qr_url())
        data = {"csrf_token": csrf, "idempotency_key": key, "description": "", "email": "douwe@example.com"}
        self.url_open(self.qr_url(), data=data, files=[("attachments", ("lek.png", PNG, "image/png"))])
        other = self.url_open(self.qr_url(self.equipment_en), data={**data, "description": ""})
        self.assertEqual(other.status_code, 400)
        self.assertNotIn("lek.png", other.text)
        self.assertFalse(KEPT_RE.search(other.text))

    def test_abandoned_submissions_are_cleaned_up(self):
        Submission = self.env["klusheeren.report.submission"]
        old_open, new_open = Submission.create([{"key": uuid.uuid4().hex}, {"key": uuid.uuid4().hex}])
        old_open._klusheeren_keep([("lek.png", PNG, "image/png")])
        attachment = old_open._klusheeren_kept()
        done = Submission.create({"key": uuid.uuid4().hex, "ticket_id": self.new_report().id})
        queued = Submission.create({"key": uuid.uuid4().hex, "number": "KH-A-999999"})
        old_open.date = queued.date = fields.Datetime.now() - timedelta(hours=25)
        done.date = fields.Datetime.now() - timedelta(days=10)
        Submission._gc_submissions()
        self.assertFalse(old_open.exists())
        self.assertFalse(attachment.exists())
        self.assertTrue(new_open.exists())
        self.assertTrue(done.exists(), "a phone's queue may still send it again")
        self.assertTrue(queued.exists(), "an accepted report waits for its ticket")
        done.date = fields.Datetime.now() - timedelta(days=31)
        Submission._gc_submissions()
        self.assertFalse(done.exists())

    def test_company_portal_request_is_made_once(self):
        self.authenticate("kh_klant", "kh_klant_pw1")
        page = self.url_open("/new/ticket").text
        key = KEY_RE.search(page).group(1)
        data = {
            "subject": "Koelkast lekt",
            "description": "Er ligt water onder de koelkast.",
            "site": str(self.site.id),
            "csrf_token": CSRF_RE.search(page).group(1),
            "idempotency_key": key,
        }
        before = self.env["helpdesk.ticket"].search([])
        first = self.url_open("/submitted/ticket", data=data, allow_redirects=False)
        self.assertEqual(first.status_code, 303)
        ticket = self.env["helpdesk.ticket"].search([("id", "not in", before.ids)])
        self.assertEqual(len(ticket), 1)
        again = self.url_open("/submitted/ticket", data=data, allow_redirects=False)
        self.assertEqual(again.headers["Location"], first.headers["Location"])
        self.assertEqual(self.env["helpdesk.ticket"].search([("id", "not in", before.ids)]), ticket)
        # a colleague who got hold of the key creates nothing and learns nothing
        self.authenticate("kh_collega", "kh_collega_pw1")
        data["csrf_token"] = self.csrf("/new/ticket")
        other = self.url_open("/submitted/ticket", data=data, allow_redirects=False)
        self.assertEqual(other.status_code, 400)
        self.assertNotIn(f"/my/ticket/{ticket.id}", other.text)
        self.assertEqual(self.env["helpdesk.ticket"].search([("id", "not in", before.ids)]), ticket)
        data["idempotency_key"] = "not a key"
        self.assertEqual(self.url_open("/submitted/ticket", data=data, allow_redirects=False).status_code, 400)


@tagged("post_install", "-at_install")
class TestConcurrentSubmissions(HttpCase):
    """Five copies of one submission at the same moment, over real HTTP, each request in its
    own thread and its own committed transaction (the registry is not in test mode here): one
    ticket. Fixtures committed, cleaned up afterwards."""

    registry_test_mode = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # as registry test mode does: Odoo's runner holds the registry's lock in the test's
        # thread, which the server's threads would wait for (here they open real cursors)
        lock = patch.object(Registry, "_lock", DummyRLock())
        lock.start()
        cls.addClassCleanup(lock.stop)

    def setUp(self):
        super().setUp()
        tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            equipment = env["maintenance.equipment"].create([{"name": f"Race {tag} {i}"} for i in range(2)])
            self.ids = {"equipment": equipment.ids, "stickers": equipment.sticker_id.ids}
            self.tokens = equipment.mapped("sticker_id.token")
            cr.execute("DELETE FROM klusheeren_report_attempt WHERE key LIKE 'addr:127.%%'")  # earlier runs
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self.clean_up)

    def clean_up(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tickets = env["helpdesk.ticket"].search([("equipment_id", "in", self.ids["equipment"])])
            env["klusheeren.report.submission"].search([("sticker_id", "in", self.ids["stickers"])]).unlink()
            env["mail.mail"].search([("model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)]).unlink()
            partners = tickets.partner_id
            tickets.unlink()
            partners.filtered(lambda p: p.email == "race@example.com").unlink()
            env["maintenance.equipment"].browse(self.ids["equipment"]).unlink()
            env["klusheeren.sticker"].browse(self.ids["stickers"]).unlink()
            cr.execute(
                "DELETE FROM klusheeren_report_attempt WHERE key = ANY(%s) OR key LIKE 'addr:127.%%'",
                [[f"sticker:{i}" for i in self.ids["stickers"]]],
            )
            cr.commit()  # pylint: disable=invalid-commit

    def counts(self):
        with self.registry.cursor() as cr:
            # the intake job, as the cron worker runs it after the requests' commits
            api.Environment(cr, SUPERUSER_ID, {})["klusheeren.report.submission"]._cron_make_tickets()
            cr.commit()  # pylint: disable=invalid-commit
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tickets = env["helpdesk.ticket"].search([("equipment_id", "in", self.ids["equipment"])])
            photos = env["ir.attachment"].search_count(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)]
            )
            return len(tickets), photos, tickets.mapped("number")

    def post_at_once(self, url, datas, own_sessions=False):
        """POST each of ``datas`` to ``url`` at the same moment, one thread each; the answers.
        ``own_sessions``: each from a phone of its own (its own session and CSRF token, from the form
        it loaded), as colleagues at one machine; else all from this test's browser session."""
        cookies = self.opener.cookies
        barrier = threading.Barrier(len(datas))
        answers = []

        def send(data):
            session = requests.Session()
            if own_sessions:
                data = {**data, "csrf_token": CSRF_RE.search(session.get(url, timeout=120).text).group(1)}
            else:
                session.cookies.update(cookies)
            barrier.wait(60)
            response = session.post(
                url,
                data=data,
                files=[("attachments", ("lek.png", PNG, "image/png"))],
                allow_redirects=False,
                timeout=120,
            )
            error = (
                re.search(r'class="[^"]*alert[^"]*"[^>]*>(.*?)</', response.text, re.S)
                if response.status_code == 400
                else None
            )
            answers.append((response.status_code, response.headers.get("Location"), error and error.group(1).strip()))

        threads = [threading.Thread(target=send, args=(data,)) for data in datas]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)
        return answers

    def test_a_burst_gets_reports_and_429_only_and_the_limit_holds(self):
        """Twelve different reports from one address at once, limit 5: five tickets, seven 429,
        never a 500 (the counter neither serializes nor fails the requests)."""
        with self.registry.cursor() as cr:
            ICP = api.Environment(cr, SUPERUSER_ID, {})["ir.config_parameter"]
            previous = ICP.get_param("klusheeren_portal.rate_limit_per_address")
            ICP.set_param("klusheeren_portal.rate_limit_per_address", 5)
            cr.commit()  # pylint: disable=invalid-commit

        def restore():
            with self.registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})["ir.config_parameter"].set_param(
                    "klusheeren_portal.rate_limit_per_address", previous
                )
                cr.commit()  # pylint: disable=invalid-commit

        self.addCleanup(restore)
        url = f"{self.base_url()}/qr/{self.tokens[0]}"
        csrf = CSRF_RE.search(self.url_open(url).text).group(1)
        datas = [
            {
                "csrf_token": csrf,
                "idempotency_key": str(uuid.uuid4()),
                "description": f"Melding {i}",
                "email": "race@example.com",
            }
            for i in range(12)
        ]
        answers = self.post_at_once(url, datas, own_sessions=True)
        statuses = sorted(status for status, _location, _error in answers)
        self.assertEqual(statuses, [303] * 5 + [429] * 7, answers)
        self.assertEqual(self.counts()[:2], (5, 5))

    def test_five_copies_at_once_make_one_ticket(self):
        url = f"{self.base_url()}/qr/{self.tokens[0]}"
        form = self.url_open(url)
        data = {
            "csrf_token": CSRF_RE.search(form.text).group(1),
            "idempotency_key": str(uuid.uuid4()),  # as crypto.randomUUID() makes it
            "description": "De koffiemachine lekt.",
            "email": "race@example.com",
        }
        answers = self.post_at_once(url, [data] * 5)
        self.assertEqual(len(answers), 5)
        self.assertEqual({status for status, _location, _error in answers}, {303}, answers)
        self.assertEqual({location for _status, location, _error in answers}, {f"/qr/{self.tokens[0]}/thanks"})
        tickets, photos, numbers = self.counts()
        self.assertEqual((tickets, photos), (1, 1), "one ticket, with its photo once")
        # a repeat after the fact: the same ticket on the thanks page
        again = self.url_open(url, data=data, files=[("attachments", ("lek.png", PNG, "image/png"))])
        self.assertEqual(again.status_code, 200)
        self.assertIn(numbers[0], again.text)
        # the same key on the other sticker: refused, nothing made
        other = self.url_open(f"/qr/{self.tokens[1]}", data=data)
        self.assertEqual(other.status_code, 409)
        self.assertEqual(self.counts()[:2], (1, 1))
