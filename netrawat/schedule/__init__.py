"""Scheduled runs: systemd timer units, or a crontab block where systemd is absent.

The cadence is data (`netrawat.schedule.jobs.CADENCE`): preventive maintenance every night,
a health survey every morning, a compliance check and a security-baseline audit every week.
`install` writes the units (or the block) into a directory you can point at a test folder;
`show` and `remove` read it back.
"""
