"""The ranges every client input must fall in, whichever door it came through.

The REST feed, ingest and GraphQL take numbers, instants, text and JSON from
clients. Python and the databases each accept less, or more, than a client may
send: `int()` reads "٣" as 3 and raises on "³", a timestamp near year 1 or 9999
overflows when turned into UTC, PostgreSQL refuses NUL in text, a column holds
32 or 64 bits, deep JSON exhausts the recursion limit. Each check here refuses
such input up front with `InvalidInput`, a BAD_USER_INPUT error naming the
argument, so it never reaches the database as an internal error.

`InvalidInput` is also a `ValueError`, so the checks can serve as pydantic
validators as they are. Nothing here knows about HTTP.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from graphql_api.errors import BadUserInput

# Signed column ranges: INTEGER is 32 bits on PostgreSQL, BIGINT (and SQLite's
# INTEGER) 64 bits.
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
# JavaScript clients read integers exactly only up to here.
JSON_SAFE_INT_MAX = 2**53 - 1

# Every instant Python can hold in UTC; one outside overflows when stored.
MIN_INSTANT = datetime.min.replace(tzinfo=UTC)
MAX_INSTANT = datetime.max.replace(tzinfo=UTC)

# IANA names are at most a few dozen characters; the column holds 64.
TIME_ZONE_MAX_LENGTH = 64
# Longer than any ISO 8601 instant (with microseconds and offset) or date.
_INSTANT_MAX_LENGTH = 64
_EXCERPT_LENGTH = 40


class InvalidInput(BadUserInput, ValueError):
    """A client value outside its range: BAD_USER_INPUT naming the argument."""

    def __init__(self, argument: str, problem: str) -> None:
        super().__init__(f"`{argument}` {problem}", argument=argument)
        self.argument = argument


def excerpt(value: object, limit: int = _EXCERPT_LENGTH) -> str:
    """`value` quoted for an error message, cut short so a huge input does not
    make a huge error."""
    if isinstance(value, int) and value.bit_length() > 64:
        # str() of a huge integer is slow, and refused past 4,300 digits.
        return f"an integer of {value.bit_length()} bits"
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        return repr(text[:limit]) + f"... ({len(text)} characters)"
    return repr(text)


def check_text(argument: str, value: str, *, max_length: int, min_length: int = 0) -> str:
    """`value` if it has no NUL character (PostgreSQL cannot store one) and its
    length is within bounds."""
    if len(value) > max_length:
        raise InvalidInput(argument, f"must be at most {max_length} characters, got {len(value)}.")
    if len(value) < min_length:
        raise InvalidInput(argument, f"must be at least {min_length} characters.")
    if "\x00" in value:
        raise InvalidInput(argument, "must not contain NUL characters.")
    return value


def check_int(argument: str, value: int, *, minimum: int, maximum: int) -> int:
    """`value` if it lies in [minimum, maximum] (choose them to fit the column)."""
    if not minimum <= value <= maximum:
        raise InvalidInput(
            argument, f"must be a whole number from {minimum} to {maximum}, got {excerpt(value)}."
        )
    return value


def parse_int(argument: str, raw: str, *, minimum: int, maximum: int) -> int:
    """A whole number written in ASCII digits (with a leading `-` only if negatives are
    allowed, and no more digits than the larger bound has), within [minimum, maximum]."""
    digits = raw[1:] if raw.startswith("-") and minimum < 0 else raw
    longest = len(str(max(abs(minimum), abs(maximum))))
    # isascii() first: str.isdigit() is true for "³" and "٣" as well.
    if not (digits.isascii() and digits.isdigit()) or len(digits) > longest:
        raise InvalidInput(
            argument,
            f"must be a whole number from {minimum} to {maximum} in ASCII digits, "
            f"got {excerpt(raw)}.",
        )
    return check_int(argument, int(raw), minimum=minimum, maximum=maximum)


def _span(earliest: datetime, latest: datetime) -> str:
    def shown(at: datetime) -> str:
        return at.replace(microsecond=0).isoformat().replace("+00:00", "Z")

    return f"between {shown(earliest)} and {shown(latest)}"


def check_instant(
    argument: str,
    value: datetime,
    *,
    earliest: datetime = MIN_INSTANT,
    latest: datetime = MAX_INSTANT,
) -> datetime:
    """`value` in UTC, if it has an offset and lies between `earliest` and `latest`."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(argument, "must have a UTC offset (such as Z or +02:00).")
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        # Representable with its offset, but not in UTC (year 1 or 9999 near midnight).
        utc = None
    if utc is None or not earliest <= utc <= latest:
        raise InvalidInput(
            argument,
            f"must be an instant {_span(earliest, latest)}, got {excerpt(value.isoformat())}.",
        )
    return utc


def parse_instant(
    argument: str,
    raw: str,
    *,
    earliest: datetime = MIN_INSTANT,
    latest: datetime = MAX_INSTANT,
) -> datetime:
    """An ISO 8601 instant with an offset, in ASCII, between `earliest` and `latest`;
    returned in UTC."""
    value: datetime | None = None
    if raw.isascii() and len(raw) <= _INSTANT_MAX_LENGTH and "\x00" not in raw:
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            value = None
    if value is None:
        raise InvalidInput(
            argument,
            f"must be an ISO 8601 instant with offset (such as 2026-01-31T09:00:00Z), "
            f"got {excerpt(raw)}.",
        )
    return check_instant(argument, value, earliest=earliest, latest=latest)


def check_date(
    argument: str,
    value: date,
    *,
    earliest: date = date.min,
    latest: date = date.max,
) -> date:
    """`value` if it lies between `earliest` and `latest`."""
    if not earliest <= value <= latest:
        raise InvalidInput(
            argument,
            f"must be a date between {earliest.isoformat()} and {latest.isoformat()}, "
            f"got {value.isoformat()}.",
        )
    return value


def parse_date(
    argument: str, raw: str, *, earliest: date = date.min, latest: date = date.max
) -> date:
    """A `YYYY-MM-DD` date in ASCII digits, between `earliest` and `latest`."""
    value: date | None = None
    if raw.isascii() and len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            value = None
    if value is None:
        raise InvalidInput(argument, f"must be a date as YYYY-MM-DD, got {excerpt(raw)}.")
    return check_date(argument, value, earliest=earliest, latest=latest)


def check_time_zone(argument: str, value: str) -> str:
    """`value` if it names an IANA time zone (such as Europe/Paris)."""
    problem = f"must be an IANA time zone such as Europe/Paris, got {excerpt(value)}."
    if len(value) > TIME_ZONE_MAX_LENGTH or not value.isascii() or "\x00" in value:
        raise InvalidInput(argument, problem)
    try:
        ZoneInfo(value)
    # OSError: a name the file system refuses (too long, a directory...).
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise InvalidInput(argument, problem) from exc
    return value


def check_json(argument: str, value: Any, *, max_depth: int, max_bytes: int) -> Any:
    """`value` if it is a JSON document (dicts with string keys, lists, strings,
    finite numbers, booleans, null) nested at most `max_depth` levels, without NUL
    characters or integers beyond 64 bits, and at most `max_bytes` as UTF-8 JSON."""
    # An explicit stack, not recursion: the depth is what is being checked.
    stack: list[tuple[Any, int]] = [(value, 1)]
    # An upper bound of the serialized size, so small documents (nearly all) are
    # never serialized: a character takes at most 6 bytes (`\u001f`), a number 24,
    # and each value at most 4 more for quotes, separators and brackets.
    bound = 0
    while stack:
        item, depth = stack.pop()
        kind = type(item)
        if kind is str:
            if "\x00" in item:
                raise InvalidInput(argument, "must not contain NUL characters.")
            bound += 6 * len(item) + 4
        elif kind is dict or kind is list:
            if depth > max_depth:
                raise InvalidInput(argument, f"must be nested at most {max_depth} levels deep.")
            bound += 4
            if kind is dict:
                for key, child in item.items():
                    if type(key) is not str:
                        raise InvalidInput(argument, "must have only string keys.")
                    if "\x00" in key:
                        raise InvalidInput(argument, "must not contain NUL characters.")
                    bound += 6 * len(key) + 4
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)
        elif kind is int:
            if not -INT64_MAX - 1 <= item <= INT64_MAX:
                raise InvalidInput(argument, "must not hold integers beyond 64 bits.")
            bound += 24
        elif kind is float:
            if not math.isfinite(item):
                raise InvalidInput(argument, "must not hold NaN or infinite numbers.")
            bound += 24
        elif kind is bool or item is None:
            bound += 9
        else:
            # Subclasses of the JSON types (and anything else) are not JSON as parsed.
            raise InvalidInput(argument, f"must be JSON, not {kind.__name__}.")
    if bound > max_bytes:
        size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
        if size > max_bytes:
            raise InvalidInput(argument, f"must be at most {max_bytes} bytes as JSON, got {size}.")
    return value
