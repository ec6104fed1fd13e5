"""The device lab: a simulated OPD fleet (MikroTik RouterOS 7 and Cisco IOS 15) served over
real SSH (and the RouterOS API) on loopback addresses, with faults on demand.

Layout:
    fleet.py        DeviceSpec and the fleet file (YAML); generation from the OPD inventory
    contract.py     the contract between the SSH server and a device personality
    server.py       one asyncio process serving every device (asyncssh), control socket
    routeros/       the RouterOS 7 personality (configuration model, CLI, /export, API)
    ios/            the Cisco IOS 15 personality
"""
