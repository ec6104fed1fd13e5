"""The systemd unit that runs the console as a service (`netrawat serve --systemd-unit`):
this Python, absolute paths baked in, like the units of `netrawat schedule install`."""

from __future__ import annotations

from netrawat.schedule.command import RunPaths

UNIT_NAME = "netrawat-web.service"


def render_unit(paths: RunPaths, listen: str, db_url: str | None = None) -> str:
    """The ``netrawat-web.service`` text for ``paths`` serving on ``listen``."""
    env = dict(paths.environment())
    if db_url:
        env["NETRAWAT_RECAP_DB"] = db_url
    lines = "\n".join(f'Environment="{key}={value}"' for key, value in env.items())
    return f"""# {UNIT_NAME}: written by `netrawat serve --systemd-unit`
# Install: save as /etc/systemd/system/{UNIT_NAME} (or ~/.config/systemd/user/),
# then: systemctl daemon-reload && systemctl enable --now {UNIT_NAME}
[Unit]
Description=netrawat web console and REST API
Wants=network-online.target
After=network-online.target

[Service]
{lines}
ExecStart="{paths.python}" -m netrawat serve --listen {listen}
Restart=on-failure
RestartSec=5
# The worker it starts runs the playbooks the console asks for (same run lock as the timers).
KillMode=mixed
TimeoutStopSec=30

[Install]
WantedBy=multi-user.target
"""
