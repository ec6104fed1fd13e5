"""What each OPD of a generated lab fleet left undone of the security baseline (lab data only).

The lab seeds a RouterOS router hardened (`netrawat_lab.routeros.hardening`); a device of a
generated fleet (``netrawat lab up`` from the example inventory or with ``--devices N``, the
demo) gets its OPD's gaps here, so ``netrawat audit`` on it has realistic findings. Kecamatan
offices, run by one technician, keep the factory ``admin`` and telnet; the big agencies have
one or two gaps; Diskominfo itself, the hospital and most badan are clean. Rehearsal fleets
for tests have no gaps.

Gap names (understood by the RouterOS seed): ``telnet``, ``ftp``, ``www``, ``api``, ``admin``,
``winbox-open``, ``mac-server-all``, ``discovery-all``, ``bandwidth-server``, ``romon``,
``weak-ssh``, ``snmp-public``, ``no-remote-log``.
"""

from __future__ import annotations

BY_OPD: dict[str, tuple[str, ...]] = {
    "diskominfo": (),
    "rsud": (),
    "setda": ("bandwidth-server",),
    "setwan": ("www", "discovery-all"),
    "dinkes": ("telnet", "admin"),
    "disdikbud": ("mac-server-all", "discovery-all", "bandwidth-server"),
    "dukcapil": ("weak-ssh",),
    "disdukcapil": ("weak-ssh",),
    "satpolpp": ("ftp", "www"),
    "dishub": ("ftp", "winbox-open"),
    "dlh": ("romon",),
    "dinsos": ("snmp-public", "admin"),
    "bpbd": ("telnet", "bandwidth-server"),
}
BY_KIND: dict[str, tuple[str, ...]] = {
    "kecamatan": ("telnet", "admin", "mac-server-all", "snmp-public"),
}
"""OPDs not named in `BY_OPD`: by kind (``kecamatan``), else none."""


def gaps_for(opd: str, kind: str, platform: str) -> list[str]:
    """The baseline gaps of one example-fleet device (RouterOS only; IOS routers keep the
    lab's IOS seed, which already lacks password encryption, login block-for and a log host)."""
    if platform != "mikrotik_routeros":
        return []
    return list(BY_OPD.get(opd, BY_KIND.get(kind, ())))
