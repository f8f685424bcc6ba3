"""The demo data set: realistic, deterministic, complete, loaded through the ingest path."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from graphql_api.demo.dataset import demo_records
from graphql_api.demo.load import load_demo, make_demo_keys
from graphql_api.domain.audit_actions import ACTIONS, action_from_label
from graphql_api.domain.enums import ElementKind, RequestSource, TeamRole, Visibility

SEED_ACTIONS = [
    line
    for line in (Path(__file__).parents[1] / "data" / "seed_audit_actions.txt")
    .read_text()
    .splitlines()
    if line and not line.startswith("#")
]
DAY = date(2026, 11, 21)


def test_the_action_enum_holds_every_action_of_the_seed():
    assert len(SEED_ACTIONS) == 65
    assert [a for a in SEED_ACTIONS if action_from_label(a) is None] == []


def test_the_demo_is_the_same_every_time_for_a_given_day():
    assert list(demo_records(DAY)) == list(demo_records(DAY))


def test_the_demo_covers_every_action_role_visibility_kind_and_source():
    records = list(demo_records(DAY))
    by_type = Counter(r["type"] for r in records)
    actions = {action_from_label(r["action"]).name for r in records if r["type"] == "audit_event"}
    roles = {role for r in records if r["type"] == "membership" for role in r["roles"]}
    statuses = {r["status"] for r in records if r["type"] == "membership"}
    visibilities = {r["visibility"] for r in records if r["type"] == "workspace"}
    kinds = {r["kind"] for r in records if r["type"] == "element"}
    sources = {r["source"] for r in records if r["type"] == "request"}
    subjects = {r["subject_type"] for r in records if r["type"] == "grant"}
    assert actions == set(ACTIONS)
    assert roles == {r.value for r in TeamRole}
    assert statuses == {"ACTIVE", "INVITED", "REMOVED"}
    assert visibilities == {v.value for v in Visibility}
    assert kinds == {k.value for k in ElementKind}
    assert sources == {s.value for s in RequestSource}
    assert subjects == {"USER", "GROUP"}
    assert by_type["audit_event"] >= 1000
    for fact in (
        "test_run",
        "monitor_run",
        "content_event",
        "security_finding",
        "token_alert",
        "public_stat",
        "invoice",
        "usage",
        "seat_change",
    ):
        assert by_type[fact] > 0, fact
    assert len({r["team"] for r in records if r["type"] == "request"}) == 3


async def test_loaded_demo_gives_an_admin_the_audit_log_and_a_developer_partial_access(api, db):
    counts = await load_demo(db)
    assert counts["audit_event"] > 1000
    admin, developer = await make_demo_keys(db)
    query = "{ team { elements { totalCount } auditEvents { totalCount } } }"
    as_admin = await api.graphql(query, admin.secret)
    as_developer = await api.graphql(query, developer.secret)
    assert as_admin["data"]["team"]["auditEvents"]["totalCount"] > 1000
    assert as_developer["data"]["team"]["auditEvents"] is None
    assert as_developer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    team_elements = sum(
        1 for r in demo_records() if r["type"] == "element" and r["team"] == developer.team_slug
    )
    seen = as_developer["data"]["team"]["elements"]["totalCount"]
    assert 0 < seen < team_elements
    assert seen != as_admin["data"]["team"]["elements"]["totalCount"]
