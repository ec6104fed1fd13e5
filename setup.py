"""Package layout that pyproject.toml cannot express on its own: the design card's top-level
``tasks/``, ``playbooks/``, ``templates/`` and ``inventory/`` are installed inside the
``netrawat`` package (``netrawat.tasks``, ``netrawat.playbooks``, ``netrawat.templates``,
``netrawat.example_inventory``), so a wheel owns everything it runs. Metadata: pyproject.toml.

Data folders (``templates/cisco_ios/repair``, ``netrawat/web/static``, ...) are listed as
namespace packages, as setuptools documents for data in subdirectories: a folder Python could
import but that is missing from ``packages`` makes every build warn "Package ... is absent from
the `packages` configuration". Which files go in is still decided by package-data
(pyproject.toml), so the wheel holds the same files."""

from setuptools import find_namespace_packages, setup

MAPPED = {
    "netrawat.tasks": "tasks",
    "netrawat.playbooks": "playbooks",
    "netrawat.templates": "templates",
    "netrawat.example_inventory": "inventory",
}
NOT_PACKAGES = ["*__pycache__*"]


def _packages() -> list[str]:
    """Our packages and their data folders, with the mapped folders under their package name."""
    found = find_namespace_packages(
        include=["netrawat", "netrawat.*", "netrawat_lab", "netrawat_lab.*"],
        exclude=NOT_PACKAGES,
    )
    for package, folder in MAPPED.items():
        below = find_namespace_packages(where=folder, exclude=NOT_PACKAGES)
        found += [package, *(f"{package}.{name}" for name in below)]
    return found


setup(packages=_packages(), package_dir=MAPPED)
