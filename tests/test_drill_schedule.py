"""The monthly restore drill in `netrawat schedule install` (systemd and cron)."""

from __future__ import annotations

import time
from datetime import date

import pytest

from netrawat.schedule import cron, systemd
from netrawat.schedule.jobs import CADENCE


def test_the_drill_runs_monthly_on_the_second_at_0430_wib() -> None:
    job = CADENCE["drill"]
    assert job.args == ("drill",)
    assert job.cadence() == "monthly on day 2 04:30 WIB"
    assert systemd.on_calendar(job) == "*-*-02 04:30:00 Asia/Pontianak"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "Asia/Pontianak")
        time.tzset()
        assert cron.local_monthday(job, date(2026, 12, 2)) == "2"
        mp.setenv("TZ", "UTC")  # 04:30 WIB is 21:30 UTC the day before
        time.tzset()
        assert cron.local_monthday(job, date(2026, 12, 2)) == "1"
        assert cron.local_fields(job, date(2026, 12, 2)) == (30, 21, "*")
    time.tzset()
    assert cron.local_monthday(CADENCE["preventive"]) == "*"
