from . import res_partner
from . import maintenance_equipment_category
from . import maintenance_equipment
