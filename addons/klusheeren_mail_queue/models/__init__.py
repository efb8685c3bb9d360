from . import mail_mail
from . import mail_thread
