"""The example OPD inventory, shipped as package data (``netrawat.example_inventory``).

Not code: netrawat reads ``hosts.yaml``, ``groups.yaml`` and ``defaults.yaml`` from here when
the lab or a test wants the example fleet; copy the directory to start a site's own inventory.
"""
