import re
import uuid

from odoo import api, fields, models

# a key the server made (uuid4().hex) or a browser's crypto.randomUUID(), and no more
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class _Refused(Exception):
    """A press refused before anything is recorded: its savepoint is rolled back."""


class KlusheerenSelfhelpDeflection(models.Model):
    """A fault solved by a self-help article instead of a ticket ("This solved it" on the sticker's
    form): which article, on which equipment, its category and site, when. No personal data: no
    address, no name, no user (``_log_access`` off, so not even the creating user is kept).

    Each rendered form carries a key; pressing again with it (a double tap, a reload, the back
    button) finds the same deflection. The key is claimed with ``INSERT … ON CONFLICT DO NOTHING`` on
    a unique index, as the report form's submissions are: a concurrent press with the same key waits,
    then fails to serialize and Odoo retries it, and the retry finds the first one's deflection."""

    _name = "klusheeren.selfhelp.deflection"
    _description = "Self-help Deflection"
    _order = "date desc, id desc"
    _rec_name = "article_id"
    _log_access = False

    key = fields.Char(required=True, readonly=True, copy=False)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    article_id = fields.Many2one("document.page", readonly=True, ondelete="set null", index=True)
    equipment_id = fields.Many2one("maintenance.equipment", readonly=True, ondelete="set null", index=True)
    category_id = fields.Many2one(
        "maintenance.equipment.category", string="Equipment category", readonly=True, ondelete="set null", index=True
    )
    site_id = fields.Many2one("res.partner", readonly=True, ondelete="set null")
    company_id = fields.Many2one("res.company", readonly=True, default=lambda self: self.env.company)

    _key_unique = models.Constraint("UNIQUE(key)", "One deflection per key.")

    @api.model
    def _klusheeren_new_key(self):
        """The key of a rendered form's "This solved it" buttons."""
        return uuid.uuid4().hex

    @api.model
    def _klusheeren_record(self, sticker, article_id, key, allow=None):
        """Record that the article ``article_id`` (as posted) solved the fault at the bound
        ``sticker`` (resolved from its token): ``(deflection, status)``.

        Status ``new`` (recorded now), ``done`` (a repeat of the same press: the deflection recorded
        before), or, with nothing recorded: ``invalid`` (the key is no key), ``unknown`` (the article
        is not one the sticker's form shows), ``foreign`` (the key was pressed on another sticker's
        form), ``too_many`` (``allow()``, the rate limit, asked for new presses only, said no)."""
        empty = self.browse()
        if not isinstance(key, str) or not KEY_RE.match(key):
            return empty, "invalid"
        equipment = sticker.equipment_id if sticker and sticker.state == "bound" else None
        raw = article_id if isinstance(article_id, str) else ""
        if not equipment or not raw.isdigit() or len(raw) > 12:
            return empty, "unknown"
        article = equipment._klusheeren_selfhelp_articles().filtered(lambda a: a.id == int(raw))
        if not article:
            return empty, "unknown"
        try:
            with self.env.cr.savepoint():
                # log_exceptions: a concurrent press fails to serialize here by design, and Odoo
                # retries the request: not an error worth a log line
                self.env.cr.execute(
                    """
                    INSERT INTO klusheeren_selfhelp_deflection
                                (key, date, article_id, equipment_id, category_id, site_id, company_id)
                         VALUES (%s, %s, %s, %s, %s, %s, %s)
                    ON CONFLICT (key) DO NOTHING
                      RETURNING id
                    """,
                    [
                        key,
                        fields.Datetime.now(),
                        article.id,
                        equipment.id,
                        (article.klusheeren_category_id or equipment.category_id).id or None,
                        equipment.site_id.id or None,
                        (equipment.company_id or self.env.company).id,
                    ],
                    log_exceptions=False,
                )
                row = self.env.cr.fetchone()
                if row:
                    if allow and not allow():
                        raise _Refused("too_many")
                    return self.browse(row[0]), "new"
        except _Refused as refused:
            return empty, refused.args[0]
        self.env.cr.execute("SELECT id, equipment_id FROM klusheeren_selfhelp_deflection WHERE key = %s", [key])
        deflection_id, equipment_id = self.env.cr.fetchone()
        if equipment_id != equipment.id:
            return empty, "foreign"
        return self.browse(deflection_id), "done"

    @api.model
    def _klusheeren_find(self, sticker, key):
        """The deflection of ``key`` recorded on the bound ``sticker``'s equipment, else empty."""
        if not isinstance(key, str) or not KEY_RE.match(key) or not sticker or sticker.state != "bound":
            return self.browse()
        return self.search([("key", "=", key), ("equipment_id", "=", sticker.equipment_id.id)], limit=1)
