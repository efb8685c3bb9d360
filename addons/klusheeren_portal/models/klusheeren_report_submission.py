import re
import uuid
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.klusheeren_base.tools.upload import MAX_FILES, attach_uploads, read_uploads

# what a browser's crypto.randomUUID() or the server's uuid4().hex looks like, and no more
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
KEEP_DONE_DAYS = 30  # longer than a phone keeps a report in its offline queue (7 days)
KEEP_OPEN_HOURS = 24  # a failed submission's kept photos, when nobody sends it again
HONEYPOT = "kh_website"  # the report form's hidden field: only a bot fills it in
NAME_MAX = 100  # the report form cuts what is typed to the lengths of its inputs
PHONE_MAX = 40


class _Refused(Exception):
    """A submission refused before anything is made: its savepoint is rolled back."""


class KlusheerenReportSubmission(models.Model):
    """One submission of a public form (the QR report form, the company portal's request form),
    known by the idempotency key the form carries: however often the same submission arrives
    (retries, double taps, back-and-resubmit, two tabs, a phone's offline queue), it makes one
    ticket.

    The key is claimed with ``INSERT … ON CONFLICT DO NOTHING`` on a unique index, never a
    check-then-insert: a second request with the same key waits for the first one's
    transaction; when that commits, the second fails to serialize and Odoo retries it, and
    the retry finds the first one's ticket; when it rolls back, the second goes on as the
    first. A key bound to another sticker (or another portal user) creates nothing.

    A submission refused for its input keeps the photos already uploaded and checked, as
    attachments of this record (no access rule lets anyone but the superuser read them), until
    it is sent again with the same key; abandoned ones are deleted by the autovacuum.

    A fault report from a sticker's form is accepted here and made into a ticket by a job
    (``klusheeren_report_intake.py``): the request checks it, keeps it with its photos, gives it
    its ticket number and answers at once; the ticket follows within a second.
    """

    _name = "klusheeren.report.submission"
    _inherit = ["klusheeren.job.mixin"]
    _description = "Public Form Submission"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    sticker_id = fields.Many2one("klusheeren.sticker", ondelete="cascade", readonly=True)
    user_id = fields.Many2one("res.users", ondelete="cascade", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", ondelete="cascade", readonly=True, index="btree_not_null")
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    # a fault report accepted and waiting for the intake job (klusheeren_report_intake.py): its
    # ticket number, given at once; what the reporter typed, emptied once the ticket is made
    number = fields.Char(string="Ticket number", readonly=True, index="btree_not_null")
    equipment_id = fields.Many2one("maintenance.equipment", ondelete="cascade", readonly=True)
    lang = fields.Char(string="Language", readonly=True)
    description = fields.Text(readonly=True)
    reporter_name = fields.Char(readonly=True)
    email = fields.Char(readonly=True)
    phone = fields.Char(readonly=True)
    notify_channel = fields.Char(readonly=True)

    _key_unique = models.Constraint("UNIQUE(key)", "One submission per key.")

    @api.model
    def _klusheeren_new_key(self):
        """A key for a form rendered by the server (the no-JS form keeps it in a hidden input)."""
        return uuid.uuid4().hex

    @api.model
    def _klusheeren_valid_key(self, key):
        return isinstance(key, str) and bool(KEY_RE.match(key))

    @api.model
    def _klusheeren_find(self, key, sticker=None, user=None):
        """The submission of ``key`` when it belongs to this sticker (or portal user), else empty."""
        if not self._klusheeren_valid_key(key):
            return self.browse()
        submission = self.search([("key", "=", key)], limit=1)
        if submission.sticker_id != (sticker or self.env["klusheeren.sticker"]) or submission.user_id != (
            user or self.env["res.users"]
        ):
            return self.browse()
        return submission

    @api.model
    def _klusheeren_claim(self, key, sticker=None, user=None):
        """Claim ``key`` for a submission on ``sticker`` (or by portal ``user``):
        ``(submission, status)``, status ``new`` (claimed now), ``open`` (claimed before, no
        ticket yet: ours to complete), ``done`` (its ticket is ``submission.ticket_id``) or
        ``foreign`` (the key belongs to another sticker or user: nothing may be done with it).
        Waits for a concurrent claim of the same key; see the class."""
        sticker_id = sticker.id if sticker else None
        user_id = user.id if user else None
        # log_exceptions: a concurrent claim fails to serialize here by design, and Odoo
        # retries the request: not an error worth a log line
        self.env.cr.execute(
            """
            INSERT INTO klusheeren_report_submission (key, sticker_id, user_id, date)
                 VALUES (%s, %s, %s, %s)
            ON CONFLICT (key) DO NOTHING
              RETURNING id
            """,
            [key, sticker_id, user_id, fields.Datetime.now()],
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        if row:
            return self.browse(row[0]), "new"
        self.env.cr.execute(
            "SELECT id FROM klusheeren_report_submission WHERE key = %s FOR UPDATE",
            [key],
            log_exceptions=False,
        )
        submission = self.browse(self.env.cr.fetchone()[0])
        submission.invalidate_recordset()
        if (submission.sticker_id.id or None) != sticker_id or (submission.user_id.id or None) != user_id:
            return submission, "foreign"
        return submission, ("done" if submission._klusheeren_sent() else "open")

    def _klusheeren_sent(self):
        """Made into a ticket, or accepted and waiting for the intake job to make it."""
        self.ensure_one()
        return bool(self.ticket_id or self.number)

    @api.model
    def _klusheeren_claim_once(self, key, act, sticker=None, user=None, allow=None):
        """The one path of a public form's submission ``key``, in one savepoint: claimed on its
        unique key; refused for a key of another sticker or user; a repeat answered with what
        was done before; else ``allow()`` (the rate limit, never asked for a repeat) and
        ``act(submission, status)``. ``(submission, status)``: status ``new`` or ``open`` (done
        now), ``done`` (a repeat), ``foreign`` or ``too_many`` (empty submission, nothing done).
        An exception of ``act`` leaves everything as it was."""
        try:
            with self.env.cr.savepoint():
                submission, status = self._klusheeren_claim(key, sticker=sticker, user=user)
                if status == "foreign":
                    raise _Refused(status)
                if status != "done":
                    if allow and not allow():
                        raise _Refused("too_many")
                    act(submission, status)
                return submission, status
        except _Refused as refused:
            return self.browse(), refused.args[0]

    @api.model
    def _klusheeren_once(self, key, make, sticker=None, user=None, allow=None):
        """Make the ticket of the submission ``key`` once: ``(ticket, status)``, status as
        ``_klusheeren_claim_once``. ``make(kept_uploads)`` makes the ticket (``kept_uploads``:
        the photos kept from the submission's refused sendings). A ``UserError`` of ``make``
        leaves everything as it was."""

        def act(submission, status):
            # a new claim has no kept photos: no query for them
            ticket = make(submission._klusheeren_kept_uploads() if status == "open" else [])
            submission._klusheeren_done(ticket, kept=status == "open")

        submission, status = self._klusheeren_claim_once(key, act, sticker=sticker, user=user, allow=allow)
        return submission.ticket_id, status

    @api.model
    def _klusheeren_report(self, sticker, post, files=(), removed_ids=(), notify_channel=None, allow=None):
        """The fault report form of ``sticker`` (bound) sent: every check once, then the report
        accepted once, with its ticket number; the intake job makes the ticket right after the
        commit (``_cron_make_tickets``). The controller only renders the answer.

        :param post: the posted fields: ``description``, ``name``, ``email``, ``phone``,
            ``idempotency_key``, ``kept`` (the form showed kept photos) and the honeypot
        :param files: the uploads (anything with ``filename`` and ``read``), judged here by the
            upload policy
        :param removed_ids: ids of the kept photos the reporter removed
        :param notify_channel: how the reporter wants to hear of appointments, as posted
            (checked by ``helpdesk.ticket._klusheeren_report_check_channel``)
        :param allow: the rate limit, asked only when a ticket is to be made or photos kept
        :return: dict: ``status`` (``ignored``: a bot's, nothing made; ``invalid``: see
            ``errors``; ``too_many``; ``foreign``: the key is another sticker's; ``new`` or
            ``open``: accepted now; ``done``: a repeat, accepted before), ``submission``,
            ``number`` (the ticket's number), ``ticket`` (once the job made it), ``errors`` (a
            message per field of the form, ``form`` for the whole
            form), ``kept`` (the photos kept for the corrected form) and ``idempotency_key``
            (what the form carries on)
        """
        env = self.env
        Ticket = env["helpdesk.ticket"]
        key = post.get("idempotency_key")
        valid_key = self._klusheeren_valid_key(key)
        result = {
            "status": "invalid",
            "submission": self.browse(),
            "number": False,
            "ticket": Ticket,
            "errors": {},
            "kept": env["ir.attachment"],
            "idempotency_key": key if valid_key else self._klusheeren_new_key(),
        }
        if post.get(HONEYPOT):
            return {**result, "status": "ignored"}
        report, errors = Ticket._klusheeren_report_check(
            str(post.get("description") or ""),
            str(post.get("name") or "").strip()[:NAME_MAX],
            str(post.get("email") or "").strip(),
            str(post.get("phone") or "").strip()[:PHONE_MAX],
            notify_channel=notify_channel,
        )
        if not valid_key:
            errors["form"] = env._(
                "This form could not be recognised (it may be an old copy). Nothing was sent: please send it again."
            )
        uploads, file_errors = read_uploads(env, files)
        kept = env["ir.attachment"]
        if valid_key and (errors or file_errors or removed_ids or post.get("kept")):  # a form that showed kept photos
            kept = self._klusheeren_resume(key, sticker, removed_ids)
        if len(kept) + len(uploads) > MAX_FILES:
            file_errors.append(env._("Send at most %(n)s files.", n=MAX_FILES))
            uploads = []
        if file_errors:
            errors["attachments"] = " ".join(file_errors)
        if errors:
            # storing photos for later is an attempt too: the rate limit bounds what anyone keeps here
            if valid_key and uploads and (allow is None or allow()):
                kept = self._klusheeren_keep_refused(key, sticker, uploads)
            return {**result, "errors": errors, "kept": kept}
        result["kept"] = kept

        # accepted once: queued for the intake job with its ticket number
        submission, status = self._klusheeren_claim_once(
            key,
            lambda submission, _status: submission._klusheeren_queue(sticker.equipment_id, report, uploads),
            sticker=sticker,
            allow=allow,
        )
        if status == "foreign":
            message = env._(
                "This form was already sent for another sticker, so nothing was created. Check the sticker "
                "and send the report again."
            )
            return {
                **result,
                "status": status,
                "errors": {"form": message},
                "kept": env["ir.attachment"],
                "idempotency_key": self._klusheeren_new_key(),
            }
        return {
            **result,
            "status": status,
            "submission": submission,
            "ticket": submission.ticket_id,
            "number": submission.number or submission.ticket_id.number,
        }

    @api.model
    def _klusheeren_resume(self, key, sticker, removed_ids=()):
        """The submission ``key`` on ``sticker`` sent again: its kept photos, less the ones the
        reporter removed (``removed_ids``); an empty recordset for a new or another's key."""
        submission = self._klusheeren_find(key, sticker=sticker)
        if submission and removed_ids and not submission._klusheeren_sent():
            submission._klusheeren_drop_kept(removed_ids)
        if submission and not submission._klusheeren_sent():
            return submission._klusheeren_kept()
        return self.env["ir.attachment"]

    @api.model
    def _klusheeren_keep_refused(self, key, sticker, uploads):
        """A sending refused for its input: its checked ``uploads`` wait for the corrected
        form (issue 20); the kept photos, or an empty recordset when the key is another's."""
        submission, status = self._klusheeren_claim(key, sticker=sticker)
        if status not in ("new", "open"):
            return self.env["ir.attachment"]
        if uploads:
            submission._klusheeren_keep(uploads)
        return submission._klusheeren_kept()

    def _klusheeren_kept(self):
        """The photos kept from the earlier, refused sendings of this submission."""
        if not self:
            return self.env["ir.attachment"]
        return self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)], order="id"
        )

    def _klusheeren_keep(self, uploads):
        """Keep ``uploads`` (``[(name, bytes, mimetype)]``, judged by the upload policy already)."""
        self.ensure_one()
        attach_uploads(self, uploads, checked=True)

    def _klusheeren_drop_kept(self, attachment_ids):
        """The reporter removed these kept photos (ids not of this submission are ignored)."""
        self._klusheeren_kept().filtered(lambda a: a.id in set(attachment_ids)).unlink()

    def _klusheeren_kept_uploads(self):
        return [(a.name, a.raw, a.mimetype) for a in self._klusheeren_kept()]

    def _klusheeren_done(self, ticket, kept=True):
        """The ticket is made: every repeat of this submission answers with it; the kept
        photos (``kept``: there may be some), now the ticket's, are deleted here."""
        self.ensure_one()
        if kept:
            self._klusheeren_kept().unlink()
        self.write({"ticket_id": ticket.id})

    @api.autovacuum
    def _gc_submissions(self):
        """Photos kept for a corrected form that never came (24 hours), every submission after
        30 days (its ticket's repeats are long over; a report the intake job gave up on was
        handed to the back office with all it held)."""
        now = fields.Datetime.now()
        self.search(
            [
                "|",
                "&",
                "&",
                ("ticket_id", "=", False),
                ("number", "=", False),
                ("date", "<", now - timedelta(hours=KEEP_OPEN_HOURS)),
                ("date", "<", now - timedelta(days=KEEP_DONE_DAYS)),
            ]
        ).unlink()
