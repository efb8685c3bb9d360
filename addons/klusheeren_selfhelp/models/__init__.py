from . import document_page
from . import klusheeren_selfhelp_deflection
from . import maintenance_equipment
from . import maintenance_equipment_category
