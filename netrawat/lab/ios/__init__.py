"""The Cisco IOS 15 personality of the device lab: a Cisco 2911 ISR G2 running 15.7(3)M8.

Modules:
    hashes.py     type 9 (scrypt) secrets as IOS stores them
    config.py     the hierarchical running/startup configuration model
    seed.py       the initial configuration built from a DeviceSpec
    grammar.py    keywords per mode, unique-prefix abbreviations, IOS error texts
    state.py      what moves on its own: clock, uptime, counters, CPU, memory, log buffer
    show_system.py / show_network.py   `show ...` formatters
    commands.py   exec-mode command tree and dispatch
    faults.py     device-state faults and their exact undo
    shell.py      one interactive session: modes, prompts, enable, configure terminal
    device.py     IOSDevice, the Personality the lab server talks to
"""
