# Fills the benchmark database up to KH_BENCH_TICKETS tickets (default 10000), each with a work order,
# spread over the demo equipment; prints the URLs the load script measures as KEY=VALUE lines.
# Run inside `odoo shell` (bench/run.sh does): `env` is given.
import os

target = int(os.environ.get("KH_BENCH_TICKETS", "10000"))
ctx = dict(env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True,
           mail_create_nosubscribe=True, mail_auto_subscribe_no_notify=True, klusheeren_no_auto_work_order=True,
           klusheeren_no_mail=True)
env = env(context=ctx)
Ticket = env["helpdesk.ticket"]
WorkOrder = env["klusheeren.work.order"]
equipment = env["maintenance.equipment"].search([("sticker_id.state", "=", "bound"), ("contractor_id", "!=", False)])
assert equipment, "the benchmark needs the demo equipment with stickers and contractors"
reporter = env["res.partner"].search([("email", "=", "bench.reporter@example.com")], limit=1) or \
    env["res.partner"].create({"name": "Bench Reporter", "email": "bench.reporter@example.com"})

missing = target - Ticket.search_count([])
batch = 500
while missing > 0:
    n = min(batch, missing)
    vals = []
    for i in range(n):
        eq = equipment[i % len(equipment)]
        vals.append({
            "name": f"Storing {eq.name} #{i}",
            "description": "<p>Apparaat geeft een foutmelding en doet niets meer.</p>",
            "partner_id": reporter.id,
            "equipment_id": eq.id,
        })
    tickets = Ticket.create(vals)
    WorkOrder.create([{
        "ticket_id": t.id,
        "equipment_id": t.equipment_id.id,
        "contractor_id": t.equipment_id.contractor_id.id,
        "title": t.name,
    } for t in tickets])
    env.cr.commit()
    missing -= n
    print(f"seeded {n} tickets, {max(missing, 0)} to go", flush=True)

# The pages the load script measures, and no rate limit in the way of the load.
sticker = equipment[0].sticker_id
ticket = Ticket.search([("equipment_id", "=", equipment[0].id)], limit=1, order="id desc")
ticket._portal_ensure_token()
wo = WorkOrder.search([("state", "in", ("draft", "sent", "accepted"))], limit=1, order="id desc")
wo._portal_ensure_token()
ICP = env["ir.config_parameter"].sudo()
for key in ("klusheeren_portal.rate_limit_per_address", "klusheeren_portal.rate_limit_per_sticker"):
    ICP.set_param(key, "1000000")
env.cr.commit()
print(f"TICKETS={Ticket.search_count([])}")
print(f"QR_PATH=/qr/{sticker.token}")
print(f"WO_PATH=/my/work-orders/{wo.id}?access_token={wo.access_token}")
print(f"BASELINE_PATH=/my/ticket/{ticket.id}/{ticket.access_token}")
