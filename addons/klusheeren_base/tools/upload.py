# Copyright 2026 KlusHeeren b.v.
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one upload policy of every public form (QR report, contractor page, complaint, the
generic chatter upload on KlusHeeren records): photos (JPEG, PNG, GIF, WebP, HEIC/HEIF) and PDF,
judged by their bytes, never by their name or declared type; at most 10 files of at most
``klusheeren_equipment.upload_max_mb`` MB each (Settings > KlusHeeren, default 10, ``max_file_bytes``);
images at most 50 megapixels, read from the header before anything decodes them.

Odoo's ``guess_mimetype`` judges the bytes; it knows no HEIC, which phones send by default, so
the ISO-BMFF ``ftyp`` brands are recognised here. ``odoo.tools.image`` refuses images above
``IMAGE_MAX_RESOLUTION`` only when it processes them: the same limit is applied here first.
"""

import io
import os
import re
import unicodedata

from PIL import Image

from odoo.exceptions import UserError
from odoo.tools.image import IMAGE_MAX_RESOLUTION
from odoo.tools.mimetypes import guess_mimetype

from . import settings

UPLOAD_MAX_MB_PARAM = "klusheeren_equipment.upload_max_mb"  # the key of release 2026.12.0, kept
# at most 100: the proxy takes request bodies of 128 MB (deploy/nginx)
UPLOAD_MAX_MB = settings.register(UPLOAD_MAX_MB_PARAM, int, 10, minimum=1, maximum=100)
DEFAULT_MAX_MB = UPLOAD_MAX_MB.default
MAX_FILE_BYTES = DEFAULT_MAX_MB * 1024 * 1024  # the default of ``max_file_bytes``
MAX_FILES = 10
MAX_NAME = 120
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/heif": ".heif",
    "application/pdf": ".pdf",
}
ALLOWED_MIMETYPES = frozenset(EXTENSIONS)
DECODABLE = {"image/jpeg", "image/png", "image/gif", "image/webp"}
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
HEIF_BRANDS = {b"mif1", b"msf1", b"heif"}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]+")


def max_file_mb(env):
    """The largest file the public forms accept, in MB (Settings > KlusHeeren > Uploads); a
    missing or unusable value falls back to the default."""
    return settings.read(env, UPLOAD_MAX_MB_PARAM)


def max_file_bytes(env):
    """The largest file the upload policy accepts, in bytes: every caller of the policy reads it here."""
    return max_file_mb(env) * 1024 * 1024


def sniff_mimetype(data):
    """The type of ``data`` by its bytes."""
    if len(data) >= 12 and data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in HEIC_BRANDS:
            return "image/heic"
        if brand in HEIF_BRANDS:
            return "image/heif"
    return guess_mimetype(data, default="application/octet-stream")


def safe_filename(name, mimetype):
    """A file name that is only a name: no path, no control characters, bounded, and with the
    extension of what the file really is (``invoice.exe`` holding a PDF becomes ``invoice.pdf``)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    stem, _ext = os.path.splitext(name)
    stem = _UNSAFE.sub("_", stem).strip(" ._") or "file"
    extension = EXTENSIONS.get(mimetype, "")
    return stem[: MAX_NAME - len(extension)] + extension


def _shown_name(name):
    """The name as the sender knows it, made harmless, for a message."""
    name = re.split(r"[\\/]", str(name or ""))[-1]
    return _UNSAFE.sub("_", name).strip()[:60] or "file"


def check_file(env, name, data, max_bytes=None):
    """``(safe name, mimetype)`` of an upload that passes the policy (``max_bytes``: the
    configured limit, ``max_file_bytes``, unless given).

    :raise UserError: with a message for the person who sent it
    """
    shown = _shown_name(name)
    max_bytes = max_bytes or max_file_bytes(env)
    if len(data) > max_bytes:
        raise UserError(env._("%(name)s is larger than %(mb)s MB.", name=shown, mb=max_bytes // (1024 * 1024)))
    if not data:
        raise UserError(env._("%(name)s is empty.", name=shown))
    mimetype = sniff_mimetype(data)
    if mimetype not in ALLOWED_MIMETYPES:
        raise UserError(env._("%(name)s is not a photo or a PDF.", name=shown))
    if mimetype in DECODABLE:
        try:
            with Image.open(io.BytesIO(data)) as image:  # reads the header, decodes nothing
                width, height = image.size
        except Exception:
            raise UserError(env._("%(name)s could not be read as an image.", name=shown)) from None
        if width * height > IMAGE_MAX_RESOLUTION:
            raise UserError(env._("%(name)s has too many pixels.", name=shown))
    return safe_filename(name, mimetype), mimetype


def read_uploads(env, files, max_files=MAX_FILES, max_bytes=None):
    """Werkzeug uploads → ``([(name, bytes, mimetype)], [error messages])``. Reads at most
    ``max_bytes + 1`` bytes of each, so an oversized file is never held in memory whole."""
    files = [f for f in files if f and getattr(f, "filename", None)]
    max_bytes = max_bytes or max_file_bytes(env)
    if len(files) > max_files:
        return [], [env._("Send at most %(n)s files.", n=max_files)]
    uploads, errors = [], []
    for upload in files:
        data = upload.read(max_bytes + 1)
        try:
            name, mimetype = check_file(env, upload.filename, data, max_bytes)
        except UserError as e:
            errors.append(e.args[0])
            continue
        uploads.append((name, data, mimetype))
    return uploads, errors


def check_attachments(env, attachments, max_files=MAX_FILES, max_bytes=None):
    """The policy applied in the models to ``[(name, bytes, mimetype)]`` given by any caller:
    the declared mimetype is ignored; returns the list with safe names and real types."""
    attachments = list(attachments or ())
    if len(attachments) > max_files:
        raise UserError(env._("Send at most %(n)s files.", n=max_files))
    checked = []
    max_bytes = max_bytes or max_file_bytes(env)
    for name, data, _declared in attachments:
        safe, mimetype = check_file(env, name, data, max_bytes)
        checked.append((safe, data, mimetype))
    return checked


def attach_uploads(record, uploads, checked=False, max_files=MAX_FILES):
    """The one way checked uploads become files: ``uploads`` (``[(name, bytes, mimetype)]``) as
    ``ir.attachment`` records of ``record``, created with ``record``'s environment (the caller
    decides on sudo). Unless ``checked`` (the caller applied the policy, e.g. ``read_uploads``),
    the policy is applied here first: the declared mimetype is ignored.

    :return: the attachments, in the order of ``uploads``
    :raise UserError: a file the policy refuses (nothing is created then)
    """
    record.ensure_one()
    if not checked:
        uploads = check_attachments(record.env, uploads, max_files=max_files)
    if not uploads:
        return record.env["ir.attachment"]
    return record.env["ir.attachment"].create(
        [
            {"name": name, "raw": data, "mimetype": mimetype, "res_model": record._name, "res_id": record.id}
            for name, data, mimetype in uploads
        ]
    )
