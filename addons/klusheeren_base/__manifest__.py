# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "KlusHeeren Base",
    "summary": "The foundation every KlusHeeren addon shares: groups, the upload policy, "
    "the token door, the job mixin with its retry scheme, settings and security headers",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "KlusHeeren b.v.",
    "website": "https://www.klusheeren.nl",
    "depends": ["portal", "mail"],
    "data": [
        "security/klusheeren_base_security.xml",
    ],
    "demo": [
        "demo/klusheeren_base_demo.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "installable": True,
}
