from odoo import http
from odoo.tools.misc import file_path


class LightPages(http.Controller):
    """The service worker of the QR pages (issue 21). Served under /qr/ because a service worker
    controls the pages under its own path only: the sticker pages, nothing else of the site."""

    @http.route("/qr/sw.js", type="http", auth="public", methods=["GET"], sitemap=False)
    def qr_service_worker(self):
        stream = http.Stream.from_path(file_path("klusheeren_portal/static/src/light/sw.js"))
        # browsers look for a new version of a service worker themselves; never kept for long
        response = stream.get_response(mimetype="text/javascript", max_age=0)
        # the pages of a language other than the website's default live at /<lang>/qr/<token>: the
        # one worker may control those too (the form registers it with its own page's /qr/ scope)
        response.headers["Service-Worker-Allowed"] = "/"
        return response
