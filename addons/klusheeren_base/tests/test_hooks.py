"""The upgrade path: the pre-init hook moves the XML ids of MOVED_XMLIDS to klusheeren_base, once."""

from odoo.tests import TransactionCase, tagged

from ..hooks import MOVED_XMLIDS, pre_init_hook


@tagged("post_install", "-at_install")
class TestPreInitHook(TransactionCase):
    def xmlids(self, name):
        self.env.cr.execute("SELECT module, res_id FROM ir_model_data WHERE name = %s ORDER BY module", (name,))
        return self.env.cr.fetchall()

    def test_moved_xmlids_are_base_s(self):
        for module, name in MOVED_XMLIDS:
            with self.subTest(xmlid=f"{module}.{name}"):
                self.assertFalse(self.env.ref(f"{module}.{name}", raise_if_not_found=False))
                self.assertTrue(self.env.ref(f"klusheeren_base.{name}"))

    def test_the_hook_moves_an_old_database_s_ids_idempotently(self):
        """As in a database of release 2026.12.1: the ids under their old addon, none under base."""
        Data = self.env["ir.model.data"]
        before = {name: self.xmlids(name) for _module, name in MOVED_XMLIDS}
        for module, name in MOVED_XMLIDS:
            Data.search([("module", "=", "klusheeren_base"), ("name", "=", name)]).write({"module": module})
        pre_init_hook(self.env)
        after_once = {name: self.xmlids(name) for _module, name in MOVED_XMLIDS}
        self.assertEqual(after_once, before, "every id back under klusheeren_base, same record")
        pre_init_hook(self.env)
        self.assertEqual({name: self.xmlids(name) for _module, name in MOVED_XMLIDS}, before, "twice: no change")

    def test_the_hook_leaves_an_id_base_already_has(self):
        """An id present under both (a second install attempt): the old one stays, nothing collides."""
        module, name = MOVED_XMLIDS[0]
        base = self.env.ref(f"klusheeren_base.{name}")
        self.env["ir.model.data"].create(
            {"module": module, "name": name, "model": base._name, "res_id": base.id, "noupdate": True}
        )
        pre_init_hook(self.env)
        self.assertEqual(self.xmlids(name), [("klusheeren_base", base.id), (module, base.id)])
