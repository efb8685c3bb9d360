from markupsafe import Markup

from odoo import api, models

# the stage mail every customer-facing stage sends unless it names its own template
STAGE_TEMPLATE = "klusheeren_helpdesk.mail_template_ticket_stage"


# one file per responsibility of the model (issue 23), not one class of everything
class HelpdeskTicket(models.Model):
    """Notifications: nobody misses a request (the responsible, the reporter's confirmation, the
    stage e-mails)."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Nobody misses a request
    # ------------------------------------------------------------------
    def _klusheeren_responsible_partners(self):
        """Who is told for the back office: the responsible, else the team's members, else its
        leader (read on the superuser ticket of ``_klusheeren_tell_responsible``)."""
        self.ensure_one()
        users = self.user_id or self.team_id.user_ids or self.team_id.user_id
        return users.filtered("active").partner_id

    def _klusheeren_tell_responsible(self, compose):
        """A note in the chatter that e-mails the responsible (else the team), with the link,
        in each recipient's language: ``compose(ticket)`` gives the text, called with the
        ticket in that language."""
        # sudo: the system's note to the back office, for whoever's action (a reporter's answer,
        # a contractor's refusal, a job); only the back office's own users are addressed
        for ticket in self.sudo():
            partners = ticket._klusheeren_responsible_partners()
            by_lang = {}
            for partner in partners:
                by_lang[partner.lang or "en_US"] = by_lang.get(partner.lang or "en_US", partner.browse()) | partner
            link = f"{ticket.get_base_url()}/odoo/helpdesk.ticket/{ticket.id}"
            for lang, recipients in (by_lang or {ticket.env.lang: partners}).items():
                localized = ticket.with_context(lang=lang)
                text = compose(localized)
                localized.message_post(
                    body=Markup("<p>%s</p><p><a href='%s'>%s</a></p>") % (text, link, ticket.display_name),
                    subject=text,  # the e-mail's subject says what happened
                    subtype_xmlid="mail.mt_note",
                    partner_ids=recipients.ids,
                )

    @api.model
    def _klusheeren_announce(self, limit=50):
        """Tell the responsible (else the team) of new tickets (sending job): from a sticker,
        the mail alias, the portal or the phone alike. Each ticket in its own transaction,
        locked first: never a collision with a request writing it (klusheeren.job.mixin). On
        the superuser model of the sending job (``_cron_send_pending``)."""
        domain = [("klusheeren_announce_pending", "=", True), *self._klusheeren_job_domain()]
        tickets = self.search(domain, limit=limit, order="id")
        return tickets._klusheeren_job_run(
            lambda ticket: ticket._klusheeren_announce_one(),
            self.env._("Announcing the new ticket"),
            commit_each=True,
        )

    def _klusheeren_announce_one(self):
        if self.klusheeren_announce_pending:  # (read again under the lock)
            self._klusheeren_tell_responsible(lambda ticket: ticket._klusheeren_announcement())
            self.klusheeren_announce_pending = False

    def _klusheeren_announcement(self):
        """What the back office reads of a new ticket (in the language of ``self.env``)."""
        reporter = self.partner_id.name or self.partner_email or self.env._("someone")
        where = self.site_id.name or self.commercial_partner_id.name
        channel = self.channel_id.name or "-"
        if where:
            return self.env._(
                "New request %(number)s from %(reporter)s (%(channel)s) at %(site)s: %(title)s",
                number=self.number,
                reporter=reporter,
                site=where,
                title=self.name,
                channel=channel,
            )
        return self.env._(
            "New request %(number)s from %(reporter)s (%(channel)s): %(title)s",
            number=self.number,
            reporter=reporter,
            title=self.name,
            channel=channel,
        )

    def _klusheeren_is_customer_author(self, author):
        """The reporter, or someone of the customer company (not the back office)."""
        self.ensure_one()
        if not author:
            return False
        if author == self.partner_id:
            return True
        # sudo: users and commercial partners of the author and the ticket are read for the
        # check only
        author, ticket = author.sudo(), self.sudo()
        if any(not user.share for user in author.user_ids):
            return False
        companies = ticket.commercial_partner_id | ticket.site_id.commercial_partner_id
        return bool(author.commercial_partner_id and author.commercial_partner_id in companies)

    def _klusheeren_notify_stage(self):
        """E-mail the reporter the explanation of a customer-facing stage, in their language."""
        # sudo: the system's e-mail to the ticket's own reporter, after a move the caller may make
        for ticket in self.sudo():
            stage = ticket.stage_id
            if stage.klusheeren_internal or not ticket.partner_id.email:
                continue
            template = stage.mail_template_id or self.env.ref(STAGE_TEMPLATE, raise_if_not_found=False)
            if template:
                template.send_mail(ticket.id, email_layout_xmlid="mail.mail_notification_light")

    @api.model
    def _klusheeren_ack_domain(self):
        return [("klusheeren_ack_pending", "=", True), *self._klusheeren_job_domain()]

    @api.model
    def _klusheeren_send_acknowledgements(self, limit=50):
        """Queue the confirmation e-mail of new tickets to their reporters (sending job). One
        ticket whose e-mail fails is retried later (klusheeren.job.mixin); the others go out.
        Each ticket in its own transaction, locked first: the job never collides with the
        request that writes the ticket at the same moment (its token was made with it). On the
        superuser model of the sending job (``_cron_send_pending``)."""
        tickets = self.search(self._klusheeren_ack_domain(), limit=limit, order="id")
        template = self.env.ref("klusheeren_helpdesk.mail_template_ticket_created")
        done = tickets._klusheeren_job_run(
            lambda ticket: ticket._klusheeren_acknowledge(template),
            self.env._("Sending the reporter's confirmation"),
            commit_each=True,
        )
        announced = self._klusheeren_announce(limit)
        # the caller wakes the job again when a full batch was done
        return done if len(done) >= len(announced) else announced

    def _klusheeren_acknowledge(self, template):
        if not self.klusheeren_ack_pending:  # (read again under the lock) sent by another run
            return
        if self.partner_id.email:
            template.send_mail(self.id, email_layout_xmlid="mail.mail_notification_light")
        self.klusheeren_ack_pending = False

    def _klusheeren_job_responsible(self):
        """Told when a job gives up on the ticket: its assignee, else the team leader, else a
        team member (never the system user)."""
        users = self.user_id | self.team_id.user_id | self.team_id.user_ids
        return users.filtered(lambda u: u.active and not u.share)[:1]
