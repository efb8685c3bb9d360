from . import boundary, cron_tools, migration, settings, upload
