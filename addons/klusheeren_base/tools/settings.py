# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The settings reader: every KlusHeeren setting (a system parameter ``klusheeren*``) is declared
once, with its type, default and bounds, by the addon that owns it::

    REMINDER_DAYS = settings.register("klusheeren_visit.reminder_days", int, 3, minimum=1, maximum=30)

and read everywhere through ``read(env, key)``, which returns the default when the parameter is
missing, not of the type or outside the bounds (the settings screen refuses such values; a
parameter edited by hand in Settings > Technical may hold anything). The settings screen's field
takes its parameter and default from the same declaration (``field``) and its bounds are checked
by ``res.config.settings._klusheeren_check_bounds``.

The keys never change: an existing database keeps its values.
"""

from dataclasses import dataclass

from odoo import fields
from odoo.tools import str2bool

_FIELDS = {int: fields.Integer, float: fields.Float, str: fields.Char, bool: fields.Boolean}


@dataclass(frozen=True)
class Setting:
    key: str
    type: type  # int, float, str or bool
    default: object
    minimum: object = None  # numbers: the smallest value taken (inclusive)
    maximum: object = None  # numbers: the largest value taken (inclusive)

    def parse(self, raw):
        """``raw`` (the parameter's text, or None) as a valid value, else the default."""
        if raw is None or raw is False:
            return self.default
        if self.type is str:
            return str(raw).strip() or self.default
        if self.type is bool:
            return str2bool(str(raw).strip(), self.default)
        try:
            value = self.type(str(raw).strip())
        except (TypeError, ValueError):
            return self.default
        if value != value or (self.minimum is not None and value < self.minimum):  # NaN, too small
            return self.default
        if self.maximum is not None and value > self.maximum:
            return self.default
        return value


SETTINGS = {}


def register(key, type_, default, minimum=None, maximum=None):
    """Declare the setting ``key`` (once, in the addon that owns it); returns its ``Setting``."""
    if type_ not in _FIELDS:
        raise ValueError(f"setting {key}: type {type_!r} is not one of int, float, str, bool")
    if type_ is bool and default is not False:
        # the settings screen removes the parameter of an unchecked box: a box that is on by
        # default could never be switched off, so a yes/no setting is named for its exception
        raise ValueError(f"setting {key}: a yes/no setting is off by default")
    if not key.startswith("klusheeren"):
        raise ValueError(f"setting {key}: KlusHeeren settings are named klusheeren*")
    setting = Setting(key, type_, default, minimum, maximum)
    known = SETTINGS.setdefault(key, setting)
    if known != setting:
        raise ValueError(f"setting {key} is declared twice, differently: {known} and {setting}")
    return setting


def get(key):
    """The declaration of ``key``; KeyError when no addon declares it."""
    return SETTINGS[key]


def read(env, key):
    """The value of setting ``key``: the parameter when it is valid, else the declared default."""
    # sudo: system parameters are readable by the superuser only; a setting is no secret of
    # the caller's (the public pages read their limits) and only its validated value leaves
    return SETTINGS[key].parse(env["ir.config_parameter"].sudo().get_param(key))


def field(key, **kwargs):
    """The settings screen's field of setting ``key`` (``res.config.settings``): saved to the
    parameter, showing the declared default while none is saved."""
    setting = SETTINGS[key]
    if setting.default not in (None, ""):
        kwargs.setdefault("default", setting.default)
    return _FIELDS[setting.type](config_parameter=key, **kwargs)
