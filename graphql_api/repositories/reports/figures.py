"""Request figures from summed summary rows: averages, error rates and p95 from buckets."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from sqlalchemy import Float, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement

from graphql_api.db.models import DailyRequests
from graphql_api.db.models.summary import BUCKET_COLUMNS, RESPONSE_TIME_BUCKETS_MS

PERCENTILE = 0.95
_LOWER = (0, *RESPONSE_TIME_BUCKETS_MS)
# The open last bucket is read as its lower bound: "at least 5 s".
_UPPER = (*RESPONSE_TIME_BUCKETS_MS, RESPONSE_TIME_BUCKETS_MS[-1])


def bucket_sums(table: Any = DailyRequests) -> dict[str, ColumnElement[Any]]:
    """SUM of each histogram column of a daily request table, labelled by its name."""
    return {name: func.sum(getattr(table, name)) for name in BUCKET_COLUMNS}


def p95_expression(buckets: list[ColumnElement[Any]], total: ColumnElement[Any]) -> Any:
    """SQL for the 95th percentile of summed buckets, interpolated inside its bucket.

    The same number is shown and sorted by, so ordering never disagrees with
    what a row says. NULL when there are no requests.
    """
    target = cast(total, Float) * PERCENTILE
    whens = []
    running: ColumnElement[Any] = literal(0)
    for count, lower, upper in zip(buckets, _LOWER, _UPPER, strict=True):
        below = running
        running = running + count
        share = (target - below) / func.nullif(cast(count, Float), 0.0)
        whens.append((running >= target, lower + (upper - lower) * func.coalesce(share, 0.0)))
    return case((total > 0, case(*whens, else_=float(_UPPER[-1]))), else_=None)


def p95_from_buckets(buckets: list[int]) -> float | None:
    """The same percentile as `p95_expression`, over counts already fetched: the first
    bucket whose running total reaches 95 % of all, interpolated inside it. (Running
    totals and a bisection, in C: a daily series computes 90 of these per request.)"""
    running = list(accumulate(buckets))
    total = running[-1] if running else 0
    if total == 0:
        return None
    target = total * PERCENTILE
    at = bisect_left(running, target)
    if at == len(running):
        return float(_UPPER[-1])
    count = buckets[at]
    below = running[at] - count
    lower, upper = _LOWER[at], _UPPER[at]
    return lower + (upper - lower) * ((target - below) / count if count else 0.0)


@dataclass
class RequestFigures:
    """Sums over some summary rows."""

    requests: int = 0
    errors: int = 0
    response_time_ms_sum: int = 0
    response_size_bytes_sum: int = 0
    buckets: list[int] = field(default_factory=lambda: [0] * len(BUCKET_COLUMNS))

    def add(self, other: RequestFigures) -> None:
        self.requests += other.requests
        self.errors += other.errors
        self.response_time_ms_sum += other.response_time_ms_sum
        self.response_size_bytes_sum += other.response_size_bytes_sum
        self.buckets = [a + b for a, b in zip(self.buckets, other.buckets, strict=True)]

    @property
    def error_rate(self) -> float | None:
        return self.errors / self.requests if self.requests else None

    @property
    def avg_response_time_ms(self) -> float | None:
        return self.response_time_ms_sum / self.requests if self.requests else None

    @property
    def avg_response_size_bytes(self) -> float | None:
        return self.response_size_bytes_sum / self.requests if self.requests else None

    @property
    def p95_response_time_ms(self) -> float | None:
        return p95_from_buckets(self.buckets)

    @classmethod
    def from_sums(cls, row: Any, at: int) -> RequestFigures:
        """From `row[at:]`, the sums in `request_sums` order (read by position: a row's
        attribute lookups cost more than the figures they give)."""
        return cls(
            requests=int(row[at] or 0),
            errors=int(row[at + 1] or 0),
            response_time_ms_sum=int(row[at + 2] or 0),
            response_size_bytes_sum=int(row[at + 3] or 0),
            buckets=[int(v or 0) for v in row[at + 4 : at + 4 + len(BUCKET_COLUMNS)]],
        )

    @classmethod
    def summed(cls, rows: list[Any], at: int) -> RequestFigures:
        """The sums of several rows' figures (`from_sums` of each, added)."""
        width = 4 + len(BUCKET_COLUMNS)
        totals = [
            sum(v or 0 for v in column)
            for column in zip(*(r[at : at + width] for r in rows), strict=True)
        ]
        return cls.from_sums(totals or [0] * width, 0)  # from_sums makes them ints

    @classmethod
    def from_row(cls, row: Any) -> RequestFigures:
        return cls(
            requests=int(row.requests or 0),
            errors=int(row.errors or 0),
            response_time_ms_sum=int(row.response_time_ms_sum or 0),
            response_size_bytes_sum=int(row.response_size_bytes_sum or 0),
            buckets=[int(getattr(row, name) or 0) for name in BUCKET_COLUMNS],
        )


def request_sums(d: Any = DailyRequests) -> dict[str, ColumnElement[Any]]:
    """Every measure of a daily request table summed, labelled for `RequestFigures.from_row`.

    Tables keyed by status class count errors from it; others store them.
    """
    errors = d.errors if hasattr(d, "errors") else case((d.status_class >= 4, d.requests), else_=0)
    return {
        "requests": func.sum(d.requests),
        "errors": func.sum(errors),
        "response_time_ms_sum": func.sum(d.response_time_ms_sum),
        "response_size_bytes_sum": func.sum(d.response_size_bytes_sum),
        **bucket_sums(d),
    }
