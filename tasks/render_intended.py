"""Nornir task: render a host's intended configuration from its inventory data (no device).

The template context is the host's data with everything it inherits (groups, defaults), plus
``inventory_name`` (the host's name in the inventory) and ``platform``. The result is an
`Intended` (rendered text per feature, features skipped and why); a value that cannot go into
a config line raises `IntendedDataError` naming the host and key.
"""

from __future__ import annotations

from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import Result, Task

from netrawat.compliance.features import load_features
from netrawat.compliance.render import render_intended as render


def template_context(host: Host) -> dict[str, Any]:
    """The variables a template sees for this host."""
    context = dict(host.extended_data())
    context["inventory_name"] = host.name
    context["platform"] = host.platform
    return context


def render_intended(task: Task, *, features: tuple[str, ...] = ()) -> Result:
    """Render the selected features (all when empty) of the host's platform."""
    platform_features = load_features(str(task.host.platform))
    selected = platform_features.select(features)
    intended = render(
        platform_features,
        selected,
        template_context(task.host),
        task.host.name,
        task.host.get("role"),
    )
    for name in features:
        if name not in intended.rendered and name not in intended.skipped:
            intended.skipped[name] = f"not a feature of {platform_features.platform}"
    return Result(host=task.host, result=intended)
