from . import klusheeren_recurring_job
from . import klusheeren_recurring_job_line
from . import klusheeren_recurring_occurrence
from . import klusheeren_work_order
from . import maintenance_equipment
