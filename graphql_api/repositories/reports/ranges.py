"""Report date ranges (UTC days) and series buckets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement

from graphql_api.errors import BadUserInput

MAX_RANGE_DAYS = 366


class RangePreset(StrEnum):
    LAST_7_DAYS = "LAST_7_DAYS"
    LAST_30_DAYS = "LAST_30_DAYS"
    LAST_90_DAYS = "LAST_90_DAYS"


PRESET_DAYS = {
    RangePreset.LAST_7_DAYS: 7,
    RangePreset.LAST_30_DAYS: 30,
    RangePreset.LAST_90_DAYS: 90,
}


class Granularity(StrEnum):
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"


@dataclass(frozen=True)
class DayRange:
    """Inclusive range of UTC days."""

    first: date
    last: date

    def days(self) -> list[date]:
        """Every day in the range, in order."""
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def resolve_range(
    start: date | None, end: date | None, preset: RangePreset | None, today: date
) -> DayRange:
    """A preset counts back from today (included); dates are taken as given. Default: 30 days."""
    if preset is not None and (start is not None or end is not None):
        raise BadUserInput("Give either `preset` or `from`/`to`, not both.", argument="range")
    if start is None and end is None:
        days = PRESET_DAYS[preset or RangePreset.LAST_30_DAYS]
        return DayRange(today - timedelta(days=days - 1), today)
    last = end or today
    first = start or last - timedelta(days=29)
    if first > last:
        raise BadUserInput("`from` is after `to`.", argument="range")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise BadUserInput(f"A range spans at most {MAX_RANGE_DAYS} days.", argument="range")
    return DayRange(first, last)


def team_days(table: Any, team_id: str, days: DayRange) -> list[ColumnElement[bool]]:
    """The conditions selecting one team's rows of a daily table within `days`."""
    return [table.team_id == team_id, table.day >= days.first, table.day <= days.last]


def point_days(start: date, granularity: Granularity, within: DayRange) -> DayRange:
    """The days of the series point starting at `start`, cut to the report's range."""
    if granularity is Granularity.WEEK:
        end = start + timedelta(days=6)
    elif granularity is Granularity.MONTH:
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    else:
        end = start
    return DayRange(max(start, within.first), min(end, within.last))


def split_weeks(days: DayRange) -> tuple[DayRange | None, list[DayRange]]:
    """The whole Monday-to-Sunday weeks inside `days` (as the range of their Mondays),
    and the days before and after them."""
    first_monday = days.first + timedelta(days=-days.first.weekday() % 7)
    last_monday = days.last - timedelta(days=days.last.weekday()) - timedelta(days=7)
    if days.last.weekday() == 6:  # the range ends on a Sunday: its own week is whole
        last_monday += timedelta(days=7)
    if first_monday > last_monday:
        return None, [days]
    edges = []
    if days.first < first_monday:
        edges.append(DayRange(days.first, first_monday - timedelta(days=1)))
    after_weeks = last_monday + timedelta(days=7)
    if after_weeks <= days.last:
        edges.append(DayRange(after_weeks, days.last))
    return DayRange(first_monday, last_monday), edges


def bucket_of(day: date, granularity: Granularity) -> date:
    """The first day of the series point `day` falls in (weeks start on Monday)."""
    if granularity is Granularity.WEEK:
        return day - timedelta(days=day.weekday())
    if granularity is Granularity.MONTH:
        return day.replace(day=1)
    return day
