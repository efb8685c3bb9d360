# Production image of every Odoo node (web and cron): the official Odoo 19.0 image plus the addons' PyPI
# dependencies (OCA helpdesk_mgmt, OCA session_db, qrcode).
FROM odoo:19.0

USER root
COPY requirements.txt /tmp/klusheeren-requirements.txt
# The image's Odoo is a Debian package without pip metadata: install the OCA wheels without letting pip
# resolve "odoo" from PyPI. They land in the odoo.addons namespace next to the image's own addons.
RUN pip3 install --no-cache-dir --break-system-packages --no-deps -r /tmp/klusheeren-requirements.txt \
 && rm /tmp/klusheeren-requirements.txt
COPY --chown=odoo:odoo addons /mnt/extra-addons
USER odoo
