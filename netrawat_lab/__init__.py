"""The device lab: a simulated OPD fleet (MikroTik RouterOS 7 and Cisco IOS 15) served over
real SSH (and the RouterOS API) on loopback addresses, with faults on demand.

Layout:
    spec.py         DeviceSpec: one simulated device
    fleet.py        generating a fleet from the OPD inventory or --devices N (opds.py: OPDs)
    fleetfile.py    the fleet file (YAML) with its checks (loopback only, ports > 1024)
    contract.py     the contract between the SSH server and a device personality
    server.py       one asyncio process serving every device (asyncssh), control socket
    device_server.py  one device's listeners, password checks, transport/session faults
    terminal.py     the Terminal a personality talks through (exact bytes, echo, history)
    control.py      starting/stopping the lab process, the control-socket client
    handle.py       `Lab`: a lab directory from Python (CLI, fixtures, benchmarks)
    testing.py      labs for tests: rehearsal fleet, collision-free addresses per worker
    personalities.py  platform -> personality class
    routeros/       the RouterOS 7 personality (configuration model, CLI, /export, API)
    ios/            the Cisco IOS 15 personality
"""
