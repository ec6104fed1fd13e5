"""Nornir task: what the security baseline reads from one device, fetched live over SSH.

The configuration comes the backup pipeline's way (`get_config`: RouterOS ``/export terse``,
IOS ``show running-config``), is normalized and must pass the same verification a backup
must (prompt back, no error string, not empty, complete end): a truncated export is never
audited as if it were the device. It stays in memory: nothing unsanitized is stored; findings
show their evidence sanitized. Then the extra commands the platform's rules need
(RouterOS ``/user print terse``, ``/system resource print``), each reply checked against the
platform's error strings: a refused command leaves the rules that need it unchecked
(``error``), never judged from an error text.
"""

from __future__ import annotations

from collections.abc import Sequence

from nornir.core.task import Result, Task

from netrawat.audit.model import AuditFacts
from netrawat.configs.normalize import normalize
from netrawat.configs.verify import Fetched, verify
from netrawat.errors import DeviceCommandError
from netrawat.hostkeys import get_connection
from netrawat.inventory.connections import Timeouts
from netrawat.platforms import profile_for
from netrawat.tasks.get_config import get_config

DATA_KEYS = (
    "management_network",
    "ntp_servers",
    "syslog_server",
    "api_port",
    "api_ssl_port",
)
"""Inventory values the rules compare the device with."""


def _verified_config(task: Task) -> str:
    fetched: Fetched = get_config(task).result
    text = normalize(fetched.output, fetched.platform).text
    verdict = verify(Fetched(fetched.platform, text, fetched.prompt_returned, fetched.problem))
    if not verdict.ok:
        raise DeviceCommandError(
            f"configuration not usable for the audit ({verdict.check}): {verdict.reason}",
            "the same check a backup makes; see `netrawat backup` for this host",
        )
    return text


def audit_facts(task: Task, *, commands: Sequence[str] = ()) -> Result:
    """Fetch the configuration and ``commands``' output; ``result`` is an `AuditFacts`."""
    profile = profile_for(task.host.platform)
    config = _verified_config(task)
    conn = get_connection(task, "netmiko")
    timeout = Timeouts.of(task.host).read
    outputs, refused = {}, {}
    for command in commands:
        output = str(conn.send_command(command, read_timeout=timeout))
        error = profile.find_error(output)
        if error:  # only the rules that need this output are left unchecked
            refused[command] = error
        else:
            outputs[command] = output
    data = {key: task.host.get(key) for key in DATA_KEYS if task.host.get(key) is not None}
    facts = AuditFacts(profile.name, config, outputs, data, refused)
    return Result(host=task.host, result=facts)
