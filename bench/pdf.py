# The sending job with its PDFs (issue 26, point 5): run in `odoo shell` by bench/pdf.sh, against a
# server of the same database (wkhtmltopdf fetches the report's styles from it). For each PDF batch size
# of KH_PDF_BATCHES: KH_PDF_ORDERS new reports (a ticket with a work order sent to its contractor), then the
# sending job (klusheeren.work.order._cron_send_pending) is timed until every work order e-mail with its
# PDF is queued. Committed; the work orders stay (a benchmark database).
import os
import time

count = int(os.environ.get("KH_PDF_ORDERS", "20"))
batches = [int(b) for b in os.environ.get("KH_PDF_BATCHES", "1,10").split(",")]
ICP = env["ir.config_parameter"].sudo()
WorkOrder = env["klusheeren.work.order"].sudo()
Ticket = env["helpdesk.ticket"].sudo()
equipment = env["maintenance.equipment"].search([("contractor_id.email", "!=", False)], limit=5)
assert equipment, "no equipment with a contractor"
# nothing else waiting for the job
WorkOrder.search([("mail_pending", "=", True)]).mail_pending = False
Ticket.search([("klusheeren_ack_pending", "=", True)]).klusheeren_ack_pending = False
Ticket.search([("klusheeren_announce_pending", "=", True)]).klusheeren_announce_pending = False
env.cr.commit()
for batch in batches:
    ICP.set_param("klusheeren_helpdesk.pdf_batch", batch)
    tag = f"{batch}-{int(time.time())}"
    for i in range(count):
        Ticket._klusheeren_create_report(
            equipment[i % len(equipment)], f"PDF bench {tag} #{i}", "PDF Bench", f"pdf.{tag}.{i}@example.com", "", []
        )
    env.cr.commit()
    pending = WorkOrder.search([("mail_pending", "=", True)])
    start = time.perf_counter()
    while WorkOrder.search_count([("mail_pending", "=", True)]):
        WorkOrder._cron_send_pending(limit=50)
        env.cr.commit()
    seconds = time.perf_counter() - start
    pdfs = env["ir.attachment"].search_count(
        [
            ("res_model", "=", "mail.message"),
            ("mimetype", "=", "application/pdf"),
            ("create_date", ">=", pending[:1].create_date),
        ]
    )
    print(
        f"PDF_RESULT batch={batch} orders={len(pending)} seconds={seconds:.1f} "
        f"per_second={len(pending) / seconds:.2f} pdfs={pdfs}",
        flush=True,
    )
ICP.set_param("klusheeren_helpdesk.pdf_batch", 10)
env.cr.commit()
