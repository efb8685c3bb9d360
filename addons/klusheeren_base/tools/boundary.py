"""The boundary of the models: what every path (page, JSON-RPC, mail in) gets checked the same way.

Fields that the UI shows read-only and only the model's own methods write (numbers, tokens,
states, who did what and when): a user writing them directly, over JSON-RPC or a crafted form,
is refused whatever their group (docs/SECURITY.md, "Read-only means read-only")."""

import contextvars
import functools
import re
import unicodedata
from contextlib import contextmanager

from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize

_INSIDE = contextvars.ContextVar("klusheeren_system_write", default=0)


@contextmanager
def system_write():
    """The model's own methods write their system fields inside this block (a Python context
    variable of this thread: no request, context key or parameter can set it)."""
    token = _INSIDE.set(_INSIDE.get() + 1)
    try:
        yield
    finally:
        _INSIDE.reset(token)


def writes_system_fields(method):
    """Decorator: ``method`` may write the model's system fields (see ``system_write``)."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with system_write():
            return method(*args, **kwargs)

    return wrapper


def check_system_fields(records, vals, names):
    """Refuse ``vals`` touching ``names`` unless the superuser or the model's own method writes."""
    touched = sorted(set(vals) & set(names))
    if touched and not records.env.su and not _INSIDE.get():
        labels = ", ".join(records._fields[name]._description_string(records.env) for name in touched)
        raise AccessError(records.env._("%(fields)s cannot be changed by hand.", fields=labels))


# what may reach an e-mail header or a subject: one line, no control characters
_BREAKS = {"Cc", "Cf", "Zl", "Zp"}


def one_line(value):
    """``value`` without line breaks, tabs or other control or format characters (each becomes
    a space; runs of spaces become one), stripped. Non-strings are returned as they are."""
    if not isinstance(value, str):
        return value
    cleaned = "".join(" " if unicodedata.category(c) in _BREAKS else c for c in value)
    return " ".join(cleaned.split())


def clean_header_fields(vals, names):
    """``vals`` with the fields ``names`` made ``one_line`` (in place; returns ``vals``)."""
    for name in names:
        if name in vals:
            vals[name] = one_line(vals[name])
    return vals


# an address as RFC 5322's dot-atom (what every mail server takes), at most 254 characters
# (RFC 5321's path limit), local part at most 64
EMAIL_MAX = 254
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+$")


def checked_email(env, value):
    """The normalised address typed in ``value`` (a bare address, as a form's e-mail field takes
    it); a UserError with a clear message when it is not one valid address of at most 254
    characters. What the mail gateway reads (``Name <address>``) goes through ``email_normalize``."""
    raw = value.strip() if isinstance(value, str) else ""
    normalized = email_normalize(raw, strict=True) if raw else False
    if (
        not normalized
        or len(raw) > EMAIL_MAX
        or len(normalized) > EMAIL_MAX
        or len(normalized.split("@")[0]) > 64
        or not _EMAIL.match(normalized)
        or normalized != raw.lower()
    ):
        raise UserError(env._("Give one valid e-mail address (at most %(n)s characters).", n=EMAIL_MAX))
    return normalized
