"""Report ranges: presets, validation and the split into whole weeks and edge days."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from graphql_api.errors import BadUserInput
from graphql_api.repositories.reports.ranges import (
    DayRange,
    Granularity,
    RangePreset,
    point_days,
    resolve_range,
    split_weeks,
)

TODAY = date(2026, 11, 21)


def test_a_preset_ends_today_and_counts_today():
    assert resolve_range(None, None, RangePreset.LAST_7_DAYS, TODAY) == DayRange(
        date(2026, 11, 15), TODAY
    )


def test_preset_and_dates_together_are_bad_user_input():
    with pytest.raises(BadUserInput):
        resolve_range(date(2026, 1, 1), None, RangePreset.LAST_7_DAYS, TODAY)


def test_whole_weeks_and_edges_cover_every_day_exactly_once():
    rng = random.Random(1)
    for _ in range(2000):
        first = date(2026, 1, 1) + timedelta(days=rng.randrange(400))
        days = DayRange(first, first + timedelta(days=rng.randrange(100)))
        weeks, edges = split_weeks(days)
        covered = []
        if weeks is not None:
            monday = weeks.first
            while monday <= weeks.last:
                assert monday.weekday() == 0
                covered += [monday + timedelta(days=i) for i in range(7)]
                monday += timedelta(days=7)
        for edge in edges:
            covered += edge.days()
        assert sorted(covered) == days.days(), days


def test_a_weekly_point_is_cut_to_the_range():
    days = DayRange(date(2026, 11, 18), date(2026, 11, 21))
    assert point_days(date(2026, 11, 16), Granularity.WEEK, days) == days
