"""Package layout that pyproject.toml cannot express on its own: the design card's top-level
``tasks/``, ``playbooks/``, ``templates/`` and ``inventory/`` are installed inside the
``netrawat`` package (``netrawat.tasks``, ``netrawat.playbooks``, ``netrawat.templates``,
``netrawat.example_inventory``), so a wheel owns everything it runs. Metadata: pyproject.toml."""

from setuptools import find_packages, setup

MAPPED = {
    "netrawat.tasks": "tasks",
    "netrawat.playbooks": "playbooks",
    "netrawat.templates": "templates",
    "netrawat.example_inventory": "inventory",
}

setup(
    packages=[
        *find_packages(include=["netrawat", "netrawat.*", "netrawat_lab", "netrawat_lab.*"]),
        *MAPPED,
    ],
    package_dir=MAPPED,
)
