"""GET /audit/logs refuses every parameter outside its range with 400 BAD_USER_INPUT
naming it, in Postman's error shape, never a 500 (issue 8)."""

from __future__ import annotations

import pytest

from tests import factories as f


async def _get(api, key: str, **params) -> tuple[int, dict]:
    response = await api.http.get("/audit/logs", params=params, headers={"X-Api-Key": key})
    return response.status_code, response.json()


async def _get_raw(api, key: str, query: str) -> tuple[int, dict]:
    """GET with a query string sent as written (percent-escapes included)."""
    response = await api.http.get(f"/audit/logs?{query}", headers={"X-Api-Key": key})
    return response.status_code, response.json()


def _assert_refused(status: int, body: dict, parameter: str) -> None:
    assert status == 400, body
    error = body["error"]
    assert (error["code"], error["name"]) == ("BAD_USER_INPUT", "invalidParamsError")
    assert f"`{parameter}`" in error["message"]
    # The message quotes a bad value only in part, however long it was.
    assert len(error["message"]) < 300


@pytest.mark.parametrize(
    "limit",
    [
        "³",  # a superscript digit: int() raises on it
        "٣",  # an Arabic-Indic digit: int() reads it as 3
        "\uff13",  # a full-width digit
        "+3",
        " 3",
        "3.0",
        "0x10",
        "1e2",
        "",
        "-1",
        "0",
        "301",
        "18446744073709551616",  # 2**64
        "9" * 5000,
    ],
)
async def test_a_limit_that_is_not_1_to_300_in_ascii_digits_is_400(api, world, limit):
    status, body = await _get(api, world.admin_key, limit=limit)
    _assert_refused(status, body, "limit")


async def test_a_limit_percent_encoded_as_a_superscript_digit_is_400(api, world):
    status, body = await _get_raw(api, world.admin_key, "limit=%C2%B3")
    _assert_refused(status, body, "limit")


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("until", "9999-12-31T23:59:59-14:00"),
        ("since", "0001-01-01T00:00:00+14:00"),
        ("until", "9999-12-31T23:59:59.999999-00:01"),
    ],
)
async def test_an_instant_beyond_what_utc_can_hold_is_400(api, world, parameter, value):
    status, body = await _get(api, world.admin_key, **{parameter: value})
    _assert_refused(status, body, parameter)


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("since", "2026-01-01T00:00:00"),
        ("until", "2026-01-01T10:00"),
        ("since", "20260101T000000"),
    ],
)
async def test_an_instant_without_an_offset_is_400(api, world, parameter, value):
    status, body = await _get(api, world.admin_key, **{parameter: value})
    _assert_refused(status, body, parameter)
    assert "offset" in body["error"]["message"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("since", "٢٠٢٦-01-01"),  # Arabic-Indic digits
        ("until", "\uff12\uff10\uff12\uff16-01-01T00:00:00Z"),  # full-width digits
        ("since", "2026-01-01T00:00:00Z\x00"),
        ("until", "2026-01-01\x00"),
        ("since", "2026-13-01"),
        ("until", "2026-01-01T00:00:00+99:00"),
        ("since", "1" * 5000),
    ],
)
async def test_a_malformed_since_or_until_is_400(api, world, parameter, value):
    status, body = await _get(api, world.admin_key, **{parameter: value})
    _assert_refused(status, body, parameter)


@pytest.mark.parametrize("query", ["since=%FF%FE", "until=%C3%28", "limit=%FF"])
async def test_invalid_utf8_in_a_parameter_is_400(api, world, query):
    status, body = await _get_raw(api, world.admin_key, query)
    _assert_refused(status, body, query.split("=")[0])


@pytest.mark.parametrize("cursor", ["a" * 5000, "\x00", "abc\x00def"])
async def test_a_cursor_too_long_or_with_nul_is_400(api, world, cursor):
    status, body = await _get(api, world.admin_key, cursor=cursor)
    _assert_refused(status, body, "cursor")


@pytest.mark.parametrize(
    "params",
    [
        {"since": "0001-01-01", "until": "9999-12-31"},
        {"since": "0001-01-01T00:00:00Z", "until": "9999-12-31T23:59:59.999999Z"},
        {"since": "0001-01-01T00:00:00-14:00", "until": "9999-12-31T23:59:59+14:00"},
        {"limit": "1"},
        {"limit": "300"},
        {"limit": "007"},
    ],
)
async def test_the_edges_of_every_range_are_accepted(api, world, db, params):
    await f.ingest(db, f.audit_event(id="e1", team="acme", actor="ada"))
    status, body = await _get(api, world.admin_key, **params)
    assert status == 200, body
    assert len(body["trails"]) == 1
