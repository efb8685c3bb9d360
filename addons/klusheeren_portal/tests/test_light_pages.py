import base64
import io
import re
from unittest.mock import patch

from PIL import Image

from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from .common import PNG, KlusheerenPortalCase
from .light import LightPagesMixin

# the light pages as visitors get them, without the tour runner's scripts (light_test_assets)
LIGHT_ONLY = {"kh_light_only": "1"}
# Scripts the test page runs (ChromeBrowser.browser_js): they signal with console.log
WAIT_JS = """
const khWait = async (test, what) => {
    for (let i = 0; i < 300; i++) {
        const found = test();
        if (found) { return found; }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("waited in vain for " + (typeof what === "function" ? what() : what));
};
"""
FITS_JS = (
    WAIT_JS
    + """
(async () => {
    await khWait(() => document.readyState === "complete", "the page");
    await new Promise((resolve) => setTimeout(resolve, 700));
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth + 1 || window.innerWidth > 400) {
        console.error(`${location.pathname}: ${root.scrollWidth} px wide for ${window.innerWidth}`);
    } else {
        console.log("test successful");
    }
})().catch((e) => console.error("kh-test: " + e.message));
"""
)
# the QR pages' service worker registered and in control of the page (its fetches go through it)
SW_JS = (
    WAIT_JS
    + """
const khControlled = async () => {
    const sw = navigator.serviceWorker;
    await sw.ready;
    await khWait(() => sw.controller, "the service worker to control the page");
};
"""
)
OFFLINE_JS = (
    SW_JS
    + """
(async () => {
    await khControlled();
    // DevTools' network emulation takes this page offline, not its service worker: a Background Sync
    // would send the report from there at once. The test takes the other way the queue leaves by, the
    // page's "online" event (browsers without Background Sync, e.g. Safari and Firefox).
    Object.defineProperty(ServiceWorkerRegistration.prototype, "sync", {get: () => undefined});
    console.log("kh-test:offline");
    await khWait(() => navigator.onLine === false, "the network to go");
    const form = document.querySelector("form.o_klusheeren_report_form");
    form.querySelector("[name=description]").value = "Offline gemeld: de vaatwasser lekt.";
    form.querySelector("[name=email]").value = "offline@example.com";
    // a phone photo: larger than the 1600 px the form sends
    const canvas = document.createElement("canvas");
    canvas.width = 3000;
    canvas.height = 2000;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#c33";
    ctx.fillRect(0, 0, 3000, 2000);
    ctx.fillStyle = "#33c";
    ctx.fillRect(0, 0, 1500, 1000);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.95));
    const input = form.querySelector("#kh_photos");
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], "lekkage.jpg", {type: "image/jpeg"}));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change"));
    await khWait(() => document.querySelector(".kh-previews img"), "the preview");
    form.querySelector("button[type=submit]").click();
    const notice = document.getElementById("kh_queue_notice");
    await khWait(() => !notice.hidden && notice.textContent.trim(), "the saved-on-this-phone notice");
    console.log("kh-test:saved " + notice.textContent.trim());
    console.log("kh-test:online");
    await khWait(() => /KH-A-\\d{6}/.test(notice.textContent), () => "the ticket number: " + notice.textContent);
    console.log("test successful");
})().catch((e) => console.error("kh-test: " + e.message));
"""
)


@tagged("post_install", "-at_install")
class TestLightPages(LightPagesMixin, KlusheerenPortalCase):
    """The public phone pages (issue 21): light (no asset bundle, at most 100 kB with everything they
    load), working without JavaScript, offline with it, and as wide as a phone (issue 20)."""

    def test_qr_pages_are_light(self):
        self.assertLightPage(self.qr_url())
        # the form again with the refused input, the 404 of an unknown sticker
        response = self.post_report(description="", email="geen-adres")
        self.assertLightPage(self.qr_url(), status=400, response=response)
        self.assertLightPage(f"/qr/{'x' * 32}", status=404)
        free = self.env["klusheeren.sticker"].create({})
        self.assertEqual(free.state, "free")
        self.assertLightPage(f"/qr/{free.token}")
        # the thanks page, with its tracking link
        response = self.post_report(files={"attachments": ("foto.png", PNG, "image/png")})
        self.assertTrue(response.url.endswith("/thanks"), response.url)
        self.assertLightPage(response.url, response=response)

    def test_too_many_reports_page_is_light(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("klusheeren_portal.rate_limit_per_address", 1)
        self.assertIn(self.post_report().status_code, (200, 303))
        response = self.post_report()
        self.assertEqual(response.status_code, 429)
        self.assertLightPage(self.qr_url(), status=429, response=response)

    def test_work_order_pages_are_light(self):
        order = self.report().work_order_ids
        order._portal_ensure_token()
        self.assertLightPage(self.work_order_url(order))
        order.action_accept()
        self.assertLightPage(self.work_order_url(order))
        self.assertLightPage(self.work_order_url(order, token="wrong"), status=403)
        order.action_cancel()
        self.assertLightPage(self.work_order_url(order))

    def test_equipment_photo_at_the_size_shown(self):
        """The form shows the photo at 96 px: it comes at most 256 px wide, not the 1920 px original."""
        big = io.BytesIO()
        Image.new("RGB", (1920, 1440), "#4a7").save(big, "JPEG")
        self.equipment.image_1920 = base64.b64encode(big.getvalue())
        page = self.url_open(self.qr_url()).text
        src = re.search(r'src="(/qr/[^"]+/photo[^"]*)"', page).group(1)
        self.assertRegex(page, r'width="96" height="96"[^>]*src="/qr/')
        photo = Image.open(io.BytesIO(self.url_open(src).content))
        self.assertLessEqual(max(photo.size), 256)

    def test_report_form_without_javascript(self):
        """The no-JS path: the form as HTML (plain multipart post, CSRF token, file field), posted as a
        browser without JavaScript posts it, gives one ticket with the photo and the thanks page."""
        page = self.url_open(self.qr_url()).text
        form = re.search(r"<form[^>]*o_klusheeren_report_form[^>]*>", page).group(0)
        self.assertIn('method="post"', form)
        self.assertIn('enctype="multipart/form-data"', form)
        # the sticker's own URL, with the language prefix when the visitor chose another language
        self.assertRegex(form, rf'action="(/[a-z]{{2}}(_[A-Z]{{2}})?)?{re.escape(self.qr_url())}"')
        for name in ("csrf_token", "description", "email", "attachments"):
            self.assertRegex(page, rf'name="{name}"', name)
        self.assertNotRegex(page, r"<script(?![^>]*\bsrc=)[^>]*>", "no inline script on the form")
        before = self.Ticket.search([]).ids
        photo = io.BytesIO()
        Image.new("RGB", (640, 480), "#c33").save(photo, "JPEG")
        response = self.post_report(files={"attachments": ("lekkage.jpg", photo.getvalue(), "image/jpeg")})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith(f"{self.qr_url()}/thanks"), response.url)
        ticket = self.Ticket.search([("id", "not in", before)])
        self.assertEqual(len(ticket), 1)
        self.assertIn(ticket.number, response.text)
        self.assertEqual(ticket._klusheeren_photos().mapped("name"), ["lekkage.jpg"])

    def test_service_worker_is_scoped_to_the_sticker_pages(self):
        response = self.url_open("/qr/sw.js")
        self.assertEqual(response.status_code, 200)
        self.assertIn("javascript", response.headers["Content-Type"])
        self.assertIn("importScripts", response.text)
        queue = self.url_open("/klusheeren_portal/static/src/light/queue.js")
        self.assertEqual(queue.status_code, 200)
        # the form registers it for the sticker pages only: /qr/, or /<lang>/qr/ for a visitor who chose
        # another language than the website's (the worker allows that scope)
        self.assertEqual(response.headers.get("Service-Worker-Allowed"), "/")
        script = self.url_open("/klusheeren_portal/static/src/light/report.js").text
        self.assertIn('location.pathname.replace(/\\/qr\\/.*$/, "") + "/qr/"', script)
        self.assertIn('register("/qr/sw.js", {scope: scope})', script)

    # -- in Chromium -------------------------------------------------------------------------------
    def test_public_and_portal_pages_fit_a_phone(self):
        """Every public page and the company portal's pages at 390 px: no horizontal scrolling."""
        order = self.report().work_order_ids
        order._portal_ensure_token()
        ticket = order.ticket_id
        ticket._portal_ensure_token()
        long_name = "Koffiemachine met een heel erg lange naam voor de pantry op de tweede verdieping"
        ticket.name = long_name
        order.site_id.street = "Laan van Kronenburg 14, gebouw Noordvleugel, ingang achterzijde"
        public = [
            self.qr_url(),
            self.work_order_url(order),
            f"/my/ticket/{ticket.id}?access_token={ticket.access_token}",
        ]
        for url in public:
            self.browser_js(url, FITS_JS, timeout=60, cookies=LIGHT_ONLY)
        ticket.partner_id = self.customer_user.partner_id
        for url in ("/my", "/my/tickets", f"/my/ticket/{ticket.id}", "/new/ticket"):
            self.browser_js(url, FITS_JS, login="kh_klant", timeout=60)
        for url in ("/my/work-orders",):
            self.browser_js(url, FITS_JS, login="kh_jansen", timeout=60)

    def test_offline_report_with_photo_is_sent_once_back_online(self):
        """The form loaded, the network gone (DevTools emulation): the report with its photo is kept on
        the phone, and leaves by itself when the network is back; one ticket, its photo scaled down."""
        before = self.Ticket.search([]).ids
        handle_console = ChromeBrowser._handle_console
        seen = []

        def handle(browser, type, args=None, stackTrace=None, **kw):  # pylint: disable=redefined-builtin
            message = str(browser._from_remoteobject(args[0])) if args else ""
            if message in ("kh-test:offline", "kh-test:online"):
                seen.append(message)
                offline = message == "kh-test:offline"
                if offline:
                    # nothing reached the server before: the form was only shown
                    self.assertFalse(self.Ticket.search([("id", "not in", before)]))
                browser._websocket_send("Network.enable")
                browser._websocket_send(
                    "Network.emulateNetworkConditions",
                    params={"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
                )
                return None
            if message.startswith("kh-test:saved"):
                seen.append(message)
                tickets = self.Ticket.search([("id", "not in", before)])
                self.assertFalse(tickets, "nothing sent while offline")
            return handle_console(browser, type, args=args, stackTrace=stackTrace, **kw)

        with self.patch_handle_console(handle):
            self.browser_js(self.qr_url(self.other_equipment), OFFLINE_JS, timeout=90, cookies=LIGHT_ONLY)
        self.assertEqual(seen[0], "kh-test:offline")
        self.assertIn("kh-test:online", seen)
        self.make_tickets()  # the intake job, as the cron worker runs it after the report's commit
        ticket = self.Ticket.search([("id", "not in", before)])
        self.assertEqual(len(ticket), 1, "exactly one ticket for the queued report")
        self.assertEqual(ticket.equipment_id, self.other_equipment)
        self.assertIn("Offline gemeld", ticket.description)
        self.assertEqual(ticket.partner_email, "offline@example.com")
        photo = ticket._klusheeren_photos()
        self.assertEqual(len(photo), 1)
        self.assertEqual(photo.mimetype, "image/jpeg")
        size = Image.open(io.BytesIO(photo.raw)).size
        self.assertEqual(size, (1600, 1067), "scaled to 1600 px on the long side, landscape kept")

    def patch_handle_console(self, handler):
        return patch.object(ChromeBrowser, "_handle_console", handler)
