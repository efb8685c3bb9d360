from . import cron_tools, migration, upload
