# Fills the benchmark database up to KH_BENCH_TICKETS tickets (default 10000), each with a work order,
# spread over the demo equipment; raises the QR form's rate limit; prints the URLs the load script
# measures as KEY=VALUE lines. Run inside `odoo shell` (bench/run.sh does): `env` is given.
# Only ever run on the benchmark database: it commits.
import os
import time

assert "bench" in env.cr.dbname, f"seed.py only runs on a benchmark database, not {env.cr.dbname}"
t0 = time.perf_counter()
target = int(os.environ.get("KH_BENCH_TICKETS", "10000"))
# no chatter, no followers, no automatic work order and no "ticket received" e-mail per seeded ticket
ctx = dict(
    env.context,
    tracking_disable=True,
    mail_create_nolog=True,
    mail_notrack=True,
    mail_create_nosubscribe=True,
    mail_auto_subscribe_no_notify=True,
    klusheeren_no_auto_work_order=True,
    klusheeren_no_mail=True,
)
env = env(context=ctx)
Ticket = env["helpdesk.ticket"].sudo()
WorkOrder = env["klusheeren.work.order"].sudo()
equipment = env["maintenance.equipment"].search([("sticker_id.state", "=", "bound"), ("contractor_id", "!=", False)])
assert equipment, "the benchmark needs the demo equipment with stickers and contractors"
team = env.ref("klusheeren_helpdesk.team_storingen")
reporter = env["res.partner"].search([("email", "=", "bench.reporter@example.com")], limit=1) or env[
    "res.partner"
].create({"name": "Bench Reporter", "email": "bench.reporter@example.com"})

missing = target - Ticket.search_count([])
created = max(missing, 0)
batch = 1000
while missing > 0:
    n = min(batch, missing)
    vals = []
    for i in range(n):
        eq = equipment[i % len(equipment)]
        vals.append(
            {
                "name": f"Storing {eq.name} #{i}",
                "description": "<p>Apparaat geeft een foutmelding en doet niets meer.</p>",
                "partner_id": reporter.id,
                "equipment_id": eq.id,
                "team_id": team.id,
            }
        )
    tickets = Ticket.create(vals)
    WorkOrder.create(
        [
            {
                "ticket_id": t.id,
                "equipment_id": t.equipment_id.id,
                "contractor_id": t.equipment_id.contractor_id.id,
                "title": t.name,
            }
            for t in tickets
        ]
    )
    env.cr.commit()
    env.invalidate_all()
    missing -= n
    print(f"seeded {n} tickets, {max(missing, 0)} to go ({time.perf_counter() - t0:.1f} s)", flush=True)

# The pages measured. The contractor page and the baseline show the same ticket: a demo work order
# that was sent to its contractor (with its chatter), and helpdesk_mgmt's page of its ticket; the QR
# form is the sticker of the same equipment.
wo = WorkOrder.search([("state", "in", ("sent", "accepted"))], limit=1, order="id") or WorkOrder.search(
    [("state", "=", "draft")], limit=1, order="id desc"
)
wo._portal_ensure_token()
ticket = wo.ticket_id
ticket._portal_ensure_token()
sticker = wo.equipment_id.sticker_id if wo.equipment_id.sticker_id.state == "bound" else equipment[0].sticker_id

# No rate limit in the way of the load (klusheeren.report.attempt: 10000 is the highest value the
# setting accepts, a value out of bounds counts as the default), and no mail server but the
# command line's (bench/run.sh points it at load.py's SMTP sink, which counts connections).
ICP = env["ir.config_parameter"].sudo()
for key in ("klusheeren_portal.rate_limit_per_address", "klusheeren_portal.rate_limit_per_sticker"):
    ICP.set_param(key, "10000")
env["ir.mail_server"].sudo().search([]).write({"active": False})
env.cr.commit()
print(f"SEED_SECONDS={time.perf_counter() - t0:.1f}")
print(f"CREATED={created}")
print(f"TICKETS={Ticket.search_count([])}")
print(f"QR_PATH=/qr/{sticker.token}")
print(f"WO_PATH=/my/work-orders/{wo.id}?access_token={wo.access_token}")
print(f"BASELINE_PATH=/my/ticket/{ticket.id}/{ticket.access_token}")
