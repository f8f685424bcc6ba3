"""One rule per kind of GraphQL argument value, applied where arguments become domain values.

GraphQL's own types check only the shape of a value (a 32-bit Int, a string
that parses as a date). These rules add the ranges the code and the databases
behind it can take, so a value outside them is BAD_USER_INPUT naming the
argument (`filter.since`, `range.to`...) rather than an overflow, a driver
error or a silently different value further in. They build on
`graphql_api.domain.inputs`, which the REST feed and ingest share.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TypeVar

from graphql_api.domain import inputs
from graphql_api.domain.inputs import InvalidInput

T = TypeVar("T")

# Days a report or billing field takes. Report series step by weeks and months
# and reach a month past the range (ranges span at most 366 days), so the
# window keeps clear of both ends of Python's calendar; nothing this server
# holds is older than 1900.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(9998, 12, 31)
# `inactiveForDays`: a century is longer than anyone has been a member.
MAX_INACTIVE_DAYS = 36_500
# Free-text search: longer than any message worth finding; SQLite refuses LIKE
# patterns beyond 50,000 bytes.
MAX_SEARCH_LENGTH = 1_000
# A global id is base64 of "Type:id"; ids of ingested entities hold at most 128
# characters (their column's width), so no valid global id comes near this.
MAX_GLOBAL_ID_LENGTH = 512
MAX_NODE_ID_LENGTH = 128
# Ids a list argument takes at once, as `nodes(ids:)` does.
MAX_IDS = 100


def text(argument: str, value: str, *, max_length: int, min_length: int = 0) -> str:
    """`value` if its length is within bounds and it is text both databases can store:
    no NUL (PostgreSQL refuses it) and no lone surrogate (it has no UTF-8 form)."""
    inputs.check_text(argument, value, max_length=max_length, min_length=min_length)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(argument, "must be valid Unicode (it holds a lone surrogate).") from exc
    return value


def distinct(values: Iterable[T]) -> list[T]:
    """Each value once, in the order given. For lists of enum values: a client may repeat
    one 40,000 times, and each copy would be a bind parameter (PostgreSQL takes 32,767)."""
    return list(dict.fromkeys(values))


def ids(argument: str, values: list[T]) -> list[T]:
    """`values` without repeats, if there are at most MAX_IDS."""
    unique = distinct(values)
    if len(unique) > MAX_IDS:
        raise InvalidInput(argument, f"must hold at most {MAX_IDS} ids, got {len(unique)}.")
    return unique


def instant(argument: str, value: datetime | None) -> datetime | None:
    """`value` in UTC, if it has an offset and UTC can hold it (timestamps carry an
    offset: docs/concepts.md#timestamps-and-date-ranges). Every instant that stays
    within years 1 to 9999 in UTC is accepted, as on the REST feed."""
    return None if value is None else inputs.check_instant(argument, value)


def day(argument: str, value: date | None) -> date | None:
    """`value` if it lies between EARLIEST_DAY and LATEST_DAY."""
    if value is None:
        return None
    return inputs.check_date(argument, value, earliest=EARLIEST_DAY, latest=LATEST_DAY)


def time_zone(argument: str, value: str | None) -> str | None:
    """`value` if it names an IANA time zone."""
    return None if value is None else inputs.check_time_zone(argument, value)


def whole_number(argument: str, value: int | None, *, minimum: int, maximum: int) -> int | None:
    """`value` if it lies in [minimum, maximum]."""
    if value is None:
        return None
    return inputs.check_int(argument, value, minimum=minimum, maximum=maximum)
