"""The Cisco IOS 15 personality of the device lab: an ISR running IOS 15.7(3)M8.

Modules:
    hardware.py   router models as data (CISCO2911/K9, C891F-K9): ports, WAN, LAN, inventory
    hashes.py     type 9 (scrypt) secrets as IOS stores them
    config.py     the hierarchical running/startup configuration model
    seed.py       the initial and the factory configuration built from a DeviceSpec
    grammar.py    keywords per configuration mode, unique-prefix abbreviations, IOS error texts
    configure.py  applying one configuration command (secrets hashed, link changes logged)
    state.py      what moves on its own (clock, uptime, counters, CPU, memory, log) and Runtime
    show_system.py / show_network.py   `show ...` formatters and `ping`
    commands.py   exec-mode command tree, dispatch, output pipes
    faults.py     device-state faults and their exact undo
    shell.py      one interactive session: modes, prompts, enable, configure terminal, saving
    device.py     IOSDevice, the Personality the lab server talks to
"""
