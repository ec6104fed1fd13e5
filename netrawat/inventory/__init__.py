"""The inventory: loading and validating the OPD fleet, credentials, filters.

`netrawat.fleet.open_fleet` is the one place that puts these together for a run.
"""

from netrawat.inventory.filters import Selection, host_opd
from netrawat.inventory.model import load_inventory
from netrawat.inventory.secrets import Credentials, Secrets, load_secrets

__all__ = [
    "Credentials",
    "Secrets",
    "Selection",
    "host_opd",
    "load_inventory",
    "load_secrets",
]
