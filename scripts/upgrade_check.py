"""Upgrade safety checks of scripts/upgrade-test.sh; no Odoo import here except inside `odoo shell`.

    python upgrade_check.py seed BASE_URL                 reports through the stable public interface (POST /qr/<token>)
    odoo shell ... < upgrade_check.py   (KH_UPGRADE_SNAPSHOT=out.json)   snapshot of records, XML ids and tokens
    python upgrade_check.py links MAILDIR BASE_URL OUT    the links of the e-mails the sink received
    python upgrade_check.py http BASE_URL SNAPSHOT LINKS OUT    what sticker URLs, token pages and e-mail links answer
    python upgrade_check.py compare BEFORE_DIR AFTER_DIR  fails (exit 1) on any difference that breaks something

Why a snapshot of our own and not OpenUpgrade's tooling: OpenUpgrade compares module data between two Odoo
versions (19.0 → 20.0); here the Odoo version stays and what must hold is the project's own promise to printed
stickers and sent e-mails (OCA/field-service#1596).
"""

import ast
import email
import json
import os
import re
import sys
from email import policy
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

# the business records that an upgrade must keep, one for one
KEPT_MODELS = (
    "maintenance.equipment",
    "klusheeren.sticker",
    "helpdesk.ticket",
    "klusheeren.work.order",
    "klusheeren.work.order.line",
    "klusheeren.rating",
    "klusheeren.complaint",
    "klusheeren.visit",
    "klusheeren.recurring.job",
    "klusheeren.recurring.occurrence",
    "klusheeren.finance.export",
    "klusheeren.area",
    "klusheeren.responsibility",
    "res.partner",
    "ir.attachment",
    "mail.message",
)
# tokens that printed stickers and sent e-mails carry
TOKEN_FIELDS = {
    "klusheeren.sticker": "token",
    "helpdesk.ticket": "access_token",
    "klusheeren.work.order": "access_token",
    "klusheeren.rating": "access_token",
    "klusheeren.complaint": "access_token",
    "klusheeren.visit": "access_token",
}
# hidden inputs of the report form that a phone sends back as they came (release 2026.12.1: the idempotency key)
FORM_KEYS = ("idempotency_key",)
OUR_PATHS = re.compile(r"^/(qr|my|klusheeren|ticket|rating|helpdesk|mail/view|web/image|report)/")
# the XML ids that may change addon, all into klusheeren_base: its pre-init hook's list (this file is run by
# `odoo shell` from its standard input too, where it has no __file__)
HOOKS = ("addons", "klusheeren_base", "hooks.py")
# records the ORM makes from the Python code (the XML id of a field, a constraint, a selection value, a model's
# _inherit, given to the addon that loaded it, which depends on the order the addons load in):
# they follow the code to whichever addon defines it now
FOLLOW_THE_CODE = ("ir.model.fields", "ir.model.constraint", "ir.model.fields.selection", "ir.model.inherit")
# technical records a refactoring may drop or rename; what they hold is compared as data (access rules)
MAY_GO = (*FOLLOW_THE_CODE, "ir.ui.view", "ir.model.access")


def moved_xmlids():
    """``{old XML id: new XML id}`` of klusheeren_base/hooks.py's MOVED_XMLIDS (read, not imported)."""
    hooks = Path(__file__).resolve().parent.parent.joinpath(*HOOKS)
    for node in ast.parse(hooks.read_text()).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["MOVED_XMLIDS"]:
            return {f"{module}.{name}": f"klusheeren_base.{name}" for module, name in ast.literal_eval(node.value)}
    sys.exit(f"no MOVED_XMLIDS in {hooks}")


def snapshot(env, out):
    """Counts, XML ids and tokens of the database as the running code sees it."""
    data = {"counts": {}, "xmlids": {}, "tokens": {}, "modules": {}}
    for model in KEPT_MODELS:
        if model in env:
            data["counts"][model] = env[model].with_context(active_test=False).sudo().search_count([])
    env.cr.execute(
        """SELECT module, name, model, res_id FROM ir_model_data
            WHERE module LIKE 'klusheeren%%' OR module = 'helpdesk_mgmt'"""
    )
    for module, name, model, res_id in env.cr.fetchall():
        data["xmlids"][f"{module}.{name}"] = [model, res_id]
    for model, field in TOKEN_FIELDS.items():
        if model in env and field in env[model]._fields:
            table = env[model]._table
            env.cr.execute(f"SELECT id, {field} FROM {table} WHERE {field} IS NOT NULL ORDER BY id")
            data["tokens"][model] = {str(i): t for i, t in env.cr.fetchall()}
    env.cr.execute("SELECT name, latest_version FROM ir_module_module WHERE state = 'installed'")
    data["modules"] = dict(env.cr.fetchall())
    # who is in which group, what each group implies, the access rules and the record rules
    env.cr.execute("SELECT gid, array_agg(uid ORDER BY uid) FROM res_groups_users_rel GROUP BY gid")
    data["group_users"] = {str(g): u for g, u in env.cr.fetchall()}
    env.cr.execute("SELECT gid, array_agg(hid ORDER BY hid) FROM res_groups_implied_rel GROUP BY gid")
    data["group_implied"] = {str(g): h for g, h in env.cr.fetchall()}
    env.cr.execute(
        """SELECT m.model, a.group_id, a.perm_read, a.perm_write, a.perm_create, a.perm_unlink, a.active
             FROM ir_model_access a JOIN ir_model m ON m.id = a.model_id"""
    )
    data["access"] = sorted([list(r) for r in env.cr.fetchall()], key=repr)
    env.cr.execute(
        """SELECT m.model, r.domain_force,
                  ARRAY(SELECT group_id FROM rule_group_rel g WHERE g.rule_group_id = r.id ORDER BY group_id),
                  r.perm_read, r.perm_write, r.perm_create, r.perm_unlink, r.active
             FROM ir_rule r JOIN ir_model m ON m.id = r.model_id"""
    )
    data["rules"] = sorted([list(r) for r in env.cr.fetchall()], key=repr)
    Path(out).write_text(json.dumps(data, indent=1, sort_keys=True))
    print(f"snapshot: {sum(data['counts'].values())} records, {len(data['xmlids'])} XML ids -> {out}")


def _session(base):
    import requests

    session = requests.Session()
    session.headers["User-Agent"] = "klusheeren-upgrade-test"
    session.base = base.rstrip("/")
    return session


def seed(base):
    """A few reports as a phone sends them, through the form every printed sticker opens."""
    tokens = json.loads(Path(os.environ["KH_UPGRADE_TOKENS"]).read_text())
    session = _session(base)
    made = 0
    for i, token in enumerate(tokens[:6]):
        page = session.get(f"{session.base}/qr/{token}", timeout=60)
        csrf = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text)
        key = re.search(r'name="idempotency_key"\s+value="([^"]+)"', page.text)
        if page.status_code != 200 or not csrf:
            print(f"seed: GET /qr/{token} answered {page.status_code}", file=sys.stderr)
            continue
        data = {name: _input_value(page.text, name) for name in FORM_KEYS}  # those the release's form has
        answer = session.post(
            f"{session.base}/qr/{token}",
            data={
                **{k: v for k, v in data.items() if v is not None},
                "csrf_token": csrf.group(1),
                "description": f"Upgrade test report {i}: de machine lekt water.",
                "name": f"Upgrade Tester {i}",
                "email": f"upgrade.tester{i}@example.nl",
                "phone": "+31612345678",
                # the form's own key (a form without it is refused as expired)
                **({"idempotency_key": key.group(1)} if key else {}),
            },
            files={"attachments": ("foto.png", _png(), "image/png")},
            allow_redirects=False,
            timeout=120,
            headers={"X-Forwarded-For": f"10.99.0.{i + 1}"},
        )
        if answer.status_code == 303:
            made += 1
        else:
            print(f"seed: /qr/{token} answered {answer.status_code}", file=sys.stderr)
    print(f"seed: {made} reports through /qr/<token>")
    if not made:
        sys.exit(1)


def _input_value(html, name):
    """The value of the form's input ``name``, None when the form has none."""
    tag = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    value = tag and re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return unescape(value.group(1)) if value else None


def _png():
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )


def links(maildir, base, out):
    """Every link into our own pages in the e-mails that left (the sink's Maildir)."""
    base = base.rstrip("/")
    found = {}
    for path in sorted(Path(maildir).glob("new/*")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for part in message.walk():
            if part.get_content_type() != "text/html":
                continue
            for href in re.findall(r'href="([^"]+)"', part.get_content()):
                url = unescape(href)
                if not url.startswith(base):
                    continue
                rel = url[len(base) :]
                if OUR_PATHS.match(urlsplit(rel).path):
                    found.setdefault(rel, str(message["Subject"] or ""))
    Path(out).write_text(json.dumps(found, indent=1, sort_keys=True))
    print(f"links: {len(found)} distinct links into our pages in {len(list(Path(maildir).glob('new/*')))} e-mails")


def http_check(base, snapshot_file, links_file, out):
    """The answer of every sticker URL, token page and e-mail link: status, the page it ends on, its type."""
    snap = json.loads(Path(snapshot_file).read_text())
    urls = {f"/qr/{t}": "sticker" for t in snap["tokens"].get("klusheeren.sticker", {}).values()}
    for i, t in snap["tokens"].get("klusheeren.work.order", {}).items():
        urls[f"/my/work-orders/{i}?access_token={t}"] = "work order page"
        urls[f"/my/work-orders/{i}/pdf?access_token={t}"] = "work order PDF"
    for i, t in snap["tokens"].get("helpdesk.ticket", {}).items():
        urls[f"/my/ticket/{i}?access_token={t}"] = "reporter page"
    for i, t in snap["tokens"].get("klusheeren.visit", {}).items():
        urls[f"/my/visits/{i}?access_token={t}"] = "pre-visit page"
    for rel, subject in json.loads(Path(links_file).read_text()).items():
        urls[rel] = f"e-mail: {subject}"  # a token page too, mostly: counted as what the e-mail promised
    session = _session(base)
    answers = {}
    for rel, what in sorted(urls.items()):
        # as a phone follows it: redirects (the website's language prefix, /mail/view) included
        r = session.get(urljoin(session.base + "/", rel.lstrip("/")), timeout=120)
        answers[rel] = {
            "what": what,
            "status": r.status_code,
            "location": urlsplit(r.url).path,
            "type": r.headers.get("Content-Type", "").split(";")[0],
            "form": 'name="description"' in r.text if rel.startswith("/qr/") else None,
        }
    Path(out).write_text(json.dumps(answers, indent=1, sort_keys=True))
    counts = {}
    for a in answers.values():
        counts[a["status"]] = counts.get(a["status"], 0) + 1
    print(f"http: {len(answers)} URLs checked, by status {dict(sorted(counts.items()))}")


def _compare_xmlids(b, a, problems):
    """XML ids: the same record under the same name, or moved as MOVED_XMLIDS says; the moves made."""
    by_record = {}
    for k, v in a["xmlids"].items():
        by_record.setdefault((v[0], v[1]), []).append(k)
    allowed = moved_xmlids()
    moved = []
    for xmlid, (model, res_id) in b["xmlids"].items():
        now = a["xmlids"].get(xmlid)
        if now == [model, res_id]:
            continue
        name = xmlid.split(".", 1)[1]
        elsewhere = [o for o in by_record.get((model, res_id), ()) if o.split(".", 1)[1] == name and o != xmlid]
        if xmlid in allowed:
            if now is None and allowed[xmlid] in elsewhere:
                moved.append(f"{xmlid} -> {allowed[xmlid]}")  # the deliberate move of MOVED_XMLIDS
            else:
                problems.append(
                    f"XML id {xmlid} (MOVED_XMLIDS): {now or elsewhere or 'gone'} after, not {allowed[xmlid]}"
                )
        elif now is None and elsewhere and model in FOLLOW_THE_CODE:
            continue  # a field or constraint now defined by another addon: the same record
        elif now is None and elsewhere:
            problems.append(
                f"XML id {xmlid} moved to {', '.join(elsewhere)} without being in MOVED_XMLIDS "
                "(addons/klusheeren_base/hooks.py): data moved into the wrong addon?"
            )
        elif now is None and model in MAY_GO:
            continue  # technical records a refactoring may drop or rename; their data is checked below
        else:
            problems.append(f"XML id {xmlid}: {model},{res_id} before, {now or 'gone'} after")
    return moved


def _compare_rights(b, a, problems):
    """Group memberships, implied groups, access rules and record rules: the same after the upgrade."""
    for key, what in (("group_users", "users"), ("group_implied", "implied groups")):
        for gid, before in b.get(key, {}).items():
            after = a.get(key, {}).get(gid)
            if after != before:
                problems.append(f"res.groups,{gid}: {what} {before} before, {after} after")
    for key, what in (("access", "access rule"), ("rules", "record rule")):
        if key not in b:
            continue
        old = {repr(r) for r in b[key]}
        new = {repr(r) for r in a.get(key, [])}
        models_before = {r[0] for r in b[key]}
        for r in sorted(old - new):
            problems.append(f"{what} lost or changed by the upgrade: {r}")
        for r in sorted(new - old):
            if ast.literal_eval(r)[0] in models_before:  # rights of a new model come with it
                problems.append(f"{what} new on a model that had rules before: {r}")


def compare(before_dir, after_dir):
    before_dir, after_dir = Path(before_dir), Path(after_dir)
    b = json.loads((before_dir / "snapshot.json").read_text())
    a = json.loads((after_dir / "snapshot.json").read_text())
    problems = []
    for model, n in b["counts"].items():
        m = a["counts"].get(model)
        # the upgrade itself may add records of its own (mail.message of a migration): never fewer
        if m is None or m < n or (m != n and model not in ("mail.message", "ir.attachment", "res.partner")):
            problems.append(f"{model}: {n} records before, {m} after")
    moved = _compare_xmlids(b, a, problems)
    _compare_rights(b, a, problems)
    for model, tokens in b["tokens"].items():
        for rid, token in tokens.items():
            if a["tokens"].get(model, {}).get(rid) != token:
                problems.append(f"token of {model},{rid} changed or gone")
    hb = json.loads((before_dir / "http.json").read_text())
    ha = json.loads((after_dir / "http.json").read_text())
    worked = 0
    for rel, ans in hb.items():
        now = ha.get(rel)
        if ans["status"] >= 500:
            problems.append(f"{rel} ({ans['what']}) already failed before the upgrade: {ans['status']}")
            continue
        worked += 1
        same = now and (now["status"], now["location"], now["type"], now["form"]) == (
            ans["status"],
            ans["location"],
            ans["type"],
            ans["form"],
        )
        if not same:
            problems.append(f"{rel} ({ans['what']}): {_fmt(ans)} before, {_fmt(now) if now else 'not checked'} after")
    stickers = [r for r, x in hb.items() if x["what"] == "sticker"]
    mails = [r for r, x in hb.items() if x["what"].startswith("e-mail")]
    print(
        f"compare: {len(b['counts'])} models, {len(b['xmlids'])} XML ids ({len(moved)} moved to another addon), "
        f"{sum(len(t) for t in b['tokens'].values())} tokens, {worked} URLs ({len(stickers)} stickers, "
        f"{len(mails)} e-mail links) answer as before"
    )
    for m in moved:
        print(f"  moved: {m}")
    if problems:
        print(f"FAILED: {len(problems)} problem(s) after the upgrade:", file=sys.stderr)
        for p in problems[:60]:
            print(f"  {p}", file=sys.stderr)
        sys.exit(1)


def _fmt(ans):
    return f"{ans['status']} {ans['type']} at {ans['location']}"


if "env" in globals():  # inside `odoo shell`, which runs this file from its standard input
    snapshot(globals()["env"], os.environ["KH_UPGRADE_SNAPSHOT"])
elif __name__ == "__main__":
    command = sys.argv[1:2]
    if command == ["seed"]:
        seed(sys.argv[2])
    elif command == ["links"]:
        links(*sys.argv[2:5])
    elif command == ["http"]:
        http_check(*sys.argv[2:6])
    elif command == ["compare"]:
        compare(*sys.argv[2:4])
    else:
        sys.exit(__doc__)
