"""Every GraphQL argument outside its range is BAD_USER_INPUT naming it, never an
internal error (issue 8): the hostile client's hand-made cases, one per test."""

from __future__ import annotations

from typing import Any

from graphql_api.schema.relay import to_global_id
from tests import factories as f

MEMBERS = "query($n: Int) { team { members(first: $n) { totalCount } } }"
AUDIT = """query($filter: AuditEventFilter) {
  team { auditEvents(filter: $filter) { totalCount nodes { eventId } } } }"""
NODE = "query($id: ID!) { node(id: $id) { id } }"
INACTIVE = """query($days: Int) { team { reports { members {
  members(inactiveForDays: $days) { totalCount } } } } }"""
EXPORT_MEMBERS = """mutation($days: Int) { exportMembers(inactiveForDays: $days) { id status } }"""
EXPORTS = "{ viewer { exports { totalCount } } }"
SUMMARY = """query($range: DateRangeInput, $granularity: Granularity!) {
  team { reports { summary(range: $range, granularity: $granularity) { requestCount } } } }"""
CREATE_KEY = """mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { apiKey { id } } }"""
TIMESTAMP = """query($tz: String) { team { auditEvents { nodes { timestamp(timezone: $tz) } } } }"""
EXPORT_AUDIT = """mutation($tz: String) { exportAuditEvents(timezone: $tz) { id } }"""


def _refused(body: dict[str, Any], argument: str) -> None:
    """The only error is BAD_USER_INPUT naming `argument`."""
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"], body
    assert body["errors"][0]["extensions"].get("argument") == argument, body


def _refused_by_graphql(body: dict[str, Any], mark: str) -> None:
    """Refused by GraphQL's own type check (nothing ran): the message names `mark`."""
    assert body.get("data") is None, body
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"], body
    assert mark in body["errors"][0]["message"], body


async def _events(db: Any, count: int) -> None:
    await f.ingest(db, *(f.audit_event(id=f"e{n}", team="acme", actor="ada") for n in range(count)))


async def test_first_beyond_64_bits_as_a_literal_is_refused_before_anything_runs(api, world):
    body = await api.graphql(
        "{ team { members(first: 99999999999999999999) { totalCount } } }", world.admin_key
    )
    _refused_by_graphql(body, "99999999999999999999")


async def test_first_beyond_64_bits_as_a_variable_is_refused_naming_the_variable(api, world):
    body = await api.graphql(MEMBERS, world.admin_key, {"n": 2**64})
    _refused_by_graphql(body, "$n")


async def test_first_at_the_largest_32_bit_integer_is_bad_user_input_naming_first(api, world):
    body = await api.graphql(MEMBERS, world.admin_key, {"n": 2**31 - 1})
    _refused(body, "first")


async def test_inactive_for_days_beyond_the_calendar_is_bad_user_input(api, world):
    body = await api.graphql(INACTIVE, world.admin_key, {"days": 1_000_000})
    _refused(body, "inactiveForDays")


async def test_inactive_for_days_at_the_largest_32_bit_integer_is_bad_user_input(api, world):
    body = await api.graphql(INACTIVE, world.admin_key, {"days": 2**31 - 1})
    _refused(body, "inactiveForDays")


async def test_negative_inactive_for_days_names_the_argument(api, world):
    body = await api.graphql(INACTIVE, world.admin_key, {"days": -1})
    _refused(body, "inactiveForDays")


async def test_inactive_for_days_of_a_century_is_answered(api, world):
    body = await api.graphql(INACTIVE, world.admin_key, {"days": 36_500})
    assert "errors" not in body, body


async def test_an_export_whose_inactive_for_days_would_fail_is_refused_and_makes_no_job(api, world):
    body = await api.graphql(EXPORT_MEMBERS, world.admin_key, {"days": 1_000_000})
    _refused(body, "inactiveForDays")
    exports = await api.graphql(EXPORTS, world.admin_key)
    assert exports["data"]["viewer"]["exports"]["totalCount"] == 0


async def test_an_audit_event_id_beyond_64_bits_is_bad_user_input(api, world):
    body = await api.graphql(NODE, world.admin_key, {"id": to_global_id("AuditEvent", 2**64)})
    _refused(body, "id")


async def test_an_export_job_id_too_large_for_its_32_bit_column_is_bad_user_input(api, world):
    body = await api.graphql(NODE, world.admin_key, {"id": to_global_id("ExportJob", 2**31)})
    _refused(body, "id")


async def test_revoking_an_api_key_id_too_large_for_its_column_is_bad_user_input(api, world):
    body = await api.graphql(
        "mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { id } } }",
        world.admin_key,
        {"id": to_global_id("ApiKey", 2**31)},
    )
    _refused(body, "id")


async def test_an_id_with_a_superscript_digit_is_bad_user_input(api, world):
    body = await api.graphql(NODE, world.admin_key, {"id": to_global_id("AuditEvent", "\u00b3")})
    _refused(body, "id")


async def test_an_id_in_arabic_indic_digits_is_refused_not_read_as_a_number(api, world, db):
    await _events(db, 3)
    three = to_global_id("AuditEvent", "\u0663")
    body = await api.graphql(NODE, world.admin_key, {"id": three})
    _refused(body, "id")


async def test_each_malformed_id_in_nodes_is_an_error_at_its_index(api, world, db):
    await _events(db, 1)
    ids = [to_global_id("AuditEvent", "\u00b3"), to_global_id("Team", "acme")]
    body = await api.graphql(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", world.admin_key, {"ids": ids}
    )
    assert body["data"]["nodes"] == [None, {"id": to_global_id("Team", "acme")}]
    assert [
        (e["path"], e["extensions"]["code"], e["extensions"].get("argument"))
        for e in body["errors"]
    ] == [(["nodes", 0], "BAD_USER_INPUT", "ids")]


async def test_until_beyond_what_utc_can_hold_is_bad_user_input(api, world):
    body = await api.graphql(
        AUDIT, world.admin_key, {"filter": {"until": "9999-12-31T23:59:59-14:00"}}
    )
    _refused(body, "filter.until")


async def test_since_before_what_utc_can_hold_is_bad_user_input(api, world):
    body = await api.graphql(
        AUDIT, world.admin_key, {"filter": {"since": "0001-01-01T00:00:00+14:00"}}
    )
    _refused(body, "filter.since")


async def test_the_first_and_last_instants_utc_can_hold_are_accepted(api, world, db):
    await _events(db, 2)
    body = await api.graphql(
        AUDIT,
        world.admin_key,
        {"filter": {"since": "0001-01-01T00:00:00Z", "until": "9999-12-31T23:59:59.999999Z"}},
    )
    assert "errors" not in body, body
    assert body["data"]["team"]["auditEvents"]["totalCount"] == 2


async def test_a_filter_timestamp_without_an_offset_is_bad_user_input(api, world):
    body = await api.graphql(AUDIT, world.admin_key, {"filter": {"since": "2026-01-01T12:00:00"}})
    _refused(body, "filter.since")


async def test_a_filter_timestamp_without_an_offset_as_a_literal_is_bad_user_input(api, world):
    body = await api.graphql(
        '{ team { auditEvents(filter: {until: "2026-01-01T12:00:00"}) { totalCount } } }',
        world.admin_key,
    )
    _refused(body, "filter.until")


async def test_an_api_key_expiring_beyond_what_utc_can_hold_is_bad_user_input(api, world):
    body = await api.graphql(
        CREATE_KEY,
        world.admin_key,
        {"input": {"name": "ci", "expiresAt": "9999-12-31T23:59:59-14:00"}},
    )
    _refused(body, "input.expiresAt")


async def test_a_report_range_in_year_9999_is_bad_user_input(api, world):
    body = await api.graphql(
        SUMMARY,
        world.admin_key,
        {"range": {"from": "9999-12-01", "to": "9999-12-31"}, "granularity": "MONTH"},
    )
    _refused(body, "range.from")


async def test_a_report_range_ending_in_year_1_is_bad_user_input(api, world):
    body = await api.graphql(
        SUMMARY, world.admin_key, {"range": {"to": "0001-01-05"}, "granularity": "WEEK"}
    )
    _refused(body, "range.to")


async def test_a_report_range_at_the_ends_of_the_servers_calendar_is_answered(api, world):
    for given in ({"from": "1900-01-01", "to": "1900-12-31"}, {"to": "9998-12-31"}):
        body = await api.graphql(SUMMARY, world.admin_key, {"range": given, "granularity": "MONTH"})
        assert "errors" not in body, (given, body)


async def test_billing_usage_in_the_last_month_of_the_calendar_is_bad_user_input(api, world):
    body = await api.graphql(
        'query { team { billing { usage(month: "9999-12-15") { month } } } }', world.admin_key
    )
    _refused(body, "month")


async def test_an_invoice_filter_beyond_the_calendar_is_bad_user_input(api, world):
    body = await api.graphql(
        'query { team { billing { invoices(filter: {periodTo: "9999-12-31"}) { totalCount } } } }',
        world.admin_key,
    )
    _refused(body, "filter.periodTo")


async def test_a_time_zone_name_of_5000_characters_is_bad_user_input(api, world, db):
    await _events(db, 1)
    body = await api.graphql(TIMESTAMP, world.admin_key, {"tz": "A" * 5000})
    _refused(body, "timezone")
    # The message quotes only the start of the name.
    assert len(body["errors"][0]["message"]) < 300


async def test_an_audit_export_in_a_5000_character_time_zone_is_refused_and_makes_no_job(
    api, world
):
    body = await api.graphql(EXPORT_AUDIT, world.admin_key, {"tz": "Europe/" + "A" * 5000})
    _refused(body, "timezone")
    exports = await api.graphql(EXPORTS, world.admin_key)
    assert exports["data"]["viewer"]["exports"]["totalCount"] == 0


async def test_a_nul_in_search_is_bad_user_input(api, world):
    body = await api.graphql(AUDIT, world.admin_key, {"filter": {"search": "a\x00b"}})
    _refused(body, "filter.search")


async def test_a_nul_in_an_element_id_is_bad_user_input(api, world):
    body = await api.graphql(NODE, world.admin_key, {"id": to_global_id("Api", "api-team\x00")})
    _refused(body, "id")


async def test_a_nul_in_an_actor_id_is_bad_user_input(api, world):
    body = await api.graphql(
        AUDIT, world.admin_key, {"filter": {"actorIds": [to_global_id("User", "ada\x00")]}}
    )
    _refused(body, "filter.actorIds")


async def test_a_nul_in_an_api_key_name_is_bad_user_input(api, world):
    body = await api.graphql(CREATE_KEY, world.admin_key, {"input": {"name": "ci\x00"}})
    _refused(body, "input.name")


async def test_a_nul_in_the_api_of_a_content_export_is_bad_user_input(api, world):
    body = await api.graphql(
        "mutation($api: ID) { exportContentElements(api: $api) { id } }",
        world.admin_key,
        {"api": to_global_id("Api", "\x00")},
    )
    _refused(body, "api")


async def test_a_lone_surrogate_in_search_is_bad_user_input(api, world):
    # Sent escaped, as JSON allows: it reaches the server as a lone surrogate.
    response = await api.http.post(
        "/graphql",
        content=(
            b'{"query": "query($f: AuditEventFilter) { team { auditEvents(filter: $f) '
            b'{ totalCount } } }", "variables": {"f": {"search": "a\\ud800"}}}'
        ),
        headers={"X-Api-Key": world.admin_key, "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    _refused(response.json(), "filter.search")


async def test_a_search_longer_than_the_limit_is_bad_user_input(api, world):
    # 60,000 characters: more than SQLite takes in a LIKE pattern.
    body = await api.graphql(AUDIT, world.admin_key, {"filter": {"search": "%" * 60_000}})
    _refused(body, "filter.search")
    assert len(body["errors"][0]["message"]) < 300


async def test_a_search_of_1000_characters_is_answered(api, world):
    body = await api.graphql(AUDIT, world.admin_key, {"filter": {"search": "%_" * 500}})
    assert body["data"]["team"]["auditEvents"]["totalCount"] == 0


async def test_a_10_mb_search_is_refused_with_a_code_not_a_server_error(api, world):
    response = await api.http.post(
        "/graphql",
        json={"query": AUDIT, "variables": {"filter": {"search": "x" * 10_000_000}}},
        headers={"X-Api-Key": world.admin_key},
    )
    assert 400 <= response.status_code < 500, response.status_code
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_cursor_longer_than_any_the_server_issues_is_bad_user_input(api, world):
    body = await api.graphql(
        "query($c: String) { team { members(after: $c) { totalCount } } }",
        world.admin_key,
        {"c": "A" * 5000},
    )
    _refused(body, "after")


async def test_a_user_agent_longer_than_its_column_is_recorded_cut_not_refused(api, world):
    response = await api.http.post(
        "/graphql",
        json={"query": CREATE_KEY, "variables": {"input": {"name": "ci"}}},
        headers={"X-Api-Key": world.admin_key, "User-Agent": "u" * 2000},
    )
    assert "errors" not in response.json(), response.text
    body = await api.graphql(
        "{ team { auditEvents(first: 1) { nodes { action userAgent } } } }", world.admin_key
    )
    (event,) = body["data"]["team"]["auditEvents"]["nodes"]
    assert (event["action"], event["userAgent"]) == ("API_KEY_CREATED", "u" * 512)


async def test_an_action_repeated_40000_times_counts_once_not_as_40000_parameters(api, world, db):
    await _events(db, 2)
    body = await api.graphql(
        AUDIT, world.admin_key, {"filter": {"actions": ["TEAM_MEMBER_ADDED"] * 40_000}}
    )
    assert "errors" not in body, body
    assert body["data"]["team"]["auditEvents"]["totalCount"] == 2


async def test_more_than_100_actor_ids_is_bad_user_input(api, world):
    actors = [to_global_id("User", f"u{n}") for n in range(101)]
    body = await api.graphql(AUDIT, world.admin_key, {"filter": {"actorIds": actors}})
    _refused(body, "filter.actorIds")


async def test_a_request_source_repeated_60000_times_counts_once(api, world):
    body = await api.graphql(
        "query($s: [RequestSource!]) { team { reports { summary(sources: $s) { "
        "requestCount } } } }",
        world.admin_key,
        {"s": ["NEWMAN"] * 60_000},
    )
    assert body["data"]["team"]["reports"]["summary"] == {"requestCount": 0}, body
