def pre_init_hook(env):
    """Databases made before this addon existed have its retry job under klusheeren_helpdesk:
    take it over (the job is then updated from data/, not created a second time)."""
    env.cr.execute(
        """UPDATE ir_model_data SET module = 'klusheeren_mail_queue'
            WHERE module = 'klusheeren_helpdesk'
              AND name IN ('ir_cron_mail_retry', 'ir_cron_mail_retry_ir_actions_server')"""
    )
