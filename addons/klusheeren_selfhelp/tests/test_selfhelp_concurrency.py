import threading
import uuid
from unittest.mock import patch

import requests

from odoo import SUPERUSER_ID, api
from odoo.orm.registry import DummyRLock, Registry
from odoo.tests import HttpCase, tagged

from odoo.addons.klusheeren_portal.tests.common import CSRF_RE


@tagged("post_install", "-at_install")
class TestConcurrentPresses(HttpCase):
    """Five copies of one "This solved it" press at the same moment (a nervous double tap, a phone that
    sends again), over real HTTP, each request in its own thread and its own committed transaction (the
    registry is not in test mode here): one deflection, five answers leading to its thank-you page.
    Fixtures committed, cleaned up afterwards."""

    registry_test_mode = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # as klusheeren_portal's TestConcurrentSubmissions: the server's threads open real cursors
        lock = patch.object(Registry, "_lock", DummyRLock())
        lock.start()
        cls.addClassCleanup(lock.stop)

    def setUp(self):
        super().setUp()
        tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            category = env["maintenance.equipment.category"].create({"name": f"Race {tag}"})
            equipment = env["maintenance.equipment"].create({"name": f"Race {tag}", "category_id": category.id})
            article = env["document.page"].create({"name": f"Race {tag}", "klusheeren_category_id": category.id})
            self.ids = {
                "category": category.id,
                "equipment": equipment.id,
                "sticker": equipment.sticker_id.id,
                "article": article.id,
            }
            self.token = equipment.sticker_id.token
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self.clean_up)

    def clean_up(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["klusheeren.selfhelp.deflection"].search([("equipment_id", "=", self.ids["equipment"])]).unlink()
            env["document.page"].browse(self.ids["article"]).unlink()
            env["maintenance.equipment"].browse(self.ids["equipment"]).unlink()
            env["klusheeren.sticker"].browse(self.ids["sticker"]).unlink()
            env["maintenance.equipment.category"].browse(self.ids["category"]).unlink()
            cr.execute(
                "DELETE FROM klusheeren_report_attempt WHERE key = %s OR key LIKE 'act:addr:127.%%'",
                [f"act:selfhelp:{self.ids['sticker']}"],
            )
            cr.commit()  # pylint: disable=invalid-commit

    def deflections(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["klusheeren.selfhelp.deflection"].search_count([("equipment_id", "=", self.ids["equipment"])])

    def test_five_copies_at_once_make_one_deflection(self):
        url = f"{self.base_url()}/qr/{self.token}"
        form = self.url_open(url)
        self.assertIn(f'name="article_id" value="{self.ids["article"]}"', form.text)
        data = {
            "csrf_token": CSRF_RE.search(form.text).group(1),
            "article_id": str(self.ids["article"]),
            "deflection_key": uuid.uuid4().hex,
        }
        cookies = self.opener.cookies
        barrier = threading.Barrier(5)
        answers = []

        def send():
            session = requests.Session()
            session.cookies.update(cookies)
            barrier.wait(60)
            response = session.post(f"{url}/solved", data=data, allow_redirects=False, timeout=120)
            answers.append((response.status_code, response.headers.get("Location")))

        threads = [threading.Thread(target=send) for _i in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)
        self.assertEqual(len(answers), 5)
        self.assertEqual({status for status, _location in answers}, {303}, answers)
        self.assertEqual(len({location for _status, location in answers}), 1, answers)
        self.assertEqual(self.deflections(), 1)
