"""POST /ingest refuses every value outside its range with 422 BAD_USER_INPUT naming the
line and the field, and writes nothing of the batch, never a 500 (issue 8)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from graphql_api.db.base import Base
from tests import factories as f

BASE = [
    f.team(id="acme"),
    f.user(id="ada"),
    f.membership(team="acme", user="ada"),
    f.workspace(id="ws", team="acme"),
    f.element(id="col", team="acme", workspace="ws", kind="COLLECTION"),
    f.element(id="api", team="acme", workspace="ws"),
]
# The line number of the first line after BASE.
AFTER_BASE = len(BASE) + 1


def _record(kind: str) -> dict[str, Any]:
    """A valid record of `kind` that refers only to BASE."""
    at = f.ago(hours=3)
    records: dict[str, dict[str, Any]] = {
        "user": f.user(id="eve"),
        "team": f.team(id="globex"),
        "element": f.element(id="el", team="acme", workspace="ws"),
        "request": f.request(id="r1", team="acme", user="ada", collection="col"),
        "test_run": {
            "type": "test_run",
            "id": "t1",
            "team": "acme",
            "at": at,
            "source": "NEWMAN",
            "collection": "col",
            "passed": 3,
            "failed": 0,
        },
        "public_stat": {
            "type": "public_stat",
            "id": "p1",
            "team": "acme",
            "at": at,
            "workspace": "ws",
            "views": 1,
            "watches": 1,
            "forks": 1,
        },
        "security_finding": {
            "type": "security_finding",
            "id": "sf1",
            "team": "acme",
            "at": at,
            "element": "api",
            "rule": "Weak TLS",
            "severity": "HIGH",
            "resolved_at": f.ago(hours=1),
        },
        "invoice": f.invoice(id="i1"),
        "usage": f.usage(id="u1", resource="MOCK_REQUESTS", quantity=1),
        "seat_change": f.seat_change(id="s1", seats=3),
        "audit_event": f.audit_event(id="a1", team="acme", actor="ada", data={"k": "v"}),
    }
    return records[kind]


def _with(kind: str, **fields: Any) -> str:
    return json.dumps({**_record(kind), **fields})


async def _row_counts(db) -> dict[str, int]:
    async with db() as session:
        return {
            table.name: await session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


async def _post_refused(api, db, bad_lines: list[str | bytes]) -> dict[str, str]:
    """POST BASE then `bad_lines`; assert the batch is refused whole with 422
    BAD_USER_INPUT and nothing written; return each listed line's reason."""
    token = await f.service_token(db)
    before = await _row_counts(db)
    lines = [json.dumps(r).encode() for r in BASE]
    lines += [line if isinstance(line, bytes) else line.encode() for line in bad_lines]
    response = await api.http.post(
        "/ingest", content=b"\n".join(lines), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "nothing was written" in error["message"]
    assert await _row_counts(db) == before
    return {item["line"]: item["reason"] for item in error["extensions"]["lines"]}


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("request", "response_time_ms", 2**31),
        ("request", "response_size_bytes", 2**64),
        ("request", "status", 2**70),
        ("test_run", "passed", 2**40),
        ("public_stat", "views", 2**31),
        ("seat_change", "seats", 2**31),
        ("usage", "quantity", 2**63),
        ("usage", "quantity", 2**53),
        ("invoice", "amount_cents", 2**63),
        ("invoice", "amount_cents", -(2**63) - 1),
    ],
)
async def test_a_number_too_large_for_its_column_refuses_the_batch(api, db, kind, field, value):
    reasons = await _post_refused(api, db, [_with(kind, **{field: value})])
    assert f"`{field}`" in reasons[AFTER_BASE]


async def test_a_number_beyond_any_integer_refuses_the_batch_as_malformed(api, db):
    line = _with("usage", quantity=0).replace('"quantity": 0', '"quantity": ' + "9" * 5000)
    reasons = await _post_refused(api, db, [line])
    assert "malformed JSON" in reasons[AFTER_BASE]


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("audit_event", "at", "0001-01-01T00:00:00+14:00"),
        ("audit_event", "at", "9999-12-31T23:59:59-14:00"),
        ("request", "at", "9999-12-31T23:59:59Z"),
        ("request", "at", "1969-12-31T23:59:59Z"),
        ("element", "at", "0001-01-01T00:00:00Z"),
        ("security_finding", "resolved_at", "9999-12-31T23:59:59-14:00"),
        ("invoice", "period_start", "0001-01-01"),
    ],
)
async def test_an_instant_outside_the_window_refuses_the_batch(api, db, kind, field, value):
    reasons = await _post_refused(api, db, [_with(kind, **{field: value})])
    assert f"`{field}`" in reasons[AFTER_BASE]


@pytest.mark.parametrize(
    ("kind", "field"), [("audit_event", "at"), ("security_finding", "resolved_at")]
)
async def test_an_instant_without_an_offset_refuses_the_batch(api, db, kind, field):
    reasons = await _post_refused(api, db, [_with(kind, **{field: "2026-01-01T00:00:00"})])
    assert f"`{field}`" in reasons[AFTER_BASE] and "timezone" in reasons[AFTER_BASE]


@pytest.mark.parametrize(
    "timezone", ["A" * 5000, "Europe/\x00Paris", "../../etc/passwd", "Mars/Olympus", "", "/"]
)
async def test_a_time_zone_that_is_not_iana_refuses_the_batch(api, db, timezone):
    reasons = await _post_refused(api, db, [_with("user", timezone=timezone)])
    assert "`timezone`" in reasons[AFTER_BASE]
    assert len(reasons[AFTER_BASE]) < 300


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("user", "id"),
        ("user", "name"),
        ("user", "username"),
        ("user", "email"),
        ("element", "name"),
        ("security_finding", "rule"),
        ("audit_event", "message"),
        ("audit_event", "ip"),
        ("audit_event", "user_agent"),
    ],
)
async def test_a_nul_character_in_text_refuses_the_batch(api, db, kind, field):
    value = "a\x00b" if field != "email" else "a\x00@example.com"
    reasons = await _post_refused(api, db, [_with(kind, **{field: value})])
    assert f"`{field}`" in reasons[AFTER_BASE] and "NUL" in reasons[AFTER_BASE]


@pytest.mark.parametrize("data", [{"k": "a\x00b"}, {"k\x00": 1}, {"k": [{"deep": "\x00"}]}])
async def test_a_nul_character_in_data_refuses_the_batch(api, db, data):
    reasons = await _post_refused(api, db, [_with("audit_event", data=data)])
    assert "`data`" in reasons[AFTER_BASE] and "NUL" in reasons[AFTER_BASE]


async def test_an_escaped_backslash_before_u0000_is_text_not_nul(api, db):
    token = await f.service_token(db)
    line = _with("audit_event", message="C:\\u0000 is a path, not a NUL")
    response = await api.http.post(
        "/ingest",
        content=b"\n".join([*(json.dumps(r).encode() for r in BASE), line.encode()]),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("kind", "field", "length"),
    [
        ("user", "id", 129),
        ("user", "name", 201),
        ("audit_event", "message", 10_001),
        ("audit_event", "action", 201),
        ("audit_event", "user_agent", 513),
    ],
)
async def test_text_longer_than_its_limit_refuses_the_batch(api, db, kind, field, length):
    reasons = await _post_refused(api, db, [_with(kind, **{field: "x" * length})])
    assert f"`{field}`" in reasons[AFTER_BASE]


@pytest.mark.parametrize("line", ["null", "1", '"a string"', "[]", "true"])
async def test_a_line_that_is_not_a_json_object_refuses_the_batch(api, db, line):
    reasons = await _post_refused(api, db, [line])
    assert "must be a JSON object" in reasons[AFTER_BASE]


@pytest.mark.parametrize(
    "line",
    [
        b'{"type": "user", "id": "\xff\xfe", "name": "N", "username": "n", "email": "n@x"}',
        b"\xc3\x28",
        b'{"type": "user", "id": "\\ud800", "name": "N", "username": "n", "email": "n@x"}',
    ],
)
async def test_invalid_utf8_or_a_lone_surrogate_refuses_the_batch(api, db, line):
    reasons = await _post_refused(api, db, [line])
    assert "malformed JSON" in reasons[AFTER_BASE]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(("depth", "reason"), [(33, "`data`"), (100_000, "nested too deeply")])
async def test_data_nested_too_deep_refuses_the_batch(api, db, depth, reason):
    # `data` itself is the first level.
    line = _with("audit_event", data={"k": 0}).replace('"k": 0', '"k": ' + _nested(depth - 1))
    reasons = await _post_refused(api, db, [line])
    assert reason in reasons[AFTER_BASE]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", str(2**64)])
async def test_data_holding_a_number_json_cannot_carry_refuses_the_batch(api, db, number):
    line = _with("audit_event", data={"k": 0}).replace('"k": 0', '"k": ' + number)
    reasons = await _post_refused(api, db, [line])
    assert "`data`" in reasons[AFTER_BASE]


async def test_data_larger_than_its_limit_refuses_the_batch(api, db):
    reasons = await _post_refused(api, db, [_with("audit_event", data={"k": "x" * 70_000})])
    assert "`data`" in reasons[AFTER_BASE] and "bytes" in reasons[AFTER_BASE]


async def test_a_line_with_many_unknown_fields_has_a_short_reason(api, db):
    record = {**_record("user"), **{f"field{n}_{'x' * 100}": n for n in range(10_000)}}
    reasons = await _post_refused(api, db, [json.dumps(record)])
    assert "unknown field" in reasons[AFTER_BASE]
    assert len(reasons[AFTER_BASE]) < 1000


async def test_many_bad_lines_list_the_first_100_and_count_them_all(api, db):
    token = await f.service_token(db)
    before = await _row_counts(db)
    body = b"\n".join([*(json.dumps(r).encode() for r in BASE), *([b"{bad"] * 100_000)])
    response = await api.http.post(
        "/ingest", content=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    assert len(response.content) < 50_000
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["badLines"] == 100_000
    listed = error["extensions"]["lines"]
    assert [item["line"] for item in listed] == list(range(AFTER_BASE, AFTER_BASE + 100))
    assert "100000 bad line(s)" in error["message"] and "first 100" in error["message"]
    assert await _row_counts(db) == before


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("request", {"status": 599, "response_time_ms": 2**31 - 1}),
        ("usage", {"quantity": 2**53 - 1}),
        ("invoice", {"amount_cents": -(2**53 - 1)}),
        ("audit_event", {"at": "1970-01-01T00:00:00Z"}),
        ("audit_event", {"at": "9998-12-31T23:59:59.999999Z"}),
        ("audit_event", {"at": "1970-01-01T14:00:00+14:00", "message": "m" * 10_000}),
        ("audit_event", {"data": {"k": json.loads(_nested(31)), "big": 2**63 - 1}}),
        ("user", {"timezone": "America/Argentina/ComodRivadavia"}),
    ],
)
async def test_values_at_the_edges_of_their_ranges_are_written(api, db, kind, fields):
    token = await f.service_token(db)
    before = await _row_counts(db)
    lines = [*(json.dumps(r) for r in BASE), _with(kind, **fields)]
    response = await api.http.post(
        "/ingest", content="\n".join(lines).encode(), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["counts"][kind] == 1 + (kind in {"user", "element"})
    assert await _row_counts(db) != before
