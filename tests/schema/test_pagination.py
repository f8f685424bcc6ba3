"""Relay keyset connections, shown on the team's members.

See docs/concepts.md#connections-and-cursors.
"""

from __future__ import annotations

import base64

from tests import factories as f

MEMBERS = """
query($first: Int, $after: String, $last: Int, $before: String) {
  team { members(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { user { username } } }
    nodes { user { username } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }
}"""


async def _add_members(db, count: int) -> list[str]:
    names = [f"user{i:03d}" for i in range(count)]
    records = [f.team(id="acme"), f.user(id="ada", name="Aaa Ada")]
    records.append(f.membership(team="acme", user="ada", roles=["ADMIN"]))
    for name in names:
        records += [f.user(id=name, name=name), f.membership(team="acme", user=name)]
    await f.ingest(db, *records)
    return ["ada", *names]


async def _page(api, key, **variables):
    body = await api.graphql(MEMBERS, key, variables)
    return body.get("errors"), (body["data"] or {}).get("team", {}) and body["data"]["team"][
        "members"
    ]


async def test_paging_forward_visits_every_row_once_in_order(api, db):
    expected = await _add_members(db, 45)
    key = await f.api_key_for(db, team="acme", email="ada@example.com")
    seen, after = [], None
    while True:
        _, page = await _page(api, key, first=10, after=after)
        seen += [n["user"]["username"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected


async def test_paging_backward_visits_every_row_once_in_order(api, db):
    expected = await _add_members(db, 25)
    key = await f.api_key_for(db, team="acme", email="ada@example.com")
    seen, before = [], None
    while True:
        _, page = await _page(api, key, last=7, before=before)
        seen = [n["user"]["username"] for n in page["nodes"]] + seen
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert seen == expected


async def test_page_info_reports_rows_on_both_sides_of_a_middle_page(api, db):
    await _add_members(db, 9)
    key = await f.api_key_for(db, team="acme", email="ada@example.com")
    _, first = await _page(api, key, first=3)
    _, middle = await _page(api, key, first=3, after=first["pageInfo"]["endCursor"])
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert middle["pageInfo"]["hasPreviousPage"] is True
    assert middle["pageInfo"]["hasNextPage"] is True
    assert middle["edges"][0]["cursor"] == middle["pageInfo"]["startCursor"]


async def test_page_size_defaults_to_20_and_total_count_counts_everything(api, db):
    await _add_members(db, 30)
    key = await f.api_key_for(db, team="acme", email="ada@example.com")
    _, page = await _page(api, key)
    assert len(page["nodes"]) == 20 and page["totalCount"] == 31


async def test_a_page_of_100_is_allowed_and_101_is_bad_user_input(api, db):
    await _add_members(db, 2)
    key = await f.api_key_for(db, team="acme", email="ada@example.com")
    assert (await _page(api, key, first=100))[0] is None
    errors, _ = await _page(api, key, first=101)
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    errors, _ = await _page(api, key, last=101)
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_negative_page_sizes_and_first_with_last_are_bad_user_input(api, db):
    await _add_members(db, 2)
    key = await f.api_key_for(db, team="acme", email="ada@example.com")
    for variables in ({"first": -1}, {"last": -1}, {"first": 2, "last": 2}):
        errors, _ = await _page(api, key, **variables)
        assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT", variables


async def test_malformed_tampered_and_foreign_cursors_are_bad_user_input(api, db, world):
    _, page = await _page(api, world.admin_key, first=1)
    cursor = page["pageInfo"]["endCursor"]
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw[-1] ^= 1
    tampered = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    forged = base64.urlsafe_b64encode(b'["members:name",["Zed","x"]]').decode()
    elements = await api.graphql(
        "{ team { elements(first: 1) { pageInfo { endCursor } } } }", world.admin_key
    )
    foreign = elements["data"]["team"]["elements"]["pageInfo"]["endCursor"]
    for bad in ("%", "", "not.a.cursor", "abc", tampered, forged, foreign):
        errors, _ = await _page(api, world.admin_key, first=1, after=bad)
        assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT", bad
        assert "Traceback" not in errors[0]["message"]


async def test_cursors_do_not_reveal_the_rows_they_point_at(api, db, world):
    _, page = await _page(api, world.admin_key, first=1)
    cursor = page["pageInfo"]["endCursor"]
    decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    assert b"ada" not in decoded and b"members" not in decoded


async def test_members_of_another_team_are_never_listed(api, world):
    _, page = await _page(api, world.other_admin_key, first=100)
    assert [n["user"]["username"] for n in page["nodes"]] == ["gus"]
