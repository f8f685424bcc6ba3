"""A small two-team world whose developer exercises every element-access rule."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories as f

# What `dev` may access, and why; and what nobody below may see without a grant.
DEV_READABLE = {
    "api-team": "TEAM workspace",
    "api-public": "PUBLIC workspace",
    "api-private": "grant on its PRIVATE workspace",
    "api-grouped": "grant to dev's group on its workspace",
    "api-granted": "grant on the element itself",
}
DEV_HIDDEN = {"api-secret", "col-personal"}
# Team roles do not bypass access: the super admin holds no grants here.
ADMIN_READABLE = {"api-team", "api-public"}


@dataclass
class World:
    admin_key: str
    dev_key: str
    other_admin_key: str


async def build_world(db: async_sessionmaker[AsyncSession]) -> World:
    await f.ingest(
        db,
        f.team(id="acme"),
        f.team(id="globex"),
        f.user(id="ada"),
        f.user(id="dev"),
        f.user(id="gus"),
        f.membership(team="acme", user="ada", roles=["SUPER_ADMIN"]),
        f.membership(team="acme", user="dev", roles=["DEVELOPER"]),
        f.membership(team="globex", user="gus", roles=["ADMIN"]),
        f.group(id="platform", team="acme"),
        f.group_member(group="platform", user="dev"),
        f.workspace(id="ws-team", team="acme", visibility="TEAM"),
        f.workspace(id="ws-public", team="acme", visibility="PUBLIC"),
        f.workspace(id="ws-private", team="acme", visibility="PRIVATE"),
        f.workspace(id="ws-grouped", team="acme", visibility="PRIVATE"),
        f.workspace(id="ws-secret", team="acme", visibility="PRIVATE"),
        f.workspace(id="ws-personal", team="acme", visibility="PERSONAL"),
        f.workspace(id="ws-globex", team="globex", visibility="TEAM"),
        f.element(id="api-team", team="acme", workspace="ws-team"),
        f.element(id="api-public", team="acme", workspace="ws-public"),
        f.element(id="api-private", team="acme", workspace="ws-private"),
        f.element(id="api-grouped", team="acme", workspace="ws-grouped"),
        f.element(id="api-granted", team="acme", workspace="ws-secret"),
        f.element(id="api-secret", team="acme", workspace="ws-secret"),
        f.element(id="col-personal", team="acme", workspace="ws-personal", kind="COLLECTION"),
        f.element(id="api-globex", team="globex", workspace="ws-globex"),
        f.grant(subject="dev", resource="ws-private"),
        f.grant(subject="platform", subject_type="GROUP", resource="ws-grouped"),
        f.grant(subject="dev", resource="api-granted"),
    )
    return World(
        admin_key=await f.api_key_for(db, team="acme", email="ada@example.com"),
        dev_key=await f.api_key_for(db, team="acme", email="dev@example.com"),
        other_admin_key=await f.api_key_for(db, team="globex", email="gus@example.com"),
    )


@pytest.fixture
async def world(db: async_sessionmaker[AsyncSession]) -> World:
    return await build_world(db)
