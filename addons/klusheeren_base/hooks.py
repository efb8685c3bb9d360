# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Upgrade path of a database made before this addon existed (release 2026.12.1 and older).

The records this addon now owns were created by the addons above it. Their XML ids move here
before this addon's data loads, so that the data updates the existing records (same ids, same
users in the groups, same rules) instead of creating second ones; the addon that owned them
then no longer lists them, and its upgrade leaves them alone.
"""

# (old module, XML id name) of every record that moved into klusheeren_base
MOVED_XMLIDS = [
    ("klusheeren_equipment", "res_groups_privilege_klusheeren"),
    ("klusheeren_equipment", "group_klusheeren_user"),
    ("klusheeren_equipment", "group_klusheeren_manager"),
    # the atomic filestore write (models/ir_attachment.py): the model's XML id of the addon extending it
    ("klusheeren_equipment", "model_ir_attachment"),
    # the token mixin and the job mixin, from klusheeren_helpdesk: the models and their fields
    ("klusheeren_helpdesk", "model_klusheeren_token_mixin"),
    ("klusheeren_helpdesk", "field_klusheeren_token_mixin__access_token"),
    ("klusheeren_helpdesk", "field_klusheeren_token_mixin__access_url"),
    ("klusheeren_helpdesk", "field_klusheeren_token_mixin__access_warning"),
    ("klusheeren_helpdesk", "field_klusheeren_token_mixin__display_name"),
    ("klusheeren_helpdesk", "field_klusheeren_token_mixin__id"),
    ("klusheeren_helpdesk", "model_klusheeren_job_mixin"),
    ("klusheeren_helpdesk", "field_klusheeren_job_mixin__klusheeren_job_error"),
    ("klusheeren_helpdesk", "field_klusheeren_job_mixin__klusheeren_job_failed"),
    ("klusheeren_helpdesk", "field_klusheeren_job_mixin__klusheeren_job_failures"),
    ("klusheeren_helpdesk", "field_klusheeren_job_mixin__klusheeren_job_retry_at"),
    ("klusheeren_helpdesk", "field_klusheeren_job_mixin__display_name"),
    ("klusheeren_helpdesk", "field_klusheeren_job_mixin__id"),
]


def pre_init_hook(env):
    cr = env.cr
    for module, name in MOVED_XMLIDS:
        cr.execute(
            """
            UPDATE ir_model_data SET module = 'klusheeren_base'
             WHERE module = %s AND name = %s
               AND NOT EXISTS (
                   SELECT 1 FROM ir_model_data WHERE module = 'klusheeren_base' AND name = %s)
            """,
            (module, name, name),
        )
