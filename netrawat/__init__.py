"""netrawat: network maintenance automation for the OPD fleet of Diskominfo Kota Pontianak.

Implements the maintenance side of the SOP "Pemeliharaan Komponen Jaringan":
backups, health checks graded ringan/sedang/berat, config diffs, template repairs,
and a recap entry for every run tied to the OPD's request number.
"""

__version__ = "0.1.0"
