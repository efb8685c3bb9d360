from . import res_partner
from . import maintenance_equipment_category
from . import klusheeren_sticker_batch
from . import klusheeren_sticker
from . import maintenance_equipment
from . import ir_http
from . import res_company
